"""Outbound under Telegram's answers: 429 with retry_after, 5xx, 403, and replies longer than one message."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from tests.channels.telegram.conftest import CHAT, TelegramWorld
from tests.channels.telegram.test_journey import officer_of
from tests.support.fake_telegram import FakeTelegram
from wijkbot.storage import repository
from wijkbot.storage.tables import contacts, outbox

REFERENCE = re.compile(r"UT-\d{4}-\d{6}")
GROFVUIL = "Er ligt grofvuil naast de container op de Amsterdamsestraatweg"


async def outbox_rows(world: TelegramWorld) -> list[dict]:
    async with world.bot.db.read() as conn:
        return [dict(r) for r in (await conn.execute(select(outbox).order_by(outbox.c.id))).mappings()]


async def test_429_waits_retry_after_then_sends_once(world: TelegramWorld, fake: FakeTelegram) -> None:
    fake.fail("sendMessage", 429, retry_after=7)
    assert await world.say(GROFVUIL) == []
    row = (await outbox_rows(world))[-1]
    assert row["status"] == "pending" and "429" in row["last_error"]
    assert row["next_attempt_at"] == world.clock.now + timedelta(seconds=7)
    world.clock.advance(seconds=6)
    assert await world.received() == []
    world.clock.advance(seconds=1)
    got = await world.received()
    assert len(got) == 1 and REFERENCE.search(got[0])
    assert fake.count("sendMessage", 429) == 1 and fake.count("sendMessage", 200) == 1


async def test_500s_are_retried_with_backoff_and_delivered_once(world: TelegramWorld, fake: FakeTelegram) -> None:
    fake.fail("sendMessage", 500, times=2)
    assert await world.say(GROFVUIL) == []
    world.clock.advance(seconds=5)
    assert await world.received() == []  # second 500: the next try waits 10 s
    world.clock.advance(seconds=9)
    assert await world.received() == []
    world.clock.advance(seconds=1)
    assert len(await world.received()) == 1
    assert fake.count("sendMessage", 500) == 2 and fake.count("sendMessage", 200) == 1


async def test_403_marks_the_resident_unreachable_and_the_case_shows_it(world: TelegramWorld,
                                                                        fake: FakeTelegram) -> None:
    fake.block(CHAT)
    await world.say(GROFVUIL)
    row = (await outbox_rows(world))[-1]
    assert row["status"] == "failed" and "403" in row["last_error"]
    async with world.bot.db.read() as conn:
        assert (await conn.execute(select(contacts.c.unreachable))).scalar_one() is True
        events = await repository.events_of(conn, row["case_id"])
    failed = [e for e in events if e["type"] == "bezorging mislukt"]
    assert len(failed) == 1 and failed[0]["data"]["onbereikbaar"] is True
    world.clock.advance(seconds=3600)
    assert await world.received() == [] and fake.count("sendMessage", 403) == 1  # not tried again


async def test_a_resident_who_unblocks_and_writes_again_is_reachable_again(world: TelegramWorld,
                                                                           fake: FakeTelegram) -> None:
    fake.block(CHAT)
    await world.say(GROFVUIL)
    fake._blocked.clear()
    got = await world.say("Het ligt er nog steeds")
    assert len(got) == 1
    async with world.bot.db.read() as conn:
        assert (await conn.execute(select(contacts.c.unreachable))).scalar_one() is False


def long_reply() -> str:
    paragraphs = [(f"Alinea {n}. " + "Wij hebben de situatie ter plekke bekeken en overlegd met de aannemer. " * 14)
                  .rstrip() for n in range(1, 11)]
    return "\n\n".join(paragraphs)


async def test_a_reply_above_4096_characters_arrives_whole_in_order(webhook_world: TelegramWorld,
                                                                    fake: FakeTelegram) -> None:
    world = webhook_world
    reference = REFERENCE.search((await world.say(GROFVUIL))[0])
    assert reference is not None
    text = long_reply()
    assert len(text) > 2 * 4096
    await world.bot.actions.reply(reference.group(), await officer_of(world.bot, reference.group()), text)
    parts = await world.received()
    assert len(parts) >= 3
    assert all(len(p) <= 4096 for p in parts)
    assert parts[0].startswith("Alinea 1.") and parts[1].startswith("Alinea ")  # cut between paragraphs
    words = " ".join(parts).split()
    assert words[: len(text.split())] == text.split()  # every word, in order, nothing twice
    assert reference.group() in parts[-1] and reference.group() not in parts[0]  # the signature closes the last


async def test_a_retry_after_a_partial_send_does_not_resend_delivered_parts(webhook_world: TelegramWorld,
                                                                            fake: FakeTelegram) -> None:
    world = webhook_world
    reference = REFERENCE.search((await world.say(GROFVUIL))[0])
    assert reference is not None
    await world.bot.actions.reply(reference.group(), await officer_of(world.bot, reference.group()), long_reply())
    fake.fail("sendMessage", 500, skip=1)  # the first part goes out, the second gets a 500
    first_try = await world.received()
    assert len(first_try) == 1
    row = (await outbox_rows(world))[-1]
    assert row["status"] == "pending" and row["parts_sent"] == 1
    fake.fail("sendMessage", 429, retry_after=3, skip=1)  # on the retry: one more part, then flood control
    world.clock.advance(seconds=5)
    second_try = await world.received()
    assert len(second_try) == 1
    assert (await outbox_rows(world))[-1]["parts_sent"] == 2
    world.clock.advance(seconds=3)
    rest = await world.received()
    parts = first_try + second_try + rest
    assert len(parts) == len(set(parts)) >= 3  # nothing twice
    assert " ".join(parts).split()[: len(long_reply().split())] == long_reply().split()
    assert (await outbox_rows(world))[-1]["status"] == "sent"
