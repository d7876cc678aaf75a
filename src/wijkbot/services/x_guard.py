"""The X channel's guard: the monthly budget, counted in the database before every request, and the channel's
health (running, paused for the budget, stopped because X refused the credentials).

Invariants: a request is counted before it is made, in its own short write transaction; one that would pass
a monthly limit is refused (ChannelPaused) and not made. The state lives in the `x_status` row, so an inbox in
another process sees it; a change of state is logged once, and the cases with an X message waiting in the
outbox get a case event, so an ambtenaar sees why their answer has not left. Logs carry counts and reasons,
never an X user id, handle or text. Refused credentials stop the channel until the service is restarted with
new ones; the rest of the service (web chat, Telegram) keeps running.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.domain.x import BudgetStatus, Limits, Request, Usage, allows, month_of, status
from wijkbot.ports import ChannelPaused, Clock
from wijkbot.services.texts import Texts
from wijkbot.storage import repository, x_rows
from wijkbot.storage.db import Database

log = logging.getLogger(__name__)

HOLD_SECONDS = 900.0
BUDGET_REASON = "het maandbudget is op"  # how soon delivery looks again at a held X message (a cheap database check)
RUNNING, PAUSED, STOPPED, OFF = "running", "paused", "stopped", "off"
EVENT_TYPES = {PAUSED: "x gepauzeerd", STOPPED: "x gestopt"}
HEALTH_TEXTS = {RUNNING: "x.health.running", PAUSED: "x.health.paused", STOPPED: "x.health.stopped",
                OFF: "x.health.off"}
BUDGET_TEXTS = {"warning": "x.budget.warning", "paused": "x.budget.paused"}


@dataclass(frozen=True, slots=True)
class Health:
    """What the inbox shows about the X channel."""

    state: str  # running | paused | stopped | off
    reason: str | None
    since: datetime | None
    budget: BudgetStatus
    text: str  # the state in the ambtenaar's language
    budget_text: str  # "1.600 van 2.000 leesverzoeken ..." with a warning from 80 %


class XGuard:
    """Implements the XGate port for the adapter, and answers the inbox's questions about the channel."""

    def __init__(self, db: Database, limits: Limits, clock: Clock, texts: Texts, enabled: bool = True) -> None:
        self.db = db
        self.limits = limits
        self.clock = clock
        self.texts = texts
        self.enabled = enabled
        self._stopped: str | None = None

    async def before(self, request: Request) -> None:
        if self._stopped is not None:
            if request.is_write:  # an answer is being held: say so on its case
                await self._tell_waiting(STOPPED, self._stopped)
            raise ChannelPaused(self._stopped, retry_after=HOLD_SECONDS)
        now = self.clock()
        month = month_of(now)
        async with self.db.write() as conn:
            used = await x_rows.usage(conn, month, now, lock=True)
            allowed = allows(used, self.limits, request)
            if allowed:
                await x_rows.count(conn, month, request, now)
                used = used.plus(request)
            await self._after_count(conn, used, now, refused=not allowed)
        if not allowed:
            if request.is_write:
                await self._tell_waiting(PAUSED, BUDGET_REASON)
            raise ChannelPaused(f"X: {BUDGET_REASON}", retry_after=HOLD_SECONDS)

    async def _after_count(self, conn: AsyncConnection, used: Usage, now: datetime, refused: bool) -> None:
        budget = status(used, self.limits)
        row = await x_rows.status(conn)
        state = row["state"] if row else None
        if budget.state == "paused" or refused:
            if state != PAUSED:
                log.warning("X channel paused: the monthly budget is used up (%d reads, %d writes, share %.0f %%); "
                            "polling and posting wait for the next month or a higher budget", used.reads, used.writes,
                            budget.share * 100)
                await self._change(conn, PAUSED, BUDGET_REASON, now)
        elif state == PAUSED:
            log.info("X channel resumes: the budget allows requests again")
            await x_rows.set_status(conn, RUNNING, None, now)
        if budget.state in ("warning", "paused") and (row is None or row["warned_month"] != used.month):
            if budget.state == "warning":
                log.warning("X budget warning: %.0f %% of the monthly budget used", budget.share * 100)
            await x_rows.set_warned(conn, used.month, now)

    async def refused(self, reason: str) -> None:
        if self._stopped is not None:
            return
        self._stopped = reason
        log.error("X channel stopped: %s. Renew the WIJKBOT_X_* credentials and restart; the web chat and "
                  "Telegram keep working, X answers wait in the outbox", reason)
        async with self.db.write() as conn:
            await self._change(conn, STOPPED, reason, self.clock())

    async def running(self) -> None:
        """The credentials work (users/me answered): clear a stop left by an earlier run."""
        self._stopped = None
        async with self.db.write() as conn:
            row = await x_rows.status(conn)
            if row is None or row["state"] == STOPPED:
                await x_rows.set_status(conn, RUNNING, None, self.clock())

    @property
    def stopped(self) -> bool:
        return self._stopped is not None

    async def _change(self, conn: AsyncConnection, state: str, reason: str, now: datetime) -> None:
        await x_rows.set_status(conn, state, reason, now)
        await self._events(conn, state, reason, now)

    async def _events(self, conn: AsyncConnection, state: str, reason: str, since: datetime) -> None:
        """One case event per held case and pause (not one per retry)."""
        for case_id in await x_rows.cases_waiting(conn, EVENT_TYPES[state], since):
            await repository.add_event(conn, case_id, self.clock(), "systeem", EVENT_TYPES[state], {"reden": reason})

    async def _tell_waiting(self, state: str, reason: str) -> None:
        async with self.db.write() as conn:
            row = await x_rows.status(conn)
            since = row["changed_at"] if row and row["state"] == state else self.clock()
            await self._events(conn, state, reason, since)

    async def budget(self) -> BudgetStatus:
        now = self.clock()
        async with self.db.read() as conn:
            used = await x_rows.usage(conn, month_of(now), now, lock=False)
        return status(used, self.limits)

    async def health(self, lang: str = "nl") -> Health:
        """The channel's state and budget, for the inbox (also from another process: read from the database)."""
        budget = await self.budget()
        async with self.db.read() as conn:
            row = await x_rows.status(conn)
        state = OFF if not self.enabled else (row["state"] if row else RUNNING)
        if state in (RUNNING, PAUSED):  # the budget decides (a new month resumes before the next request)
            state = PAUSED if budget.state == "paused" else RUNNING
        reason = row["reason"] if row and state != RUNNING else None
        text = self.texts.simple(HEALTH_TEXTS[state], lang, reason=reason or "")
        return Health(state, reason, row["changed_at"] if row else None, budget, text, self._budget_text(budget, lang))

    def _budget_text(self, budget: BudgetStatus, lang: str) -> str:
        limits, used = budget.limits, budget.usage
        parts = [self.texts.simple("x.budget.line", lang, reads=used.reads, writes=used.writes,
                                   max_reads=limits.reads if limits.reads is not None else "-",
                                   max_writes=limits.writes if limits.writes is not None else "-",
                                   amount=f"{budget.amount:.2f}",
                                   max_amount=f"{limits.amount:.2f}" if limits.amount is not None else "-",
                                   share=round(budget.share * 100))]
        if budget.state != "ok":
            parts.append(self.texts.simple(BUDGET_TEXTS[budget.state], lang, share=round(budget.share * 100)))
        return " ".join(parts)
