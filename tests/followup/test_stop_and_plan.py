"""After /stop nothing leaves but the outcome the resident asked for, until they write again; and the
"planned" status message an ambtenaar sends by giving the date the work is planned for."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest

from tests.followup.test_never_silent import AMS, GROFVUIL, case_of, events, officer_of
from wijkbot.app import Wijkbot
from wijkbot.domain.workflow import Status
from wijkbot.services.actions import ActionError
from wijkbot.testing import FrozenClock, Harness


async def test_after_stop_an_ambtenaar_cannot_reply_and_nothing_is_lost(bot: Wijkbot, resident: Harness) -> None:
    await resident.say(GROFVUIL)
    reference = resident.reference
    await resident.command("stop")
    await resident.choose("stop:outcome:nee")
    await resident.received()
    actor = await officer_of(bot, reference)
    with pytest.raises(ActionError, match="/stop"):
        await bot.actions.reply(reference, actor, "We komen morgen.")
    assert await resident.received() == []
    assert await events(bot, reference, "antwoord") == []
    await bot.actions.note(reference, actor, "We komen morgen.")  # what the inbox offers instead
    assert await resident.received() == []


async def test_stop_without_an_open_case_asks_nothing_about_a_melding(bot: Wijkbot, resident: Harness) -> None:
    got = await resident.command("stop")
    assert len(got) == 1 and "geen berichten meer" in got[0] and "geen open meldingen" in got[0]
    assert "uitkomst" not in got[0] and resident.buttons() == ()


async def test_writing_again_after_stop_brings_the_messages_back(bot: Wijkbot, resident: Harness) -> None:
    await resident.say(GROFVUIL)
    reference = resident.reference
    await resident.command("stop")
    await resident.choose("stop:outcome:nee")
    await resident.received()
    got = await resident.say("Het ligt er nog steeds, nu ook een bank")
    assert len(got) == 1 and reference in got[0] and "weer berichten" in got[0] and "/stop" in got[0]
    actor = await officer_of(bot, reference)
    await bot.actions.reply(reference, actor, "We komen morgen.")
    got = await resident.received()
    assert len(got) == 1 and "We komen morgen." in got[0]
    got = await resident.say("Dank u wel")
    assert "weer berichten" not in got[0]  # said once, not with every message


async def test_a_stop_choice_or_command_does_not_count_as_writing_again(bot: Wijkbot, resident: Harness) -> None:
    await resident.say(GROFVUIL)
    reference = resident.reference
    await resident.command("stop")
    await resident.choose("stop:outcome:ja")
    await resident.command("status")
    await resident.received()
    with pytest.raises(ActionError, match="/stop"):
        await bot.actions.reply(reference, await officer_of(bot, reference), "We komen morgen.")


async def test_uitkomst_typed_is_the_same_as_the_button(bot: Wijkbot, resident: Harness) -> None:
    await resident.say(GROFVUIL)
    reference = resident.reference
    got = await resident.command("uitkomst")
    assert "al alle berichten" in got[0]
    await resident.command("stop")
    got = await resident.command("uitkomst")
    assert "alleen nog de uitkomst" in got[0]
    await bot.actions.close(reference, await officer_of(bot, reference), "Opgehaald.")
    got = await resident.received()
    assert len(got) == 1 and "Opgehaald." in got[0]


async def test_planning_tells_the_resident_the_day(bot: Wijkbot, resident: Harness, clock: FrozenClock) -> None:
    await resident.say(GROFVUIL)
    reference = resident.reference
    actor = await officer_of(bot, reference)
    today = (await case_of(bot, reference))["created_at"].date()
    day = today + timedelta(days=3)
    await bot.actions.plan(reference, actor, day)
    got = await resident.received()
    assert len(got) == 1 and reference in got[0] and "gepland" in got[0]
    assert bot.translator.date(day, "nl") in got[0]
    assert await events(bot, reference, "gepland") == [{"datum": day.isoformat()}]
    assert (await case_of(bot, reference))["status"] == Status.IN_BEHANDELING.value


@pytest.mark.parametrize(("offset", "message"), [(-1, "vanaf vandaag"), (400, "binnen een jaar")])
async def test_a_day_in_the_past_or_far_away_is_refused(bot: Wijkbot, resident: Harness, offset: int,
                                                         message: str) -> None:
    await resident.say(GROFVUIL)
    reference = resident.reference
    today = (await case_of(bot, reference))["created_at"].date()
    with pytest.raises(ActionError, match=message):
        await bot.actions.plan(reference, await officer_of(bot, reference), today + timedelta(days=offset))
    assert await events(bot, reference, "gepland") == []


async def test_a_closed_case_cannot_be_planned(bot: Wijkbot, resident: Harness) -> None:
    await resident.say(GROFVUIL)
    reference = resident.reference
    actor = await officer_of(bot, reference)
    await bot.actions.close(reference, actor, "Opgehaald.")
    with pytest.raises(ActionError, match="niet meer worden ingepland"):
        await bot.actions.plan(reference, actor, date(2030, 1, 1))


async def test_planning_after_stop_is_kept_but_not_sent(bot: Wijkbot, resident: Harness) -> None:
    await resident.say(GROFVUIL)
    reference = resident.reference
    await resident.command("stop")
    await resident.received()
    today = (await case_of(bot, reference))["created_at"].date()
    await bot.actions.plan(reference, await officer_of(bot, reference), today + timedelta(days=2))
    assert await resident.received() == []
    assert len(await events(bot, reference, "gepland")) == 1


async def test_updates_come_back_when_the_resident_writes_again_after_stop(bot: Wijkbot, resident: Harness,
                                                                          clock: FrozenClock) -> None:
    await resident.say(GROFVUIL)
    reference = resident.reference
    await resident.command("stop")
    await resident.choose("stop:outcome:nee")
    await resident.received()
    clock.advance(days=7)
    await bot.followups.run_due()
    assert await resident.received() == []  # held back by /stop
    await resident.say("Er ligt nu ook een bank bij")
    await resident.received()
    clock.advance(days=8)
    await bot.followups.run_due()
    got = await resident.received()
    assert len(got) == 1 and reference in got[0] and "nog mee bezig" in got[0]


async def test_a_reply_held_for_the_night_does_not_leave_after_a_stop(any_bot: Wijkbot, channel: Any,
                                                                     clock: FrozenClock) -> None:
    resident = Harness(any_bot, channel)
    await resident.say(GROFVUIL)
    reference = resident.reference
    clock.set(datetime(2026, 11, 23, 22, 0, tzinfo=AMS))
    await any_bot.actions.reply(reference, await officer_of(any_bot, reference), "We komen morgen.")
    assert await resident.received() == []  # held until 08:00
    clock.set(datetime(2026, 11, 23, 22, 30, tzinfo=AMS))
    await resident.command("stop")
    await resident.choose("stop:outcome:nee")
    await resident.received()
    clock.set(datetime(2026, 11, 24, 8, 0, tzinfo=AMS))
    assert await resident.received() == []
    assert await events(any_bot, reference, "niet verstuurd") == [
        {"outbox_id": (await events(any_bot, reference, "antwoord"))[0]["outbox_id"],
         "reden": "de bewoner heeft /stop gestuurd"}]


async def test_planning_late_in_the_evening_cannot_name_today(bot: Wijkbot, resident: Harness,
                                                              clock: FrozenClock) -> None:
    await resident.say(GROFVUIL)
    reference = resident.reference
    clock.set(datetime(2026, 11, 23, 21, 30, tzinfo=AMS))
    with pytest.raises(ActionError, match="vanaf morgen"):
        await bot.actions.plan(reference, await officer_of(bot, reference), date(2026, 11, 23))
    assert await bot.actions.plan(reference, await officer_of(bot, reference), date(2026, 11, 24)) is True


async def test_asking_the_resident_restarts_the_update_clock(bot: Wijkbot, resident: Harness,
                                                             clock: FrozenClock) -> None:
    await resident.say(GROFVUIL)
    reference = resident.reference
    actor = await officer_of(bot, reference)
    clock.advance(days=3)  # Thursday: the first update was planned for next Monday
    await bot.actions.set_status(reference, actor, Status.IN_BEHANDELING)
    await bot.actions.set_status(reference, actor, Status.WACHT_OP_BEWONER,
                                 question="Welk huisnummer is het?")
    await resident.received()
    clock.advance(days=4)  # Monday: only two working days after the question
    await bot.followups.run_due()
    assert await resident.received() == []
    clock.advance(days=3)  # Thursday: five working days after it
    await bot.followups.run_due()
    got = await resident.received()
    assert len(got) == 1 and "wachten nog op uw antwoord" in got[0]


@pytest.mark.parametrize(("typed", "wants"), [("nee", False), ("Nee, niets meer", False), ("ja graag", True),
                                             ("Ja, stuur de uitkomst", True)])
async def test_typing_the_answer_after_stop_is_the_answer_not_writing_again(bot: Wijkbot, resident: Harness,
                                                                            typed: str, wants: bool) -> None:
    await resident.say(GROFVUIL)
    reference = resident.reference
    await resident.command("stop")
    got = await resident.say(typed)
    assert len(got) == 1 and "Omdat u ons weer schrijft" not in got[0]  # the /stop holds
    assert ("alleen nog de uitkomst" in got[0]) is wants
    with pytest.raises(ActionError, match="/stop"):
        await bot.actions.reply(reference, await officer_of(bot, reference), "We komen morgen.")


async def test_a_yes_days_later_is_a_message_again(bot: Wijkbot, resident: Harness, clock: FrozenClock) -> None:
    await resident.say(GROFVUIL)
    await resident.command("stop")
    clock.advance(days=2)
    got = await resident.say("ja")
    assert "Omdat u ons weer schrijft" in got[0]  # writing again ends the /stop, as before
