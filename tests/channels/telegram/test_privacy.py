"""Privacy (AVG): the chat id is the only personal datum kept; no name, no username; no chat id in a log line."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from tests.channels.telegram.conftest import CHAT, TelegramWorld
from tests.support.fake_telegram import FakeTelegram
from wijkbot.storage.tables import metadata


async def test_names_are_not_stored_and_the_chat_id_only_in_contacts(world: TelegramWorld, fake: FakeTelegram) -> None:
    await world.say("/start")
    await world.say("De lantaarnpaal in de Kanaalstraat is kapot")
    await world.deliver(fake.location(CHAT, 52.09, 5.12))
    await world.received()
    found: dict[str, list[str]] = {}
    async with world.bot.db.read() as conn:
        for table in metadata.sorted_tables:
            for row in (await conn.execute(select(table))).all():
                text = " ".join(str(v) for v in row)
                for secret in ("Fenna", "de Vries", f"fenna{CHAT}", str(CHAT)):
                    if secret in text:
                        found.setdefault(secret, []).append(table.name)
    assert found == {str(CHAT): ["contacts"]}


async def test_no_log_line_carries_the_chat_id_or_the_text(world: TelegramWorld, fake: FakeTelegram,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="wijkbot")
    fake.fail("sendMessage", 429, retry_after=1)
    await world.say("De lantaarnpaal in de Kanaalstraat is kapot")
    world.clock.advance(seconds=1)
    await world.received()
    fake.block(CHAT)
    await world.say("Hij knippert nu ook")
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("wijkbot"))
    assert "429" in logged or "slow down" in logged  # the lines we look for are there ...
    assert str(CHAT) not in logged and "Kanaalstraat" not in logged and fake.token not in logged  # ... these not
