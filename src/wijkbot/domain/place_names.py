"""One kind of place name (streets, buurten, wijken), and finding them in a message's words, typos included.

Names are keyed without spaces ("burgemeesterreigerstraat"), so a name meets a word group however the
resident split it. Invariants: `first_exact` finds the longest word group that is a name, earliest on a tie;
`first_typo_in` finds, among word groups of 8 letters or more tried longest first and then from the start,
the first that is a typo of a name with its first letter (`fuzz.ratio` >= 88), and its closest name (the
first on a tie, in the order of the names by length); the filter below only skips comparisons that cannot
reach the cut-off, so what is found is what comparing every group with every name finds.

The filter: a ratio of 88 or more leaves at most 0.56 * group - 0.44 * name letters of the group outside its
longest common subsequence with the name (its "allowance"), and each word of the group loses at least its
own letters outside its common subsequence with that name (its "misses": the group's alignment with the name
splits into one common subsequence per word). So a group can only match a name if its words' misses against
that very name add up to no more than the allowance. A word's misses against every name are worked out in
one rapidfuzz call, for the words residents are known to use and for a new word the second time it comes
(the first time it counts as missing nothing, which only lets more groups through). They are kept packed: a
byte per name in one integer per first letter of the names, so a group's misses are a sum of at most four
integers and the test against all names of its first letter one subtraction (SWAR: each byte carries a guard
bit that stays set where the allowance is not exceeded). On Katwijk's messages it lets about four groups in a
thousand through to the exact comparison (a rapidfuzz call per group) once their words are worked out, and
about one in twenty while a message's new words still count as missing nothing. (Tried: per word the fewest
misses against any name of a first letter, summed: one group in four passes that; per word the names it
stays close to, as yes/no bits: too weak to pay for itself.)
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from itertools import accumulate, pairwise
from typing import Generic, TypeVar

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import LCSseq

FUZZY_NAME_CUTOFF = 88.0
MIN_FUZZY_NAME = 8
MAX_GROUP_WORDS = 4  # words in a group tried as one name ("Burgemeester de Vlugtlaan")
CACHE_SIZE = 100_000
# A ratio of at least the cut-off keeps a common subsequence of at least this share of both lengths together
# (0.44 at 88), so a group may lose (1 - _KEPT) * group - _KEPT * name of its letters.
_KEPT = FUZZY_NAME_CUTOFF / 200.0
# A word's misses are capped so that those of MAX_GROUP_WORDS words add up to less than the guard bit and
# never carry into it (a cap only lowers a bound: nothing is ruled out that could match).
_GUARD = 0x80
_WORD_CAP = (_GUARD - 1) // MAX_GROUP_WORDS
# The packed misses of the words kept take about this many bytes at most: a municipality with thousands of
# streets keeps fewer words (a word's misses are worked out again when it comes back).
_MISSES_BUDGET = 32_000_000

V = TypeVar("V")


class PlaceNames(Generic[V]):
    """Place names keyed without spaces, each with its value (a place, or a wijk's own name)."""

    def __init__(self, names: Mapping[str, V]) -> None:
        self.keys = names
        self.prefixes = {key[:i] for key in names for i in range(1, len(key) + 1)}
        grouped: dict[str, list[str]] = {}
        for key in names:
            if key:
                grouped.setdefault(key[0], []).append(key)
        # Per first letter, sorted by length: a typo search takes a slice of these, never a scan.
        self._groups = {initial: sorted(keys, key=len) for initial, keys in grouped.items()}
        self._lengths = {initial: [len(k) for k in keys] for initial, keys in self._groups.items()}
        self._windows: dict[str, dict[int, tuple[str, ...]]] = {}
        self._typos: dict[str, str | None] = {}
        # All names, a block per first letter, each block by length (so a window is a run of positions).
        initials = sorted(self._groups)
        self._all = [key for initial in initials for key in self._groups[initial]]
        self._block_of = {initial: number for number, initial in enumerate(initials)}
        bounds = list(accumulate((len(self._groups[i]) for i in initials), initial=0))
        self._blocks = list(pairwise(bounds))  # per first letter: its run in `_all`
        # Per first letter, per group length with a name within reach: what its misses are held to.
        most = max((len(k) for k in names), default=0) * 2 + 2
        self._allowances = [{n: allowance for n in range(MIN_FUZZY_NAME, most)
                             if (allowance := self._allowance(initial, n)) is not None}
                            for initial in initials]
        self._misses: dict[str, tuple[int, ...]] = {}  # per word: its misses, packed per first letter
        self._zero = (0,) * len(initials)
        # A word's packed misses: a byte per name, and an integer object and a tuple slot per first letter.
        footprint = len(self._all) + 36 * len(initials) + 64
        self._capacity = min(CACHE_SIZE, max(1_000, _MISSES_BUDGET // footprint))
        self._seen: dict[str, None] = {}  # new words seen once (their misses are worked out the second time)

    def first_exact(self, tokens: list[str], longest: int) -> str | None:
        """The name that is the longest word group, earliest on a tie (the order the groups are tried in)."""
        best: str | None = None
        best_size = 0
        prefixes, keys = self.prefixes, self.keys
        count = len(tokens)
        for start, token in enumerate(tokens):
            if token not in prefixes:
                continue  # no name starts with this word, so no group that starts here is a name
            group = token
            for size in range(1, min(longest, count - start) + 1):
                if size > 1:
                    group += tokens[start + size - 1]
                    if group not in prefixes:
                        break
                if size > best_size and group in keys:
                    best, best_size = group, size
        return best

    def window(self, initial: str, length: int) -> tuple[str, ...]:
        """The names with this first letter whose length allows a ratio above the cut-off with a group of
        this length: |a - b| <= (1 - c)(a + b). Most word groups have none and are never compared."""
        by_length = self._windows.get(initial)
        if by_length is None:
            by_length = self._windows[initial] = {}
        found = by_length.get(length)
        if found is None:
            low, high = self._window_bounds(initial, length)
            found = by_length[length] = tuple(self._groups[initial][low:high]) if high > low else ()
        return found

    def _window_bounds(self, initial: str, length: int) -> tuple[int, int]:
        """The run of names with this first letter (by length) that `window` gives, as positions."""
        lengths = self._lengths.get(initial, [])
        slack = 1.0 - FUZZY_NAME_CUTOFF / 100.0
        return (bisect_left(lengths, length * (1 - slack) / (1 + slack)),
                bisect_right(lengths, length * (1 + slack) / (1 - slack)))

    def typo_of(self, key: str) -> str | None:
        """The closest name that this hint (a street or town a channel gives) is a typo of; remembered per
        hint, since the same street names come back all day."""
        cache = self._typos
        if key not in cache:
            if len(cache) >= CACHE_SIZE:
                cache.clear()  # crude but bounded; refills with the hints in use
            cache[key] = self._closest(key)
        return cache[key]

    def first_typo_in(self, tokens: list[str], longest: int) -> str | None:
        """The closest name to the first word group (longest first, then from the start) that is a typo of
        one; the word groups of a text rarely come back, so they are not kept."""
        for group in dict.fromkeys(["".join(tokens[start:start + size])
                                    for start, size in self._candidates(tokens, longest)]):
            found = self._closest(group)
            if found is not None:
                return found
        return None

    def learn(self, tokens: Sequence[str], exact: bool = False) -> list[tuple[int, ...]]:
        """Per word and per first letter of the names: the letters it loses against each name of that letter
        (capped), a byte per name in the order of the names by length.

        Worked out (against every name, in one rapidfuzz call) for the words residents are known to use, and
        for a new word the second time it comes; the first time it counts as losing nothing, which only lets
        more word groups through to the exact comparison. `exact`: work out every word now (as many as the
        memory budget keeps).
        """
        if not self._all:
            return [self._zero for _ in tokens]
        cache, zero, capacity = self._misses, self._zero, self._capacity
        new = [t for t in dict.fromkeys(tokens) if t not in cache]
        if not exact:
            seen = self._seen
            first = [t for t in new if t not in seen]
            if len(seen) + len(first) > CACHE_SIZE:
                seen.clear()
            seen.update(dict.fromkeys(first))
            new = [t for t in new if t not in first]
        if new:
            if len(cache) + len(new) > capacity:
                cache.clear()  # crude but bounded; refills with the words in use
                new = new[:capacity]
            width, blocks = len(self._all), self._blocks
            for start in range(0, len(new), 1000):  # a history's words come in chunks, to bound the table
                chunk = new[start:start + 1000]
                common = process.cdist(chunk, self._all, scorer=LCSseq.similarity, dtype=np.int32, workers=1)
                lost = np.asarray([len(t) for t in chunk], dtype=np.int32)[:, None] - common
                table = np.minimum(lost, _WORD_CAP).astype(np.uint8).tobytes()
                for row, word in zip(range(0, len(table), width), chunk, strict=True):
                    cache[word] = tuple([int.from_bytes(table[row + low:row + high], "little")
                                         for low, high in blocks])
        return [cache.get(t, zero) for t in tokens]

    def _candidates(self, tokens: list[str], longest: int) -> list[tuple[int, int]]:
        """Word groups (start, size) that can be a typo of a name, longest groups first (the order they are
        tried in): a name with their first letter is within reach of their length, and for one such name at
        least, their words' misses against it add up to no more than its allowance. Nearly all groups fail
        and are never compared."""
        if longest > MAX_GROUP_WORDS:
            raise ValueError(f"word groups have at most {MAX_GROUP_WORDS} words")
        misses = self.learn(tokens)
        sizes = [len(t) for t in tokens]
        count = len(tokens)
        block_of, allowances = self._block_of, self._allowances
        found: list[list[int]] = [[] for _ in range(longest + 1)]
        for start, token in enumerate(tokens):
            block = block_of.get(token[0])
            if block is None:
                continue  # no name starts with this letter
            within = allowances[block]
            length = lost = 0
            for end in range(start, start + longest if start + longest < count else count):
                length += sizes[end]
                lost += misses[end][block]
                test = within.get(length)
                if test is not None and (test[0] - lost) & test[1]:
                    found[end - start + 1].append(start)
        return [(start, size) for size in range(longest, 0, -1) for start in found[size]]

    def _allowance(self, initial: str, length: int) -> tuple[int, int] | None:
        """For a group of this length with this first letter, a byte per name of that letter: the letters the
        group may lose against the name (0.56 * group - 0.44 * name at 88) with the guard bit set (the guard
        alone for a name out of reach, so that a subtraction never borrows from a neighbour), and the guard
        bits of the names within reach. None when no name is within reach."""
        low, high = self._window_bounds(initial, length)
        if high <= low:
            return None
        lengths = self._lengths[initial]
        allowed = bytearray([_GUARD]) * len(lengths)
        guards = bytearray(len(lengths))
        for position in range(low, high):
            # Rounding must only ever allow more: a letter more is never ruled out.
            most = math.floor((1 - _KEPT) * length - _KEPT * lengths[position] + 1e-6)
            allowed[position] = _GUARD | min(max(most, 0), _GUARD - 1)
            guards[position] = _GUARD
        return int.from_bytes(allowed, "little"), int.from_bytes(guards, "little")

    def _closest(self, group: str) -> str | None:
        """The best name of the group's window at or above the cut-off, the first of them on a tie (a
        rapidfuzz call stops comparing a name as soon as it cannot beat the best score so far)."""
        names = self.window(group[0], len(group))
        if names:
            found = process.extractOne(group, names, scorer=fuzz.ratio, score_cutoff=FUZZY_NAME_CUTOFF)
            if found is not None:
                return str(found[0])
        return None
