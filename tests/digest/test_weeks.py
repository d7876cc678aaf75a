"""ISO weeks in Amsterdam time: reading, bounds across daylight saving, which week a moment is in, when it is due."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from wijkbot.domain.weeks import IsoWeek, WeekError, due_week, week_index

TZ = "Europe/Amsterdam"


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-W47", IsoWeek(2026, 47)), ("2026W47", IsoWeek(2026, 47)), ("2026-w01", IsoWeek(2026, 1)),
    (" 2026-W5 ", IsoWeek(2026, 5)), ("2026-W53", IsoWeek(2026, 53)),
])
def test_reads_a_week(text: str, expected: IsoWeek) -> None:
    assert IsoWeek.parse(text) == expected
    assert str(IsoWeek.parse(text)) == str(expected)


@pytest.mark.parametrize("text", ["2026-47", "W47", "", "2026-W54", "2025-W53", "2026-W00", "twintig"])
def test_refuses_a_malformed_week(text: str) -> None:
    with pytest.raises(WeekError):
        IsoWeek.parse(text)


@pytest.mark.parametrize(("week", "hours", "start_utc"), [
    (IsoWeek(2026, 15), 168, datetime(2026, 4, 5, 22, 0, tzinfo=UTC)),  # summer time
    (IsoWeek(2026, 13), 167, datetime(2026, 3, 22, 23, 0, tzinfo=UTC)),  # clocks forward on Sunday 29 March
    (IsoWeek(2026, 43), 169, datetime(2026, 10, 18, 22, 0, tzinfo=UTC)),  # clocks back on Sunday 25 October
    (IsoWeek(2026, 44), 168, datetime(2026, 10, 25, 23, 0, tzinfo=UTC)),
    (IsoWeek(2026, 53), 168, datetime(2026, 12, 27, 23, 0, tzinfo=UTC)),  # a 53-week year
])
def test_a_week_runs_from_monday_to_monday_local_time(week: IsoWeek, hours: int, start_utc: datetime) -> None:
    assert week.start(TZ) == start_utc
    assert (week.end(TZ) - week.start(TZ)).total_seconds() == hours * 3600


@pytest.mark.parametrize(("moment", "week"), [
    (datetime(2026, 3, 29, 22, 30, tzinfo=UTC), IsoWeek(2026, 14)),  # Monday 30 March 00:30 CEST
    (datetime(2026, 3, 29, 21, 30, tzinfo=UTC), IsoWeek(2026, 13)),  # Sunday 29 March 23:30 CEST
    (datetime(2026, 10, 25, 23, 30, tzinfo=UTC), IsoWeek(2026, 44)),  # Monday 26 October 00:30 CET
    (datetime(2026, 10, 25, 22, 59, tzinfo=UTC), IsoWeek(2026, 43)),  # Sunday 23:59 CET
    (datetime(2027, 1, 3, 23, 30, tzinfo=UTC), IsoWeek(2027, 1)),  # Monday 4 January 00:30
    (datetime(2026, 12, 31, 12, 0, tzinfo=UTC), IsoWeek(2026, 53)),
])
def test_a_moment_belongs_to_its_local_week(moment: datetime, week: IsoWeek) -> None:
    assert IsoWeek.containing(moment, TZ) == week
    weeks = (week.shifted(-1), week, week.shifted(1))
    bounds = (*(w.start(TZ) for w in weeks), weeks[-1].end(TZ))
    assert week_index(moment, bounds) == 1


def test_shifting_crosses_years() -> None:
    assert IsoWeek(2026, 53).shifted(1) == IsoWeek(2027, 1)
    assert IsoWeek(2027, 1).previous(2) == (IsoWeek(2026, 52), IsoWeek(2026, 53))


@pytest.mark.parametrize(("now", "due"), [
    (datetime(2026, 11, 23, 6, 59, tzinfo=UTC), None),  # Monday 07:59 local: not yet
    (datetime(2026, 11, 23, 7, 0, tzinfo=UTC), IsoWeek(2026, 47)),  # Monday 08:00 local
    (datetime(2026, 11, 29, 22, 0, tzinfo=UTC), IsoWeek(2026, 47)),  # Sunday night: still last week's
    (datetime(2026, 3, 30, 6, 0, tzinfo=UTC), IsoWeek(2026, 13)),  # 08:00 CEST, the Monday after the change
])
def test_the_digest_is_due_from_monday_eight_local_time(now: datetime, due: IsoWeek | None) -> None:
    assert due_week(now, TZ, "mon", 8, 0) == due
