"""Rows of the X channel: polling cursors, the monthly request count, the channel state, and what a contact's
X conversation looks like (read from the messages table).

Invariants: every function runs inside the caller's transaction; the usage row of a month is created on
first use with INSERT .. ON CONFLICT DO NOTHING and then locked (FOR UPDATE on PostgreSQL; SQLite's write
transactions are already exclusive), so two workers never count the same slot twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.domain.x import Cursor, Request, Usage
from wijkbot.storage.tables import case_events, cases, contacts, messages, outbox, x_cursors, x_status, x_usage

CHANNEL = "x"
TWEET_PREFIX = "tweet:"
DM_PREFIX = "dm:"


def _insert(conn: AsyncConnection, table: Any) -> Any:
    dialect = conn.sync_connection.dialect.name if conn.sync_connection is not None else "sqlite"
    return postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)


async def cursor(conn: AsyncConnection, stream: str) -> Cursor | None:
    row = (await conn.execute(select(x_cursors).where(x_cursors.c.stream == stream))).mappings().first()
    if row is None:
        return None
    return Cursor(row["since_id"], row["pending_newest_id"], row["pagination_token"])


async def save_cursor(conn: AsyncConnection, stream: str, value: Cursor, now: datetime) -> None:
    values = {"since_id": value.since_id, "pending_newest_id": value.pending_newest_id,
              "pagination_token": value.pagination_token, "updated_at": now}
    await conn.execute(_insert(conn, x_cursors).values(stream=stream, **values)
                       .on_conflict_do_update(index_elements=["stream"], set_=values))


async def usage(conn: AsyncConnection, month: str, now: datetime, *, lock: bool) -> Usage:
    """The month's counts; with `lock`, the row is created if needed and locked for an update."""
    query = select(x_usage).where(x_usage.c.month == month)
    if lock:
        await conn.execute(_insert(conn, x_usage).values(month=month, reads=0, writes=0, updated_at=now)
                           .on_conflict_do_nothing(index_elements=["month"]))
        query = query.with_for_update()
    row = (await conn.execute(query)).mappings().first()
    return Usage(month, int(row["reads"]), int(row["writes"])) if row else Usage(month)


async def count(conn: AsyncConnection, month: str, request: Request, now: datetime) -> None:
    column = "writes" if request.is_write else "reads"
    await conn.execute(update(x_usage).where(x_usage.c.month == month)
                       .values({column: x_usage.c[column] + 1, "updated_at": now}))


async def status(conn: AsyncConnection) -> RowMapping | None:
    return (await conn.execute(select(x_status).where(x_status.c.channel == CHANNEL))).mappings().first()


async def set_status(conn: AsyncConnection, state: str, reason: str | None, now: datetime) -> None:
    values = {"state": state, "reason": reason, "changed_at": now}
    await conn.execute(_insert(conn, x_status).values(channel=CHANNEL, **values)
                       .on_conflict_do_update(index_elements=["channel"], set_=values))


async def set_warned(conn: AsyncConnection, month: str, now: datetime) -> None:
    await conn.execute(_insert(conn, x_status).values(channel=CHANNEL, state="running", changed_at=now,
                                                      warned_month=month)
                       .on_conflict_do_update(index_elements=["channel"], set_={"warned_month": month}))


async def conversation(conn: AsyncConnection, contact_id: int, case_id: int | None) -> tuple[bool, str | None]:
    """Whether the contact ever wrote us a DM, and their latest post about the case (else their latest post)."""
    mine = and_(messages.c.contact_id == contact_id, messages.c.channel == CHANNEL, messages.c.direction == "in")
    has_dm = bool((await conn.execute(
        select(exists().where(mine, messages.c.external_id.like(DM_PREFIX + "%"))))).scalar())
    posts = select(messages.c.external_id).where(mine, messages.c.external_id.like(TWEET_PREFIX + "%")) \
        .order_by(messages.c.id.desc()).limit(1)
    latest = None
    if case_id is not None:
        latest = (await conn.execute(posts.where(messages.c.case_id == case_id))).scalar()
    latest = latest or (await conn.execute(posts)).scalar()
    return has_dm, latest[len(TWEET_PREFIX):] if latest else None


async def public_only_sent(conn: AsyncConnection, new_dms: Mapping[str, int], purposes: Sequence[str],
                           done_purpose: str, since: datetime) -> dict[int, list[RowMapping]]:
    """Per X contact whose first DMs are the `new_dms` just stored (address -> how many) and that has no
    `done_purpose` row yet: the outbox rows of `purposes` made since `since` and sent so far (all before any DM
    existed, so all public), oldest first, with the contact's locale."""
    if not new_dms:
        return {}
    senders = select(contacts.c.id).where(contacts.c.channel == CHANNEL, contacts.c.address.in_(list(new_dms)))
    dm_counts = (select(messages.c.contact_id, func.count().label("n"))  # only these senders' messages, not all
                 .where(messages.c.contact_id.in_(senders), messages.c.channel == CHANNEL,
                        messages.c.direction == "in", messages.c.external_id.like(DM_PREFIX + "%"))
                 .group_by(messages.c.contact_id).subquery())
    done = exists().where(outbox.c.contact_id == contacts.c.id, outbox.c.purpose == done_purpose)
    candidates = await conn.execute(
        select(contacts.c.id, contacts.c.address, dm_counts.c.n)
        .join(dm_counts, dm_counts.c.contact_id == contacts.c.id)
        .where(contacts.c.channel == CHANNEL, contacts.c.address.in_(list(new_dms)), ~done))
    firsts = [(int(r.id), str(r.address)) for r in candidates if int(r.n) == new_dms[str(r.address)]]
    if not firsts:
        return {}
    sent = outbox.alias("sent")
    rows = await conn.execute(
        select(sent.c.contact_id, sent.c.case_id, sent.c.body, contacts.c.locale)
        .join(contacts, contacts.c.id == sent.c.contact_id)
        .where(sent.c.contact_id.in_([contact_id for contact_id, _a in firsts]), sent.c.channel == CHANNEL,
               sent.c.status == "sent", sent.c.purpose.in_(list(purposes)), sent.c.created_at >= since)
        .order_by(sent.c.id))
    found: dict[int, list[RowMapping]] = {}
    for row in rows.mappings():
        found.setdefault(int(row["contact_id"]), []).append(row)
    return found


async def outbox_row(conn: AsyncConnection, outbox_id: int) -> RowMapping | None:
    """An outbox row with what a route needs: purpose, case reference, locale and urgency (with the routing, for a
    crisis, and the resident's first words, for the advice an acute danger they name gets), contact id and
    locale."""
    first_words = (select(messages.c.body).where(messages.c.case_id == cases.c.id, messages.c.direction == "in")
                   .order_by(messages.c.id).limit(1).correlate(cases).scalar_subquery())
    return (await conn.execute(
        select(outbox.c.id, outbox.c.purpose, outbox.c.case_id, outbox.c.contact_id, outbox.c.created_at,
               contacts.c.locale.label("contact_locale"), cases.c.reference, cases.c.locale.label("case_locale"),
               cases.c.urgent, cases.c.routing, first_words.label("first_words"))
        .join(contacts, contacts.c.id == outbox.c.contact_id).outerjoin(cases, cases.c.id == outbox.c.case_id)
        .where(outbox.c.id == outbox_id)
    )).mappings().first()


async def case_with_contact(conn: AsyncConnection, reference: str) -> RowMapping | None:
    return (await conn.execute(
        select(cases.c.id, cases.c.reference, cases.c.locale, cases.c.contact_id, contacts.c.channel)
        .join(contacts, contacts.c.id == cases.c.contact_id).where(cases.c.reference == reference.strip().upper())
    )).mappings().first()


async def cases_waiting(conn: AsyncConnection, event_type: str, since: datetime) -> list[int]:
    """Cases with a message for X held in the outbox that have no `event_type` event since `since` yet."""
    told = select(case_events.c.id).where(case_events.c.case_id == outbox.c.case_id,
                                          case_events.c.type == event_type, case_events.c.at >= since)
    rows = await conn.execute(select(func.distinct(outbox.c.case_id)).where(
        outbox.c.channel == CHANNEL, outbox.c.status == "pending", outbox.c.case_id.is_not(None), ~exists(told)))
    return sorted(int(r[0]) for r in rows)
