from datetime import date

import pytest

from wijkbot.domain.workdays import add_working_days, is_working_day, working_days_between


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 11, 23), 0, date(2026, 11, 23)),  # day 0 is the day itself
        (date(2026, 11, 23), 3, date(2026, 11, 26)),  # Monday + 3 -> Thursday
        (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Friday + 1 -> Monday
        (date(2026, 11, 28), 1, date(2026, 11, 30)),  # Saturday + 1 -> Monday
        (date(2026, 12, 24), 1, date(2026, 12, 28)),  # Kerstmis (25, 26) and the weekend skipped
        (date(2026, 4, 24), 2, date(2026, 4, 29)),  # Koningsdag 27 April 2026 skipped
        (date(2026, 5, 22), 1, date(2026, 5, 26)),  # Pinkstermaandag 25 May 2026 skipped
        (date(2026, 5, 13), 1, date(2026, 5, 15)),  # Hemelvaartsdag 14 May 2026 skipped
        (date(2026, 12, 31), 1, date(2027, 1, 4)),  # Nieuwjaarsdag 2027 (Friday) and the weekend skipped
        (date(2026, 4, 2), 1, date(2026, 4, 3)),  # Goede Vrijdag is a working day under the Termijnenwet
        (date(2026, 4, 3), 1, date(2026, 4, 7)),  # Tweede Paasdag 6 April is not
        (date(2026, 5, 4), 1, date(2026, 5, 6)),  # 5 mei counts every year, not only in lustrum years
    ],
)
def test_add_working_days(start: date, days: int, expected: date) -> None:
    assert add_working_days(start, days) == expected


@pytest.mark.parametrize(
    ("day", "working"),
    [(date(2026, 11, 23), True), (date(2026, 11, 22), False), (date(2026, 12, 25), False), (date(2026, 4, 27), False)],
)
def test_is_working_day(day: date, working: bool) -> None:
    assert is_working_day(day) is working


def test_negative_term_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_working_days(date(2026, 1, 5), -1)


def test_working_days_between_counts_after_start() -> None:
    # 28-31 December count; 25 and 26 are Kerst, 27 is a Sunday
    assert working_days_between(date(2026, 12, 24), date(2026, 12, 31)) == 4
