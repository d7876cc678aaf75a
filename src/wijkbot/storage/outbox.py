"""The outbox: every message to a resident is a row here before any channel sees it.

Invariants: a row is claimed by pushing its next_attempt_at forward by a lease inside a short transaction
(FOR UPDATE SKIP LOCKED on PostgreSQL), so two delivery workers never send the same row at once and a
worker that dies mid-send only delays the row; a row ends as `sent` or, once delivery gives it up (the
channel stayed unreachable for the whole give-up period, or a permanent failure), as `failed` with the
reason: it is flagged, never deleted, and its next_attempt_at then says when it was given up; a row /stop
holds back ends as `withheld`. `created_at` is when the row was queued; an ambtenaar's "opnieuw versturen"
(`requeue`) queues a failed row again, so it counts from then. A channel that delivers a long
text in parts records how many went out before a failure (`parts_sent`), so a retry does not repeat them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, exists, func, insert, or_, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.storage.tables import cases, contacts, outbox

LEASE = timedelta(seconds=60)

_DUE = (
    select(outbox.c.id).where(outbox.c.status == "pending", outbox.c.next_attempt_at <= bindparam("now"))
    .order_by(outbox.c.next_attempt_at, outbox.c.id).limit(bindparam("limit"))
)
_LEASE = update(outbox).where(outbox.c.id.in_(bindparam("ids", expanding=True))).values(
    next_attempt_at=bindparam("until"), attempts=outbox.c.attempts + 1)
_CLAIMED = (
    select(outbox, contacts.c.address, contacts.c.unreachable, contacts.c.opted_out, contacts.c.wants_outcome)
    .join(contacts, contacts.c.id == outbox.c.contact_id)
    .where(outbox.c.id.in_(bindparam("ids", expanding=True))).order_by(outbox.c.id)
)
_SENT = update(outbox).where(outbox.c.id == bindparam("b_id")).values(
    status="sent", sent_at=bindparam("b_at"), external_id=bindparam("b_external"), last_error=None)


async def enqueue(conn: AsyncConnection, *, contact_id: int, channel: str, purpose: str, body: str,
                  now: datetime, case_id: int | None = None,
                  actions: Sequence[tuple[str, str]] = (), send_at: datetime | None = None) -> int:
    """A message for one resident; `send_at` holds one we start ourselves until morning (quiet hours)."""
    result = await conn.execute(insert(outbox).values(
        contact_id=contact_id, channel=channel, purpose=purpose, body=body, case_id=case_id,
        actions=[list(a) for a in actions], status="pending", attempts=0, next_attempt_at=send_at or now,
        created_at=now,
    ))
    return int(result.inserted_primary_key[0])  # type: ignore[index]


async def claim_due(conn: AsyncConnection, now: datetime, limit: int, skip_locked: bool) -> list[dict[str, Any]]:
    """Due pending rows with their address, leased to the caller (attempts counted now)."""
    query = _DUE.with_for_update(skip_locked=True) if skip_locked else _DUE
    ids = [r.id for r in await conn.execute(query, {"now": now, "limit": limit})]
    if not ids:
        return []
    await conn.execute(_LEASE, {"ids": ids, "until": now + LEASE})
    rows = await conn.execute(_CLAIMED, {"ids": ids})
    return [dict(r) for r in rows.mappings()]


async def mark_sent_many(conn: AsyncConnection, sent: list[tuple[int, str | None]], now: datetime) -> None:
    if sent:
        await conn.execute(_SENT, [{"b_id": outbox_id, "b_external": external, "b_at": now}
                                   for outbox_id, external in sent])


async def mark_retry(conn: AsyncConnection, outbox_id: int, at: datetime, error: str, parts_sent: int = 0,
                     give_back: bool = False) -> None:
    """Try again at `at`; a split message keeps count of the parts already delivered (never fewer than before).
    `give_back`: the channel asked us to wait (a 429's retry_after), which is no failed attempt."""
    values: dict[str, Any] = {"next_attempt_at": at, "last_error": error}
    if parts_sent:
        values["parts_sent"] = parts_sent
    if give_back:
        values["attempts"] = outbox.c.attempts - 1
    await conn.execute(update(outbox).where(outbox.c.id == outbox_id).values(**values))


async def mark_withheld(conn: AsyncConnection, ids: Sequence[int], reason: str) -> None:
    """Not sent, on purpose (the resident sent /stop after it was queued): kept, with the reason."""
    if ids:
        await conn.execute(update(outbox).where(outbox.c.id.in_(list(ids))).values(
            status="withheld", last_error=reason))


async def mark_held(conn: AsyncConnection, outbox_id: int, at: datetime, error: str) -> None:
    """The channel is paused: look again at `at`, and give back the attempt the lease counted."""
    await conn.execute(update(outbox).where(outbox.c.id == outbox_id).values(
        next_attempt_at=at, last_error=error, attempts=outbox.c.attempts - 1))


async def mark_failed(conn: AsyncConnection, outbox_id: int, error: str, now: datetime, parts_sent: int = 0) -> None:
    """Given up: flagged with the reason; next_attempt_at keeps the moment (health counts recent failures); the
    parts of a split message that did arrive stay counted, so queuing it again does not repeat them."""
    values: dict[str, Any] = {"status": "failed", "last_error": error, "next_attempt_at": now}
    if parts_sent:
        values["parts_sent"] = parts_sent
    await conn.execute(update(outbox).where(outbox.c.id == outbox_id).values(**values))


async def mark_unreachable(conn: AsyncConnection, contact_id: int) -> None:
    await conn.execute(update(contacts).where(contacts.c.id == contact_id).values(unreachable=True))


async def sent_to(conn: AsyncConnection, channel: str, address: str, after_id: int = 0,
                  limit: int = 200) -> list[RowMapping]:
    """What was delivered to one address, oldest first (the web chat reads its messages this way)."""
    return list((await conn.execute(
        select(outbox.c.id, outbox.c.body, outbox.c.sent_at, outbox.c.case_id, outbox.c.actions)
        .join(contacts, contacts.c.id == outbox.c.contact_id)
        .where(contacts.c.channel == channel, contacts.c.address == address, outbox.c.status == "sent",
               outbox.c.id > after_id)
        .order_by(outbox.c.id).limit(limit)
    )).mappings())


async def pending_count(conn: AsyncConnection) -> int:
    return int((await conn.execute(select(func.count(outbox.c.id)).where(outbox.c.status == "pending"))).scalar_one())


async def failed_count(conn: AsyncConnection, since: datetime) -> int:
    """Rows given up since `since` (and not queued again)."""
    return int((await conn.execute(select(func.count(outbox.c.id)).where(
        outbox.c.status == "failed", outbox.c.next_attempt_at >= since))).scalar_one())


async def last_asked(conn: AsyncConnection, channel: str, address: str, choice: str, since: datetime) -> bool:
    """Whether the newest message to this resident (since `since`) is the one that carries the button `choice`:
    the question a typed answer may be answering."""
    row = (await conn.execute(
        select(outbox.c.actions, outbox.c.created_at).join(contacts, contacts.c.id == outbox.c.contact_id)
        .where(contacts.c.channel == channel, contacts.c.address == address)
        .order_by(outbox.c.id.desc()).limit(1))).first()
    return row is not None and row.created_at >= since and any(
        isinstance(action, list) and len(action) == 2 and action[1] == choice for action in row.actions or [])


async def failed_since(conn: AsyncConnection, since: datetime, limit: int = 200) -> list[RowMapping]:
    """The rows given up since `since` (and not queued again), newest first, with their case's reference (None
    for a message that belongs to no case, such as the answer to /stop): no address and no text."""
    return list((await conn.execute(
        select(outbox.c.id, outbox.c.channel, outbox.c.purpose, outbox.c.attempts, outbox.c.created_at,
               outbox.c.next_attempt_at, outbox.c.last_error, cases.c.reference)
        .outerjoin(cases, cases.c.id == outbox.c.case_id)
        .where(outbox.c.status == "failed", outbox.c.next_attempt_at >= since)
        .order_by(outbox.c.next_attempt_at.desc(), outbox.c.id.desc()).limit(limit))).mappings())


async def oldest_pending(conn: AsyncConnection, now: datetime) -> datetime | None:
    """When the oldest row still waiting to go out was queued; a row that waits for its planned moment (a
    message held for the morning) and never failed does not count: it is not late. (A failure is its
    `last_error`: a held row or a 429 gives its attempt back, but keeps its error.)"""
    return (await conn.execute(
        select(outbox.c.created_at).where(outbox.c.status == "pending",
                                          or_(outbox.c.last_error.is_not(None), outbox.c.next_attempt_at <= now))
        .order_by(outbox.c.created_at).limit(1))).scalar()


async def by_id(conn: AsyncConnection, outbox_id: int) -> RowMapping | None:
    """One row (without the address)."""
    return (await conn.execute(select(outbox).where(outbox.c.id == outbox_id))).mappings().first()


async def rows_of_case(conn: AsyncConnection, case_id: int) -> list[RowMapping]:
    """Every message to the resident on one case, oldest first: its state, for the case page."""
    return list((await conn.execute(
        select(outbox.c.id, outbox.c.channel, outbox.c.purpose, outbox.c.body, outbox.c.status, outbox.c.attempts,
               outbox.c.next_attempt_at, outbox.c.created_at, outbox.c.sent_at, outbox.c.last_error)
        .where(outbox.c.case_id == case_id).order_by(outbox.c.id))).mappings())


async def latest_of_case(conn: AsyncConnection, case_id: int, purpose: str) -> RowMapping | None:
    """The newest row of one purpose on a case (without the address or the text)."""
    return (await conn.execute(
        select(outbox.c.id, outbox.c.channel, outbox.c.status, outbox.c.attempts, outbox.c.last_error,
               outbox.c.next_attempt_at)
        .where(outbox.c.case_id == case_id, outbox.c.purpose == purpose).order_by(outbox.c.id.desc()).limit(1)
    )).mappings().first()


async def requeue(conn: AsyncConnection, outbox_id: int, now: datetime, at: datetime | None = None) -> bool:
    """Queue a failed row again, as if it were new (the give-up period counts from now), to leave at `at` (now
    by default); the parts of a split message that did arrive stay counted, so they are not sent twice. False
    if the row is not failed (any more): someone else queued it again, or it was never failed."""
    result = await conn.execute(update(outbox).where(outbox.c.id == outbox_id, outbox.c.status == "failed").values(
        status="pending", attempts=0, next_attempt_at=at or now, created_at=now, last_error=None))
    return bool(result.rowcount)


def _undelivered(since: datetime) -> ColumnElement[bool]:
    return exists().where(outbox.c.case_id == cases.c.id, outbox.c.status == "failed",
                          outbox.c.next_attempt_at >= since)


async def undelivered_cases(conn: AsyncConnection, reach: ColumnElement[bool], since: datetime,
                            limit: int = 50) -> list[str]:
    """References of the cases within `reach` with a message to the resident given up since `since`
    (and not queued again), newest case first."""
    rows = await conn.execute(select(cases.c.reference).where(and_(reach, _undelivered(since)))
                              .order_by(cases.c.id.desc()).limit(limit))
    return [str(r[0]) for r in rows]


async def undelivered_among(conn: AsyncConnection, case_ids: Sequence[int], since: datetime) -> set[int]:
    """Which of these cases have a message to the resident given up since `since` (and not queued again)."""
    if not case_ids:
        return set()
    rows = await conn.execute(select(func.distinct(outbox.c.case_id)).where(
        outbox.c.case_id.in_(list(case_ids)), outbox.c.status == "failed", outbox.c.next_attempt_at >= since))
    return {int(r[0]) for r in rows}
