"""Delivery: retries with backoff, flags what keeps failing, never drops a message."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from wijkbot.app import Wijkbot
from wijkbot.domain.model import OutboundMessage
from wijkbot.ports import PermanentFailure, TemporaryFailure
from wijkbot.services.delivery import backoff
from wijkbot.storage import repository
from wijkbot.storage.tables import contacts, outbox
from wijkbot.testing import FrozenClock, Harness, RecordingChannel


@dataclass
class FlakyChannel(RecordingChannel):
    failures: list[Exception] = field(default_factory=list)

    async def send(self, message: OutboundMessage) -> str | None:
        if self.failures:
            raise self.failures.pop(0)
        return await super().send(message)


def test_backoff_doubles_and_honours_retry_after() -> None:
    assert [backoff(n) for n in (1, 2, 3)] == [5.0, 10.0, 20.0]
    assert backoff(30) == 3600.0
    assert backoff(1, retry_after=7) == 7.0


async def outbox_rows(bot: Wijkbot) -> list[dict]:
    async with bot.db.read() as conn:
        return [dict(r) for r in (await conn.execute(select(outbox))).mappings()]


async def test_temporary_failures_are_retried_later_and_then_delivered(bot: Wijkbot, clock: FrozenClock) -> None:
    flaky = FlakyChannel(name="test", failures=[TemporaryFailure("HTTP 500"), TemporaryFailure("429", 30)])
    bot.channels["test"] = flaky
    resident = Harness(bot, flaky)
    assert await resident.say("Er ligt grofvuil naast de container in de Kanaalstraat") == []
    row = (await outbox_rows(bot))[0]
    assert row["status"] == "pending" and row["last_error"] == "HTTP 500"
    clock.advance(seconds=5)
    assert await resident.received() == []  # second failure: 429 asks for 30 s
    clock.advance(seconds=10)
    assert await resident.received() == []  # not yet due
    clock.advance(seconds=25)
    got = await resident.received()
    assert len(got) == 1 and resident.reference in got[0]
    assert (await outbox_rows(bot))[0]["status"] == "sent"


async def test_a_message_that_keeps_failing_is_flagged_not_dropped(bot: Wijkbot, clock: FrozenClock) -> None:
    flaky = FlakyChannel(name="test", failures=[TemporaryFailure("down")] * 100)
    bot.channels["test"] = flaky
    resident = Harness(bot, flaky)
    await resident.say("Er ligt grofvuil naast de container in de Kanaalstraat")
    for _ in range(23):  # 46 hours: still trying (the default give-up period is 48 hours)
        clock.advance(hours=2)
        await bot.delivery.drain()
    assert (await outbox_rows(bot))[0]["status"] == "pending"
    for _ in range(2):
        clock.advance(hours=2)
        await bot.delivery.drain()
    row = (await outbox_rows(bot))[0]
    assert row["status"] == "failed"
    assert row["last_error"].startswith("given up after") and "48 h" in row["last_error"]
    async with bot.db.read() as conn:
        case = await repository.case_by_reference(conn, resident.reference)
        events = [e for e in await repository.events_of(conn, case["id"]) if e["type"] == "bezorging mislukt"]
    assert len(events) == 1 and events[0]["data"]["oorzaak"] == "kanaal_onbereikbaar"
    assert events[0]["data"]["reden"] == "het kanaal was 48 uur niet bereikbaar"


async def test_permanent_failure_marks_the_address_unreachable(bot: Wijkbot) -> None:
    flaky = FlakyChannel(name="test", failures=[PermanentFailure("403 bot blocked")])
    bot.channels["test"] = flaky
    resident = Harness(bot, flaky)
    await resident.say("Er ligt grofvuil naast de container in de Kanaalstraat")
    assert (await outbox_rows(bot))[0]["status"] == "failed"
    async with bot.db.read() as conn:
        unreachable = (await conn.execute(select(contacts.c.unreachable))).scalar_one()
    assert unreachable is True


async def test_unknown_channel_waits_instead_of_losing(bot: Wijkbot, channel: RecordingChannel) -> None:
    resident = Harness(bot, channel)
    del bot.channels["test"]
    await resident.say("Er ligt grofvuil naast de container in de Kanaalstraat")
    row = (await outbox_rows(bot))[0]
    assert row["status"] == "pending" and "not switched on" in row["last_error"]
