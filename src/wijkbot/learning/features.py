"""Features of a message for the learned router: words, word pairs, character n-grams and location.

Invariants: pure and total (any text gives a, possibly empty, mapping); the same function serves training
and inference, so a model always sees features made the way it was trained on; blocks are kept apart, so
each can be normalised and weighted on its own (a street must not drown in 500 character n-grams).
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from itertools import pairwise

from wijkbot.domain.text import normalise, stem

CHAR_SIZES = (3, 4, 5)
MAX_CHARS = 2000  # a 1 MB message is judged by its first 2,000 characters; the rest adds noise, not signal


def text_features(text: str) -> Counter[str]:
    """Stems, stem pairs and character n-grams of each word (padded by spaces), with counts."""
    words = normalise(text[:MAX_CHARS]).split()
    stems = [stem(w) for w in words]
    features: Counter[str] = Counter("w:" + s for s in stems)
    features.update("b:" + a + "_" + b for a, b in pairwise(stems))
    for word in words:
        features.update(char_grams(word))
    return features


@lru_cache(maxsize=100_000)
def char_grams(word: str) -> tuple[str, ...]:
    """The character n-grams of one word; cached, since residents reuse their words."""
    padded = f" {word} "
    return tuple("c:" + padded[i:i + size] for size in CHAR_SIZES for i in range(len(padded) - size + 1))


def location_features(street: str | None, pc4: str | None, town: str | None, area: str | None) -> Counter[str]:
    """What the channel or the router knows of the place: street, PC4, town and the resolved area."""
    features: Counter[str] = Counter()
    for prefix, value in (("st:", street), ("pc:", (pc4 or "")[:4]), ("town:", town), ("area:", area)):
        cleaned = normalise(value or "")
        if cleaned:
            features[prefix + cleaned] = 1
    return features
