"""After closing, "het ligt er nog steeds" is a request to look again at that case, not a new melding.

The closing notice invites it ("Is het niet opgelost? Stuur dan een bericht, dan kijken we opnieuw"), so the
resident's message joins the closed case, its ambtenaar is asked to decide (a note in their "Genoemd" queue),
and the resident hears that their message is with that case. The bot never reopens a case itself.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from tests.followup.test_never_silent import GROFVUIL, case_of, events, officer_of
from wijkbot.app import Wijkbot
from wijkbot.domain.workflow import Status
from wijkbot.storage import repository
from wijkbot.storage.tables import cases, note_mentions
from wijkbot.testing import FrozenClock, Harness


async def closed_report(bot: Wijkbot, resident: Harness) -> tuple[str, Any]:
    await resident.say(GROFVUIL)
    reference = resident.reference
    actor = await officer_of(bot, reference)
    await bot.actions.close(reference, actor, "Opgehaald.")
    got = await resident.received()
    assert "Opgehaald." in got[0]
    return reference, actor


async def case_count(bot: Wijkbot) -> int:
    async with bot.db.read() as conn:
        return int((await conn.execute(select(func.count()).select_from(cases))).scalar_one())


async def notes_and_mentions(bot: Wijkbot, reference: str) -> tuple[list[str], list[int]]:
    case = await case_of(bot, reference)
    async with bot.db.read() as conn:
        mentioned = (await conn.execute(select(note_mentions.c.officer_id)
                                        .where(note_mentions.c.case_id == case["id"]))).scalars().all()
        notes = [m["body"] for m in await repository.messages_of(conn, case["id"]) if m["direction"] == "note"]
    return notes, list(mentioned)


async def test_still_there_after_closing_asks_the_ambtenaar_to_look_again(any_bot: Wijkbot, channel: Any) -> None:
    resident = Harness(any_bot, channel)
    reference, actor = await closed_report(any_bot, resident)
    before = await case_count(any_bot)
    got = await resident.say("De matras ligt er nog steeds, er is niets gebeurd!")
    assert len(got) == 1
    assert f"nummer {reference}" in got[0] and "opnieuw mee aan de slag gaan" in got[0]
    assert await case_count(any_bot) == before  # no new case
    case = await case_of(any_bot, reference)
    assert case["status"] == Status.AFGEHANDELD.value  # an ambtenaar decides, not the bot
    request = await events(any_bot, reference, "heropenverzoek")
    assert len(request) == 1 and "niet is opgelost" in request[0]["reden"]
    async with any_bot.db.read() as conn:
        bodies = [m["body"] for m in await repository.messages_of(conn, case["id"]) if m["direction"] == "in"]
    assert bodies[-1] == "De matras ligt er nog steeds, er is niets gebeurd!"
    notes, mentioned = await notes_and_mentions(any_bot, reference)
    assert mentioned == [actor.officer_id]  # it shows in the ambtenaar's "Genoemd" queue
    assert any("Heropenverzoek" in note for note in notes)


async def test_a_second_message_joins_the_request_without_asking_twice(bot: Wijkbot, resident: Harness) -> None:
    reference, _actor = await closed_report(bot, resident)
    await resident.say("Het grofvuil ligt er nog steeds")
    got = await resident.say("Echt, nog altijd niet opgehaald")
    assert f"nummer {reference}" in got[0]
    assert len(await events(bot, reference, "heropenverzoek")) == 1
    notes, mentioned = await notes_and_mentions(bot, reference)
    assert len(notes) == 1 and len(mentioned) == 1


async def test_the_ambtenaar_reopens_and_the_resident_hears_it(bot: Wijkbot, resident: Harness) -> None:
    reference, actor = await closed_report(bot, resident)
    await resident.say("Het is niet opgehaald, het ligt er nog steeds")
    await bot.actions.reopen(reference, actor, "bewoner meldt dat het er nog ligt")
    got = await resident.received()
    assert f"Nummer {reference} is weer geopend" in got[0]
    got = await resident.say("Dank u wel")
    assert f"nummer {reference}" in got[0]  # the open case again, no new one


async def test_after_two_weeks_it_is_a_new_melding(bot: Wijkbot, resident: Harness, clock: FrozenClock) -> None:
    reference, _actor = await closed_report(bot, resident)
    clock.advance(days=15)
    got = await resident.say("Er ligt nog steeds grofvuil naast de container in de Kanaalstraat")
    assert resident.reference != reference and f"nummer {resident.reference}" in got[0]
    assert await events(bot, reference, "heropenverzoek") == []



async def test_english_resident_gets_english_answer(bot: Wijkbot, channel: Any) -> None:
    resident = Harness(bot, channel, locale="en")
    reference, _actor = await closed_report(bot, resident)
    got = await resident.say("The mattress is still there, nothing happened")
    assert f"number {reference}" in got[0] and "take it up again" in got[0]


async def test_after_an_answer_a_new_still_there_is_a_new_request(any_bot: Wijkbot, channel: Any) -> None:
    resident = Harness(any_bot, channel)
    reference, actor = await closed_report(any_bot, resident)
    await resident.say("Het ligt er nog steeds")
    await any_bot.actions.reply(reference, actor, "Dat is privégrond; daar halen wij niets weg.")
    await resident.received()
    got = await resident.say("Het ligt er nog steeds en het is echt de stoep!")
    assert "opnieuw mee aan de slag gaan" in got[0]
    assert len(await events(any_bot, reference, "heropenverzoek")) == 2  # heard again, not swallowed
    notes, mentioned = await notes_and_mentions(any_bot, reference)
    assert len(notes) == 2 and mentioned == [actor.officer_id, actor.officer_id]


async def test_an_unclear_message_with_an_open_case_is_asked_about_not_filed_on_the_closed_one(
        bot: Wijkbot, resident: Harness, clock: FrozenClock) -> None:
    closed, _actor = await closed_report(bot, resident)
    await resident.say("De lantaarnpaal in de Biltstraat is kapot")
    lamp = resident.reference
    clock.advance(hours=3)
    got = await resident.say("Het is nog steeds niet gemaakt")
    assert "iets nieuws" in got[0] and lamp in got[0]  # the which-case question, about the open case
    assert await events(bot, closed, "heropenverzoek") == []



async def test_the_request_goes_to_the_case_it_is_about_not_the_one_closed_last(bot: Wijkbot, resident: Harness,
                                                                                 clock: FrozenClock) -> None:
    grofvuil, _actor = await closed_report(bot, resident)
    clock.advance(days=1)
    await resident.say("De lantaarnpaal in de Amsterdamsestraatweg is kapot")  # Stadswerken too
    lamp = resident.reference
    await bot.actions.close(lamp, await officer_of(bot, lamp), "Gerepareerd.")
    await resident.received()
    got = await resident.say("Het grofvuil ligt er nog steeds")
    assert f"nummer {grofvuil}" in got[0]
    assert len(await events(bot, grofvuil, "heropenverzoek")) == 1
    assert await events(bot, lamp, "heropenverzoek") == []


@pytest.mark.parametrize("text", [
    "De lantaarnpaal in de Biltstraat is nog steeds kapot",  # another street
    "Er staat een fietswrak tegen de lantaarnpaal in de Kanaalstraat",  # does not say it is not solved
    "De buren maken nog steeds elke nacht herrie",  # another vakdienst's subject, words of its own
])
async def test_another_subject_after_closing_is_a_new_melding(bot: Wijkbot, resident: Harness, text: str) -> None:
    reference, _actor = await closed_report(bot, resident)
    await resident.say(text)
    assert resident.reference != reference
    assert await events(bot, reference, "heropenverzoek") == []
