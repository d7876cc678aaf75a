"""Two service instances on one PostgreSQL database: nothing lost or doubled when they race."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.support.pg_cluster import PgCluster
from wijkbot.app import build
from wijkbot.domain.model import InboundMessage, ReplyAddress
from wijkbot.settings import Settings
from wijkbot.storage.tables import contacts, messages, outbox
from wijkbot.testing import FrozenClock

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.postgres


async def test_same_new_resident_on_two_instances_at_once(pg_cluster: PgCluster, clock: FrozenClock) -> None:
    url = pg_cluster.create_database("t_two_instances")
    settings = Settings(database_url=url, rules_dir=ROOT / "routing_rules" / "utrecht",
                        locales_dir=ROOT / "locales", _env_file=None)  # type: ignore[call-arg]
    first, second = await build(settings, clock), await build(settings, clock)
    try:
        for round_number in range(5):
            address = ReplyAddress("webchat", f"racer-{round_number}-0000")
            results = await asyncio.gather(*(
                bot.intake.receive(InboundMessage(address, f"{round_number}-{n}",
                                                  "De lantaarnpaal in de Kanaalstraat is kapot", clock()))
                for n, bot in enumerate((first, second))
            ))
            assert all(r.message_id for r in results)
        async with first.db.read() as conn:
            assert (await conn.execute(select(func.count()).select_from(contacts))).scalar_one() == 5
            assert (await conn.execute(select(func.count()).select_from(messages))).scalar_one() == 10
            assert (await conn.execute(select(func.count()).select_from(outbox))).scalar_one() == 10
    finally:
        await first.close()
        await second.close()
