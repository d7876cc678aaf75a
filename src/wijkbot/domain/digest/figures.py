"""What the digest says, as numbers: the result of `summarise`, read by the text and HTML renderers.

Invariants: frozen values; keys are configuration ids (category, department, buurt code) or the Dutch values
stored on cases (kind, status, channel), so renderers can name them in any language; durations are timedeltas
and shares are fractions (0.0-1.0) or None when there was nothing to measure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from wijkbot.domain.digest.stats import Count
from wijkbot.domain.weeks import IsoWeek


@dataclass(frozen=True, slots=True)
class Row:
    key: str  # e.g. a category id; "" when unknown (triage, no buurt)
    count: Count
    label: str = ""  # a name the facts carried (a buurt's name), for keys the configuration cannot name


@dataclass(frozen=True, slots=True)
class TrendWeek:
    week: IsoWeek
    cases: int
    messages: int


@dataclass(frozen=True, slots=True)
class Inflow:
    messages: Count
    cases: Count
    by_kind: tuple[Row, ...]
    by_category: tuple[Row, ...]
    by_department: tuple[Row, ...]
    by_buurt: tuple[Row, ...]
    by_channel: tuple[Row, ...]  # cases by the channel the resident used
    messages_by_channel: tuple[Row, ...]
    trend: tuple[TrendWeek, ...]  # oldest first, this week last


@dataclass(frozen=True, slots=True)
class HotSpot:
    category: str
    scale: str  # "straat" or "buurt"
    place: str  # the street name, or the buurt's name
    buurt_code: str | None
    this_week: int
    last_four_weeks: int  # this week and the three before it
    weeks_present: int  # of those four weeks, how many had a case here on this topic
    structural: bool  # present in at least three of the four weeks


@dataclass(frozen=True, slots=True)
class Cluster:
    lead_reference: str
    category: str | None
    street: str | None
    buurt: str | None
    reports: int  # the lead plus every linked duplicate
    new_this_week: int
    open: bool


@dataclass(frozen=True, slots=True)
class CaseLine:
    """One case in a list: enough to recognise it, nothing about the resident."""

    reference: str
    kind: str
    category: str | None
    department: str
    buurt: str | None
    status: str
    age_days: int  # calendar days from creation to the end of the week
    working_days_late: int = 0
    handovers: int = 0
    ambition: str | None = None
    new: bool = False


@dataclass(frozen=True, slots=True)
class Escalation:
    case: CaseLine
    step: int | None
    to: str


@dataclass(frozen=True, slots=True)
class Stuck:
    overdue: tuple[CaseLine, ...]  # most days late first
    escalations: tuple[Escalation, ...]
    handed_over: tuple[CaseLine, ...]  # open, handed over two times or more
    waiting: tuple[CaseLine, ...]  # open, waiting on the resident


@dataclass(frozen=True, slots=True)
class Service:
    """How residents were served by one department (key "" is every department together)."""

    department: str
    answered: int  # first human answers given this week
    first_answer_median: timedelta | None
    first_answer_p90: timedelta | None
    closed: int  # cases closed this week (referrals out of scope left out)
    closing_median: timedelta | None
    closing_p90: timedelta | None
    within_term: int
    surveys: int  # survey answers received this week
    average_score: float | None
    solved: int  # survey answers saying the problem was solved

    @property
    def within_term_share(self) -> float | None:
        return self.within_term / self.closed if self.closed else None

    @property
    def solved_share(self) -> float | None:
        return self.solved / self.surveys if self.surveys else None

    @property
    def response_rate(self) -> float | None:
        """Survey answers received this week per case closed this week (two weekly flows: may exceed 1)."""
        return self.surveys / self.closed if self.closed else None


@dataclass(frozen=True, slots=True)
class Quote:
    text: str  # scrubbed
    score: int | None
    solved: bool | None
    department: str


@dataclass(frozen=True, slots=True)
class Initiatives:
    lines: tuple[CaseLine, ...]  # new this week first, then running, oldest first
    by_ambition: tuple[tuple[str, int, int], ...]  # (ambition id or "none"/"not-set", new, running)


@dataclass(frozen=True, slots=True)
class Digest:
    wijk: str
    week: IsoWeek
    inflow: Inflow
    hot_spots: tuple[HotSpot, ...]
    clusters: tuple[Cluster, ...]
    stuck: Stuck
    service: tuple[Service, ...]  # the whole wijk first, then per department
    quotes: tuple[Quote, ...]
    initiatives: Initiatives
    open_cases: int  # open at the end of the week
