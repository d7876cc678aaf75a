"""Typo matching in batches: the new words of one message against a fixed list of names, in one rapidfuzz call.

Calling rapidfuzz once per word costs more in Python than the comparisons cost in C when a message brings
many new words; one call per message does not. Invariants: the scores are rapidfuzz's own (`fuzz.ratio`,
float64, no preprocessing), so a batch finds exactly what `process.extract` finds for each word on its own,
in the same order.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz, process


class Vocabulary:
    """A fixed list of names matched by whole-word typos; many words at once, in one rapidfuzz call."""

    def __init__(self, names: Sequence[str], cutoff: float) -> None:
        self.names = list(names)
        self.cutoff = cutoff
        self._by_length = sorted(range(len(self.names)), key=lambda i: len(self.names[i]))
        self._lengths = [len(self.names[i]) for i in self._by_length]
        self._windows: dict[int, list[str]] = {}

    def matches(self, queries: Sequence[str]) -> list[tuple[str, ...]]:
        """Per query: the names with a ratio at or above the cut-off, best first, ties in list order
        (what `process.extract(query, names, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None)` returns)."""
        if not queries or not self.names:
            return [() for _ in queries]
        if len(queries) <= _FEW:  # a message brings one or two new words: a call per word is cheaper
            return [tuple(name for name, _score, _index in process.extract(
                query, self._window(len(query)), scorer=fuzz.ratio, score_cutoff=self.cutoff, limit=None))
                for query in queries]
        table = process.cdist(queries, self.names, scorer=fuzz.ratio, score_cutoff=self.cutoff, dtype=np.float64,
                              workers=1)
        found: list[list[tuple[float, int]]] = [[] for _ in queries]
        rows, columns = np.nonzero(table >= self.cutoff)  # few: most words are no typo of any name
        for row, column in zip(rows.tolist(), columns.tolist(), strict=True):
            found[row].append((-float(table[row, column]), column))
        return [tuple(self.names[column] for _, column in sorted(hits)) for hits in found]

    def _window(self, length: int) -> list[str]:
        """The names (in list order) whose length allows the cut-off with a word of this length: fuzz.ratio
        is 100 * (1 - indel / (a + b)) and indel >= |a - b|, so |a - b| <= (1 - c/100) * (a + b); one letter
        wider, so rounding never drops a name."""
        found = self._windows.get(length)
        if found is None:
            slack = 1.0 - self.cutoff / 100.0
            low = bisect_left(self._lengths, length * (1 - slack) / (1 + slack) - 1)
            high = bisect_right(self._lengths, length * (1 + slack) / (1 - slack) + 1)
            found = self._windows[length] = [self.names[i] for i in sorted(self._by_length[low:high])]
        return found


_FEW = 3
