"""The simulated people: when each resident writes, what, and how their ambtenaar and they themselves behave.

Invariants: every random choice comes from the one seeded `random.Random`, so a seed gives the same run;
residents write and answer only in working hours on working days (what arrives at night is then always
something we started ourselves, which quiet hours must hold back).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from wijkbot.domain.workdays import add_working_days, is_working_day

TEXTS = (
    "De lantaarnpaal in de Kanaalstraat is kapot",
    "Er ligt grofvuil bij de Amsterdamsestraatweg",
    "Hangjongeren maken overlast bij de Neckardreef",
    "Er zit een gat in de weg op de Biltstraat",
    "Er ligt zwerfafval in de Kanaalstraat",
    "De stoeptegels op de Biltstraat liggen los",
)
LATE_SHARE = 0.2  # ambtenaren who answer after the term
HANDOVER_SHARE = 0.05  # cases handed over once before the answer
SURVEY_SHARE = 0.6  # residents who answer the survey
LOW_SCORE_SHARE = 0.1  # of those, a low score and "not solved"


def first_monday(tz: str) -> datetime:
    """The simulation starts on the next Monday 08:00 local time that is a working day, from a fixed date."""
    day = date(2026, 1, 5)
    while day.weekday() != 0 or not is_working_day(day):
        day += timedelta(days=7)
    return datetime.combine(day, time(8, 0), tzinfo=ZoneInfo(tz))


def working_moment(rng: random.Random, day: date, tz: str, first_hour: int = 8, last_hour: int = 17) -> datetime:
    """A random quarter of an hour within working hours of `day` (moved to a working day)."""
    while not is_working_day(day):
        day += timedelta(days=1)
    minutes = rng.randrange(first_hour * 4, last_hour * 4) * 15
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=ZoneInfo(tz))


@dataclass(frozen=True, slots=True)
class Melding:
    address: str
    text: str
    at: datetime


def meldingen(rng: random.Random, residents: int, start: datetime, days: int, tz: str) -> list[Melding]:
    """One melding per resident at a random working moment over the days (the last day included)."""
    result = []
    for number in range(residents):
        day = start.date() + timedelta(days=rng.randrange(max(days, 1)))
        result.append(Melding(f"bewoner-{number:04d}", rng.choice(TEXTS), working_moment(rng, day, tz)))
    return sorted(result, key=lambda m: m.at)


@dataclass(frozen=True, slots=True)
class OfficerPlan:
    """What the case's ambtenaar does: maybe hand over, then reply, then close (moments in local time)."""

    hand_over_at: datetime | None
    reply_at: datetime
    close_at: datetime
    late: bool


def officer_plan(rng: random.Random, opened: datetime, answer_days: int, tz: str) -> OfficerPlan:
    day = opened.astimezone(ZoneInfo(tz)).date()
    late = rng.random() < LATE_SHARE
    reply_days = answer_days + rng.randint(1, 3) if late else rng.randint(1, min(3, max(answer_days - 1, 1)))
    reply_at = working_moment(rng, add_working_days(day, reply_days), tz, 9, 17)
    close_at = working_moment(rng, add_working_days(reply_at.date(), rng.randint(1, 4)), tz, 9, 17)
    hand_over_at = None
    if rng.random() < HANDOVER_SHARE:
        hand_over_at = working_moment(rng, add_working_days(day, 1), tz, 9, 17)
        hand_over_at = min(hand_over_at, reply_at - timedelta(minutes=15))
    return OfficerPlan(hand_over_at, reply_at, close_at, late)


def survey_answer(rng: random.Random) -> tuple[int, bool] | None:
    """The resident's verdict (score, solved), or None when they do not answer."""
    if rng.random() >= SURVEY_SHARE:
        return None
    if rng.random() < LOW_SCORE_SHARE:
        return rng.randint(1, 2), False
    return rng.randint(3, 5), True


def working_moment_after(moment: datetime, tz: str) -> datetime:
    """`moment` when it lies in a resident's waking working hours (08:00-17:00 on a working day), else the next
    working morning at 09:00."""
    local = moment.astimezone(ZoneInfo(tz))
    if is_working_day(local.date()) and time(8, 0) <= local.time() < time(17, 0):
        return moment
    day = local.date() + timedelta(days=1) if local.time() >= time(8, 0) else local.date()
    while not is_working_day(day):
        day += timedelta(days=1)
    return datetime.combine(day, time(9, 0), tzinfo=ZoneInfo(tz))
