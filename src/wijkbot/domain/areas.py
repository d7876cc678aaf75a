"""Where a message plays: postcode, street or buurt name -> buurt and wijk.

Residents name streets and buurten, never wijken (DOMAIN.md), so the wijk is always derived. Invariants:
a hint given by the channel (street, then postcode, then town) beats what is found in the text; a postcode
only counts when the municipality has it; when several buurten share a postcode the buurt stays unknown
rather than guessed, while the wijk (usually unique per PC4) is still set.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from wijkbot.domain.model import Area
from wijkbot.domain.rules import Buurt
from wijkbot.domain.text import normalise

_POSTCODE = re.compile(r"\b([1-9][0-9]{3})\s?([A-Za-z]{2})?\b")
_FUZZY_NAME_CUTOFF = 88.0
_MIN_FUZZY_NAME = 8
_FUZZY_CACHE_SIZE = 100_000


def _by_initial(places: dict[str, _Place]) -> dict[str, tuple[tuple[int, ...], tuple[str, ...]]]:
    """Place names grouped by first letter, sorted by length: a typo search takes a slice, not a scan."""
    grouped: dict[str, list[str]] = {}
    for name in places:
        if name:
            grouped.setdefault(name[0], []).append(name)
    return {initial: (tuple(len(n) for n in sorted(names, key=len)), tuple(sorted(names, key=len)))
            for initial, names in grouped.items()}


def _key(name: str) -> str:
    """A place name without spaces, so "Burgemeester Reigerstraat" and "burgemeesterreigerstraat" meet."""
    return normalise(name).replace(" ", "")


@dataclass(frozen=True, slots=True)
class _Place:
    name: str
    buurt: Buurt


class AreaIndex:
    """Resolves places to areas. Built once per rule set; `locate` is pure."""

    def __init__(self, buurten: tuple[Buurt, ...], streets: dict[str, str]) -> None:
        by_code = {b.code: b for b in buurten}
        self._by_pc4: dict[str, list[Buurt]] = {}
        for buurt in buurten:
            for pc4 in buurt.pc4s:
                self._by_pc4.setdefault(pc4, []).append(buurt)
        self._streets = {_key(s): _Place(s, by_code[c]) for s, c in streets.items() if c in by_code}
        self._buurt_names: dict[str, _Place] = {}
        for buurt in buurten:
            for name in (buurt.name, *buurt.aliases):
                self._buurt_names.setdefault(_key(name), _Place(name, buurt))
        self._wijk_names = {_key(b.wijk): b.wijk for b in buurten}
        self._fuzzy_cache: dict[tuple[str, str], str | None] = {}
        self._initials: dict[int, dict[str, tuple[tuple[int, ...], tuple[str, ...]]]] = {}
        self._longest = max((len(normalise(n.name).split()) for n in
                             (*self._streets.values(), *self._buurt_names.values())), default=1)

    def locate(self, text: str, street: str | None = None, postcode: str | None = None,
               town: str | None = None) -> Area:
        """The most specific area the hints and the text support; an empty Area when nothing matches."""
        grams = self._ngrams(text)  # once per message, shared by every name lookup
        resolvers: tuple[Callable[[], Area | None], ...] = (
            lambda: self._from_name([_key(street)] if street else [], self._streets, "straat"),
            lambda: self._from_postcode(postcode or "", "postcode"),
            lambda: self._from_name([_key(town)] if town else [], self._buurt_names, "plaats"),
            lambda: self._from_wijk_name([_key(town)] if town else []),
            lambda: self._from_name(grams, self._streets, "straat"),
            lambda: self._from_postcode(text, "postcode"),
            lambda: self._from_name(grams, self._buurt_names, "buurt"),
            lambda: self._from_wijk_name(grams),
        )
        for resolve in resolvers:
            area = resolve()
            if area is not None:
                return area
        return Area()

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

    def _from_name(self, candidates: list[str], places: dict[str, _Place], label: str) -> Area | None:
        if not candidates or not places:
            return None
        for candidate in candidates:
            place = places.get(candidate)
            if place is not None:
                return self._area(place, label)
        for candidate in candidates:
            if len(candidate) >= _MIN_FUZZY_NAME:
                name = self._fuzzy(candidate, places, label)
                if name is not None:
                    return self._area(places[name], label)
        return None

    def _fuzzy(self, candidate: str, places: dict[str, _Place], label: str) -> str | None:
        """The closest place name within the cut-off; cached per (kind of place, candidate)."""
        key = (label, candidate)
        if key not in self._fuzzy_cache:
            if len(self._fuzzy_cache) >= _FUZZY_CACHE_SIZE:
                self._fuzzy_cache.clear()
            names = self._names_near(label, candidate, places)
            found = process.extractOne(candidate, names, scorer=fuzz.ratio, score_cutoff=_FUZZY_NAME_CUTOFF) \
                if names else None
            self._fuzzy_cache[key] = found[0] if found is not None else None
        return self._fuzzy_cache[key]

    def _names_near(self, label: str, candidate: str, places: dict[str, _Place]) -> list[str]:
        """The names that can be a typo of `candidate`: the same first letter (residents rarely mistype the
        first letter of a street), and a length that allows a ratio above the cut-off, |a - b| <= (1 - c)(a + b).

        Most word groups of a message are longer or shorter than any street, so they are not compared at all,
        and the rest are compared with a few names (a long message went from ~20 ms to well under 1 ms).
        """
        index = self._initials.get(id(places))
        if index is None:
            index = self._initials[id(places)] = _by_initial(places)
        lengths, names = index.get(candidate[0], ((), ()))
        slack = 1.0 - _FUZZY_NAME_CUTOFF / 100.0
        length = len(candidate)
        low = bisect_left(lengths, length * (1 - slack) / (1 + slack))
        high = bisect_right(lengths, length * (1 + slack) / (1 - slack))
        return list(names[low:high])

    def _from_wijk_name(self, grams: list[str]) -> Area | None:
        for candidate in grams:
            wijk = self._wijk_names.get(candidate)
            if wijk is not None:
                return Area(wijk, None, None, None, f"wijk {wijk}")
        return None

    def _ngrams(self, text: str) -> list[str]:
        tokens = normalise(text).split()
        grams: list[str] = []
        for size in range(min(self._longest, 4), 0, -1):  # longest first: "Oog in Al" before "Al"
            grams.extend("".join(tokens[i:i + size]) for i in range(len(tokens) - size + 1))
        return grams

    @staticmethod
    def _area(place: _Place, label: str) -> Area:
        buurt = place.buurt
        street = place.name if label == "straat" else None
        return Area(buurt.wijk, buurt.name, buurt.code, street, f"{label} {place.name}")
