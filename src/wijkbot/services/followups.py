"""Follow-ups: runs planned rows that are due, after re-checking that they still make sense.

Invariants: a row is claimed (FOR UPDATE SKIP LOCKED on PostgreSQL, the write lock on SQLite) and marked done
or skipped in the same transaction that writes its effect, so it runs at most once across processes and
restarts; each case follows its own ServicePolicy (services.case_terms); a resident update is re-checked
against the case (closed or recently contacted: skipped) and planned again for the next interval, so no
resident is left without a message for longer than the interval: while the case waits on the resident the
update reminds them of our question and of the day the case closes without an answer, and once the term has
passed it says so and apologises instead of naming a date that has gone by; an
escalation step re-checks that the case is still open and overdue (services.escalation); "waiting-close"
closes a case the resident did not answer (services.waiting_close); nothing we start is sent at night and
nothing after /stop (services.started_messages), while the ambtenaar's reminders and escalations still run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.domain import case_plan
from wijkbot.domain import followups as plan
from wijkbot.domain.rules import RuleSet
from wijkbot.domain.workflow import Status, is_open
from wijkbot.ports import Clock
from wijkbot.services import started_messages
from wijkbot.services.case_terms import case_policy
from wijkbot.services.escalation import escalate
from wijkbot.services.texts import Texts
from wijkbot.services.waiting_close import close_unanswered
from wijkbot.storage import repository
from wijkbot.storage.db import Database
from wijkbot.storage.tables import cases, followups

log = logging.getLogger(__name__)


class FollowUps:
    def __init__(self, db: Database, rules: RuleSet, texts: Texts, clock: Clock, policy: plan.Policy | None = None,
                 notify_outbox: Callable[[], None] = lambda: None, batch_size: int = 200) -> None:
        self.db = db
        self.rules = rules
        self.texts = texts
        self.clock = clock
        self.notify_outbox = notify_outbox
        self.batch_size = batch_size
        self.tz = rules.municipality.timezone

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
            select(followups.c.id, followups.c.case_id, followups.c.kind, followups.c.due_at)
            .where(followups.c.status == "planned", followups.c.due_at <= now)
            .order_by(followups.c.due_at, followups.c.id).limit(self.batch_size)
        )
        if not self.db.is_sqlite:
            query = query.with_for_update(skip_locked=True)
        rows = [dict(r) for r in (await conn.execute(query)).mappings()]
        if not rows:
            return 0
        case_rows = {int(r["id"]): dict(r) for r in (await conn.execute(
            select(cases).where(cases.c.id.in_({r["case_id"] for r in rows})))).mappings()}
        touched: set[int] = set()
        for row in rows:
            case = case_rows[row["case_id"]]
            if row["case_id"] in touched:  # an earlier row of this batch changed it: read it again
                case = dict(await repository.case_by_id(conn, row["case_id"]) or case)
            ran = await self._run(conn, row, case, now)
            touched.add(row["case_id"])
            await conn.execute(update(followups).where(followups.c.id == row["id"]).values(
                status="done" if ran else "skipped", done_at=now))
        return len(rows)

    async def _run(self, conn: AsyncConnection, row: dict[str, Any], case: dict[str, Any], now: datetime) -> bool:
        kind = row["kind"]
        if kind == plan.FollowUpKind.UPDATE.value:
            return await self._update(conn, row, case, now)
        if kind == plan.FollowUpKind.REMINDER.value:
            if not is_open(Status(case["status"])) or case["status"] == Status.WACHT_OP_BEWONER.value:
                return False
            await repository.add_event(conn, case["id"], now, "systeem", "herinnering",
                                       {"termijn": str(case["due_date"])})
            return True
        if kind == case_plan.WAITING_CLOSE:
            return await close_unanswered(conn, self.texts, case, now)
        if case_plan.escalation_step(kind) is not None:
            return await escalate(conn, self.rules, case, kind, now)
        log.warning("unknown follow-up kind %r skipped", kind)
        return False

    async def _update(self, conn: AsyncConnection, row: dict[str, Any], case: dict[str, Any], now: datetime) -> bool:
        policy = case_policy(self.rules, case)
        interval = plan.Policy(update_interval_days=policy.update_every_days)
        status = Status(case["status"])
        if not is_open(status):
            return False
        # Waiting on the resident is checked like any open case: silence is silence, whoever has the ball.
        checked = Status.IN_BEHANDELING if status is Status.WACHT_OP_BEWONER else status
        if not plan.still_due(plan.FollowUpKind.UPDATE, checked, case["last_contact_at"], row["due_at"], interval,
                              self.tz):
            # In touch since this was planned: the next one counts from that contact, so silence never lasts
            # longer than the interval.
            await repository.plan_followups(conn, case["id"], [
                (plan.FollowUpKind.UPDATE.value, case_plan.next_update(case["last_contact_at"], policy, self.tz))])
            return False
        body = await self._update_text(conn, case, now)
        # After /stop nothing is sent, but the chain goes on: if the resident writes again, updates resume.
        await repository.plan_followups(conn, case["id"], [
            (plan.FollowUpKind.UPDATE.value, case_plan.next_update(now, policy, self.tz))])
        if await started_messages.send(conn, case, purpose="update", body=body, now=now, tz=self.tz) is None:
            return False
        await repository.update_case(conn, case["id"], now, last_contact_at=now)
        await repository.add_event(conn, case["id"], now, "systeem", "tussenbericht",
                                   {"wacht": True} if status is Status.WACHT_OP_BEWONER else {})
        return True

    async def _update_text(self, conn: AsyncConnection, case: dict[str, Any], now: datetime) -> str:
        lang = case["locale"]
        if case["status"] == Status.WACHT_OP_BEWONER.value:
            closes = await repository.planned_moment(conn, case["id"], case_plan.WAITING_CLOSE)
            if closes is not None:
                return self.texts.with_case("followup.waiting_reminder", lang, case,
                                            day=self.texts.t.date(closes.astimezone(ZoneInfo(self.tz)).date(), lang))
        if case["due_date"] < now.astimezone(ZoneInfo(self.tz)).date():
            return self.texts.with_case("followup.update_overdue", lang, case)
        return self.texts.with_case("followup.update", lang, case)
