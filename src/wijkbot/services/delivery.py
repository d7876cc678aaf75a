"""Delivery: drains the outbox through the channel adapters, with retries and backoff.

Invariants: a message leaves only through the adapter of its own channel; a temporary failure is retried
with exponential backoff (5 s doubling, at most an hour; or the channel's retry_after) for as long as the
give-up period after the row was queued (48 hours by default), so an outage of a day still delivers once the
channel is back; a wait the channel asked for (a 429's retry_after) is no failed attempt; a paused channel
(ChannelPaused: an X budget used up, refused credentials) holds the row without spending an attempt; when the
period is over (or the optional attempt limit is reached), or on a permanent failure (the resident blocked
the bot), the row is marked failed with its reason (flagged, never dropped), the case history says so in plain
Dutch with a cause code the inbox words in the reader's language, and an ambtenaar can queue it again from
the case page; an unknown or disabled channel is a temporary failure, so switching it on later still
delivers; the parts of a split message a channel reports as delivered are recorded with the retry and never
sent again; just before sending, a message we started ourselves is checked against the resident's /stop
once more (services.started_messages.withheld): one queued before the /stop is kept as `withheld`, never
sent. Log lines name the outbox row, its case, channel and attempt, never the address or the text; a row
given up is logged at WARNING.
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
from wijkbot.log_throttle import Outage
from wijkbot.ports import ChannelAdapter, ChannelPaused, Clock, PermanentFailure, TemporaryFailure
from wijkbot.services.started_messages import withheld
from wijkbot.storage import outbox, repository
from wijkbot.storage.db import Database

log = logging.getLogger(__name__)

STOPPED = "de bewoner heeft /stop gestuurd"
BASE_BACKOFF = 5.0
MAX_BACKOFF = 3600.0
GIVE_UP_AFTER = timedelta(hours=48)  # settings.delivery_give_up_hours

# Why a message was given up: a code the inbox words in the reader's language (inbox.delivery.cause.<code>).
CHANNEL_DOWN = "kanaal_onbereikbaar"  # the channel stayed unreachable for the whole give-up period
BLOCKED = "geblokkeerd"  # the resident blocked the bot
REFUSED = "geweigerd"  # the channel refuses the address for good (account gone, no conversation to answer)
CAUSES = (CHANNEL_DOWN, BLOCKED, REFUSED)
_CHANNEL_NAMES = {"telegram": "Telegram", "x": "X", "webchat": "de webchat", "console": "de terminal"}


def channel_name(channel: str) -> str:
    """A channel as a Dutch sentence names it ("via Telegram", "via de webchat")."""
    return _CHANNEL_NAMES.get(channel, channel)


def cause_of(error: str) -> str:
    """The cause code of a stored reason (`outbox.last_error`), also for rows given up before codes existed."""
    text = error.lower()
    if text.startswith("permanent:"):
        return BLOCKED if "blocked" in text or "geblokkeerd" in text else REFUSED
    return CHANNEL_DOWN


def plain_reason(cause: str, channel: str, hours: int | None = None) -> str:
    """The cause in plain Dutch (B1), as the case history keeps it and `wijkbot show` prints it."""
    name = _CHANNEL_NAMES.get(channel, "het kanaal")
    if cause == BLOCKED:
        return "de bewoner heeft de bot geblokkeerd"
    if cause == REFUSED:
        return f"{name} neemt het bericht niet aan: de bewoner is daar niet (meer) te bereiken"
    if hours:
        return f"{name} was {hours} uur niet bereikbaar"
    return f"{name} was niet bereikbaar, ook niet na een paar pogingen"


async def given_up(db: Database, since: datetime, limit: int = 200) -> tuple[int, list[dict[str, Any]]]:
    """The messages behind /health's `outbox_failed_7d`, for an operator: how many were given up since `since`
    (and not sent again), and the newest `limit` of them: row, case reference (None when the message belongs to
    no case), channel, purpose, when it was queued and given up, and the cause in plain Dutch. Never the
    resident's address or the text. Only reads."""
    async with db.read() as conn:
        count = await outbox.failed_count(conn, since)
        rows = await outbox.failed_since(conn, since, limit)
    return count, [dict(row) | {"reason": plain_reason(cause_of(str(row["last_error"] or "")), str(row["channel"]))}
                   for row in rows]


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
    waited: bool = False  # the channel asked us to wait (retry_after): no failed attempt
    hours: int | None = None  # how long it was tried, for a row given up


class Delivery:
    """Sends due outbox rows. Safe to run in several processes (rows are leased).

    A row is retried until `give_up_after` has passed since it was queued; `max_attempts` (None: no limit)
    can give it up sooner.
    """

    def __init__(self, db: Database, channels: Mapping[str, ChannelAdapter], clock: Clock,
                 max_attempts: int | None = None, batch_size: int = 100, *,
                 give_up_after: timedelta = GIVE_UP_AFTER) -> None:
        self.db = db
        self.channels = channels
        self.clock = clock
        self.max_attempts = max_attempts
        self.give_up_after = give_up_after
        self.batch_size = batch_size
        self.wake = asyncio.Event()

    async def health(self, window: timedelta = timedelta(days=7)) -> dict[str, object]:
        """For operators (/health): rows given up in the last `window` (and not queued again), and how many
        seconds the oldest row still waiting to go out has waited since it was queued (None: nothing late; a
        message held for the morning that was never tried does not count)."""
        now = self.clock()
        async with self.db.read() as conn:
            failed = await outbox.failed_count(conn, now - window)
            oldest = await outbox.oldest_pending(conn, now)
        waited = None if oldest is None else max(0, int((now - oldest).total_seconds()))
        return {f"outbox_failed_{window.days}d": failed, "outbox_oldest_pending_seconds": waited}

    async def given_up(self, window: timedelta = timedelta(days=7)) -> tuple[int, list[dict[str, Any]]]:
        """See `given_up`, from this worker's clock."""
        return await given_up(self.db, self.clock() - window)

    async def latest(self, reference: str, purpose: str = "reply") -> dict[str, Any] | None:
        """The state of the newest message of `purpose` on a case: status (pending, sent, failed, withheld),
        channel, attempts and last_error; None without such a message."""
        async with self.db.read() as conn:
            case = await repository.case_by_reference(conn, reference)
            row = None if case is None else await outbox.latest_of_case(conn, int(case["id"]), purpose)
        return None if row is None else dict(row)

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
        """Try again after the backoff (or the channel's retry_after), but not past the give-up moment; once
        that has come (or the attempt limit is reached), give up."""
        now = self.clock()
        queued: datetime = row["created_at"]
        deadline = queued + self.give_up_after
        tried = now - queued
        waited = retry_after is not None and retry_after > 0
        spent = row["attempts"] - (1 if waited else 0)  # a wait the channel asked for is given back
        # A channel that asks us to wait (429) is reachable: that is never a reason to give up.
        if not waited and (now >= deadline or (self.max_attempts is not None and spent >= self.max_attempts)):
            hours = round(tried.total_seconds() / 3600) or None  # under half an hour: no hours to tell
            span = f"{hours} h" if hours else f"{round(tried.total_seconds() / 60)} min"
            return _Outcome("failed", error=f"given up after {row['attempts']} attempts in {span}: {error}",
                            parts_sent=parts_sent, hours=hours)
        at = now + timedelta(seconds=backoff(row["attempts"], retry_after))
        at = at if waited else min(at, deadline)
        (log.info if waited else log.warning)(
            "outbox row %s (case %s, channel %s) attempt %s failed, retry at %s (given up at %s): %s", row["id"],
            row["case_id"] or "-", row["channel"], row["attempts"], at.isoformat(), deadline.isoformat(), error)
        return _Outcome("retry", error=error, retry_at=at, parts_sent=parts_sent, waited=waited)

    async def _record(self, rows: list[dict[str, Any]], outcomes: list[_Outcome]) -> None:
        """All outcomes of one batch in one transaction."""
        now = self.clock()
        async with self.db.write() as conn:
            await outbox.mark_sent_many(conn, [(r["id"], o.external_id) for r, o in zip(rows, outcomes, strict=True)
                                               if o.state == "sent"], now)
            for row, outcome in zip(rows, outcomes, strict=True):
                if outcome.state == "retry":
                    assert outcome.retry_at is not None
                    await outbox.mark_retry(conn, row["id"], outcome.retry_at, outcome.error[:500], outcome.parts_sent,
                                            give_back=outcome.waited)
                elif outcome.state == "hold":
                    assert outcome.retry_at is not None
                    await outbox.mark_held(conn, row["id"], outcome.retry_at, outcome.error[:500])
                elif outcome.state == "failed":
                    await self._fail(conn, row, outcome, now)

    async def _fail(self, conn: AsyncConnection, row: dict[str, Any], outcome: _Outcome, now: datetime) -> None:
        log.warning("outbox row %s (case %s, channel %s) failed at attempt %s, %s: %s", row["id"],
                    row["case_id"] or "-", row["channel"], row["attempts"], "resident marked unreachable"
                    if outcome.unreachable else "given up", outcome.error)
        await outbox.mark_failed(conn, row["id"], outcome.error[:500], now, outcome.parts_sent)
        if outcome.unreachable:
            await outbox.mark_unreachable(conn, row["contact_id"])
        if row["case_id"]:
            cause = cause_of(outcome.error)
            await repository.add_event(conn, row["case_id"], now, "systeem", "bezorging mislukt", {
                "outbox_id": row["id"], "reden": plain_reason(cause, row["channel"], outcome.hours),
                "oorzaak": cause, "uren": outcome.hours, "kanaal": row["channel"],
                "onbereikbaar": outcome.unreachable})

    async def run(self, stop: asyncio.Event, interval: float) -> None:
        """Drain whenever woken (after an intake or reply) and at least every `interval` seconds."""
        outage = Outage(log, "delivery")
        while not stop.is_set():
            self.wake.clear()  # before draining: a wake-up during the drain makes the wait return at once
            try:
                await self.drain()
            except Exception as error:  # the worker must survive a database hiccup; the rows stay in the outbox
                outage.failed(error)
            else:
                outage.succeeded()
            wake_task = asyncio.ensure_future(self.wake.wait())
            stop_task = asyncio.ensure_future(stop.wait())
            await asyncio.wait({wake_task, stop_task}, timeout=interval, return_when=asyncio.FIRST_COMPLETED)
            wake_task.cancel()
            stop_task.cancel()
