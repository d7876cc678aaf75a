"""Service policies as data: the answer term, how often a resident hears from us, reminders, escalation.

The municipal documents ask for a fast answer, no radio silence, and power to push when a department does
not move. Each municipality sets this per category or department in `policies.yaml`; a category's setting
beats its department's, which beats the defaults.

Invariants: pure; terms are in working days (Algemene termijnenwet: weekends and public holidays do not
count); every planned moment is a working morning (09:00 local time), computed on local dates, so a daylight
saving change never moves it into the night; escalation steps are ordered by their moment, and each runs once.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from wijkbot.domain.workdays import add_working_days, is_working_day

MORNING = time(9, 0)


@dataclass(frozen=True, slots=True)
class EscalationStep:
    """At `at` times the answer term after the case was opened, the case goes up to `to` (a role)."""

    at: float
    to: str


DEFAULT_LADDER = (EscalationStep(1.0, "teamleider"), EscalationStep(2.0, "wijkregisseur"),
                  EscalationStep(3.0, "dienstdirecteur"))
# An acute case: an answer by the next working day, and news every working day while it is open.
ACUTE_DEFAULT: Mapping[str, object] = {"answer_days": 1, "update_every_days": 1}


@dataclass(frozen=True, slots=True)
class ServicePolicy:
    answer_days: int = 5  # the term: the resident has an answer within this many working days
    update_every_days: int = 5  # while open, the resident hears from us at least this often, news or not
    remind_before_days: int = 1  # the behandelaar is reminded this many working days before the term ends
    waiting_close_days: int = 10  # waiting on the resident this long without an answer: closed with a notice
    escalation: tuple[EscalationStep, ...] = DEFAULT_LADDER


@dataclass(frozen=True, slots=True)
class Policies:
    defaults: ServicePolicy = field(default_factory=ServicePolicy)
    departments: Mapping[str, Mapping[str, object]] = field(default_factory=dict)  # overrides per department
    categories: Mapping[str, Mapping[str, object]] = field(default_factory=dict)  # overrides per category
    # A case the router found acute (danger or crisis) is not promised the term of an ordinary one: a trial's gas
    # smell heard "U hoort uiterlijk dinsdag" a week ahead. These beat everything else for it.
    acute: Mapping[str, object] = field(default_factory=lambda: dict(ACUTE_DEFAULT))

    def for_case(self, category: str | None, department: str | None,
                 category_answer_days: int | None = None, acute: bool = False) -> ServicePolicy:
        """The policy of a case: defaults, then the department's overrides, then the category's, and for an acute
        case the `acute` overrides last.

        A category's `sla_days` in categories.yaml is its answer term unless policies.yaml sets one.
        """
        policy = self.defaults
        if department and department in self.departments:
            policy = replace(policy, **self.departments[department])  # type: ignore[arg-type]
        if category_answer_days is not None:
            policy = replace(policy, answer_days=category_answer_days)
        if category and category in self.categories:
            policy = replace(policy, **self.categories[category])  # type: ignore[arg-type]
        if acute and self.acute:
            policy = replace(policy, **self.acute)  # type: ignore[arg-type]
        return policy


def _morning(day: date, tz: str) -> datetime:
    return datetime.combine(day, MORNING, tzinfo=ZoneInfo(tz))


def local_day(moment: datetime, tz: str) -> date:
    return moment.astimezone(ZoneInfo(tz)).date()


def escalation_moments(opened: datetime, policy: ServicePolicy, tz: str = "Europe/Amsterdam",
                       paused_days: int = 0) -> list[tuple[int, EscalationStep, datetime]]:
    """(step number from 1, step, moment) for each rung of the ladder; `paused_days` working days spent
    waiting on the resident push every step back, since the term is paused meanwhile."""
    start = local_day(opened, tz)
    result = []
    for number, step in enumerate(sorted(policy.escalation, key=lambda s: s.at), start=1):
        days = math.ceil(step.at * policy.answer_days) + paused_days
        result.append((number, step, _morning(add_working_days(start, days), tz)))
    return result


def reminder_moment(due: date, policy: ServicePolicy, opened: datetime, tz: str = "Europe/Amsterdam") -> datetime:
    """The behandelaar's reminder: `remind_before_days` working days before the due date, never before the
    first working day after the case was opened."""
    earliest = add_working_days(local_day(opened, tz), 1)
    day = due
    for _ in range(policy.remind_before_days):
        day = _previous_working_day(day)
    return _morning(max(day, earliest), tz)


def _previous_working_day(day: date) -> date:
    day -= timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day
