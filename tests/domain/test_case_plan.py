"""A case's plan under its policy: working mornings, one row per escalation step, a pause moves the rest."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from wijkbot.domain.case_plan import (
    escalation_step,
    escalation_target,
    is_overdue_on,
    paused_working_days,
    plan_case,
    term_plan,
    waiting_close_moment,
)
from wijkbot.domain.followups import due_date
from wijkbot.domain.policies import ServicePolicy

TZ = "Europe/Amsterdam"
AMS = ZoneInfo(TZ)


def test_new_case_gets_update_reminder_and_each_escalation_step() -> None:
    opened = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday
    policy = ServicePolicy(answer_days=5, update_every_days=3)
    due = due_date(opened, policy.answer_days, TZ)
    planned = dict(plan_case(opened, due, policy, TZ))
    local = {kind: moment.astimezone(AMS) for kind, moment in planned.items()}
    assert local["update"].date() == date(2026, 11, 26)  # three working days later
    assert local["reminder"].date() == date(2026, 11, 27)  # a day before the due date (Mon 30 Nov)
    assert [local[f"escalation-{n}"].date() for n in (1, 2, 3)] == [
        date(2026, 11, 30), date(2026, 12, 7), date(2026, 12, 14)]
    assert all(m.hour == 9 for m in local.values())


def test_plan_across_daylight_saving_and_holidays_stays_on_working_mornings() -> None:
    opened = datetime(2026, 10, 23, 18, 0, tzinfo=UTC)  # Friday evening; clocks go back on 25 October
    policy = ServicePolicy(answer_days=1)
    planned = dict(plan_case(opened, due_date(opened, 1, TZ), policy, TZ))
    assert planned["escalation-1"].astimezone(AMS) == datetime(2026, 10, 26, 9, 0, tzinfo=AMS)
    christmas = datetime(2026, 12, 24, 10, 0, tzinfo=AMS)
    step = dict(plan_case(christmas, due_date(christmas, 1, TZ), policy, TZ))["escalation-1"].astimezone(AMS)
    assert step.date() == date(2026, 12, 28)  # 25 and 26 December are holidays, then the weekend


def test_a_pause_moves_remaining_steps_by_the_days_spent_waiting() -> None:
    opened = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    policy = ServicePolicy(answer_days=5)
    since, until = datetime(2026, 11, 24, 10, 0, tzinfo=UTC), datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
    paused = paused_working_days(since, until, TZ)
    assert paused == 3
    moved = dict(term_plan(opened, date(2026, 12, 3), policy, TZ, paused, after_step=1))
    assert "escalation-1" not in moved
    assert moved["escalation-2"].astimezone(AMS).date() == date(2026, 12, 10)


@pytest.mark.parametrize(("kind", "step", "role"), [
    ("escalation-1", 1, "teamleider"), ("escalation-3", 3, "dienstdirecteur"),
    ("escalation-9", 9, None), ("update", None, None), ("escalation-x", None, None),
])
def test_escalation_kinds(kind: str, step: int | None, role: str | None) -> None:
    assert escalation_step(kind) == step
    assert escalation_target(kind, ServicePolicy()) == role


def test_waiting_close_and_overdue() -> None:
    since = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
    assert waiting_close_moment(since, ServicePolicy(waiting_close_days=2), TZ).date() == date(2026, 12, 1)
    assert is_overdue_on(date(2026, 11, 30), datetime(2026, 11, 30, 8, 0, tzinfo=UTC), TZ)
    assert not is_overdue_on(date(2026, 11, 30), datetime(2026, 11, 29, 8, 0, tzinfo=UTC), TZ)
