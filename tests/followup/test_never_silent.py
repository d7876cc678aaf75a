"""Never silent: escalation up the line, the paused term, quiet hours and /stop, seen by residents and ambtenaren."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from wijkbot.app import Wijkbot
from wijkbot.domain.workflow import Status
from wijkbot.storage import repository
from wijkbot.storage.tables import followups
from wijkbot.testing import FrozenClock, Harness

AMS = ZoneInfo("Europe/Amsterdam")
GROFVUIL = "Er ligt grofvuil naast de container in de Kanaalstraat"


async def case_of(bot: Wijkbot, reference: str) -> Any:
    async with bot.db.read() as conn:
        return await repository.case_by_reference(conn, reference)


async def events(bot: Wijkbot, reference: str, kind: str) -> list[dict[str, Any]]:
    async with bot.db.read() as conn:
        case = await repository.case_by_reference(conn, reference)
        return [dict(e["data"]) for e in await repository.events_of(conn, case["id"]) if e["type"] == kind]


async def planned(bot: Wijkbot, case_id: int) -> dict[str, datetime]:
    async with bot.db.read() as conn:
        rows = await conn.execute(select(followups.c.kind, followups.c.due_at)
                                  .where(followups.c.case_id == case_id, followups.c.status == "planned"))
        return {r.kind: r.due_at for r in rows}


async def officer_of(bot: Wijkbot, reference: str) -> Any:
    case = await case_of(bot, reference)
    async with bot.db.read() as conn:
        row = await repository.officer(conn, case["officer_id"])
    return await bot.actions.actor(row["email"])


async def test_overdue_case_goes_up_the_ladder_once_per_step(any_bot: Wijkbot, channel: Any,
                                                             clock: FrozenClock) -> None:
    resident = Harness(any_bot, channel)
    await resident.say(GROFVUIL)
    case = await case_of(any_bot, resident.reference)
    plan = await planned(any_bot, case["id"])
    assert {"escalation-1", "escalation-2", "escalation-3", "reminder", "update"} <= set(plan)
    assert plan["escalation-1"].astimezone(AMS).date() == case["due_date"]
    clock.set(plan["escalation-1"] + timedelta(minutes=1))
    await any_bot.followups.run_due()
    await any_bot.followups.run_due()
    first = await events(any_bot, resident.reference, "geëscaleerd")
    assert first == [{"stap": 1, "naar": "teamleider", "naam": "Bram de Proef"}]
    clock.set(plan["escalation-3"] + timedelta(minutes=1))
    await any_bot.followups.run_due()
    steps = await events(any_bot, resident.reference, "geëscaleerd")
    assert [(s["stap"], s["naar"]) for s in steps] == [(1, "teamleider"), (2, "wijkregisseur"),
                                                      (3, "dienstdirecteur")]
    assert (await case_of(any_bot, resident.reference))["escalation_level"] == 3


async def test_a_case_answered_and_closed_in_time_is_not_escalated(bot: Wijkbot, resident: Harness,
                                                                   clock: FrozenClock) -> None:
    await resident.say(GROFVUIL)
    await bot.actions.close(resident.reference, await officer_of(bot, resident.reference), "Opgehaald.")
    clock.advance(days=40)
    await bot.followups.run_due()
    assert await events(bot, resident.reference, "geëscaleerd") == []


async def test_waiting_on_the_resident_pauses_the_term(bot: Wijkbot, resident: Harness, clock: FrozenClock) -> None:
    await resident.say(GROFVUIL)
    actor = await officer_of(bot, resident.reference)
    before = await case_of(bot, resident.reference)
    await bot.actions.set_status(resident.reference, actor, Status.IN_BEHANDELING)
    await bot.actions.set_status(resident.reference, actor, Status.WACHT_OP_BEWONER,
                                 question="Welk huisnummer is het?")
    got = await resident.received()
    assert any("we hebben iets van u nodig" in text for text in got)
    clock.advance(days=7)  # Monday 30 November: five working days waiting
    await bot.followups.run_due()
    assert await events(bot, resident.reference, "geëscaleerd") == []  # the term stood still
    await resident.say("Het staat voor nummer 12, naast de boom")
    after = await case_of(bot, resident.reference)
    assert after["status"] == Status.IN_BEHANDELING.value and after["paused_days"] == 5
    assert (after["due_date"] - before["due_date"]).days == 7  # five working days later
    step = (await planned(bot, after["id"]))["escalation-1"]
    assert step.astimezone(AMS).date() == after["due_date"]


async def test_no_answer_while_waiting_closes_the_case_with_a_notice(bot: Wijkbot, resident: Harness,
                                                                     clock: FrozenClock) -> None:
    await resident.say(GROFVUIL)
    actor = await officer_of(bot, resident.reference)
    await bot.actions.set_status(resident.reference, actor, Status.IN_BEHANDELING)
    await bot.actions.set_status(resident.reference, actor, Status.WACHT_OP_BEWONER,
                                 question="Welk huisnummer is het?")
    await resident.received()
    clock.advance(days=7)  # five working days waiting: reminded of the question, and of the closing day
    await bot.followups.run_due()
    got = await resident.received()
    assert len(got) == 1 and "wachten nog op uw antwoord" in got[0] and "gesloten" not in got[0]
    closes = (await planned(bot, (await case_of(bot, resident.reference))["id"]))["waiting-close"]
    assert bot.translator.date(closes.astimezone(AMS).date(), "nl") in got[0]
    clock.advance(days=13)
    await bot.followups.run_due()
    got = await resident.received()
    assert len(got) == 1 and "gesloten" in got[0] and resident.reference in got[0]
    case = await case_of(bot, resident.reference)
    assert case["status"] == Status.AFGEHANDELD.value
    assert (await events(bot, resident.reference, "afgehandeld"))[0]["reden"] == "geen reactie van de bewoner"


async def test_a_late_reply_waits_for_the_morning(bot: Wijkbot, resident: Harness, clock: FrozenClock) -> None:
    await resident.say(GROFVUIL)
    clock.set(datetime(2026, 11, 23, 22, 30, tzinfo=AMS))
    await bot.actions.reply(resident.reference, await officer_of(bot, resident.reference), "We komen morgen.")
    assert await resident.received() == []
    clock.set(datetime(2026, 11, 24, 7, 59, tzinfo=AMS))
    assert await resident.received() == []
    clock.set(datetime(2026, 11, 24, 8, 0, tzinfo=AMS))
    got = await resident.received()
    assert len(got) == 1 and "We komen morgen." in got[0]


async def test_an_acknowledgement_at_night_goes_at_once(bot: Wijkbot, resident: Harness, clock: FrozenClock) -> None:
    clock.set(datetime(2026, 11, 23, 23, 30, tzinfo=AMS))
    got = await resident.say(GROFVUIL)
    assert len(got) == 1 and resident.reference in got[0]


async def test_after_stop_only_the_outcome_the_resident_asked_for(bot: Wijkbot, resident: Harness,
                                                                 clock: FrozenClock) -> None:
    await resident.say(GROFVUIL)
    reference = resident.reference
    got = await resident.command("stop")
    assert "uitkomst" in got[0]
    values = [value for _label, value in resident.buttons()]
    assert values == ["stop:outcome:ja", "stop:outcome:nee"]
    await resident.choose("stop:outcome:ja")
    actor = await officer_of(bot, reference)
    await bot.actions.set_status(reference, actor, Status.IN_BEHANDELING)
    await bot.actions.set_status(reference, actor, Status.WACHT_OP_BEWONER)  # after /stop: nothing to ask with
    clock.advance(days=1)
    await bot.actions.set_status(reference, actor, Status.IN_BEHANDELING)
    clock.advance(days=8)
    await bot.followups.run_due()  # the update is due: not sent after /stop
    assert await resident.received() == []
    await bot.actions.close(reference, actor, "Opgehaald.")
    got = await resident.received()
    assert len(got) == 1 and "Opgehaald." in got[0]  # the outcome, and no survey


async def test_after_stop_without_outcome_nothing_at_all(bot: Wijkbot, resident: Harness) -> None:
    await resident.say(GROFVUIL)
    reference = resident.reference
    await resident.command("stop")
    await resident.choose("stop:outcome:nee")
    await resident.received()
    await bot.actions.close(reference, await officer_of(bot, reference), "Opgehaald.")
    assert await resident.received() == []


async def test_the_resident_hears_who_handles_it(bot: Wijkbot, resident: Harness) -> None:
    await resident.say(GROFVUIL)
    async with bot.db.read() as conn:
        leader = await repository.officer_by_email(conn, "bram.deproef@example.org")
    actor = await bot.actions.actor(leader["email"])
    await bot.actions.assign(resident.reference, actor, leader["id"])
    got = await resident.received()
    assert len(got) == 1 and "Bram" in got[0] and "Proef" not in got[0] and "@" not in got[0]
