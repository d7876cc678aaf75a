"""Follow-up planning: when the resident hears from us without news, and when the officer is reminded.

Invariants: pure (the current time is an argument); every planned moment falls inside working hours
(08:00-21:00 Europe/Amsterdam, on a working day), computed in local time so daylight saving changes never
shift a message into the night; a follow-up is re-checked with `still_due` before it runs, so a case that
moved on in the meantime is not bothered.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from wijkbot.domain.workdays import add_working_days, is_working_day
from wijkbot.domain.workflow import Status, is_open

QUIET_FROM = time(21, 0)
QUIET_UNTIL = time(8, 0)
MORNING = time(9, 0)


class FollowUpKind(enum.StrEnum):
    UPDATE = "update"  # "we zijn er nog mee bezig" to the resident
    REMINDER = "reminder"  # the term is up: remind the officer


@dataclass(frozen=True, slots=True)
class Policy:
    """How often a resident hears from us, and when the officer is reminded (working days)."""

    update_interval_days: int = 5


@dataclass(frozen=True, slots=True)
class PlannedFollowUp:
    kind: FollowUpKind
    due_at: datetime


def due_date(created_at: datetime, sla_days: int, tz: str = "Europe/Amsterdam") -> date:
    """The date by which the resident hears more: the SLA in working days after the local creation date."""
    return add_working_days(created_at.astimezone(ZoneInfo(tz)).date(), sla_days)


def waking_moment(moment: datetime, tz: str = "Europe/Amsterdam") -> datetime:
    """When a message we start may be sent: at once by day, else at 08:00 local time (weekends included).

    Answers to what a resident just wrote (acknowledgements, questions back) are not held; everything we
    start ourselves (updates, status changes, an ambtenaar's late reply, the survey) is.
    """
    zone = ZoneInfo(tz)
    local = moment.astimezone(zone)
    if QUIET_UNTIL <= local.time() < QUIET_FROM:
        return moment
    day = local.date() if local.time() < QUIET_UNTIL else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_UNTIL, tzinfo=zone)


def next_allowed_moment(moment: datetime, tz: str = "Europe/Amsterdam") -> datetime:
    """The moment itself when it lies in working hours on a working day, else the next working morning."""
    zone = ZoneInfo(tz)
    local = moment.astimezone(zone)
    if is_working_day(local.date()) and QUIET_UNTIL <= local.time() < QUIET_FROM:
        return moment
    day = local.date() if local.time() < QUIET_UNTIL else local.date() + timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return datetime.combine(day, MORNING, tzinfo=zone)


def plan(created_at: datetime, sla_days: int, policy: Policy, tz: str = "Europe/Amsterdam") -> list[PlannedFollowUp]:
    """The follow-ups for a new case: a periodic update and a reminder on the due date."""
    zone = ZoneInfo(tz)
    local_day = created_at.astimezone(zone).date()
    update_day = add_working_days(local_day, policy.update_interval_days)
    reminder_day = due_date(created_at, sla_days, tz)
    return [
        PlannedFollowUp(FollowUpKind.UPDATE, datetime.combine(update_day, MORNING, tzinfo=zone)),
        PlannedFollowUp(FollowUpKind.REMINDER, datetime.combine(reminder_day, MORNING, tzinfo=zone)),
    ]


def still_due(kind: FollowUpKind, status: Status, last_contact_at: datetime, planned_at: datetime,
              policy: Policy, tz: str = "Europe/Amsterdam") -> bool:
    """Whether a planned follow-up should still run, given what happened to the case since it was planned."""
    if not is_open(status):
        return False
    if kind is FollowUpKind.UPDATE:
        if status is Status.WACHT_OP_BEWONER:
            return False
        quiet_since = add_working_days(last_contact_at.astimezone(ZoneInfo(tz)).date(), policy.update_interval_days)
        return planned_at.astimezone(ZoneInfo(tz)).date() >= quiet_since
    return True


def next_update(after: datetime, policy: Policy, tz: str = "Europe/Amsterdam") -> datetime:
    """When the next periodic update is due after a contact at `after`."""
    zone = ZoneInfo(tz)
    day = add_working_days(after.astimezone(zone).date(), policy.update_interval_days)
    return datetime.combine(day, MORNING, tzinfo=zone)
