"""Features of a message for the learned router: per word its stem and character n-grams, stem pairs, location.

Invariants: pure and total (any text gives a, possibly empty, result); the same functions serve training and
inference, so a model always sees features made the way it was trained on; blocks are kept apart, so each
can be normalised and weighted on its own (a street must not drown in 500 character n-grams). The text is
looked at word by word: what a word contributes does not depend on the other words of the message (see
`learning/encoding.py`), which is what lets the router keep it per word.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from itertools import pairwise

from wijkbot.domain.text import normalise, stem

CHAR_SIZES = (4,)  # 5-fold CV: 3-5-grams give the same accuracy with 2.3 times the features (docs/routing.md)
MAX_CHARS = 2000  # a 1 MB message is judged by its first 2,000 characters; the rest adds noise, not signal


def message_words(text: str) -> list[str]:
    """The normalised words the learned router reads (of the first MAX_CHARS characters)."""
    return normalise(text[:MAX_CHARS]).split()


@lru_cache(maxsize=100_000)
def word_features(word: str) -> tuple[str, ...]:
    """What one word is made of: its stem ("w:") and its character n-grams ("c:", padded by spaces)."""
    padded = f" {word} "
    grams = ["c:" + padded[i:i + size] for size in CHAR_SIZES for i in range(len(padded) - size + 1)]
    return ("w:" + stem(word), *grams)


def pair_feature(left_stem: str, right_stem: str) -> str:
    """Two neighbouring words by their stems (stems are letters and digits only, so "_" separates them)."""
    return "b:" + left_stem + "_" + right_stem


def text_features(text: str) -> Counter[str]:
    """Every feature of the text with its count: used to pick the vocabulary (in how many messages a feature
    occurs), not to weigh a message."""
    words = message_words(text)
    features: Counter[str] = Counter()
    for word in words:
        features.update(word_features(word))
    features.update(pair_feature(a, b) for a, b in pairwise(stem(w) for w in words))
    return features


def location_features(street: str | None, pc4: str | None, town: str | None, area: str | None) -> Counter[str]:
    """What the channel or the router knows of the place: street, PC4, town and the resolved area."""
    features: Counter[str] = Counter()
    for prefix, value in (("st:", street), ("pc:", (pc4 or "")[:4]), ("town:", town), ("area:", area)):
        cleaned = normalise(value or "")
        if cleaned:
            features[prefix + cleaned] = 1
    return features
