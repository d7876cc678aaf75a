"""Dutch text normalisation: the one place that decides what a "word" is.

Invariants: total functions (any str in, never an exception); the output contains only lower-case ASCII
letters, digits and single spaces; control characters, emoji and markup fall away as separators.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import Stemmer

_KEEP = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_STEMMER = Stemmer.Stemmer("dutch")
# PyStemmer's own cache purges itself when full, which makes a new word cost three times as much; `stem` below
# keeps its own cache.
_STEMMER.maxCacheSize = 0

# Dutch compounds often end in a domain head ("hondenpoepbak", "lantaarnpaal"). Splitting off a known head
# lets "speeltoestelbak" still hit "bak" and the compound's first part; the list is short on purpose
# (LIBRARIES.md: a short list splits as well as a 190 MB compound package).
COMPOUND_HEADS: tuple[str, ...] = (
    "container", "vergunning", "overlast", "verlichting", "paal", "tegel", "zak", "bak", "lamp", "afval",
    "straat", "weg", "plein", "boom", "hout", "toestel", "put", "licht",
)


class _Separators(dict[int, int | None]):
    """A `str.translate` table: letters and digits stay, accents (combining marks after NFKD) go, and every
    other character becomes a space. Filled on first sight of a character, so translating runs in C; bounded,
    since hostile input may bring thousands of distinct characters (those past the bound are worked out again).
    """

    def __missing__(self, code: int) -> int | None:
        value = None if unicodedata.combining(chr(code)) else _SPACE
        if len(self) < _TABLE_SIZE:
            self[code] = value
        return value


_SPACE = ord(" ")
_TABLE_SIZE = 4096
_SEPARATORS = _Separators({code: code if chr(code) in _KEEP else _SPACE for code in range(128)})
_ASCII_SEPARATORS = bytes(code if chr(code) in _KEEP else _SPACE for code in range(256))  # the same, for bytes

# Dutch and English function words: a message without any is no language a resident writes ("asdfgh qwerty"),
# and they carry no subject of their own (domain.reopen).
_FUNCTION_TEXT = (
    "de het een en of maar want dus ook nog al niet geen wel dan dat die dit deze er hier daar is was "
    "zijn wordt werd heeft had hebben kan kon zal zou moet mag ik je jij u hij zij ze we wij jullie mijn "
    "uw onze ons me mij hem haar hun elke iedere alle weer echt toch gewoon al nu even wel heel erg zo op "
    "in aan bij van voor met naar om over uit te tot sinds the a an and or but it is was are there here "
    "still not this that my your we i you they he she of to in on at for with now again really"
)
COMMON_WORDS = frozenset(_FUNCTION_TEXT.split())


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, cut before a word the limit would split (never half a word)."""
    if len(text) <= limit:
        return text
    cut = text[:limit + 1]
    space = max(cut.rfind(" "), cut.rfind("\n"), cut.rfind("\t"))
    return cut[:space] if space > 0 else text[:limit]


@lru_cache(maxsize=256)
def normalise(text: str) -> str:
    """Lower-case, strip accents, keep letters and digits, collapse everything else to single spaces.

    Cached for the last few texts: the rule router, the learned router and the features each normalise the
    same message. (A translate table and split/join: the same result as a regular expression, four times faster.)
    """
    if text.isascii():  # most messages: nothing to decompose (and bytes translate by a table, in C)
        return " ".join(text.lower().encode("ascii").translate(_ASCII_SEPARATORS).decode("ascii").split())
    return " ".join(unicodedata.normalize("NFKD", text.casefold()).translate(_SEPARATORS).split())


@lru_cache(maxsize=64)
def word_set(text: str) -> frozenset[str]:
    """The distinct normalised words of a text (cached: several signals ask it of the same message)."""
    return frozenset(normalise(text).split())


def words(text: str) -> list[str]:
    """The normalised words of a text."""
    cleaned = normalise(text)
    return cleaned.split() if cleaned else []


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Dutch Snowball stem of one normalised word (cached: resident vocabulary is small)."""
    return str(_STEMMER.stemWord(word))


def stem_many(words: list[str]) -> list[str]:
    """The stems of many words in one call (not cached: for words the caller keeps itself)."""
    stems: list[str] = _STEMMER.stemWords(words)
    return stems


@lru_cache(maxsize=65536)
def split_compound(word: str) -> tuple[str, ...]:
    """Split a compound on a known head ("lantaarnpaal" -> ("lantaarn", "paal")); else the word itself."""
    if not word.endswith(COMPOUND_HEADS):
        return (word,)  # most words: no head at all (one check in C instead of a loop over the heads)
    for head in COMPOUND_HEADS:
        if len(word) >= len(head) + 3 and word.endswith(head):
            modifier = word[: -len(head)]
            if modifier.endswith("s") and len(modifier) > 4:
                modifier = modifier[:-1]  # tussen-s: "geluidsoverlast" -> "geluid" + "overlast"
            return (modifier, head)
    return (word,)
