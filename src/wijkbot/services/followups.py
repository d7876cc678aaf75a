"""Follow-ups: runs planned rows that are due, after re-checking that they still make sense.

Invariants: a row is claimed (FOR UPDATE SKIP LOCKED on PostgreSQL, the write lock on SQLite) and marked done
or skipped in the same transaction that writes its effect, so it runs at most once across processes and
restarts; a resident update is re-checked against the case (closed, waiting, recently contacted: skipped)
and planned again for the next interval; nothing is sent at night (planning puts rows in working hours); a
resident who sent /stop (contacts.opted_out) gets no more updates, while the ambtenaar's reminders still run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.domain import followups as plan
from wijkbot.domain.rules import RuleSet
from wijkbot.domain.workflow import Status
from wijkbot.ports import Clock
from wijkbot.services.texts import Texts
from wijkbot.storage import outbox, repository
from wijkbot.storage.db import Database
from wijkbot.storage.tables import cases, contacts, followups

log = logging.getLogger(__name__)


class FollowUps:
    def __init__(self, db: Database, rules: RuleSet, texts: Texts, clock: Clock, policy: plan.Policy,
                 notify_outbox: Callable[[], None] = lambda: None, batch_size: int = 200) -> None:
        self.db = db
        self.rules = rules
        self.texts = texts
        self.clock = clock
        self.policy = policy
        self.notify_outbox = notify_outbox
        self.batch_size = batch_size

    async def run_due(self) -> int:
        """Run every follow-up that is due now; returns how many were handled (run or skipped)."""
        handled = 0
        while True:
            async with self.db.write() as conn:
                count = await self._run_batch(conn)
            handled += count
            if count < self.batch_size:
                break
        if handled:
            self.notify_outbox()
        return handled

    async def _run_batch(self, conn: AsyncConnection) -> int:
        now = self.clock()
        query = (
            select(followups, cases.c.status.label("case_status"), cases.c.last_contact_at, cases.c.reference,
                   cases.c.contact_id, cases.c.locale, cases.c.department, cases.c.due_date, contacts.c.opted_out)
            .join(cases, cases.c.id == followups.c.case_id).join(contacts, contacts.c.id == cases.c.contact_id)
            .where(followups.c.status == "planned", followups.c.due_at <= now)
            .order_by(followups.c.due_at, followups.c.id).limit(self.batch_size)
        )
        if not self.db.is_sqlite:
            query = query.with_for_update(of=followups, skip_locked=True)
        rows = [dict(r) for r in (await conn.execute(query)).mappings()]
        for row in rows:
            kind = plan.FollowUpKind(row["kind"])
            due = plan.still_due(kind, Status(row["case_status"]), row["last_contact_at"], row["due_at"],
                                 self.policy, self.rules.municipality.timezone)
            if kind is plan.FollowUpKind.UPDATE and row["opted_out"]:
                due = False  # the resident sent /stop: no more messages without news (answers still come)
            if due:
                await self._run(conn, kind, row, now)
            await conn.execute(update(followups).where(followups.c.id == row["id"]).values(
                status="done" if due else "skipped", done_at=now))
        return len(rows)

    async def _run(self, conn: AsyncConnection, kind: plan.FollowUpKind, row: dict[str, Any], now: Any) -> None:
        if kind is plan.FollowUpKind.UPDATE:
            channel = await repository.contact_channel(conn, row["contact_id"])
            body = self.texts.with_case("followup.update", row["locale"], row)
            await outbox.enqueue(conn, contact_id=row["contact_id"], channel=channel, purpose="update", body=body,
                                 now=now, case_id=row["case_id"])
            await repository.update_case(conn, row["case_id"], now, last_contact_at=now)
            await repository.add_event(conn, row["case_id"], now, "systeem", "tussenbericht", {})
            next_due = plan.next_update(now, self.policy, self.rules.municipality.timezone)
            await repository.plan_followups(conn, row["case_id"], [(kind.value, next_due)])
        else:
            await repository.add_event(conn, row["case_id"], now, "systeem", "herinnering",
                                       {"termijn": str(row["due_date"])})
