"""The X channel within its budget and when X misbehaves: 80 % warning, 100 % pause (nothing read, nothing
posted, the web chat keeps working, answers held not lost), 429 waits for x-rate-limit-reset, 5xx backs off,
a revoked token stops the channel with a clear message instead of crashing the service."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from tests.channels.x.conftest import BotFactory, poll, start_x
from tests.support.fake_x import FakeX
from wijkbot.app import Wijkbot
from wijkbot.domain.x import Stream
from wijkbot.storage import repository
from wijkbot.storage.tables import outbox, x_cursors
from wijkbot.testing import FrozenClock

RESIDENT = "424242"
OFFICER = "anouk.voorbeeld@example.org"
GROFVUIL = "Er ligt al een week grofvuil naast de container in de Kanaalstraat"


async def x_rows(bot: Wijkbot) -> list[dict]:
    async with bot.db.read() as conn:
        return [dict(r) for r in (await conn.execute(select(outbox).where(outbox.c.channel == "x")
                                                     .order_by(outbox.c.id))).mappings()]


async def events(bot: Wijkbot, reference: str) -> list[str]:
    async with bot.db.read() as conn:
        case = await repository.case_by_reference(conn, reference)
        return [e["type"] for e in await repository.events_of(conn, case["id"])]


async def reference_of(bot: Wijkbot, row: dict) -> str:
    async with bot.db.read() as conn:
        case = await repository.case_by_id(conn, row["case_id"])
        return str(case["reference"])


async def webchat_still_answers(bot: Wijkbot) -> None:
    async with TestClient(TestServer(bot.web_app())) as client:
        sent = await client.post("/api/webchat/messages", json={
            "session": "webchat-session-1", "text": "De lantaarnpaal in de Amsterdamsestraatweg is kapot"})
        assert sent.status == 202
        for _ in range(100):  # the delivery worker may be the one sending it (when workers run)
            await bot.delivery.drain()
            got = await (await client.get("/api/webchat/messages", params={"session": "webchat-session-1"})).json()
            if got["messages"]:
                break
            await asyncio.sleep(0.05)
        assert len(got["messages"]) == 1 and (await sent.json())["case"] in got["messages"][0]["text"]
        health = await client.get("/health")
        assert health.status == 200 and (await health.json())["x"] in ("running", "paused", "stopped")


async def test_budget_warns_at_80_and_pauses_at_100_percent(make_x_bot: BotFactory, fake_x: FakeX,
                                                            clock: FrozenClock) -> None:
    bot = await make_x_bot(x_budget_reads=6, x_budget_writes=100)
    assert bot.x is not None
    await start_x(bot)  # users/me and two first polls: 3 reads
    fake_x.mention(RESIDENT, GROFVUIL)
    await poll(bot, Stream.MENTIONS)  # 4
    await bot.delivery.drain()
    assert len(fake_x.posted) == 1
    assert (await bot.x.guard.health()).budget.state == "ok"

    await poll(bot, Stream.DM_EVENTS)  # 5 of 6: warning
    health = await bot.x.guard.health()
    assert health.state == "running" and health.budget.state == "warning"
    assert "Let op" in health.budget_text and "83 %" in health.budget_text

    await poll(bot, Stream.MENTIONS)  # 6 of 6: paused
    health = await bot.x.guard.health("en")
    assert health.state == "paused" and health.budget.usage.reads == 6 and health.budget.share == 1.0
    assert "monthly budget" in health.text and "web chat" in health.text

    made = len(fake_x.requests)
    fake_x.mention("5555", "De lantaarnpaal in de Amsterdamsestraatweg is kapot")
    for stream in (Stream.MENTIONS, Stream.DM_EVENTS):
        assert await poll(bot, stream) == 300.0
    reference = await reference_of(bot, (await x_rows(bot))[0])
    await bot.actions.reply(reference, await bot.actions.actor(OFFICER), "We komen donderdag.")
    for _ in range(12):  # hours of retries: held, no attempt spent, nothing posted
        clock.advance(hours=1)
        await bot.delivery.drain()
    assert len(fake_x.requests) == made  # a refused request is never made
    held = (await x_rows(bot))[-1]
    assert held["status"] == "pending" and held["attempts"] == 0 and "maandbudget" in held["last_error"]
    assert (await events(bot, reference)).count("x gepauzeerd") == 1
    await webchat_still_answers(bot)

    clock.set(datetime(2026, 12, 1, 0, 5, tzinfo=UTC))  # a new month: a new budget
    await poll(bot, Stream.MENTIONS)
    assert (await bot.x.guard.health()).state == "running"
    await bot.delivery.drain()
    assert len(fake_x.posted) == 3  # the held answer (short, public) and the new mention's acknowledgement


async def test_write_budget_holds_answers_in_the_outbox(make_x_bot: BotFactory, fake_x: FakeX) -> None:
    bot = await make_x_bot(x_budget_writes=1)
    await start_x(bot)
    fake_x.mention("1111", GROFVUIL)
    fake_x.mention("2222", "De lantaarnpaal in de Amsterdamsestraatweg is kapot")
    await poll(bot, Stream.MENTIONS)
    await bot.delivery.drain()
    await bot.delivery.drain()
    assert len(fake_x.posted) == 1
    first, second = await x_rows(bot)
    assert first["status"] == "sent" and second["status"] == "pending" and second["attempts"] == 0
    assert "x gepauzeerd" in await events(bot, await reference_of(bot, second))
    assert bot.x is not None and (await bot.x.guard.health()).state == "paused"


async def test_429_while_polling_waits_until_the_reset(make_x_bot: BotFactory, fake_x: FakeX,
                                                       clock: FrozenClock) -> None:
    bot = await make_x_bot()
    await start_x(bot)
    reset = fake_x.exhaust("mentions")
    before = len(fake_x.calls("mentions"))
    wait = await poll(bot, Stream.MENTIONS)
    assert wait == pytest.approx((reset - clock()).total_seconds(), abs=1)
    assert len(fake_x.calls("mentions")) == before + 1

    clock.set(reset + timedelta(seconds=1))
    fake_x.mention(RESIDENT, GROFVUIL)
    assert await poll(bot, Stream.MENTIONS) == 300.0
    await bot.delivery.drain()
    assert len(fake_x.posted) == 1


async def test_429_while_sending_retries_at_the_reset(make_x_bot: BotFactory, fake_x: FakeX,
                                                      clock: FrozenClock) -> None:
    bot = await make_x_bot()
    await start_x(bot)
    fake_x.mention(RESIDENT, GROFVUIL)
    await poll(bot, Stream.MENTIONS)
    reset = fake_x.exhaust("tweets")
    await bot.delivery.drain()
    [row] = await x_rows(bot)
    assert row["status"] == "pending" and "429" in row["last_error"]
    assert abs((row["next_attempt_at"] - reset).total_seconds()) <= 1
    clock.set(reset - timedelta(seconds=5))
    await bot.delivery.drain()
    assert fake_x.posted == []
    clock.set(reset + timedelta(seconds=1))
    await bot.delivery.drain()
    assert len(fake_x.posted) == 1


async def test_server_errors_are_retried_with_backoff(make_x_bot: BotFactory, fake_x: FakeX,
                                                      clock: FrozenClock) -> None:
    bot = await make_x_bot()
    await start_x(bot)
    fake_x.mention(RESIDENT, GROFVUIL)
    fake_x.fail("mentions", 503, 502)
    assert await poll(bot, Stream.MENTIONS) == 5.0
    assert await poll(bot, Stream.MENTIONS) == 10.0
    fake_x.fail("tweets", 500)
    assert await poll(bot, Stream.MENTIONS) == 300.0
    await bot.delivery.drain()
    [row] = await x_rows(bot)
    assert row["status"] == "pending" and "500" in row["last_error"]
    clock.advance(seconds=6)
    await bot.delivery.drain()
    assert len(fake_x.posted) == 1


async def test_a_revoked_token_stops_the_channel_not_the_service(make_x_bot: BotFactory, fake_x: FakeX,
                                                                 clock: FrozenClock,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    bot = await make_x_bot()
    assert bot.x is not None
    await start_x(bot)
    fake_x.mention(RESIDENT, GROFVUIL)
    await poll(bot, Stream.MENTIONS)  # the acknowledgement waits in the outbox
    fake_x.revoked = True
    await poll(bot, Stream.DM_EVENTS)

    health = await bot.x.guard.health()
    assert health.state == "stopped" and "401" in (health.reason or "")
    assert "vernieuwen" in health.text and "webchat" in health.text
    stopped = [r for r in caplog.records if "X channel stopped" in r.getMessage()]
    assert stopped and stopped[0].levelno == logging.ERROR and "WIJKBOT_X_" in stopped[0].getMessage()
    [row] = await x_rows(bot)
    assert "x gestopt" in await events(bot, await reference_of(bot, row))

    made = len(fake_x.requests)
    for _ in range(3):
        await poll(bot, Stream.MENTIONS)
        clock.advance(hours=1)
        await bot.delivery.drain()
    assert len(fake_x.requests) == made  # stopped: no more requests
    [row] = await x_rows(bot)
    assert row["status"] == "pending" and row["attempts"] == 0  # held, not failed
    assert (await events(bot, await reference_of(bot, row))).count("x gestopt") == 1
    await webchat_still_answers(bot)


async def test_broken_credentials_at_start_leave_the_web_chat_working(make_x_bot: BotFactory, fake_x: FakeX) -> None:
    fake_x.revoked = True
    bot = await make_x_bot(x_mentions_interval_seconds=0.05, x_dm_interval_seconds=0.05)
    assert bot.x is not None
    await bot.start_workers()
    for _ in range(100):
        if bot.x.guard.stopped:
            break
        await asyncio.sleep(0.05)
    assert (await bot.x.guard.health()).state == "stopped"
    await webchat_still_answers(bot)
    await asyncio.sleep(0.2)
    assert len(fake_x.requests) == 1  # users/me only; the pollers do not hammer X
    await bot.stop_workers()


async def test_workers_poll_and_answer_and_stop_cleanly(make_x_bot: BotFactory, fake_x: FakeX) -> None:
    bot = await make_x_bot(x_mentions_interval_seconds=0.05, x_dm_interval_seconds=0.05)
    await bot.start_workers()
    for _ in range(100):  # until both first polls have noted where X stands
        async with bot.db.read() as conn:
            if len((await conn.execute(select(x_cursors))).all()) == 2:
                break
        await asyncio.sleep(0.05)
    fake_x.mention(RESIDENT, GROFVUIL)
    for _ in range(100):
        if fake_x.posted:
            break
        await asyncio.sleep(0.05)
    assert len(fake_x.posted) == 1
    tasks = list(bot._tasks)
    await bot.close()
    assert all(task.done() for task in tasks)


async def test_an_answer_by_dm_is_held_when_the_token_is_revoked_and_sent_after_a_restart(
        make_x_bot: BotFactory, fake_x: FakeX, clock: FrozenClock) -> None:
    bot = await make_x_bot()
    await start_x(bot)
    fake_x.dm(RESIDENT, GROFVUIL)
    fake_x.fail("dm", 403)  # X: this app may not send DMs any more
    await poll(bot, Stream.DM_EVENTS)
    await bot.delivery.drain()
    assert bot.x is not None and bot.x.guard.stopped
    await bot.close()

    fake_x.revoked = False
    restarted = await make_x_bot()  # new credentials, a restart
    await start_x(restarted)
    assert restarted.x is not None and (await restarted.x.guard.health()).state == "running"
    clock.advance(minutes=16)
    await restarted.delivery.drain()
    assert len(fake_x.sent_dms) == 1 and fake_x.sent_dms[0]["participant_id"] == RESIDENT


async def test_a_token_of_another_account_stops_the_channel(make_x_bot: BotFactory, fake_x: FakeX) -> None:
    bot = await make_x_bot(x_account_id="999")
    assert bot.x is not None and bot.x.poller is not None
    assert not await bot.x.poller.start()
    health = await bot.x.guard.health()
    assert health.state == "stopped" and "WIJKBOT_X_ACCOUNT_ID" in (health.reason or "")
    assert fake_x.calls("mentions") == []
