"""What the digest is computed from: the facts storage reads for one wijk and one week.

Invariants: plain frozen values (no rows, no I/O); every datetime is aware UTC; a case fact carries the case's
current status and lead department (the digest describes the end of the week as it is known when it is made);
no fact carries a resident's name, address or contact data, only the channel they used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from wijkbot.domain.weeks import IsoWeek


@dataclass(frozen=True, slots=True)
class CaseFact:
    id: int
    reference: str
    kind: str
    status: str
    department: str
    channel: str
    created_at: datetime
    due_date: date
    category: str | None = None
    buurt: str | None = None
    buurt_code: str | None = None
    street: str | None = None
    closed_at: datetime | None = None
    out_of_scope: bool = False
    duplicate_of: int | None = None
    ambition: str | None = None
    handover_count: int = 0
    first_answer_at: datetime | None = None  # the first "antwoord" event: an ambtenaar's reply to the resident


@dataclass(frozen=True, slots=True)
class MessageFact:
    """An inbound message on a case of the wijk."""

    created_at: datetime
    channel: str


@dataclass(frozen=True, slots=True)
class EventFact:
    """A case event of the week that the digest reports on ("geëscaleerd", "tevredenheid")."""

    at: datetime
    type: str
    case: CaseFact
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ClusterFact:
    """A duplicate cluster that grew this week: the lead case and how many reports joined it."""

    lead: CaseFact
    members: int  # linked duplicates, all time
    new_members: int  # linked duplicates created this week


@dataclass(frozen=True, slots=True)
class DigestFacts:
    wijk: str
    week: IsoWeek
    timezone: str
    recent_cases: tuple[CaseFact, ...]  # created in the trend window (TREND_WEEKS up to and including `week`)
    open_at_end: tuple[CaseFact, ...]  # created before the end of the week and not closed by then
    closed: tuple[CaseFact, ...]  # closed within the week
    answered: tuple[CaseFact, ...]  # first human answer given within the week
    messages: tuple[MessageFact, ...]  # inbound messages in the trend window
    events: tuple[EventFact, ...]  # escalations and survey answers within the week
    clusters: tuple[ClusterFact, ...]  # duplicate clusters with a new member this week
    # What the week's figures are measured at (IsoWeek.as_of): its end and Sunday, or for the running week now and
    # yesterday. None: the end of the week and its Sunday.
    until: datetime | None = None
    last_due: date | None = None

    @property
    def cut(self) -> tuple[datetime, date]:
        return (self.until or self.week.end(self.timezone), self.last_due or self.week.sunday)
