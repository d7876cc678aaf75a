from datetime import UTC, date, datetime

import pytest

from wijkbot.domain.followups import FollowUpKind, Policy, due_date, next_allowed_moment, plan, still_due
from wijkbot.domain.workflow import Status

POLICY = Policy(update_interval_days=5)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("created", "sla", "expected"),
    [
        (utc(2026, 11, 23, 9), 3, date(2026, 11, 26)),
        (utc(2026, 11, 27, 22, 30), 1, date(2026, 11, 30)),  # 23:30 local Friday -> Monday
        (utc(2026, 11, 27, 23, 30), 1, date(2026, 11, 30)),  # 00:30 local Saturday -> Monday
    ],
)
def test_due_date_counts_in_local_working_days(created: datetime, sla: int, expected: date) -> None:
    assert due_date(created, sla) == expected


@pytest.mark.parametrize(
    ("moment", "expected_local_hour", "expected_day"),
    [
        (utc(2026, 11, 23, 10), 11, date(2026, 11, 23)),  # Monday 11:00 local: fine as is
        (utc(2026, 11, 23, 21), 9, date(2026, 11, 24)),  # 22:00 local: next morning
        (utc(2026, 11, 24, 5), 9, date(2026, 11, 24)),  # 06:00 local: same morning
        (utc(2026, 11, 28, 12), 9, date(2026, 11, 30)),  # Saturday: Monday morning
        (utc(2026, 3, 28, 21), 9, date(2026, 3, 30)),  # across the spring DST change: still 09:00 local
    ],
)
def test_no_message_at_night_or_weekend(moment: datetime, expected_local_hour: int, expected_day: date) -> None:
    from zoneinfo import ZoneInfo

    local = next_allowed_moment(moment).astimezone(ZoneInfo("Europe/Amsterdam"))
    assert (local.date(), local.hour) == (expected_day, expected_local_hour)


def test_plan_has_an_update_and_a_reminder_at_nine_local() -> None:
    planned = plan(utc(2026, 3, 27, 10), sla_days=3, policy=POLICY)
    kinds = {p.kind: p.due_at for p in planned}
    # created Friday 27 March; +3 working days = Wednesday 1 April (after the DST change on 29 March)
    assert kinds[FollowUpKind.REMINDER] == datetime(2026, 4, 1, 7, 0, tzinfo=UTC)  # 09:00 CEST
    # +5 working days: 30, 31 March, 1, 2, 3 April (Goede Vrijdag is a working day for terms)
    assert kinds[FollowUpKind.UPDATE] == datetime(2026, 4, 3, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("kind", "status", "last_contact", "expected"),
    [
        (FollowUpKind.UPDATE, Status.TOEGEWEZEN, utc(2026, 11, 23, 9), True),
        (FollowUpKind.UPDATE, Status.AFGEHANDELD, utc(2026, 11, 23, 9), False),  # closed: no update
        (FollowUpKind.UPDATE, Status.WACHT_OP_BEWONER, utc(2026, 11, 23, 9), False),  # we are waiting on them
        (FollowUpKind.UPDATE, Status.IN_BEHANDELING, utc(2026, 11, 27, 9), False),  # contacted recently
        (FollowUpKind.REMINDER, Status.IN_BEHANDELING, utc(2026, 11, 27, 9), True),
    ],
)
def test_still_due(kind: FollowUpKind, status: Status, last_contact: datetime, expected: bool) -> None:
    planned_at = utc(2026, 11, 30, 8)
    assert still_due(kind, status, last_contact, planned_at, POLICY) is expected


@pytest.mark.parametrize(("utc", "expected_local"), [
    (datetime(2026, 11, 23, 12, 0, tzinfo=UTC), None),  # 13:00 local: at once
    (datetime(2026, 11, 23, 19, 59, tzinfo=UTC), None),  # 20:59 local
    (datetime(2026, 11, 23, 20, 0, tzinfo=UTC), datetime(2026, 11, 24, 8, 0)),  # 21:00 local: next morning
    (datetime(2026, 11, 23, 23, 30, tzinfo=UTC), datetime(2026, 11, 24, 8, 0)),  # 00:30 local
    (datetime(2026, 11, 28, 22, 0, tzinfo=UTC), datetime(2026, 11, 29, 8, 0)),  # Saturday night: Sunday 08:00
    (datetime(2026, 3, 28, 21, 0, tzinfo=UTC), datetime(2026, 3, 29, 8, 0)),  # the night the clocks go forward
])
def test_waking_moment_holds_night_messages_until_eight(utc: datetime, expected_local: datetime | None) -> None:
    from zoneinfo import ZoneInfo

    from wijkbot.domain.followups import waking_moment

    got = waking_moment(utc)
    if expected_local is None:
        assert got == utc
    else:
        assert got == expected_local.replace(tzinfo=ZoneInfo("Europe/Amsterdam"))
