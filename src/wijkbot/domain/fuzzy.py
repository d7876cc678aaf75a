"""Typo matching of words against a fixed list of names (the keywords of the rules).

Invariants: the scores are rapidfuzz's own (`fuzz.ratio`, float64, no preprocessing), so the result is
exactly what `process.extract` finds for each word on its own against all names, in the same order.

Speed: a name can only reach the cut-off if the two differ in few letters, so most names are ruled out
before rapidfuzz sees them. `fuzz.ratio` is 100 * (1 - indel / (a + b)), and every letter that one of the
two has and the other lacks costs at least one insertion or deletion: the names whose set of letters differs
from the word's in more than (1 - cutoff/100) * (a + b) letters, or whose length does, cannot match. Each
name's letters are kept as the bits of one integer, so the test is an XOR and a bit count over all names in
one numpy call; on Katwijk's messages it leaves fewer than one name per word of the 180 of the same length.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

_LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789"
_BIT = {letter: 1 << number for number, letter in enumerate(_LETTERS)}
_OTHER = 1 << len(_LETTERS)  # any other character (names and words are normalised: there are none)


def letters(text: str) -> int:
    """The set of characters of a text as bits of one integer (distinct powers of two: their sum is their OR)."""
    return sum(set(map(_BIT.get, text, repeat(_OTHER))))


class Vocabulary:
    """A fixed list of names matched by whole-word typos."""

    def __init__(self, names: Sequence[str], cutoff: float) -> None:
        self.names = list(names)
        self.cutoff = cutoff
        self._letters = np.asarray([letters(name) for name in self.names], dtype=np.uint64)
        self._lengths = np.asarray([len(name) for name in self.names], dtype=np.float64)
        self._allowed: dict[int, npt.NDArray[np.float64]] = {}

    def matches(self, queries: Sequence[str]) -> list[tuple[str, ...]]:
        """Per query: the names with a ratio at or above the cut-off, best first, ties in list order
        (what `process.extract(query, names, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None)` returns)."""
        return [self._match(query) for query in queries]

    def candidates(self, query: str) -> list[str]:
        """The names (in list order) that the letters and the lengths leave within reach of the query."""
        if not self.names:
            return []
        allowed = self._allowed.get(len(query))
        if allowed is None:
            # The most letters a name may differ in: (1 - c/100) * (a + b), a hair wider so rounding never
            # drops a name; -1 where the lengths alone differ by more (then the count can never be below it).
            slack = (1.0 - self.cutoff / 100.0) * (len(query) + self._lengths) + 1e-9
            allowed = self._allowed[len(query)] = np.where(np.abs(self._lengths - len(query)) <= slack, slack, -1.0)
        differ = np.bitwise_count(self._letters ^ np.uint64(letters(query)))
        return [self.names[i] for i in np.flatnonzero(differ <= allowed).tolist()]

    def _match(self, query: str) -> tuple[str, ...]:
        names = self.candidates(query)
        if not names:
            return ()  # most words: no name shares enough of their letters
        return tuple(name for name, _score, _index in process.extract(
            query, names, scorer=fuzz.ratio, score_cutoff=self.cutoff, limit=None))
