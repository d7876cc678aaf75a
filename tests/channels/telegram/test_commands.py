"""What a resident can ask the bot itself in Telegram: /taal, /stop, /privacy and data removal, /help."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from tests.channels.telegram.conftest import CHAT, TelegramWorld
from tests.support.fake_telegram import FakeTelegram
from wijkbot.services.actions import ActionError
from wijkbot.storage import repository
from wijkbot.storage.tables import contacts, messages, outbox

REFERENCE = re.compile(r"UT-\d{4}-\d{6}")
LANTAARN = "De lantaarnpaal in de Kanaalstraat is kapot"


async def test_taal_en_switches_the_chat_and_the_open_cases_to_english(world: TelegramWorld) -> None:
    ack = (await world.say(LANTAARN))[0]
    reference = REFERENCE.search(ack)
    assert reference is not None and "Bedankt" in ack
    assert (await world.say("/taal en"))[0] == "Fine, from now on we will write to you in English."
    assert (await world.case(reference.group()))["locale"] == "en"
    status = (await world.say("/status"))[0]
    assert reference.group() in status and "with a member of staff" in status
    assert "nl" in (await world.say("/taal klingon"))[0]  # a language we do not have: how to choose


async def test_stop_ends_every_message_until_the_resident_writes_again(webhook_world: TelegramWorld) -> None:
    world = webhook_world
    reference = REFERENCE.search((await world.say(LANTAARN))[0])
    assert reference is not None
    stopped = (await world.say("/stop"))[0]
    assert "geen berichten meer" in stopped and "ook geen antwoord" in stopped
    world.clock.advance(days=8)
    assert await world.bot.followups.run_due() >= 1
    assert await world.received() == []  # no "we zijn er nog mee bezig"
    from tests.channels.telegram.test_journey import officer_of

    actor = await officer_of(world.bot, reference.group())
    with pytest.raises(ActionError, match="/stop"):
        await world.bot.actions.reply(reference.group(), actor, "Gerepareerd.")
    assert await world.received() == []
    resumed = (await world.say("/start"))[0]
    assert "weer berichten" in resumed
    async with world.bot.db.read() as conn:
        assert (await conn.execute(select(contacts.c.opted_out))).scalar_one() is False
    await world.bot.actions.reply(reference.group(), actor, "Gerepareerd.")
    assert "Gerepareerd." in (await world.received())[0]


async def test_privacy_explains_and_its_button_asks_a_person_to_remove_the_data(world: TelegramWorld,
                                                                                fake: FakeTelegram) -> None:
    privacy = (await world.say("/privacy"))[0]
    assert "https://www.utrecht.nl/privacy/" in privacy and "naam" in privacy
    assert world.last_message().buttons == [("Verwijder mijn gegevens", "privacy:erase")]
    got = await world.press("Verwijder mijn gegevens")
    reference = REFERENCE.search(got[0])
    assert reference is not None and "uiterlijk woensdag 23 december 2026" in got[0]
    case = await world.case(reference.group())
    assert case["department"] == "wijken" and case["due_date"] == date(2026, 12, 23)
    assert case["routing"]["request"] == "verwijderverzoek"
    again = (await world.say("/verwijder"))[0]
    assert reference.group() in again and "loopt al" in again  # one request, not two


async def test_unknown_commands_and_help(world: TelegramWorld) -> None:
    assert "/help" in (await world.say("/fietsenrek"))[0]
    assert "/status" in (await world.say("/help"))[0]


async def test_commands_are_stored_before_they_are_answered(world: TelegramWorld) -> None:
    await world.say("/status")
    async with world.bot.db.read() as conn:
        stored = (await conn.execute(select(messages.c.body, messages.c.meta))).one()
        answered = (await conn.execute(select(outbox.c.status))).scalar_one()
        contact = await repository.contact_for_read(conn, "telegram", str(CHAT))
    assert stored.body == "/status" and stored.meta["command"] == "status"
    assert answered == "sent" and contact is not None
