"""The routing reasons in an ambtenaar's words: why a case is acute, why it went to triage, where it plays.

Invariants: pure; every reason is one short Dutch phrase stored with the case as it was said then; the words
that made a message acute are named once each, never a word of one or two letters.
"""

from __future__ import annotations

from collections.abc import Iterable

from wijkbot.domain.model import Area
from wijkbot.domain.text import stem, words


def no_area_for_ambition(area_label: str) -> str:
    """An initiative whose area (wijk, kern) is not known, so no wijkambitie could be looked up."""
    return f"de {area_label} is niet bekend, dus er is geen wijkambitie bepaald"


def no_ambitions_for_area(area_label: str) -> str:
    """An initiative in an area for which the municipality has no wijkambities (yet)."""
    return f"voor deze {area_label} zijn nog geen wijkambities vastgelegd"


def alarm_reason(crisis: bool, found: Iterable[str]) -> str:
    """Why the resident was pointed to 112 (or 113 and 112), naming the words that said so, so the ambtenaar who
    reads the case first sees at once what to look at ("gevonden: ruikt naar gas")."""
    said = ", ".join(f'"{phrase}"' for phrase in found)
    if crisis:
        return f"mogelijk een crisis (zelfdoding{'; gevonden: ' + said if said else ''}): bewoner gewezen op 113 en 112"
    return f"mogelijk acuut gevaar{' (gevonden: ' + said + ')' if said else ''}: bewoner gewezen op 112"


def once(phrases: Iterable[str]) -> tuple[str, ...]:
    """Each phrase once, in order; two forms of one phrase ("kabel los", "kabels los": the index matches
    phrases by their stems, so both hit) count as one, named as the first. A word of one or two letters ("ik"
    of a together-rule) says nothing to the reader and is left out."""
    seen: set[tuple[str, ...]] = set()
    kept: list[str] = []
    for phrase in phrases:
        if len(phrase) <= 2:
            continue
        key = tuple(stem(word) for word in words(phrase))
        if key not in seen:
            seen.add(key)
            kept.append(phrase)
    return tuple(kept)


def triage_reason(urgent: bool) -> str:
    """Why a case goes to the wijkbureau's triage: acute danger, or a decision the router is not sure of."""
    if urgent:
        return "mogelijk acuut: meteen naar triage"
    return "te onzeker: naar triage"


def area_reason(area: Area) -> str:
    """Where a message plays and why, or that no place was found."""
    return f"{area.matched_by} -> {area.label}" if area.wijk else "geen plaats gevonden"
