"""Where a message plays: postcode, street or buurt name -> buurt and wijk.

Residents name streets and buurten, never wijken (DOMAIN.md), so the wijk is always derived. Invariants:
a hint given by the channel (street, then postcode, then town) beats what is found in the text; a postcode
only counts when the municipality has it; when several buurten share a postcode the buurt stays unknown
rather than guessed, while the wijk (usually unique per PC4) is still set.

In the text, word groups of up to four words are tried longest first, then from the start of the message:
first as exact names, then (groups of 8 letters or more) as typos of a name with the same first letter
(`fuzz.ratio` >= 88; domain/place_names.py). Speed (issue 3): the text is only looked at when the hints found
nothing; exact names are found by walking the words through the set of name prefixes instead of building
every word group; typos are compared only for word groups that can still reach the cut-off, and only until a
group matches. The place found is the one the plain scan over every word group finds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from wijkbot.domain.model import Area
from wijkbot.domain.place_names import CACHE_SIZE, MAX_GROUP_WORDS, MIN_FUZZY_NAME, PlaceNames
from wijkbot.domain.rules import Buurt
from wijkbot.domain.text import normalise

_POSTCODE = re.compile(r"\b([1-9][0-9]{3})\s?([A-Za-z]{2})?\b")
_UNKNOWN = Area(matched_by="(not worked out yet)")  # a marker for the cache of hints, never returned


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
        street_places = {_key(s): _Place(s, by_code[c]) for s, c in streets.items() if c in by_code}
        buurt_places: dict[str, _Place] = {}
        for buurt in buurten:
            for name in (buurt.name, *buurt.aliases):
                buurt_places.setdefault(_key(name), _Place(name, buurt))
        self._streets: PlaceNames[_Place] = PlaceNames(street_places)
        self._buurt_names: PlaceNames[_Place] = PlaceNames(buurt_places)
        self._wijk_names: PlaceNames[str] = PlaceNames({_key(b.wijk): b.wijk for b in buurten})
        longest = max((len(normalise(n.name).split()) for n in (*street_places.values(), *buurt_places.values())),
                      default=1)
        self._longest = min(longest, MAX_GROUP_WORDS)  # "Oog in Al" is tried before "Al"
        self._hints: dict[tuple[str | None, str | None, str | None], Area | None] = {}

    def warm(self, known: list[str]) -> None:
        """Work out the letters-lost figures of these (normalised) words for the typo search in texts."""
        fresh = [w for w in known if w][:CACHE_SIZE // 2]
        for names in (self._streets, self._buurt_names):
            names.learn(fresh, exact=True)

    def locate(self, text: str, street: str | None = None, postcode: str | None = None,
               town: str | None = None) -> Area:
        """The most specific area the hints and the text support; an empty Area when nothing matches."""
        if street or postcode or town:
            hints = (street, postcode, town)
            area = self._hints.get(hints, _UNKNOWN)
            if area is _UNKNOWN:  # worked out once per combination: a channel sends the same streets all day
                if len(self._hints) >= CACHE_SIZE:
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
        by_street = self._from_key(_key(street), self._streets, "straat") if street else None
        by_postcode = self._from_postcode(postcode or "", "postcode")
        if by_street is not None and by_postcode is not None and by_postcode.wijk not in (None, by_street.wijk):
            # The street list puts the street in another area than the postcode: a street name used in two kernen,
            # or a postcode of where the resident lives rather than of the place. The street stays the better
            # guess (on Katwijk's history the street's area was right more often than the postcode's when they
            # differed), but the reason says so, for the ambtenaar who checks it.
            return replace(by_street, matched_by=f"{by_street.matched_by} (maar {by_postcode.matched_by} ligt in "
                                                 f"{by_postcode.wijk})")
        return (by_street or by_postcode
                or (self._from_key(town_key, self._buurt_names, "plaats") if town_key is not None else None)
                or (self._wijk(town_key) if town_key is not None else None))

    def _from_key(self, key: str, names: PlaceNames[_Place], label: str) -> Area | None:
        if key in names.keys:
            return self._area(names, key, label)
        if len(key) >= MIN_FUZZY_NAME:
            found = names.typo_of(key)
            if found is not None:
                return self._area(names, found, label)
        return None

    def _from_text(self, tokens: list[str], names: PlaceNames[_Place], label: str) -> Area | None:
        if not tokens or not names.keys:
            return None
        found = names.first_exact(tokens, self._longest) or names.first_typo_in(tokens, self._longest)
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
    def _area(names: PlaceNames[_Place], key: str, label: str) -> Area:
        place = names.keys[key]
        buurt = place.buurt
        street = place.name if label == "straat" else None
        return Area(buurt.wijk, buurt.name, buurt.code, street, f"{label} {place.name}")
