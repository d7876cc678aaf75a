"""The two ways updates arrive: webhook (our own route, secret token checked) and polling (getUpdates)."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import select

from tests.channels.telegram.conftest import CHAT, TelegramWorld, free_port, open_world
from tests.support.fake_telegram import FakeTelegram
from wijkbot.domain.model import InboundMessage, ReplyAddress
from wijkbot.storage.tables import messages, outbox
from wijkbot.testing import FrozenClock

ROOT = Path(__file__).resolve().parents[3]


async def stored_messages(world: TelegramWorld) -> int:
    async with world.bot.db.read() as conn:
        return len((await conn.execute(messages.select())).all())


async def test_webhook_mode_registers_our_route_with_a_secret(webhook_world: TelegramWorld,
                                                              fake: FakeTelegram) -> None:
    webhook = fake.webhook
    assert webhook is not None
    assert webhook["url"].endswith("/telegram/webhook")
    assert len(webhook["secret_token"]) >= 32
    assert set(webhook["allowed_updates"]) == {"message", "edited_message", "callback_query"}
    assert fake.count("getUpdates") == 0


async def test_the_webhook_refuses_what_does_not_carry_the_secret(webhook_world: TelegramWorld,
                                                                  fake: FakeTelegram) -> None:
    assert fake.webhook is not None
    url = fake.webhook["url"]
    update = json.dumps(fake.text(CHAT, "Er ligt grofvuil in de Kanaalstraat"))
    async with aiohttp.ClientSession() as http:
        async with http.post(url, data=update) as response:
            assert response.status == 401
        headers = {"X-Telegram-Bot-Api-Secret-Token": "raden-is-niet-genoeg"}
        async with http.post(url, data=update, headers=headers) as response:
            assert response.status == 403
        headers = {"X-Telegram-Bot-Api-Secret-Token": fake.webhook["secret_token"]}
        for body in ("{niet json", "[1, 2]", '{"update_id": "zeven"}', "\udcff".encode("utf-8", "surrogatepass")):
            async with http.post(url, data=body, headers=headers) as response:
                assert response.status == 400
    assert await stored_messages(webhook_world) == 0
    assert await webhook_world.received() == []


async def test_polling_mode_removes_a_webhook_and_takes_updates(tmp_path: Path, clock: FrozenClock,
                                                                fake: FakeTelegram) -> None:
    fake.webhook = {"url": "https://oud.example.org/hook", "secret_token": None, "allowed_updates": []}
    async with open_world(f"sqlite:///{tmp_path / 'w.db'}", clock, fake, "polling") as world:
        got = await world.say("De lantaarnpaal in de Kanaalstraat is kapot")
        assert len(got) == 1 and "UT-" in got[0]
        assert fake.webhook is None and fake.count("deleteWebhook", 200) == 1


async def test_polling_survives_getupdates_errors(tmp_path: Path, clock: FrozenClock, fake: FakeTelegram,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="wijkbot")
    async with open_world(f"sqlite:///{tmp_path / 'w.db'}", clock, fake, "polling") as world:
        fake.fail("getUpdates", 502)
        fake.fail("getUpdates", 409, description="Conflict: terminated by other getUpdates request")
        got = await world.say("De lantaarnpaal in de Kanaalstraat is kapot")
        assert len(got) == 1
        assert fake.count("getUpdates", 502) == 1 and fake.count("getUpdates", 409) == 1
    # The operator trial saw the warnings stop without a word: the log says when it works again.
    said = [r.getMessage() for r in caplog.records if r.name.startswith("wijkbot")]
    assert sum("getUpdates failed" in line for line in said) == 2
    assert "getUpdates works again after 2 failed attempts" in said


async def test_an_update_that_cannot_be_stored_is_taken_again(tmp_path: Path, clock: FrozenClock,
                                                              fake: FakeTelegram) -> None:
    async with open_world(f"sqlite:///{tmp_path / 'w.db'}", clock, fake, "polling") as world:
        inbound = world.channel._on_message
        failures = [RuntimeError("database away")]

        async def flaky(message):  # type: ignore[no-untyped-def]
            if failures:
                raise failures.pop()
            return await inbound(message)

        world.channel._on_message = flaky
        got = await world.say("De lantaarnpaal in de Kanaalstraat is kapot")
        assert len(got) == 1 and "UT-" in got[0]


async def test_stopping_ends_a_long_poll_at_once(tmp_path: Path, clock: FrozenClock, fake: FakeTelegram) -> None:
    async with open_world(f"sqlite:///{tmp_path / 'w.db'}", clock, fake, "polling", telegram_poll_timeout=30):
        await asyncio.sleep(0.3)  # the worker is now waiting in a 30 s getUpdates
        started = time.monotonic()
    assert time.monotonic() - started < 5


async def test_serve_with_only_a_token_polls_answers_and_stops_on_sigterm(tmp_path: Path, fake: FakeTelegram) -> None:
    env = os.environ | {
        "WIJKBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'w.db'}", "WIJKBOT_PORT": str(free_port()),
        "WIJKBOT_RULES_DIR": str(ROOT / "routing_rules" / "utrecht"), "WIJKBOT_LOG_LEVEL": "DEBUG",
        "WIJKBOT_TELEGRAM_TOKEN": fake.token, "WIJKBOT_TELEGRAM_API_URL": fake.url,
        "WIJKBOT_TELEGRAM_POLL_TIMEOUT": "2",
    }
    process = subprocess.Popen([sys.executable, "-m", "wijkbot", "serve"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        fake.enqueue(fake.text(CHAT, "De lantaarnpaal in de Kanaalstraat is kapot"))
        for _ in range(300):
            if fake.texts_to(CHAT):
                break
            await asyncio.sleep(0.1)
        assert "UT-" in fake.texts_to(CHAT)[0]
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert "polling" in output and "stopped" in output
    assert fake.token not in output and fake.token.split(":")[1] not in output  # httpx would log the URL
    assert str(CHAT) not in output and "Kanaalstraat" not in output


async def test_a_configured_webhook_secret_is_the_one_registered(tmp_path: Path, clock: FrozenClock,
                                                                 fake: FakeTelegram) -> None:
    async with open_world(f"sqlite:///{tmp_path / 'w.db'}", clock, fake, "webhook",
                          telegram_webhook_secret="eigen_geheim-2026") as world:
        assert fake.webhook is not None and fake.webhook["secret_token"] == "eigen_geheim-2026"
        assert len(await world.say("De lantaarnpaal in de Kanaalstraat is kapot")) == 1


async def test_a_refused_token_keeps_messages_in_the_outbox(webhook_world: TelegramWorld,
                                                            fake: FakeTelegram) -> None:
    real = fake.token
    fake.token = "1:revoked"  # BotFather revoked the token while we were running: 401 to every call
    message = InboundMessage(ReplyAddress("telegram", str(CHAT)), "x-1", "De lantaarnpaal in de Kanaalstraat is kapot",
                             webhook_world.clock())
    await webhook_world.bot.inbound.receive(message)
    assert await webhook_world.received() == []
    async with webhook_world.bot.db.read() as conn:
        row = (await conn.execute(select(outbox))).mappings().one()
    assert row["status"] == "pending" and "refused the token" in row["last_error"] and row["attempts"] == 0
    assert real not in row["last_error"]
    fake.token = real
