"""Fixtures for tests that use the inbox's pages next to the web chat: a seeded service on its own SQLite file
(`bot`) and the demo ambtenaren, each with a browser session (`officers`). A module imports both fixture
functions; their names differ from the fixtures', so a test's `bot` and `officers` shadow no import."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.inbox.conftest import Pool, officer_pool, sqlite_inbox
from wijkbot.app import Wijkbot
from wijkbot.testing import FrozenClock, RecordingChannel


@pytest.fixture(name="bot")
async def inbox_bot_fixture(tmp_path: Path, clock: FrozenClock, channel: RecordingChannel) -> AsyncIterator[Wijkbot]:
    async with sqlite_inbox(tmp_path, clock, channel) as instance:
        yield instance


@pytest.fixture(name="officers")
async def officers_fixture(bot: Wijkbot) -> AsyncIterator[Pool]:
    async with officer_pool(bot) as pool:
        yield pool
