"""A token the Bot API refuses (wrong, revoked): one clear log line that names WIJKBOT_TELEGRAM_TOKEN and says a
restart is needed, slow retries instead of a "not reachable" line every few seconds, and `health_state` for
/health ("starting", "running", "token refused", "unreachable")."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from sqlalchemy import select

from tests.channels.telegram.conftest import CHAT, TelegramWorld, free_port, open_world
from tests.support.fake_telegram import FakeTelegram
from wijkbot.channels.telegram import TOKEN_RETRY_SECONDS, TelegramChannel, TelegramConfig
from wijkbot.domain.model import InboundMessage
from wijkbot.storage.tables import outbox
from wijkbot.testing import FrozenClock

WRONG = "4242424242:AAF-wrong_SECRET_token_0123456789"


async def _nothing(message: InboundMessage) -> None:
    return None


def channel_for(fake: FakeTelegram, token: str, **config: float) -> TelegramChannel:
    return TelegramChannel(TelegramConfig(token=token, api_url=fake.url, poll_timeout=1, **config),  # type: ignore[arg-type]
                           _nothing, FrozenClock())


@asynccontextmanager
async def running(channel: TelegramChannel) -> AsyncIterator[asyncio.Task[None]]:
    stop = asyncio.Event()
    worker = asyncio.create_task(channel.run(stop))
    try:
        yield worker
    finally:
        stop.set()
        started = time.monotonic()
        await asyncio.wait_for(worker, timeout=5)
        assert time.monotonic() - started < 2, "stop must end the slow retry at once"
        await channel.aclose()


async def until(condition: object, within: float = 5.0) -> None:
    deadline = time.monotonic() + within
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


def telegram_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name.startswith("wijkbot.channels.telegram")]


async def test_a_refused_token_is_said_once_and_tried_again_slowly(fake: FakeTelegram,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    channel = channel_for(fake, WRONG, token_retry_seconds=0.2)
    assert channel.health_state == "starting"
    async with running(channel):
        await until(lambda: channel.health_state == "token refused")
        await until(lambda: fake.count("getMe") >= 3)  # tried again (here every 0.2 s; in production 5 min)
        assert channel.health_state == "token refused"
    records = telegram_lines(caplog)
    errors = [r.getMessage() for r in records if r.levelno >= logging.ERROR]
    assert len(errors) == 1, errors
    assert errors[0].startswith("the Bot API refused the token (WIJKBOT_TELEGRAM_TOKEN): Unauthorized")
    assert "restart" in errors[0] and "every 0 s" not in errors[0]
    everything = "\n".join(r.getMessage() for r in records)
    assert "not reachable" not in everything
    assert WRONG not in everything and WRONG.split(":")[1] not in everything
    assert fake.count("getUpdates") == 0  # nothing else is tried with a refused token


async def test_by_default_a_refused_token_is_asked_about_every_few_minutes(fake: FakeTelegram) -> None:
    assert TOKEN_RETRY_SECONDS >= 120
    channel = channel_for(fake, WRONG)
    async with running(channel):
        await until(lambda: channel.health_state == "token refused")
        await asyncio.sleep(1.5)
        assert fake.count("getMe") == 1


async def test_the_state_recovers_when_the_bot_api_accepts_the_token(fake: FakeTelegram,
                                                                     caplog: pytest.LogCaptureFixture) -> None:
    real = fake.token
    fake.token = "1:someone-else"  # e.g. a Bot API server of the municipality that did not know the bot yet
    channel = channel_for(fake, real, token_retry_seconds=0.1)
    async with running(channel):
        await until(lambda: channel.health_state == "token refused")
        fake.token = real
        await until(lambda: channel.health_state == "running")
        await until(lambda: fake.count("getUpdates") >= 1)  # polling started
    assert any("accepts the token (WIJKBOT_TELEGRAM_TOKEN) again" in r.getMessage() for r in telegram_lines(caplog))


async def test_an_unreachable_bot_api_is_told_apart_from_a_refused_token(caplog: pytest.LogCaptureFixture) -> None:
    fake = FakeTelegram()  # not started: nothing listens on its address
    fake.url = f"http://127.0.0.1:{free_port()}"
    channel = channel_for(fake, WRONG)
    async with running(channel):
        await until(lambda: channel.health_state == "unreachable")
    messages = [r.getMessage() for r in telegram_lines(caplog)]
    assert any("Telegram not reachable" in m for m in messages)
    assert not any("refused the token" in m for m in messages)


async def test_a_token_revoked_while_running_shows_in_the_state_once(webhook_world: TelegramWorld,
                                                                     fake: FakeTelegram,
                                                                     caplog: pytest.LogCaptureFixture) -> None:
    channel = webhook_world.channel
    assert channel.health_state == "running"
    assert len(await webhook_world.say("De lantaarnpaal in de Kanaalstraat is kapot")) == 1
    real = fake.token
    fake.token = "1:revoked"  # BotFather revoked it: every call answers 401
    webhook_world.bot.delivery.max_attempts = 1  # a refused token spends no attempt: nothing is given up
    for text in ("Er ligt grofvuil naast de container in de Kanaalstraat", "/status"):
        await webhook_world.deliver(fake.text(CHAT, text))
        assert await webhook_world.received() == []
        webhook_world.clock.advance(minutes=5)
    assert channel.health_state == "token refused"
    async with webhook_world.bot.db.read() as conn:
        held = (await conn.execute(select(outbox.c.status, outbox.c.attempts)
                                   .where(outbox.c.status != "sent"))).all()
    assert held and all(row.status == "pending" and row.attempts == 0 for row in held), held
    refused = [r for r in telegram_lines(caplog) if "refused the token" in r.getMessage()]
    assert len(refused) == 1 and refused[0].levelno == logging.ERROR
    fake.token = real
    webhook_world.clock.advance(minutes=30)
    assert await webhook_world.received() != []  # the outbox kept the answers
    assert channel.health_state == "running"


async def test_health_names_the_telegram_state(world: TelegramWorld) -> None:
    """An operator's monitoring reads Telegram's state in /health beside the database's (it never fails health)."""
    assert await world.say("De lantaarnpaal in de Kanaalstraat is kapot")  # the token was taken: running
    health = await world.bot.health()
    assert health["telegram"] == "running" and health["status"] == "ok"


async def test_a_token_revoked_while_polling_is_said_once_and_asked_about_slowly(
        tmp_path: Any, clock: FrozenClock, fake: FakeTelegram, caplog: pytest.LogCaptureFixture) -> None:
    """Polling mode: getUpdates answers 401 once BotFather revoked the token; the log says so once (not "getUpdates
    failed" every minute), /health's state shows it, and polling goes on when the token is back."""
    caplog.set_level(logging.DEBUG)
    async with open_world(f"sqlite:///{tmp_path / 'wijkbot.db'}", clock, fake, "polling") as world:
        world.channel.config = dataclasses.replace(world.channel.config, token_retry_seconds=0.3)
        assert len(await world.say("De lantaarnpaal in de Kanaalstraat is kapot")) == 1
        assert world.channel.health_state == "running"
        real = fake.token
        fake.token = "1:revoked"
        await until(lambda: world.channel.health_state == "token refused")
        await asyncio.sleep(1.0)  # about three slow retries
        lines = [r.getMessage() for r in telegram_lines(caplog)]
        assert sum("refused the token" in line for line in lines) == 1
        assert not any("getUpdates failed" in line for line in lines)
        fake.token = real
        await until(lambda: world.channel.health_state == "running")
        assert len(await world.say("Er ligt grofvuil naast de container in de Kanaalstraat")) == 1


async def test_health_says_unreachable_while_polling_gets_no_answer(
        tmp_path: Any, clock: FrozenClock, fake: FakeTelegram) -> None:
    """Residents' messages stop coming in when getUpdates keeps failing: /health says so, and says "running" again
    once the Bot API answers."""
    async with open_world(f"sqlite:///{tmp_path / 'wijkbot.db'}", clock, fake, "polling") as world:
        assert len(await world.say("De lantaarnpaal in de Kanaalstraat is kapot")) == 1
        assert (await world.bot.health())["telegram"] == "running"
        fake.fail("getUpdates", 502, times=4)
        await until(lambda: world.channel.health_state == "unreachable", within=15)
        assert (await world.bot.health())["telegram"] == "unreachable"
        await until(lambda: world.channel.health_state == "running", within=20)
        assert len(await world.say("Er ligt grofvuil naast de container in de Kanaalstraat")) == 1
