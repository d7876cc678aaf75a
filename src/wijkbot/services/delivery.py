"""Delivery: drains the outbox through the channel adapters, with retries and backoff.

Invariants: a message leaves only through the adapter of its own channel; a temporary failure is retried
with exponential backoff (or the channel's retry_after); a paused channel (ChannelPaused: an X budget used
up, refused credentials) holds the row without spending an attempt; after the last attempt, or on a
permanent failure, the row is marked failed with its reason (flagged, never dropped) and the case history
says so; an unknown or disabled channel is a temporary failure, so switching it on later still delivers; the
parts of a split message a channel reports as delivered are recorded with the retry and never sent again;
just before sending, a message we started ourselves is checked against the resident's /stop once more
(services.started_messages.withheld): one queued before the /stop is kept as `withheld`, never sent. Log lines
name the outbox row, its case, channel and attempt, never the address or the text.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.domain.model import OutboundMessage, ReplyAddress
from wijkbot.ports import ChannelAdapter, ChannelPaused, Clock, PermanentFailure, TemporaryFailure
from wijkbot.services.started_messages import withheld
from wijkbot.storage import outbox, repository
from wijkbot.storage.db import Database

log = logging.getLogger(__name__)

STOPPED = "de bewoner heeft /stop gestuurd"
BASE_BACKOFF = 5.0
MAX_BACKOFF = 3600.0


def backoff(attempt: int, retry_after: float | None = None) -> float:
    """Seconds to wait before the next attempt: the channel's wish, else 5 s doubling up to an hour."""
    if retry_after is not None and retry_after > 0:
        return float(min(float(retry_after), MAX_BACKOFF))
    return float(min(BASE_BACKOFF * 2.0 ** max(attempt - 1, 0), MAX_BACKOFF))


@dataclass(frozen=True, slots=True)
class _Outcome:
    state: str  # sent | retry | hold | failed
    external_id: str | None = None
    error: str = ""
    retry_at: datetime | None = None
    unreachable: bool = False
    parts_sent: int = 0


class Delivery:
    """Sends due outbox rows. Safe to run in several processes (rows are leased)."""

    def __init__(self, db: Database, channels: Mapping[str, ChannelAdapter], clock: Clock,
                 max_attempts: int = 8, batch_size: int = 100) -> None:
        self.db = db
        self.channels = channels
        self.clock = clock
        self.max_attempts = max_attempts
        self.batch_size = batch_size
        self.wake = asyncio.Event()

    async def drain(self) -> int:
        """Send everything that is due now; returns how many rows were handled."""
        handled = 0
        while True:
            async with self.db.write() as conn:
                rows = await outbox.claim_due(conn, self.clock(), self.batch_size, skip_locked=not self.db.is_sqlite)
            if not rows:
                return handled
            rows = await self._withhold(rows)
            started = time.perf_counter()
            outcomes = await asyncio.gather(*(self._send(row) for row in rows))
            await self._record(rows, outcomes)
            log.debug("delivered a batch of %d in %.1f ms", len(rows), (time.perf_counter() - started) * 1000)
            handled += len(rows)

    async def _withhold(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Rows the resident's /stop now holds back are kept as `withheld` (with a case event, so the ambtenaar
        sees it); the rest goes on to be sent."""
        held = [r for r in rows if withheld(r["purpose"], bool(r["opted_out"]), bool(r["wants_outcome"]))]
        if not held:
            return rows
        now = self.clock()
        async with self.db.write() as conn:
            await outbox.mark_withheld(conn, [r["id"] for r in held], STOPPED)
            for row in held:
                if row["case_id"]:
                    await repository.add_event(conn, row["case_id"], now, "systeem", "niet verstuurd",
                                               {"outbox_id": row["id"], "reden": STOPPED})
        return [r for r in rows if r not in held]

    async def _send(self, row: dict[str, Any]) -> _Outcome:
        adapter = self.channels.get(row["channel"])
        message = OutboundMessage(
            outbox_id=row["id"], reply_to=ReplyAddress(row["channel"], row["address"]), text=row["body"],
            case_reference=None, actions=tuple((str(a[0]), str(a[1])) for a in row["actions"] or ()),
            parts_sent=int(row.get("parts_sent") or 0),
        )
        try:
            if adapter is None:
                raise TemporaryFailure(f"channel '{row['channel']}' is not switched on")
            return _Outcome("sent", external_id=await adapter.send(message))
        except PermanentFailure as error:
            return _Outcome("failed", error=f"permanent: {error}", unreachable=True)
        except ChannelPaused as error:  # held, not failing: the attempt is given back
            at = self.clock() + timedelta(seconds=backoff(1, error.retry_after))
            log.info("outbox row %s (channel %s) held until %s: the channel is paused", row["id"], row["channel"],
                     at.isoformat())
            return _Outcome("hold", error=str(error), retry_at=at)
        except TemporaryFailure as error:
            return self._retry(row, str(error), error.retry_after, max(error.parts_sent, message.parts_sent))
        except Exception as error:  # an adapter bug must not lose the message: retry, then flag
            log.exception("channel %s raised while sending outbox row %s", row["channel"], row["id"])
            return self._retry(row, f"{type(error).__name__}: {error}", None)

    def _retry(self, row: dict[str, Any], error: str, retry_after: float | None, parts_sent: int = 0) -> _Outcome:
        if row["attempts"] >= self.max_attempts:
            return _Outcome("failed", error=f"gave up after {row['attempts']} attempts: {error}")
        at = self.clock() + timedelta(seconds=backoff(row["attempts"], retry_after))
        log.warning("outbox row %s (case %s, channel %s) attempt %s of %s failed, retry at %s: %s", row["id"],
                    row["case_id"] or "-", row["channel"], row["attempts"], self.max_attempts, at.isoformat(), error)
        return _Outcome("retry", error=error, retry_at=at, parts_sent=parts_sent)

    async def _record(self, rows: list[dict[str, Any]], outcomes: list[_Outcome]) -> None:
        """All outcomes of one batch in one transaction."""
        now = self.clock()
        async with self.db.write() as conn:
            await outbox.mark_sent_many(conn, [(r["id"], o.external_id) for r, o in zip(rows, outcomes, strict=True)
                                               if o.state == "sent"], now)
            for row, outcome in zip(rows, outcomes, strict=True):
                if outcome.state == "retry":
                    assert outcome.retry_at is not None
                    await outbox.mark_retry(conn, row["id"], outcome.retry_at, outcome.error[:500], outcome.parts_sent)
                elif outcome.state == "hold":
                    assert outcome.retry_at is not None
                    await outbox.mark_held(conn, row["id"], outcome.retry_at, outcome.error[:500])
                elif outcome.state == "failed":
                    await self._fail(conn, row, outcome, now)

    async def _fail(self, conn: AsyncConnection, row: dict[str, Any], outcome: _Outcome, now: datetime) -> None:
        log.error("outbox row %s (case %s, channel %s) failed at attempt %s, %s: %s", row["id"], row["case_id"] or "-",
                  row["channel"], row["attempts"], "resident marked unreachable" if outcome.unreachable
                  else "given up", outcome.error)
        await outbox.mark_failed(conn, row["id"], outcome.error[:500])
        if outcome.unreachable:
            await outbox.mark_unreachable(conn, row["contact_id"])
        if row["case_id"]:
            await repository.add_event(conn, row["case_id"], now, "systeem", "bezorging mislukt", {
                "outbox_id": row["id"], "reden": outcome.error[:200], "onbereikbaar": outcome.unreachable})

    async def run(self, stop: asyncio.Event, interval: float) -> None:
        """Drain whenever woken (after an intake or reply) and at least every `interval` seconds."""
        while not stop.is_set():
            self.wake.clear()  # before draining: a wake-up during the drain makes the wait return at once
            try:
                await self.drain()
            except Exception:  # the worker must survive a database hiccup; the rows stay in the outbox
                log.exception("delivery drain failed; will retry")
            wake_task = asyncio.ensure_future(self.wake.wait())
            stop_task = asyncio.ensure_future(stop.wait())
            await asyncio.wait({wake_task, stop_task}, timeout=interval, return_when=asyncio.FIRST_COMPLETED)
            wake_task.cancel()
            stop_task.cancel()
