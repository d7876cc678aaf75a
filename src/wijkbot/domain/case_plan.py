"""The planned follow-ups of one case under its ServicePolicy: updates, the reminder, the escalation ladder,
and the pause while the case waits on the resident.

Invariants: pure; every moment is a working morning (09:00 local), computed on local dates, so a daylight
saving change never moves it; escalation steps are planned one row each ("escalation-1", "escalation-2", ...)
so each runs at most once; a pause of n working days moves the due date, the reminder and every remaining
escalation step by exactly n working days; the waiting-close moment counts from the start of the wait.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from wijkbot.domain.followups import FollowUpKind
from wijkbot.domain.policies import ServicePolicy, escalation_moments, local_day, reminder_moment
from wijkbot.domain.workdays import add_working_days, working_days_between

MORNING = time(9, 0)
ESCALATION = "escalation-"
WAITING_CLOSE = "waiting-close"


def escalation_kind(step: int) -> str:
    return f"{ESCALATION}{step}"


def escalation_step(kind: str) -> int | None:
    """The step number of an "escalation-N" kind; None for any other kind."""
    if kind.startswith(ESCALATION) and kind[len(ESCALATION):].isdigit():
        return int(kind[len(ESCALATION):])
    return None


def _morning(day: date, tz: str) -> datetime:
    return datetime.combine(day, MORNING, tzinfo=ZoneInfo(tz))


def next_update(after: datetime, policy: ServicePolicy, tz: str) -> datetime:
    """The next "we are still on it" after a contact at `after`."""
    return _morning(add_working_days(local_day(after, tz), policy.update_every_days), tz)


def term_plan(opened: datetime, due: date, policy: ServicePolicy, tz: str, paused_days: int = 0,
              after_step: int = 0) -> list[tuple[str, datetime]]:
    """The reminder and the escalation steps above `after_step`, for a term paused `paused_days` so far."""
    planned = [(FollowUpKind.REMINDER.value, reminder_moment(due, policy, opened, tz))]
    planned += [(escalation_kind(number), moment)
                for number, _step, moment in escalation_moments(opened, policy, tz, paused_days)
                if number > after_step]
    return planned


def plan_case(opened: datetime, due: date, policy: ServicePolicy, tz: str) -> list[tuple[str, datetime]]:
    """Everything a new case gets: the first update, the reminder and one row per escalation step."""
    return [(FollowUpKind.UPDATE.value, next_update(opened, policy, tz)), *term_plan(opened, due, policy, tz)]


def escalation_target(kind: str, policy: ServicePolicy) -> str | None:
    """The role a step goes to (the ladder sorted by moment, numbered from 1)."""
    step = escalation_step(kind)
    ladder = sorted(policy.escalation, key=lambda s: s.at)
    if step is None or not 1 <= step <= len(ladder):
        return None
    return ladder[step - 1].to


def waiting_close_moment(since: datetime, policy: ServicePolicy, tz: str) -> datetime:
    return _morning(add_working_days(local_day(since, tz), policy.waiting_close_days), tz)


def paused_working_days(since: datetime, until: datetime, tz: str) -> int:
    """Working days the term stood still: those after the local day the wait began, up to the day it ended."""
    return working_days_between(local_day(since, tz), local_day(until, tz))


def is_overdue_on(due: date, moment: datetime, tz: str) -> bool:
    """The term has run out: the due date is today or past (escalation starts on the due date itself)."""
    return local_day(moment, tz) >= due
