"""Working days: terms are counted in Dutch working days, weekends and public holidays excluded.

The holidays are those of the Algemene termijnenwet (art. 3): Nieuwjaarsdag, Tweede Paasdag, Hemelvaartsdag,
Tweede Pinksterdag, both Kerstdagen, Koningsdag and 5 mei (every year, not only in lustrum years). Goede
Vrijdag is not one. Invariants: pure (the calendar is computed, not fetched); day 0 is the day itself;
counting starts on the next working day, so a melding on Friday with a 1-day term is due on Monday.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

NOT_A_TERM_HOLIDAY = {"goede vrijdag"}


@lru_cache(maxsize=64)
def dutch_holidays(year: int) -> frozenset[date]:
    """The days of a year that do not count as working days under the Algemene termijnenwet."""
    calendar = holidays.country_holidays("NL", years=year, language="nl")
    days = {day for day, name in calendar.items() if name.casefold() not in NOT_A_TERM_HOLIDAY}
    days.add(date(year, 5, 5))  # Bevrijdingsdag counts every year for terms
    return frozenset(days)


def holiday_name(day: date) -> str | None:
    """The Dutch name of the public holiday on `day` as the Algemene termijnenwet counts it ("Eerste Kerstdag"),
    or None on any other day (Goede Vrijdag included: it is a working day)."""
    if day not in dutch_holidays(day.year):
        return None
    name = holidays.country_holidays("NL", years=day.year, language="nl").get(day) or "Bevrijdingsdag"
    return " ".join(word[:1].upper() + word[1:] for word in str(name).split())  # "Eerste kerstdag" as written


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a Dutch public holiday."""
    return day.weekday() < 5 and day not in dutch_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself never counts)."""
    if days < 0:
        raise ValueError("a term cannot be negative")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """How many working days lie after `start` up to and including `end` (0 when end <= start)."""
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count
