"""Duplicate meldingen: a new melding about the same thing at the same place joins the open case already there.

The documents ask that a municipality does not make ten residents report one broken lamp ten times over, and
that every reporter hears the outcome. A new case is a duplicate of an open lead case when both are meldingen
(or the configured kinds) with the same category (never a triage guess), at the same street, or in the same
buurt when either lacks a street, and the lead was opened within the window. On one street, two house numbers
more than HOUSE_NUMBER_SPAN apart are two places (the lamp at 45 is not the lamp at 120); an unknown number is
no difference.

Invariants: pure; a lead is never itself a duplicate (clusters are one level deep, so closing the lead reaches
every reporter); among several leads the same street beats the same buurt, then the oldest lead wins, so a
cluster does not split.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

HOUSE_NUMBER_SPAN = 10  # a lamp post or a heap of rubbish is seen from a few doors either side
# after the street: "Kanaalstraat 120", "Kanaalstraat 120a", "Kanaalstraat, nr. 12", "Kanaalstraat bij nummer 7";
# not a number of things ("Kanaalstraat 3 lampen", "2x"), nor a phone number ("... 06 12345678")
_AFTER_STREET = (r"\.?,?\s+(?:(?:ter hoogte van|bij|voor|tegenover|naast)\s+)?"
                 r"(?:(?:huis)?nummer\s+|nr\.?\s*|no\.?\s*)?(\d{1,4})(?![\d-])(?!\s*\d)(?!\s*x\b)"
                 r"(?!\s+[a-z]{2,}(?:en|s)\b)")
# anywhere only with the word itself: "nummer" alone is as often a pole, a case or a phone number
_NUMBER_WORD = re.compile(r"\bhuisnummer\s*(\d{1,4})(?![\d-])(?!\s*\d)", re.IGNORECASE)
_POSTCODE_LETTERS = re.compile(r"\s?[A-Za-z]{2}\b")


@dataclass(frozen=True, slots=True)
class DuplicatePolicy:
    window_days: int = 14
    kinds: tuple[str, ...] = ("melding",)

    @property
    def enabled(self) -> bool:
        return self.window_days > 0 and bool(self.kinds)


@dataclass(frozen=True, slots=True)
class CaseKey:
    """What decides whether two cases are about the same thing at the same place."""

    kind: str
    category: str | None
    street: str | None
    buurt_code: str | None
    created_at: datetime
    case_id: int = 0
    duplicate_of: int | None = None
    house_number: int | None = None


def house_number(text: str, street: str | None) -> int | None:
    """The house number a message gives with its street ("Kanaalstraat 120", "bij nummer 100"), or None. A
    postcode after the street ("Kanaalstraat 3531 CJ") is no house number."""
    if street:
        for found in re.finditer(re.escape(street) + _AFTER_STREET, text, re.IGNORECASE):
            digits = found.group(1)
            if not (len(digits) == 4 and _POSTCODE_LETTERS.match(text, found.end())):
                return int(digits)
    word = _NUMBER_WORD.search(text)
    return int(word.group(1)) if word else None


def _same_street(a: CaseKey, b: CaseKey) -> bool:
    return bool(a.street and b.street and a.street.casefold() == b.street.casefold())


def place_match(new: CaseKey, lead: CaseKey) -> str | None:
    """'straat' or 'buurt' when the two are at the same place, None otherwise."""
    if _same_street(new, lead) and (new.buurt_code == lead.buurt_code or not (new.buurt_code and lead.buurt_code)):
        if new.house_number is not None and lead.house_number is not None \
                and abs(new.house_number - lead.house_number) > HOUSE_NUMBER_SPAN:
            return None  # one street, two places
        return "straat"
    if new.street and lead.street:
        return None  # two different streets in one buurt are different places
    if new.buurt_code and new.buurt_code == lead.buurt_code:
        return "buurt"
    return None


def find_lead(new: CaseKey, leads: Iterable[CaseKey], policy: DuplicatePolicy, now: datetime) -> CaseKey | None:
    """The open case `new` duplicates, if any."""
    if not policy.enabled or new.kind not in policy.kinds or not new.category:
        return None
    since = now - timedelta(days=policy.window_days)
    best: tuple[int, datetime, int] | None = None
    chosen: CaseKey | None = None
    for lead in leads:
        if lead.duplicate_of is not None or lead.category != new.category or lead.kind != new.kind:
            continue
        if lead.created_at < since:
            continue
        place = place_match(new, lead)
        if place is None:
            continue
        rank = (0 if place == "straat" else 1, lead.created_at, lead.case_id)
        if best is None or rank < best:
            best, chosen = rank, lead
    return chosen
