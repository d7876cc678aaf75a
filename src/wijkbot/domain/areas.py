"""Where a message plays: postcode, street or buurt name -> buurt and wijk.

Residents name streets and buurten, never wijken (DOMAIN.md), so the wijk is always derived. Invariants:
a hint given by the channel (street, then postcode, then town) beats what is found in the text; a postcode
only counts when the municipality has it; when several buurten share a postcode the buurt stays unknown
rather than guessed, while the wijk (usually unique per PC4) is still set.

In the text, word groups of up to four words are tried longest first, then from the start of the message:
first as exact names, then (groups of 8 letters or more) as typos of a name with the same first letter
(`fuzz.ratio` >= 88). Speed (issue 3): the text is only looked at when the hints found nothing; exact names
are found by walking the words through the set of name prefixes instead of building every word group; typos
are checked only for word groups whose first letter and length leave a name within reach, and only until
a group matches. The place found is the one the plain scan over every word group finds.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import LCSseq

from wijkbot.domain.model import Area
from wijkbot.domain.rules import Buurt
from wijkbot.domain.text import normalise

_POSTCODE = re.compile(r"\b([1-9][0-9]{3})\s?([A-Za-z]{2})?\b")
_FUZZY_NAME_CUTOFF = 88.0
_MIN_FUZZY_NAME = 8
_FUZZY_CACHE_SIZE = 100_000
_MAX_GROUP = 4  # words in a group tried as one name
_UNKNOWN = Area(matched_by="(not worked out yet)")  # a marker for the cache of hints, never returned
# A group within the ratio cut-off of a name keeps all but 0.56 * group - 0.44 * name of its letters in common
# with it, and the name is at least (1 - s) / (1 + s) of the group's length (s = 0.12): at most 0.2143 of the
# group's letters are lost. Rounded up, so the test only ever lets more groups through.
_MAX_LOST = 0.22


def _key(name: str) -> str:
    """A place name without spaces, so "Burgemeester Reigerstraat" and "burgemeesterreigerstraat" meet."""
    return normalise(name).replace(" ", "")


@dataclass(frozen=True, slots=True)
class _Place:
    name: str
    buurt: Buurt


class _Names:
    """One kind of place name (streets, buurten, wijken) keyed without spaces, with what lookups need."""

    def __init__(self, names: dict[str, _Place] | dict[str, str]) -> None:
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
        # For the letters-lost test: all names, grouped by first letter (a block per letter, in one list).
        self._all = [key for initial in sorted(self._groups) for key in self._groups[initial]]
        self._blocks: list[tuple[int, int]] = []
        for initial in sorted(self._groups):
            start = self._blocks[-1][1] if self._blocks else 0
            self._blocks.append((start, start + len(self._groups[initial])))
        self._block_of = {initial: number for number, initial in enumerate(sorted(self._groups))}
        self._block_starts = np.asarray([start for start, _ in self._blocks], dtype=np.intp)
        # Per first letter: the group lengths (of at least the minimum) that have a name within reach.
        most = max((len(k) for k in names), default=0) * 2 + 2
        self._reach = [frozenset(n for n in range(_MIN_FUZZY_NAME, most) if self.window(initial, n))
                       for initial in sorted(self._groups)]
        self._misses: dict[str, tuple[int, ...]] = {}
        self._zero = (0,) * len(self._blocks)
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
            lengths = self._lengths.get(initial, [])
            slack = 1.0 - _FUZZY_NAME_CUTOFF / 100.0
            low = bisect_left(lengths, length * (1 - slack) / (1 + slack))
            high = bisect_right(lengths, length * (1 + slack) / (1 - slack))
            found = by_length[length] = tuple(self._groups[initial][low:high]) if high > low else ()
        return found

    def typo_of(self, key: str) -> str | None:
        """The closest name that this hint (a street or town a channel gives) is a typo of; remembered per
        hint, since the same street names come back all day."""
        cache = self._typos
        if key not in cache:
            if len(cache) >= _FUZZY_CACHE_SIZE:
                cache.clear()  # crude but bounded; refills with the hints in use
            cache[key] = self.first_typo([key])
        return cache[key]

    def first_typo(self, groups: list[str]) -> str | None:
        """The closest name to the first group (in order) that is a typo of one: the best `fuzz.ratio` at or
        above the cut-off among the names of its window, the first of them on a tie.

        Group by group, stopping at the first that matches: a rapidfuzz call per group stops comparing a name
        as soon as it cannot beat the best score so far, which costs half of comparing every pair of group and
        name in one batch (tried: the batch cannot stop early). The word groups of a text rarely come back,
        so they are not kept."""
        for group in dict.fromkeys(groups):
            names = self.window(group[0], len(group))
            if names:
                found = process.extractOne(group, names, scorer=fuzz.ratio, score_cutoff=_FUZZY_NAME_CUTOFF)
                if found is not None:
                    return str(found[0])
        return None

    def typo_candidates(self, tokens: list[str], longest: int) -> list[str]:
        """Word groups that can be a typo of a name, longest groups first (the order they are tried in).

        A group qualifies when it is long enough, a name with its first letter has a length within reach
        (see `window`), and it need not lose too many letters. A ratio of 88 or more leaves at most
        0.56 * len(group) - 0.44 * len(name) <= 0.2143 * len(group) letters of the group outside the longest
        common subsequence with the name; each word of the group loses at least its "miss" for the group's
        first letter (its letters outside its best common subsequence with any name starting with that
        letter), so a group whose misses add up to more cannot match. Most groups fail and are never compared.
        """
        misses = self.token_misses(tokens)
        sizes = [len(t) for t in tokens]
        count = len(tokens)
        block_of, reaches = self._block_of, self._reach
        found: list[list[int]] = [[] for _ in range(longest + 1)]
        for start, token in enumerate(tokens):
            block = block_of.get(token[0])
            if block is None:
                continue  # no name starts with this letter
            reach = reaches[block]
            length = lost = 0
            for end in range(start, start + longest if start + longest < count else count):
                length += sizes[end]
                lost += misses[end][block]
                if lost <= _MAX_LOST * length and length in reach:
                    found[end - start + 1].append(start)
        return ["".join(tokens[start:start + size]) for size in range(longest, 0, -1) for start in found[size]]

    def token_misses(self, tokens: list[str], exact: bool = False) -> list[tuple[int, ...]]:
        """Per word and per first letter of the names: the fewest letters the word loses against such a name.

        Worked out (against every name, in one rapidfuzz call) for the words residents are known to use, and
        for a new word the second time it comes; the first time it counts as losing nothing, which only lets
        more word groups through to the exact comparison. `exact`: work out every word now.
        """
        if not self._all:
            return [() for _ in tokens]
        cache, zero = self._misses, self._zero
        new = [t for t in dict.fromkeys(tokens) if t not in cache]
        if not exact:
            seen = self._seen
            first = [t for t in new if t not in seen]
            if len(seen) + len(first) > _FUZZY_CACHE_SIZE:
                seen.clear()
            seen.update(dict.fromkeys(first))
            new = [t for t in new if t not in first]
        if new:
            if len(cache) + len(new) > _FUZZY_CACHE_SIZE:
                cache.clear()
            for start in range(0, len(new), 1000):  # a history's words come in chunks, to bound the table
                chunk = new[start:start + 1000]
                common = process.cdist(chunk, self._all, scorer=LCSseq.similarity, dtype=np.int32, workers=1)
                kept = np.maximum.reduceat(common, self._block_starts, axis=1)  # per first letter, the best
                lost = np.asarray([len(t) for t in chunk], dtype=np.int32)[:, None] - kept
                cache.update(zip(chunk, map(tuple, lost.tolist()), strict=True))
        return [cache.get(t, zero) for t in tokens]


class AreaIndex:
    """Resolves places to areas. Built once per rule set; `locate` is pure."""

    def __init__(self, buurten: tuple[Buurt, ...], streets: dict[str, str]) -> None:
        by_code = {b.code: b for b in buurten}
        self._by_pc4: dict[str, list[Buurt]] = {}
        for buurt in buurten:
            for pc4 in buurt.pc4s:
                self._by_pc4.setdefault(pc4, []).append(buurt)
        street_places = {_key(s): _Place(s, by_code[c]) for s, c in streets.items() if c in by_code}
        buurt_places: dict[str, _Place] = {}
        for buurt in buurten:
            for name in (buurt.name, *buurt.aliases):
                buurt_places.setdefault(_key(name), _Place(name, buurt))
        self._streets = _Names(street_places)
        self._buurt_names = _Names(buurt_places)
        self._wijk_names = _Names({_key(b.wijk): b.wijk for b in buurten})
        longest = max((len(normalise(n.name).split()) for n in (*street_places.values(), *buurt_places.values())),
                      default=1)
        self._longest = min(longest, _MAX_GROUP)  # "Oog in Al" is tried before "Al"
        self._hints: dict[tuple[str | None, str | None, str | None], Area | None] = {}

    def warm(self, known: list[str]) -> None:
        """Work out the letters-lost figures of these (normalised) words for the typo search in texts."""
        fresh = [w for w in known if w][:_FUZZY_CACHE_SIZE // 2]
        for names in (self._streets, self._buurt_names):
            names.token_misses(fresh, exact=True)

    def locate(self, text: str, street: str | None = None, postcode: str | None = None,
               town: str | None = None) -> Area:
        """The most specific area the hints and the text support; an empty Area when nothing matches."""
        if street or postcode or town:
            hints = (street, postcode, town)
            area = self._hints.get(hints, _UNKNOWN)
            if area is _UNKNOWN:  # worked out once per combination: a channel sends the same streets all day
                if len(self._hints) >= _FUZZY_CACHE_SIZE:
                    self._hints.clear()
                area = self._hints[hints] = self._from_hints(street, postcode, town)
            if area is not None:
                return area
        tokens = normalise(text).split()
        return (self._from_text(tokens, self._streets, "straat")
                or self._from_postcode(text, "postcode")
                or self._from_text(tokens, self._buurt_names, "buurt")
                or self._wijk(self._wijk_names.first_exact(tokens, self._longest))
                or Area())

    def _from_hints(self, street: str | None, postcode: str | None, town: str | None) -> Area | None:
        town_key = _key(town) if town else None
        return ((self._from_key(_key(street), self._streets, "straat") if street else None)
                or self._from_postcode(postcode or "", "postcode")
                or (self._from_key(town_key, self._buurt_names, "plaats") if town_key is not None else None)
                or (self._wijk(town_key) if town_key is not None else None))

    def _from_key(self, key: str, names: _Names, label: str) -> Area | None:
        if key in names.keys:
            return self._area(names, key, label)
        if len(key) >= _MIN_FUZZY_NAME:
            found = names.typo_of(key)
            if found is not None:
                return self._area(names, found, label)
        return None

    def _from_text(self, tokens: list[str], names: _Names, label: str) -> Area | None:
        if not tokens or not names.keys:
            return None
        found = names.first_exact(tokens, self._longest) or names.first_typo(
            names.typo_candidates(tokens, self._longest))
        return self._area(names, found, label) if found is not None else None

    def _from_postcode(self, text: str, label: str) -> Area | None:
        for match in _POSTCODE.finditer(text):
            buurten = self._by_pc4.get(match.group(1))
            if not buurten:
                continue
            wijken = {b.wijk for b in buurten}
            wijk = buurten[0].wijk if len(wijken) == 1 else None
            if len(buurten) == 1:
                only = buurten[0]
                return Area(wijk, only.name, only.code, None, f"{label} {match.group(1)}")
            if wijk is not None:
                return Area(wijk, None, None, None, f"{label} {match.group(1)}")
        return None

    def _wijk(self, key: str | None) -> Area | None:
        wijk = self._wijk_names.keys.get(key) if key is not None else None
        return Area(str(wijk), None, None, None, f"wijk {wijk}") if wijk is not None else None

    @staticmethod
    def _area(names: _Names, key: str, label: str) -> Area:
        place = names.keys[key]
        assert isinstance(place, _Place)  # streets and buurten map to places; only wijk names map to text
        buurt = place.buurt
        street = place.name if label == "straat" else None
        return Area(buurt.wijk, buurt.name, buurt.code, street, f"{label} {place.name}")
