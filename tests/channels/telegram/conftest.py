"""The Telegram world of a test: the fake Bot API, the service with its Telegram channel, and a resident's chat.

The service runs as in production: its aiohttp app listens on a real port (the fake posts webhook updates to
it), the channel's worker registers the webhook or polls getUpdates, every Bot API call is real HTTP to the
fake. Only the clock is frozen (so retries and the 30-minute rule are under the test's control) and delivery
is drained by the test instead of by the background worker, so a test reads as a conversation.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web

from tests.conftest import ROOT, UTRECHT, _bot
from tests.support.fake_telegram import FakeTelegram, Sent
from wijkbot.app import Wijkbot
from wijkbot.channels.telegram import TelegramChannel
from wijkbot.settings import Settings
from wijkbot.storage import repository
from wijkbot.testing import FrozenClock, RecordingChannel

CHAT = 51_000_001


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class TelegramWorld:
    bot: Wijkbot
    fake: FakeTelegram
    mode: str
    clock: FrozenClock
    _seen: dict[int, int] = field(default_factory=dict)

    @property
    def channel(self) -> TelegramChannel:
        channel = self.bot.channels["telegram"]
        assert isinstance(channel, TelegramChannel)
        return channel

    async def deliver(self, update: dict[str, Any]) -> None:
        """Telegram hands the update to the service, the way the current mode does; returns once it is stored."""
        if self.mode == "webhook":
            assert await self.fake.deliver(update) == 200
        else:
            self.fake.enqueue(update)
            await self.fake.wait_confirmed(update["update_id"])

    async def received(self, chat: int = CHAT) -> list[str]:
        """Deliver what is due; the texts this chat got since the last look."""
        await self.channel.settled()
        await self.bot.delivery.drain()
        texts = self.fake.texts_to(chat)
        new, self._seen[chat] = texts[self._seen.get(chat, 0):], len(texts)
        return new

    async def say(self, text: str, chat: int = CHAT) -> list[str]:
        await self.deliver(self.fake.text(chat, text))
        return await self.received(chat)

    def last_message(self, chat: int = CHAT) -> Sent:
        return self.fake.messages_to(chat)[-1]

    async def press(self, label_starts: str, chat: int = CHAT) -> list[str]:
        """The resident presses the button whose label starts with `label_starts` under the last question."""
        question = next(s for s in reversed(self.fake.messages_to(chat)) if s.buttons)
        data = next(d for label, d in question.buttons if label.startswith(label_starts))
        await self.deliver(self.fake.press(question, data))
        return await self.received(chat)

    async def case(self, reference: str) -> dict[str, Any]:
        async with self.bot.db.read() as conn:
            row = await repository.case_by_reference(conn, reference)
        assert row is not None, reference
        return dict(row)


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    instance = FakeTelegram()
    await instance.start()
    yield instance
    await instance.stop()


@asynccontextmanager
async def open_world(database_url: str, clock: FrozenClock, fake: FakeTelegram, mode: str,
                     **settings: Any) -> AsyncIterator[TelegramWorld]:
    port = free_port()
    webhook = f"http://127.0.0.1:{port}/telegram/webhook" if mode == "webhook" else None
    # One message a second per chat is what Telegram asks; conversation tests do not need to wait for it (the
    # pacing tests and the benchmark use the real interval).
    settings = {"telegram_seconds_per_chat": 0.0, "telegram_poll_timeout": 1} | settings
    config = Settings(database_url=database_url, rules_dir=UTRECHT, locales_dir=ROOT / "locales",
                      telegram_token=fake.token, telegram_api_url=fake.url, telegram_webhook_url=webhook,
                      _env_file=None, **settings)  # type: ignore[call-arg]
    bot = await _bot(config, clock, RecordingChannel())
    runner = web.AppRunner(bot.web_app(), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    stop = asyncio.Event()
    channel = bot.channels["telegram"]
    assert isinstance(channel, TelegramChannel)
    worker = asyncio.create_task(channel.run(stop))
    try:
        if mode == "webhook":
            await fake.wait_webhook()
        yield TelegramWorld(bot, fake, mode, clock)
    finally:
        stop.set()
        await asyncio.wait_for(worker, timeout=10)
        await runner.cleanup()
        await bot.close()


@pytest.fixture(params=["webhook", "polling"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def world(tmp_path: Any, clock: FrozenClock, fake: FakeTelegram, mode: str) -> AsyncIterator[TelegramWorld]:
    """SQLite, both modes."""
    async with open_world(f"sqlite:///{tmp_path / 'wijkbot.db'}", clock, fake, mode) as w:
        yield w


@pytest.fixture
async def webhook_world(tmp_path: Any, clock: FrozenClock, fake: FakeTelegram) -> AsyncIterator[TelegramWorld]:
    """SQLite, webhook mode: for outbound behaviour, which does not depend on how updates arrive."""
    async with open_world(f"sqlite:///{tmp_path / 'wijkbot.db'}", clock, fake, "webhook") as w:
        yield w
