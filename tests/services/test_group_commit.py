"""Many messages at once: written together, yet each resident's conversation stays whole."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from wijkbot.app import Wijkbot
from wijkbot.storage.tables import cases, messages, outbox
from wijkbot.testing import Harness, RecordingChannel


async def test_concurrent_messages_each_get_one_answer_and_one_case(any_bot: Wijkbot,
                                                                   channel: RecordingChannel) -> None:
    residents = [Harness(any_bot, channel) for _ in range(60)]
    await asyncio.gather(*(r.say("Er ligt grofvuil naast de container in de Kanaalstraat") for r in residents))
    references = {r.reference for r in residents}
    assert len(references) == 60
    async with any_bot.db.read() as conn:
        assert (await conn.execute(select(func.count()).select_from(cases))).scalar_one() == 60
        assert (await conn.execute(select(func.count()).select_from(outbox))).scalar_one() == 60
        per_officer = [n for (n,) in await conn.execute(
            select(func.count()).select_from(cases).group_by(cases.c.officer_id))]
    assert max(per_officer) - min(per_officer) <= 1  # work is spread evenly over the team


async def test_same_resident_twice_in_one_batch_joins_one_case(bot: Wijkbot, channel: RecordingChannel) -> None:
    resident = Harness(bot, channel)
    first, second = await asyncio.gather(
        bot.intake.receive(_message(resident, "De lantaarnpaal in de Kanaalstraat is kapot", "a")),
        bot.intake.receive(_message(resident, "Hij is al een week uit", "b")),
    )
    assert first.reference == second.reference
    got = await resident.received()
    assert len(got) == 2 and "toegevoegd" in got[1]


async def test_redelivery_inside_one_batch_is_stored_once(bot: Wijkbot, channel: RecordingChannel) -> None:
    resident = Harness(bot, channel)
    results = await asyncio.gather(*(bot.intake.receive(
        _message(resident, "De lantaarnpaal in de Kanaalstraat is kapot", "same")) for _ in range(3)))
    assert [r.duplicate for r in results] == [False, True, True]
    assert len({r.reference for r in results}) == 1
    async with bot.db.read() as conn:
        assert (await conn.execute(select(func.count()).select_from(messages))).scalar_one() == 1


def _message(resident: Harness, text: str, external_id: str):  # type: ignore[no-untyped-def]
    from wijkbot.domain.model import InboundMessage, ReplyAddress

    return InboundMessage(ReplyAddress(resident.channel.name, resident.address), external_id, text,
                          resident.bot.clock())
