"""The simulated people: when each resident writes, what, and how their ambtenaar and they themselves behave.

Invariants: every random choice comes from the one seeded `random.Random`, so a seed gives the same run;
residents write and answer only in working hours on working days (what arrives at night is then always
something we started ourselves, which quiet hours must hold back), except /stop: half of the residents who
send it do so late in the evening, when a reply or update may already be waiting in the outbox for the
morning (and must then not leave).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from wijkbot.domain.rules import RuleSet
from wijkbot.domain.workdays import add_working_days, is_working_day

LATE_SHARE = 0.2  # ambtenaren who answer after the term
EVENING_SHARE = 0.1  # replies written late in the evening (21:00-22:45): quiet hours hold them until 08:00
HANDOVER_SHARE = 0.05  # cases handed over once before the answer
WAITING_SHARE = 0.1  # the ambtenaar's answer is a question: the case waits on the resident
WAITING_ANSWER_SHARE = 0.7  # of those, residents who answer (the others' cases close for no answer)
PLANNED_SHARE = 0.2  # the ambtenaar plans the work for a day, and the resident hears the date
STOP_SHARE = 0.05  # residents who send /stop: the evening after their melding, or the next working day
STOP_OUTCOME_SHARE = 0.5  # of those, who still want the final outcome
SURVEY_SHARE = 0.6  # residents who answer the survey
TYPED_SHARE = 0.3  # of those, who type "4 ja" instead of pressing the buttons
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


def texts_of(rules: RuleSet) -> tuple[list[str], list[str]]:
    """What residents write: the configuration's example sentences (every category, kind and wijk), and the
    configuration's street names, so the street in a sentence can be varied."""
    examples = [e.text for c in rules.categories.values() for e in c.examples]
    return sorted(set(examples)), sorted(rules.streets, key=len, reverse=True)


def vary(rng: random.Random, text: str, streets: list[str]) -> str:
    """The sentence with its street (if it names one of the configuration's) replaced by a random street, so
    not every resident reports the same place (which would make most meldingen linked duplicates)."""
    for street in streets:  # longest first: "Amsterdamsestraatweg" before "Amsterdamsestraat"
        if street in text:
            return text.replace(street, rng.choice(streets), 1)
    return text


def meldingen(rng: random.Random, rules: RuleSet, residents: int, start: datetime, days: int,
              tz: str) -> list[Melding]:
    """One melding per resident at a random working moment over the days (the last day included)."""
    examples, streets = texts_of(rules)
    result = []
    for number in range(residents):
        day = start.date() + timedelta(days=rng.randrange(max(days, 1)))
        text = vary(rng, rng.choice(examples), streets)
        result.append(Melding(f"bewoner-{number:04d}", text, working_moment(rng, day, tz)))
    return sorted(result, key=lambda m: m.at)


@dataclass(frozen=True, slots=True)
class OfficerPlan:
    """What the case's ambtenaar does: maybe hand over, then reply (or ask the resident a question, so the case
    waits on them), maybe plan the work, then close (moments in local time)."""

    hand_over_at: datetime | None
    reply_at: datetime
    close_at: datetime
    late: bool
    asks: bool = False  # the answer is a question: status "wacht op bewoner"
    planned_for: date | None = None


def officer_plan(rng: random.Random, opened: datetime, answer_days: int, tz: str) -> OfficerPlan:
    day = opened.astimezone(ZoneInfo(tz)).date()
    late = rng.random() < LATE_SHARE
    reply_days = answer_days + rng.randint(1, 3) if late else rng.randint(1, min(3, max(answer_days - 1, 1)))
    reply_at = working_moment(rng, add_working_days(day, reply_days), tz, 9, 17)
    if rng.random() < EVENING_SHARE:
        reply_at = working_moment(rng, reply_at.date(), tz, 21, 23)
    close_at = working_moment(rng, add_working_days(reply_at.date(), rng.randint(1, 4)), tz, 9, 17)
    hand_over_at = None
    if rng.random() < HANDOVER_SHARE:
        hand_over_at = working_moment(rng, add_working_days(day, 1), tz, 9, 17)
        hand_over_at = min(hand_over_at, reply_at - timedelta(minutes=15))
    asks = rng.random() < WAITING_SHARE
    planned_for = None
    if not asks and rng.random() < PLANNED_SHARE:
        planned_for = add_working_days(reply_at.date(), rng.randint(2, 7))
        close_at = working_moment(rng, planned_for, tz, 9, 17)
    return OfficerPlan(hand_over_at, reply_at, close_at, late, asks, planned_for)


def resident_answer_delay(rng: random.Random) -> int | None:
    """Working days until a resident answers the ambtenaar's question, or None when they never do."""
    return rng.randint(1, 3) if rng.random() < WAITING_ANSWER_SHARE else None


def stop_moment(rng: random.Random, sent: datetime, tz: str) -> datetime:
    """Late one evening (21:00-23:45) within the next three working days, or at a working moment of the next
    working day."""
    day = sent.astimezone(ZoneInfo(tz)).date()
    if rng.random() < 0.5:
        day = add_working_days(day, rng.randint(0, 3))
        minutes = rng.randrange(21 * 4, 24 * 4) * 15
        return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=ZoneInfo(tz))
    return working_moment(rng, add_working_days(day, 1), tz)


def stops(rng: random.Random) -> bool | None:
    """None: the resident never sends /stop; otherwise whether they still want the final outcome."""
    if rng.random() >= STOP_SHARE:
        return None
    return rng.random() < STOP_OUTCOME_SHARE


@dataclass(frozen=True, slots=True)
class Verdict:
    score: int
    solved: bool
    typed: bool  # "4 ja" typed as one message instead of two button presses


def survey_answer(rng: random.Random) -> Verdict | None:
    """The resident's verdict, or None when they do not answer."""
    if rng.random() >= SURVEY_SHARE:
        return None
    typed = rng.random() < TYPED_SHARE
    if rng.random() < LOW_SCORE_SHARE:
        return Verdict(rng.randint(1, 2), False, typed)
    return Verdict(rng.randint(3, 5), True, typed)


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
