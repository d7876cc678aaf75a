"""Dutch text normalisation: the one place that decides what a "word" is.

Invariants: total functions (any str in, never an exception); the output contains only lower-case ASCII
letters, digits and single spaces; control characters, emoji and markup fall away as separators.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

_NON_WORD = re.compile(r"[^a-z0-9]+")
_STEMMER = Stemmer.Stemmer("dutch")

# Dutch compounds often end in a domain head ("hondenpoepbak", "lantaarnpaal"). Splitting off a known head
# lets "speeltoestelbak" still hit "bak" and the compound's first part; the list is short on purpose
# (LIBRARIES.md: a short list splits as well as a 190 MB compound package).
COMPOUND_HEADS: tuple[str, ...] = (
    "container", "vergunning", "overlast", "verlichting", "paal", "tegel", "zak", "bak", "lamp", "afval",
    "straat", "weg", "plein", "boom", "hout", "toestel", "put", "licht",
)


@lru_cache(maxsize=256)
def normalise(text: str) -> str:
    """Lower-case, strip accents, keep letters and digits, collapse everything else to single spaces.

    Cached for the last few texts: the rule router, the learned router and the features each normalise the
    same message.
    """
    if text.isascii():  # most messages: nothing to decompose
        return _NON_WORD.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", ascii_only).strip()


def words(text: str) -> list[str]:
    """The normalised words of a text."""
    cleaned = normalise(text)
    return cleaned.split() if cleaned else []


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Dutch Snowball stem of one normalised word (cached: resident vocabulary is small)."""
    return str(_STEMMER.stemWord(word))


@lru_cache(maxsize=65536)
def split_compound(word: str) -> tuple[str, ...]:
    """Split a compound on a known head ("lantaarnpaal" -> ("lantaarn", "paal")); else the word itself."""
    for head in COMPOUND_HEADS:
        if len(word) >= len(head) + 3 and word.endswith(head):
            modifier = word[: -len(head)]
            if modifier.endswith("s") and len(modifier) > 4:
                modifier = modifier[:-1]  # tussen-s: "geluidsoverlast" -> "geluid" + "overlast"
            return (modifier, head)
    return (word,)
