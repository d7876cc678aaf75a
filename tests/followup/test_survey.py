"""The resident's verdict after closing: buttons, the why, a reopen request for an ambtenaar, expiry."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tests.followup.test_never_silent import GROFVUIL, case_of, events, officer_of
from wijkbot.app import Wijkbot
from wijkbot.storage import repository
from wijkbot.storage.tables import note_mentions, surveys
from wijkbot.testing import FrozenClock, Harness


async def close(bot: Wijkbot, reference: str) -> Any:
    actor = await officer_of(bot, reference)
    await bot.actions.close(reference, actor, "Opgehaald.")
    return actor


async def test_unhappy_verdict_becomes_a_reopen_request_for_the_ambtenaar(any_bot: Wijkbot, channel: Any) -> None:
    resident = Harness(any_bot, channel)
    await resident.say(GROFVUIL)
    reference = resident.reference
    actor = await close(any_bot, reference)
    got = await resident.received()
    assert len(got) == 2 and "Opgehaald." in got[0] and "tevreden" in got[1]
    scores = resident.buttons()
    assert [label for label, _value in scores] == ["1", "2", "3", "4", "5"]
    got = await resident.choose(scores[1][1], "2")
    assert "opgelost" in got[0]
    assert [label for label, _value in resident.buttons()] == ["Ja", "Nee"]
    got = await resident.choose(resident.buttons()[1][1], "Nee")
    assert "volgende bericht" in got[0]
    assert f"We vragen Stadswerken om opnieuw naar nummer {reference} te kijken" in got[0]  # they know it is heard
    got = await resident.say("Er ligt nog steeds een matras")
    assert "Dank u wel voor uw uitleg" in got[0] and f"bij nummer {reference} gezet" in got[0]
    assert "nieuwe melding" not in got[0]
    assert await events(any_bot, reference, "tevredenheid") == [
        {"score": 2, "opgelost": False, "toelichting": "Er ligt nog steeds een matras"}]
    request = await events(any_bot, reference, "heropenverzoek")
    assert len(request) == 1 and "niet is opgelost" in request[0]["reden"]
    case = await case_of(any_bot, reference)
    async with any_bot.db.read() as conn:
        mentioned = (await conn.execute(select(note_mentions.c.officer_id)
                                        .where(note_mentions.c.case_id == case["id"]))).scalars().all()
        notes = [m["body"] for m in await repository.messages_of(conn, case["id"]) if m["direction"] == "note"]
    assert actor.officer_id in mentioned  # it shows in the ambtenaar's "Genoemd" queue
    assert any("matras" in note for note in notes)


async def test_happy_verdict_is_kept_without_a_reopen_request(bot: Wijkbot, resident: Harness) -> None:
    await resident.say(GROFVUIL)
    reference = resident.reference
    await close(bot, reference)
    await resident.received()
    await resident.choose(resident.buttons()[4][1], "5")
    await resident.choose(resident.buttons()[0][1], "Ja")
    assert await events(bot, reference, "tevredenheid") == [{"score": 5, "opgelost": True, "toelichting": ""}]
    assert await events(bot, reference, "heropenverzoek") == []


async def test_an_expired_question_is_answered_politely_and_not_recorded(bot: Wijkbot, resident: Harness,
                                                                          clock: FrozenClock) -> None:
    await resident.say(GROFVUIL)
    reference = resident.reference
    await close(bot, reference)
    await resident.received()
    button = resident.buttons()[0][1]
    clock.advance(days=15)
    got = await resident.choose(button, "1")
    assert "verlopen" in got[0]
    async with bot.db.read() as conn:
        row = (await conn.execute(select(surveys.c.score, surveys.c.answered_at))).one()
    assert row.score is None and row.answered_at is None
    assert await events(bot, reference, "tevredenheid") == []


async def test_a_tampered_token_is_not_obeyed(bot: Wijkbot, resident: Harness, channel: Any) -> None:
    await resident.say(GROFVUIL)
    await close(bot, resident.reference)
    await resident.received()
    other = Harness(bot, channel)
    got = await other.choose(resident.buttons()[0][1], "1")
    assert "kennen we niet" in got[0]
    assert await events(bot, resident.reference, "tevredenheid") == []


async def test_typed_answers_count_too(bot: Wijkbot, resident: Harness) -> None:
    await resident.say(GROFVUIL)
    reference = resident.reference
    await close(bot, reference)
    await resident.received()
    got = await resident.say("4 ja")
    assert "volgende bericht" in got[0]
    assert await events(bot, reference, "tevredenheid") == [{"score": 4, "opgelost": True, "toelichting": ""}]


async def test_a_typed_score_on_a_channel_with_buttons_gets_the_yes_no_buttons(bot: Wijkbot,
                                                                                resident: Harness) -> None:
    """A trial typed "5" in the web chat and was asked to type ja or nee, without the buttons it had before."""
    await resident.say(GROFVUIL)
    await close(bot, resident.reference)
    await resident.received()
    got = await resident.say("5")
    assert "Stuur ja of nee" not in got[0]
    assert [label for label, _ in resident.buttons()] == ["Ja", "Nee"]


async def test_a_happy_verdict_gets_no_promise_to_look_again(bot: Wijkbot, resident: Harness) -> None:
    await resident.say(GROFVUIL)
    await close(bot, resident.reference)
    await resident.received()
    await resident.choose(resident.buttons()[3][1], "4")
    got = await resident.choose(resident.buttons()[0][1], "Ja")
    assert "volgende bericht" in got[0] and "opnieuw" not in got[0]
    got = await resident.say("Snel opgehaald, top")
    assert "Dank u wel voor uw uitleg" in got[0]


async def test_an_initiative_is_asked_whether_we_helped_not_whether_it_is_solved(bot: Wijkbot,
                                                                                resident: Harness) -> None:
    await resident.say("Ik heb een idee: een buurtbarbecue organiseren op het plein bij de Kanaalstraat")
    case = await case_of(bot, resident.reference)
    assert case["kind"] == "initiatief"
    await close(bot, resident.reference)
    got = await resident.received()
    assert "Heeft u nog een vraag?" in got[0] and "niet opgelost" not in got[0]
    assert "hoe we u hebben geholpen" in got[1] and "opgelost" not in got[1]
    got = await resident.choose(resident.buttons()[2][1], "3")
    assert got[0] == "Dank u. Bent u geholpen?"


async def test_a_resident_in_crisis_is_not_asked_how_satisfied_they_are(bot: Wijkbot, resident: Harness) -> None:
    await resident.say("ik wil niet meer leven")
    reference = resident.reference
    await resident.received()
    await close(bot, reference)
    got = await resident.received()
    assert len(got) == 1 and "Opgehaald." in got[0]  # the outcome, and no "hoe tevreden bent u?"
    assert "tevreden" not in got[0] and resident.buttons() == ()


async def test_words_about_another_case_by_its_number_are_no_why(bot: Wijkbot, resident: Harness,
                                                                clock: FrozenClock) -> None:
    """A trial asked to stop another case by its number right after "Wilt u vertellen wat er niet goed is?": it
    was recorded as the why of the closed case, and the case it named never saw it."""
    await resident.say(GROFVUIL)
    closed = resident.reference
    await resident.say("De lantaarnpaal in de Biltstraat is kapot")  # another street: a case of its own
    lamp = resident.reference
    assert lamp != closed
    await close(bot, closed)
    await resident.received()
    await resident.choose(resident.buttons()[1][1], "2")
    await resident.choose(resident.buttons()[1][1], "Nee")
    text = f"kunnen jullie melding {lamp} stoppen? de lamp doet het weer"
    got = await resident.say(text)
    assert "uitleg" not in got[0] and lamp in got[0]
    assert await events(bot, closed, "tevredenheid") == [{"score": 2, "opgelost": False, "toelichting": ""}]
    case = await case_of(bot, lamp)
    async with bot.db.read() as conn:
        bodies = [m["body"] for m in await repository.messages_of(conn, case["id"]) if m["direction"] == "in"]
    assert text in bodies
