"""Duplicate meldingen: a new melding about the same thing at the same place joins the open case already there.

The documents ask that a municipality does not make ten residents report one broken lamp ten times over, and
that every reporter hears the outcome. A new case is a duplicate of an open lead case when both are meldingen
(or the configured kinds) with the same category (never a triage guess), at the same street, or in the same
buurt when either lacks a street, and the lead was opened within the window.

Invariants: pure; a lead is never itself a duplicate (clusters are one level deep, so closing the lead reaches
every reporter); among several leads the same street beats the same buurt, then the oldest lead wins, so a
cluster does not split.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta


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


def _same_street(a: CaseKey, b: CaseKey) -> bool:
    return bool(a.street and b.street and a.street.casefold() == b.street.casefold())


def place_match(new: CaseKey, lead: CaseKey) -> str | None:
    """'straat' or 'buurt' when the two are at the same place, None otherwise."""
    if _same_street(new, lead) and (new.buurt_code == lead.buurt_code or not (new.buurt_code and lead.buurt_code)):
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
