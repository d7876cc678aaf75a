"""Fixtures for the X channel: a fake X API over real HTTP, and the service wired to it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from tests.conftest import ROOT, UTRECHT
from tests.support.fake_x import FakeX
from wijkbot.app import Wijkbot, build
from wijkbot.domain.x import Stream
from wijkbot.seed import seed_officers
from wijkbot.settings import Settings
from wijkbot.testing import FrozenClock

CREDENTIALS = {"x_api_key": "ck", "x_api_secret": "cs", "x_access_token": "at",
               "x_access_token_secret": "ats"}


@pytest.fixture
async def fake_x(clock: FrozenClock) -> AsyncIterator[FakeX]:
    fake = await FakeX(clock).start()
    yield fake
    await fake.close()


def x_settings(database_url: str, fake: FakeX, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"database_url": database_url, "rules_dir": UTRECHT, "locales_dir": ROOT / "locales",
                              "x_api_url": fake.url, **CREDENTIALS, **overrides}
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


BotFactory = Callable[..., Awaitable[Wijkbot]]


@pytest.fixture
async def make_x_bot(database_url: str, fake_x: FakeX, clock: FrozenClock) -> AsyncIterator[BotFactory]:
    """Builds the service against the fake (on SQLite and on PostgreSQL); a second call is a restart."""
    bots: list[Wijkbot] = []

    async def make(**overrides: Any) -> Wijkbot:
        settings = x_settings(database_url, fake_x, **overrides)
        bot = await build(settings, clock)
        if not bots:
            await seed_officers(settings, ROOT / "deploy" / "demo" / "utrecht_officers.yaml")
        bots.append(bot)
        return bot

    yield make
    for bot in bots:
        await bot.close()


async def poll(bot: Wijkbot, stream: Stream) -> float:
    assert bot.x is not None and bot.x.poller is not None
    return await bot.x.poller.poll(stream)


async def start_x(bot: Wijkbot) -> None:
    """What the polling task does first: users/me, then one baseline poll of each stream."""
    assert bot.x is not None and bot.x.poller is not None
    assert await bot.x.poller.start()
    await poll(bot, Stream.MENTIONS)
    await poll(bot, Stream.DM_EVENTS)
