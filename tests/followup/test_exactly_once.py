"""Exactly once: two real processes run the follow-up worker on one PostgreSQL database; 2,000 due updates
are each sent once (one outbox row and one event per case), and none leaves at night."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, insert, select

from tests.support.pg_cluster import PgCluster
from wijkbot.storage.db import Database
from wijkbot.storage.migrate import migrate
from wijkbot.storage.tables import case_events, cases, contacts, followups, outbox

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.postgres
CASES = 2000


async def plant(url: str) -> None:
    db = Database(url)
    await migrate(db)
    long_ago = datetime.now(UTC) - timedelta(days=60)
    async with db.write() as conn:
        await conn.execute(insert(contacts), [
            {"channel": "webchat", "address": f"sess-{n:05d}", "created_at": long_ago} for n in range(CASES)])
        ids = (await conn.execute(select(contacts.c.id).order_by(contacts.c.id))).scalars().all()
        await conn.execute(insert(cases), [
            {"reference": f"UT-{n:06d}", "kind": "melding", "status": "in behandeling", "department": "stadswerken",
             "team": "stadswerken-west", "contact_id": contact_id, "sla_days": 5, "due_date": date(2099, 1, 1),
             "created_at": long_ago, "updated_at": long_ago, "last_contact_at": long_ago, "routing": {}}
            for n, contact_id in enumerate(ids)])
        case_ids = (await conn.execute(select(cases.c.id))).scalars().all()
        await conn.execute(insert(followups), [
            {"case_id": case_id, "kind": "update", "due_at": long_ago + timedelta(days=7), "status": "planned"}
            for case_id in case_ids])
    await db.dispose()


async def test_two_processes_send_each_due_follow_up_exactly_once(pg_cluster: PgCluster) -> None:
    url = pg_cluster.create_database("t_followups_exactly_once")
    await plant(url)
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "tests.support.followup_worker", url, str(ROOT / "routing_rules" / "utrecht"),
               str(ROOT / "locales"), "50"]
    workers = [await asyncio.create_subprocess_exec(*command, cwd=ROOT, env=env, stderr=subprocess.PIPE)
               for _ in range(2)]
    results = await asyncio.gather(*(asyncio.wait_for(w.communicate(), timeout=300) for w in workers))
    for worker, (_out, err) in zip(workers, results, strict=True):
        assert worker.returncode == 0, err.decode()[-2000:]
    db = Database(url)
    try:
        async with db.read() as conn:
            per_case = (await conn.execute(select(outbox.c.case_id, func.count()).where(outbox.c.purpose == "update")
                                           .group_by(outbox.c.case_id))).all()
            events = (await conn.execute(select(func.count()).select_from(case_events)
                                         .where(case_events.c.type == "tussenbericht"))).scalar_one()
            left = (await conn.execute(select(func.count()).select_from(followups).where(
                followups.c.status == "planned", followups.c.due_at <= datetime.now(UTC)))).scalar_one()
            moments = (await conn.execute(select(outbox.c.next_attempt_at))).scalars().all()
    finally:
        await db.dispose()
    assert len(per_case) == CASES and {count for _case, count in per_case} == {1}
    assert events == CASES and left == 0
    local = [m.astimezone(ZoneInfo("Europe/Amsterdam")).time() for m in moments]
    assert all(m.hour >= 8 and m.hour < 21 for m in local)  # held until morning when the test runs at night
