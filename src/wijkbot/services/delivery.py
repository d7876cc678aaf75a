"""Delivery: drains the outbox through the channel adapters, with retries and backoff.

Invariants: a message leaves only through the adapter of its own channel; a temporary failure is retried
with exponential backoff (or the channel's retry_after); after the last attempt, or on a permanent failure,
the row is marked failed with its reason (flagged, never dropped) and the case history says so; an unknown
or disabled channel is a temporary failure, so switching the channel on later still delivers.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from wijkbot.domain.model import OutboundMessage, ReplyAddress
from wijkbot.ports import ChannelAdapter, Clock, PermanentFailure, TemporaryFailure
from wijkbot.storage import outbox, repository
from wijkbot.storage.db import Database

log = logging.getLogger(__name__)

BASE_BACKOFF = 5.0
MAX_BACKOFF = 3600.0


def backoff(attempt: int, retry_after: float | None = None) -> float:
    """Seconds to wait before the next attempt: the channel's wish, else 5 s doubling up to an hour."""
    if retry_after is not None and retry_after > 0:
        return float(min(float(retry_after), MAX_BACKOFF))
    return float(min(BASE_BACKOFF * 2.0 ** max(attempt - 1, 0), MAX_BACKOFF))


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
            await asyncio.gather(*(self._deliver(row) for row in rows))
            handled += len(rows)

    async def _deliver(self, row: dict[str, Any]) -> None:
        adapter = self.channels.get(row["channel"])
        message = OutboundMessage(
            outbox_id=row["id"], reply_to=ReplyAddress(row["channel"], row["address"]), text=row["body"],
            case_reference=None, actions=tuple((str(a[0]), str(a[1])) for a in row["actions"] or ()),
        )
        try:
            if adapter is None:
                raise TemporaryFailure(f"channel '{row['channel']}' is not switched on")
            external_id = await adapter.send(message)
        except PermanentFailure as error:
            await self._fail(row, f"permanent: {error}", unreachable=True)
        except TemporaryFailure as error:
            await self._retry(row, str(error), error.retry_after)
        except Exception as error:  # an adapter bug must not lose the message: retry, then flag
            log.exception("channel %s raised while sending outbox row %s", row["channel"], row["id"])
            await self._retry(row, f"{type(error).__name__}: {error}", None)
        else:
            async with self.db.write() as conn:
                await outbox.mark_sent(conn, row["id"], self.clock(), external_id)

    async def _retry(self, row: dict[str, Any], error: str, retry_after: float | None) -> None:
        if row["attempts"] >= self.max_attempts:
            await self._fail(row, f"gave up after {row['attempts']} attempts: {error}", unreachable=False)
            return
        at = self.clock() + timedelta(seconds=backoff(row["attempts"], retry_after))
        log.warning("outbox row %s (%s) will be retried at %s: %s", row["id"], row["channel"], at.isoformat(), error)
        async with self.db.write() as conn:
            await outbox.mark_retry(conn, row["id"], at, error[:500])

    async def _fail(self, row: dict[str, Any], error: str, unreachable: bool) -> None:
        log.error("outbox row %s (%s) failed: %s", row["id"], row["channel"], error)
        now = self.clock()
        async with self.db.write() as conn:
            await outbox.mark_failed(conn, row["id"], error[:500])
            if unreachable:
                await outbox.mark_unreachable(conn, row["contact_id"])
            if row["case_id"]:
                await repository.add_event(conn, row["case_id"], now, "systeem", "bezorging mislukt",
                                           {"outbox_id": row["id"], "reden": error[:200], "onbereikbaar": unreachable})

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
