"""Intake: store first, then route, assign, acknowledge and plan follow-ups, all in one transaction.

Invariants: an inbound message is stored in the same transaction as everything decided about it, and
deduplicated on (channel, external id): a redelivered message creates nothing new and returns the first
result; if deciding fails, the message is still stored (marked unprocessed) and the resident still hears
from us; every resident gets an answer in the outbox (a question back for an empty or unreadable message);
a message from a resident with an open case is added to that case, or kept there while the resident is
asked with buttons whether it is something new (kept with the open case its words match best; re-routing
is an officer action);
a new case always has a lead department and a team.

Messages that arrive together are written together (group commit, see IntakeBatch): one transaction and a
fixed number of statements per batch, which is what lets one process take >1,000 messages a second.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.domain import followups as followup_plan
from wijkbot.domain.attachments import DEFAULT_MAX_BYTES
from wijkbot.domain.model import InboundMessage
from wijkbot.domain.routing import Routes
from wijkbot.domain.rules import RuleSet
from wijkbot.domain.sanitise import storable
from wijkbot.log_throttle import Outage, unreachable
from wijkbot.ports import Clock
from wijkbot.services import inbound_media
from wijkbot.services.intake_batch import IntakeBatch
from wijkbot.services.intake_items import IntakeResult
from wijkbot.services.texts import Texts
from wijkbot.storage import attachments, intake_rows, outbox
from wijkbot.storage.db import Database
from wijkbot.storage.tables import messages

log = logging.getLogger(__name__)

__all__ = ["Intake", "IntakeResult"]


@dataclass
class _Waiting:
    message: InboundMessage
    future: asyncio.Future[IntakeResult]


class Intake:
    """Receives resident messages from every channel; safe to call concurrently."""

    def __init__(self, db: Database, rules: RuleSet, router: Routes, texts: Texts, clock: Clock,
                 policy: followup_plan.Policy, notify_outbox: Callable[[], None] = lambda: None,
                 long_message_chars: int = 5000, max_batch: int = 200,
                 max_attachment_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.db = db
        self.rules = rules
        self.router = router
        self.texts = texts
        self.clock = clock
        self.policy = policy
        self.notify_outbox = notify_outbox
        self.long_message_chars = long_message_chars
        self.max_batch = max_batch
        self.max_attachment_bytes = max_attachment_bytes
        self._outage = Outage(log, "intake")  # a database that is down: one traceback, then a line a minute
        self._queue: list[_Waiting] = []
        self._worker: asyncio.Task[None] | None = None

    async def receive(self, message: InboundMessage) -> IntakeResult:
        """Store, decide and answer one inbound message; returns when it is committed."""
        waiting = _Waiting(message, asyncio.get_running_loop().create_future())
        self._queue.append(waiting)
        if self._worker is None or self._worker.done():
            self._worker = asyncio.create_task(self._drain(), name="intake")
        return await waiting.future

    async def receive_batch(self, batch: Sequence[InboundMessage],
                            then: Callable[[AsyncConnection], Awaitable[None]]) -> list[IntakeResult]:
        """Store and decide messages a poller fetched, and run `then` (advance its cursor) in the same transaction.

        If the batch cannot be written as one, each message goes through `receive` (which never loses one) and
        `then` runs afterwards in a transaction of its own: still store first, then advance.
        """
        try:
            async with self.db.write() as conn:
                results = await IntakeBatch(conn, self.rules, self.router, self.texts, self.policy, self.clock(),
                                            self.long_message_chars).run(list(batch)) if batch else []
                await then(conn)
        except Exception:
            log.warning("a polled batch of %d could not be written as one; taking the messages one by one",
                        len(batch), exc_info=True)
            results = [await self.receive(message) for message in batch]  # (logged as they are opened)
            async with self.db.write() as conn:
                await then(conn)
        else:
            _log_opened(results)
        if any(not r.duplicate for r in results):
            self.notify_outbox()
        return results

    async def _drain(self) -> None:
        # A task of its own, so a caller that goes away (a closed HTTP connection) cannot strand the queue.
        while self._queue:
            batch, self._queue = self._queue[: self.max_batch], self._queue[self.max_batch:]
            started = time.perf_counter()
            try:
                results = await self._commit(batch)
            except asyncio.CancelledError:  # shutting down: callers learn their message was not taken
                for waiting in batch + self._queue:
                    if not waiting.future.done():
                        waiting.future.set_exception(RuntimeError("the service is shutting down"))
                raise
            except Exception as error:  # never strand a caller: every waiting message gets an answer
                if unreachable(error):  # the database is down: one traceback, then a line a minute
                    self._outage.failed(error)
                else:
                    log.exception("intake batch of %d failed", len(batch))
                results = [error] * len(batch)
            else:
                if self._outage.failures:
                    self._outage.succeeded()
            log.debug("intake batch of %d committed in %.1f ms", len(batch), (time.perf_counter() - started) * 1000)
            _log_opened(results)
            for waiting, result in zip(batch, results, strict=True):
                if waiting.future.done():
                    continue
                if isinstance(result, BaseException):
                    waiting.future.set_exception(result)
                else:
                    waiting.future.set_result(result)
            if any(isinstance(r, IntakeResult) and not r.duplicate for r in results):
                self.notify_outbox()

    async def _commit(self, batch: list[_Waiting]) -> list[IntakeResult | BaseException]:
        try:
            return list(await self._write([w.message for w in batch]))
        except IntegrityError:
            if len(batch) == 1:
                return [await self._after_conflict(batch[0].message)]
        except Exception as error:
            if not unreachable(error):  # (a database that is down is logged once, by _drain)
                log.exception("deciding about %d inbound message(s) failed; storing them unprocessed", len(batch))
            return [await self._store_unprocessed(w.message) for w in batch]
        return [r for w in batch for r in await self._commit([w])]  # retry one by one

    async def _write(self, batch: list[InboundMessage]) -> list[IntakeResult]:
        async with self.db.write() as conn:
            work = IntakeBatch(conn, self.rules, self.router, self.texts, self.policy, self.clock(),
                               self.long_message_chars, self.max_attachment_bytes)
            return await work.run(batch)

    async def _after_conflict(self, message: InboundMessage) -> IntakeResult | BaseException:
        """Another process (PostgreSQL) stored this message, or this resident's first contact, at the same time."""
        existing = await self._existing(message)
        if isinstance(existing, IntakeResult):
            return existing
        try:  # the conflict was on the contact row: now it exists, so once more
            return (await self._write([message]))[0]
        except IntegrityError as error:
            found = await self._existing(message)
            if not isinstance(found, IntakeResult):  # no duplicate after all: the database refuses it (a trigger, ...)
                log.error("an inbound %s message could not be stored", message.reply_to.channel, exc_info=error)
            return found

    async def _existing(self, message: InboundMessage) -> IntakeResult | BaseException:
        key = (message.reply_to.channel, message.external_id)
        async with self.db.read() as conn:
            found = (await intake_rows.existing_inbound(conn, [key])).get(key)
        if found is None:
            return RuntimeError("inbound message could not be stored")
        return IntakeResult(found["id"], found["reference"], duplicate=True)

    async def _store_unprocessed(self, message: InboundMessage) -> IntakeResult | BaseException:
        """Last resort: keep the message and tell the resident it arrived; staff pick it up from triage."""
        try:
            async with self.db.write() as conn:
                now = self.clock()
                pair = (message.reply_to.channel, message.reply_to.address)
                contact = (await intake_rows.contacts_for(conn, {pair: message.locale}, now))[pair]
                media = inbound_media.sort_media(message, self.max_attachment_bytes)
                ids = await intake_rows.insert_returning_ids(conn, messages, [{
                    "channel": pair[0], "direction": "in", "body": storable(message.text), "created_at": now,
                    "contact_id": contact["id"], "external_id": message.external_id,
                    "meta": {"unprocessed": True, **inbound_media.meta(media)},
                }])
                await attachments.add_many(conn, [attachments.row(ids[0], None, a.content_type, a.file_name,
                                                                  a.content, now) for a in media.kept])
                await outbox.enqueue(conn, contact_id=contact["id"], channel=pair[0], purpose="ack", now=now,
                                     body=self.texts.simple("ack.received", contact["locale"]))
            return IntakeResult(ids[0], None)
        except IntegrityError:
            return await self._existing(message)


def _log_opened(results: Sequence[IntakeResult | BaseException]) -> None:
    """After the commit, one INFO line per new case, so an operator reads what came in: its reference, channel, kind,
    category and team, never anyone's words or address."""
    for result in results:
        if isinstance(result, IntakeResult) and result.new_case and result.summary:
            log.info("case %s opened (%s)", result.reference, result.summary)
