"""A resident's whole journey in Telegram, in webhook and polling mode, against the fake Bot API over HTTP."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest

from tests.channels.telegram.conftest import CHAT, TelegramWorld, open_world
from tests.support.fake_telegram import FakeTelegram
from wijkbot.app import Wijkbot
from wijkbot.services.actions import Actor
from wijkbot.storage import repository
from wijkbot.testing import FrozenClock

REFERENCE = re.compile(r"UT-\d{4}-\d{6}")


async def officer_of(bot: Wijkbot, reference: str) -> Actor:
    async with bot.db.read() as conn:
        case = await repository.case_by_reference(conn, reference)
        assert case is not None
        row = await repository.officer(conn, case["officer_id"])
    assert row is not None
    return await bot.actions.actor(row["email"])


@pytest.fixture
async def any_world(database_url: str, clock: FrozenClock, fake: FakeTelegram,
                    mode: str) -> AsyncIterator[TelegramWorld]:
    """Both modes, on SQLite and on PostgreSQL."""
    async with open_world(database_url, clock, fake, mode) as w:
        yield w


async def test_message_acknowledged_with_reference_then_the_ambtenaars_reply_arrives(any_world: TelegramWorld) -> None:
    welcome = await any_world.say("/start")
    assert len(welcome) == 1
    assert "112" in welcome[0] and "14 030" in welcome[0] and "https://www.utrecht.nl/privacy/" in welcome[0]

    got = await any_world.say("Er ligt al een week grofvuil naast de container op de Amsterdamsestraatweg")
    assert len(got) == 1
    reference = REFERENCE.search(got[0])
    assert reference is not None, got[0]
    assert "Stadswerken" in got[0] and "Noordwest" in got[0]

    actor = await officer_of(any_world.bot, reference.group())
    await any_world.bot.actions.reply(reference.group(), actor, "We halen het grofvuil donderdag op.")
    reply = await any_world.received()
    assert len(reply) == 1
    assert "We halen het grofvuil donderdag op." in reply[0] and actor.name in reply[0]
    assert reference.group() in reply[0]


async def test_status_shows_where_the_residents_cases_stand(world: TelegramWorld) -> None:
    assert "geen open meldingen" in (await world.say("/status"))[0]
    ack = (await world.say("De lantaarnpaal in de Kanaalstraat is kapot"))[0]
    reference = REFERENCE.search(ack)
    assert reference is not None
    status = (await world.say("/status"))[0]
    assert reference.group() in status and "bij een medewerker" in status
    assert reference.group() in (await world.say(f"/status {reference.group()}"))[0]
    other = (await world.say("/status UT-2026-999999"))[0]
    assert "UT-2026-999999" in other and "vinden geen melding" in other


async def test_a_redelivered_update_creates_nothing_new(world: TelegramWorld, fake: FakeTelegram) -> None:
    update = fake.text(CHAT, "Er ligt grofvuil naast de container in de Kanaalstraat")
    await world.deliver(update)
    first = await world.received()
    if world.mode == "webhook":
        assert await fake.deliver(update) == 200  # Telegram retries when it did not see our 200 in time
    else:
        fake.offset = 0  # the service restarted before confirming: Telegram hands the update out again
        await world.deliver(update)
    assert len(first) == 1 and await world.received() == []
    async with world.bot.db.read() as conn:
        reference = REFERENCE.search(first[0])
        assert reference is not None
        case = await repository.case_by_reference(conn, reference.group())
        assert case is not None
        inbound = [m for m in await repository.messages_of(conn, case["id"]) if m["direction"] == "in"]
    assert len(inbound) == 1


async def test_group_chats_are_not_taken(world: TelegramWorld, fake: FakeTelegram) -> None:
    await world.deliver(fake.group_text(CHAT, "Er ligt grofvuil naast de container in de Kanaalstraat"))
    assert await world.received(-CHAT) == [] and await world.received() == []
