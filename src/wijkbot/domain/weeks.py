"""ISO weeks in the municipality's local time: the period of a weekly digest.

A digest week runs from Monday 00:00 to the next Monday 00:00 local time (Europe/Amsterdam by default), so a
week with a daylight-saving change lasts 167 or 169 hours, and a message sent at 00:30 on a Monday belongs to
the new week. Invariants: pure (no clock reads; the moment is an argument); bounds are returned as aware UTC
datetimes, the form the database stores; a week is written as "2026-W47".
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_PATTERN = re.compile(r"^\s*(\d{4})-?[Ww](\d{1,2})\s*$")


class WeekError(ValueError):
    """A week that cannot be read, e.g. "2026-47" or "2026-W54"."""


@dataclass(frozen=True, slots=True, order=True)
class IsoWeek:
    """One ISO 8601 week: year and week number (1-52 or 53)."""

    year: int
    week: int

    def __post_init__(self) -> None:
        try:
            date.fromisocalendar(self.year, self.week, 1)
        except ValueError as error:
            raise WeekError(f"{self.year} heeft geen week {self.week}") from error

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        """Read "2026-W47" (also "2026W47", "2026-w47")."""
        match = _PATTERN.match(text or "")
        if match is None:
            raise WeekError(f"'{text}' is geen week; schrijf bijvoorbeeld 2026-W47")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, moment: datetime, tz: str) -> IsoWeek:
        """The week a moment falls in, in local time."""
        year, week, _ = moment.astimezone(ZoneInfo(tz)).isocalendar()
        return cls(year, week)

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def days(self) -> tuple[date, ...]:
        return tuple(self.monday + timedelta(days=n) for n in range(7))

    def start(self, tz: str) -> datetime:
        """Monday 00:00 local time, as UTC."""
        return datetime.combine(self.monday, time(0), tzinfo=ZoneInfo(tz)).astimezone(UTC)

    def end(self, tz: str) -> datetime:
        """The next Monday 00:00 local time, as UTC (exclusive)."""
        return self.shifted(1).start(tz)

    def as_of(self, now: datetime | None, tz: str) -> tuple[datetime, date]:
        """The moment and the last due date a figure of this week is measured at: the week's end and its Sunday
        once it is over; for the running week now, and yesterday (a case due today is not late yet)."""
        end = self.end(tz)
        if now is None or now >= end:
            return end, self.sunday
        return now, min(self.sunday, now.astimezone(ZoneInfo(tz)).date() - timedelta(days=1))

    def shifted(self, weeks: int) -> IsoWeek:
        """The week `weeks` later (negative: earlier)."""
        year, week, _ = (self.monday + timedelta(weeks=weeks)).isocalendar()
        return IsoWeek(year, week)

    def previous(self, count: int) -> tuple[IsoWeek, ...]:
        """The `count` weeks before this one, oldest first."""
        return tuple(self.shifted(-n) for n in range(count, 0, -1))


def week_index(moment: datetime, bounds: tuple[datetime, ...]) -> int | None:
    """Which of consecutive weeks a moment falls in: `bounds` are their UTC starts plus the last one's end."""
    if not bounds or moment < bounds[0] or moment >= bounds[-1]:
        return None
    return bisect_right(bounds, moment) - 1


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def due_week(now: datetime, tz: str, weekday: str = "mon", hour: int = 8, minute: int = 0) -> IsoWeek | None:
    """The week whose digest is due at `now`: the previous week once this week's send moment has passed."""
    local = now.astimezone(ZoneInfo(tz))
    current = IsoWeek.containing(now, tz)
    moment = datetime.combine(current.monday + timedelta(days=WEEKDAYS.index(weekday)), time(hour, minute),
                              tzinfo=ZoneInfo(tz))
    return current.shifted(-1) if local >= moment else None
