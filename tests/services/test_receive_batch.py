"""Intake.receive_batch: a poller's page is stored and its cursor advanced in one transaction; if that fails,
the messages are still taken one by one (store first), then the cursor is advanced."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.app import Wijkbot
from wijkbot.domain.model import InboundMessage, ReplyAddress
from wijkbot.storage.tables import messages


def _message(n: int, bot: Wijkbot) -> InboundMessage:
    return InboundMessage(ReplyAddress("test", f"poller-{n}"), f"ext-{n}",
                          "Er ligt grofvuil naast de container in de Kanaalstraat", bot.clock())


async def _stored(bot: Wijkbot) -> list[str]:
    async with bot.db.read() as conn:
        return [r.external_id for r in await conn.execute(select(messages.c.external_id).order_by(messages.c.id))]


async def test_a_batch_and_its_cursor_commit_together(bot: Wijkbot) -> None:
    seen: list[int] = []

    async def then(conn: AsyncConnection) -> None:
        seen.append(len((await conn.execute(select(messages.c.id))).all()))  # inside the same transaction

    results = await bot.intake.receive_batch([_message(1, bot), _message(2, bot)], then)
    assert [r.new_case for r in results] == [True, True] and seen == [2]
    again = await bot.intake.receive_batch([_message(1, bot)], then)  # fetched twice: stored once
    assert again[0].duplicate and await _stored(bot) == ["ext-1", "ext-2"]


async def test_when_the_batch_cannot_commit_the_messages_are_still_stored_first(bot: Wijkbot) -> None:
    calls: list[str] = []

    async def then(conn: AsyncConnection) -> None:
        calls.append("then")
        if len(calls) == 1:
            raise RuntimeError("cursor row locked")

    results = await bot.intake.receive_batch([_message(3, bot)], then)
    assert results[0].reference is not None and calls == ["then", "then"]
    assert await _stored(bot) == ["ext-3"]
