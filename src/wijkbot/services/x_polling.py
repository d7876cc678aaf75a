"""Polling X: one background task per stream (mentions of the account, DM events), on an interval from the
settings, with a cursor persisted in the database.

Invariants:
- Store first, then advance: each page's new messages go through the one door (`Inbound.receive_batch`:
  commands and typed survey answers as in every channel, the rest through intake) and the cursor is saved in
  the same transaction as intake's writes. A restart resumes from the saved cursor, a pagination token included,
  so nothing is skipped; what is fetched twice is stored once (messages are unique on channel + external id).
- The first poll of a stream (no cursor yet) only notes where X stands: the channel starts "now" and never
  pays to read months of old posts and DMs.
- Frugal: at most `max_pages` pages per poll (the rest follows next time); a refused request (budget, stopped
  channel) costs nothing and is tried again after the interval; a 429 waits until X's reset time; a 5xx or
  network trouble is retried with a growing pause (5 s doubling, at most 15 min).
- A resident's first DM also queues, in that transaction, the full text of what they only saw as a public
  notice before (services.x_catch_up).
- Logs hold counts and states only.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.domain.x import Cursor, Page, Stream, advance, is_new, restart
from wijkbot.ports import ChannelPaused, Clock, InvalidCursor, TemporaryFailure, XReader
from wijkbot.services import x_catch_up
from wijkbot.services.inbound import Inbound
from wijkbot.services.texts import Texts
from wijkbot.services.x_guard import XGuard
from wijkbot.storage import x_rows
from wijkbot.storage.db import Database

log = logging.getLogger(__name__)

FIRST_BACKOFF = 5.0
MAX_BACKOFF = 900.0
BASELINE_RESULTS = {Stream.MENTIONS: 5, Stream.DM_EVENTS: 1}  # the smallest page X allows


class XPoller:
    def __init__(self, db: Database, inbound: Inbound, reader: XReader, guard: XGuard, clock: Clock,
                 intervals: Mapping[Stream, float], *, account_id: str | None = None, page_size: int = 100,
                 max_pages: int = 5, texts: Texts | None = None) -> None:
        self.db = db
        self.inbound = inbound
        self.reader = reader
        self.guard = guard
        self.clock = clock
        self.intervals = dict(intervals)
        self.account_id = account_id
        self.page_size = page_size
        self.max_pages = max_pages
        self.texts = texts
        self._failures: dict[Stream, int] = {}

    async def start(self) -> bool:
        """Check the credentials once (users/me); False when the channel cannot run now."""
        try:
            own = await self.reader.me()
        except ChannelPaused as paused:
            log.warning("X channel not started: %s", paused)
            return False
        except TemporaryFailure as error:
            log.warning("X could not be reached at start (%s); the pollers will try again", error)
            return False
        if self.account_id and own != self.account_id:
            await self.guard.refused("het token hoort bij een ander X-account dan WIJKBOT_X_ACCOUNT_ID")
            return False
        await self.guard.running()
        log.info("X channel running")
        return True

    async def poll(self, stream: Stream) -> float:
        """Fetch what is new on one stream; returns the seconds until this stream should be polled again."""
        interval = self.intervals[stream]
        try:
            await self._poll(stream)
        except ChannelPaused:
            return interval
        except InvalidCursor:
            log.warning("X refused the %s pagination token; starting that poll again from the stored position",
                        stream)
            await self._save(stream, restart(await self._cursor(stream) or Cursor()))
            return FIRST_BACKOFF
        except TemporaryFailure as error:
            return self._wait_after(stream, error)
        self._failures[stream] = 0
        return interval

    def _wait_after(self, stream: Stream, error: TemporaryFailure) -> float:
        if error.retry_after is not None:
            log.warning("X polling %s: %s; waiting %.0f s as X asks", stream, error, error.retry_after)
            return max(1.0, float(error.retry_after))
        failures = self._failures.get(stream, 0) + 1
        self._failures[stream] = failures
        wait = min(FIRST_BACKOFF * 2.0 ** (failures - 1), MAX_BACKOFF)
        log.warning("X polling %s failed (%s); trying again in %.0f s", stream, error, wait)
        return wait

    async def _poll(self, stream: Stream) -> None:
        cursor = await self._cursor(stream)
        if cursor is None:
            page = await self.reader.read(stream, Cursor(), BASELINE_RESULTS[stream])
            newest = max(page.ids, key=int) if page.ids else None
            await self._save(stream, Cursor(since_id=newest))
            log.info("X %s: first poll, starting from now (older items are not read)", stream)
            return
        stored = 0
        for _ in range(self.max_pages):
            page = await self.reader.read(stream, cursor, self.page_size)
            cursor, done, taken = await self._store(stream, cursor, page)
            stored += taken
            if done:
                break
        if stored:
            log.info("X %s: %d new message(s) taken in", stream, stored)

    async def _store(self, stream: Stream, cursor: Cursor, page: Page) -> tuple[Cursor, bool, int]:
        fresh = [m for m in page.messages if is_new(m.external_id.split(":", 1)[1], cursor.since_id)]
        following, done = advance(cursor, page)

        async def save(conn: AsyncConnection) -> None:
            await x_rows.save_cursor(conn, stream, following, self.clock())
            if stream is Stream.DM_EVENTS and self.texts is not None:  # a first DM: what went public, in full
                await x_catch_up.queue(conn, self.texts, [m.reply_to.address for m in fresh], self.clock())

        # X lists newest first; intake takes them oldest first, so a resident's first message opens the case
        results = await self.inbound.receive_batch(list(reversed(fresh)), save)
        return following, done, sum(not r.duplicate for r in results)

    async def _cursor(self, stream: Stream) -> Cursor | None:
        async with self.db.read() as conn:
            return await x_rows.cursor(conn, stream)

    async def _save(self, stream: Stream, cursor: Cursor) -> None:
        async with self.db.write() as conn:
            await x_rows.save_cursor(conn, stream, cursor, self.clock())

    async def run(self, stream: Stream, stop: asyncio.Event) -> None:
        """Poll one stream until `stop` is set; survives any error (logged), never hammers X."""
        while not stop.is_set():
            try:
                delay = await self.poll(stream)
            except Exception:
                log.exception("X polling %s failed unexpectedly; trying again after the interval", stream)
                delay = self.intervals[stream]
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=delay)
