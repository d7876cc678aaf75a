"""Reads for the case page and writes for presence: helpers, who has the case open, duplicates, photos.

Invariants: run inside the caller's transaction; presence is one row per (case, officer), refreshed in
place (an upsert on both databases); nothing here reads resident contact addresses (that is
`contact_of`, which callers must audit).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, insert, or_, select, true, update
from sqlalchemy import case as sql_case
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.storage import attachments
from wijkbot.storage.tables import case_helpers, case_views, cases, contacts, messages, note_mentions, officers


def _is_postgres(conn: AsyncConnection) -> bool:
    sync = conn.sync_connection  # set on both: AsyncConnection and the SQLite facade in storage.db
    return sync is not None and sync.dialect.name == "postgresql"


async def helpers_of(conn: AsyncConnection, case_id: int) -> list[int]:
    rows = await conn.execute(select(case_helpers.c.officer_id).where(case_helpers.c.case_id == case_id))
    return [int(r[0]) for r in rows]


async def add_helper(conn: AsyncConnection, case_id: int, officer_id: int, invited_by: int, now: datetime) -> bool:
    """Invite a colleague; False when they were already invited."""
    if officer_id in await helpers_of(conn, case_id):
        return False
    await conn.execute(insert(case_helpers).values(case_id=case_id, officer_id=officer_id, invited_by=invited_by,
                                                   at=now))
    return True


async def officer_names(conn: AsyncConnection, ids: Iterable[int] | None = None) -> dict[int, str]:
    query = select(officers.c.id, officers.c.name)
    if ids is not None:
        query = query.where(officers.c.id.in_(list(set(ids))))
    return {int(r.id): str(r.name) for r in await conn.execute(query)}


def for_update(query: Select[Any], conn: AsyncConnection) -> Select[Any]:
    """`query` locking its rows for the rest of the transaction on PostgreSQL (SQLite holds the write lock).
    PostgreSQL then checks the query's conditions again on a row another transaction changed meanwhile."""
    return query.with_for_update() if _is_postgres(conn) else query


async def case_lock(conn: AsyncConnection, reference: str) -> RowMapping | None:
    """The case row, locked for the rest of the transaction on PostgreSQL (SQLite holds the write lock)."""
    query = select(cases).where(cases.c.reference == reference.strip().upper())
    if _is_postgres(conn):
        query = query.with_for_update()
    return (await conn.execute(query)).mappings().first()


async def touch_view(conn: AsyncConnection, case_id: int, officer_id: int, now: datetime,
                     fresh_after: datetime) -> None:
    """Record that an officer has the case open; `since` restarts when the last sign of life is stale."""
    values = {"case_id": case_id, "officer_id": officer_id, "since": now, "seen_at": now}
    dialect_insert = pg_insert if _is_postgres(conn) else sqlite_insert
    statement = dialect_insert(case_views).values(**values)
    excluded = statement.excluded
    statement = statement.on_conflict_do_update(
        index_elements=[case_views.c.case_id, case_views.c.officer_id],
        set_={"seen_at": excluded.seen_at,
              "since": sql_case((case_views.c.seen_at < fresh_after, excluded.since), else_=case_views.c.since)},
    )
    await conn.execute(statement)


async def forget_view(conn: AsyncConnection, case_id: int, officer_id: int) -> None:
    """The officer left the case (handed it over): others no longer read "... bekijkt deze zaak ook" for the
    rest of the presence window. A page they keep open and may still see marks them present again."""
    await conn.execute(delete(case_views).where(case_views.c.case_id == case_id,
                                                case_views.c.officer_id == officer_id))


async def viewers(conn: AsyncConnection, case_id: int, since: datetime) -> list[dict[str, Any]]:
    """Officers who showed a sign of life on this case after `since`, with the start of their visit."""
    rows = await conn.execute(
        select(case_views.c.officer_id, case_views.c.since, case_views.c.seen_at, officers.c.name)
        .join(officers, officers.c.id == case_views.c.officer_id)
        .where(case_views.c.case_id == case_id, case_views.c.seen_at >= since).order_by(case_views.c.since))
    return [dict(r) for r in rows.mappings()]


async def cluster(conn: AsyncConnection, case: RowMapping) -> list[dict[str, Any]]:
    """The lead case and every case linked to it as a duplicate (including this one), lead first."""
    lead_id = case["duplicate_of"] or case["id"]
    rows = await conn.execute(
        select(cases.c.id, cases.c.reference, cases.c.status, cases.c.duplicate_of, cases.c.created_at,
               cases.c.street, cases.c.buurt)
        .where(or_(cases.c.id == lead_id, cases.c.duplicate_of == lead_id)).order_by(cases.c.id))
    found = [dict(r) for r in rows.mappings()]
    found.sort(key=lambda r: (r["id"] != lead_id, r["id"]))
    return found if len(found) > 1 else []


async def set_duplicate_of(conn: AsyncConnection, case_id: int, lead_id: int | None) -> None:
    await conn.execute(update(cases).where(cases.c.id == case_id).values(duplicate_of=lead_id))


async def duplicates_of(conn: AsyncConnection, case_id: int) -> list[int]:
    return [int(r[0]) for r in await conn.execute(select(cases.c.id).where(cases.c.duplicate_of == case_id))]


async def last_exchange(conn: AsyncConnection, case_id: int, viewer_id: int | None = None) -> dict[str, Any]:
    """The newest inbound message and a colleague's reply after it, if any ("already answered"): a reply by
    `viewer_id` (who asks) does not count, since one's own second message is no collision."""
    last_in = (await conn.execute(
        select(messages.c.id, messages.c.created_at).where(messages.c.case_id == case_id, messages.c.direction == "in")
        .order_by(messages.c.id.desc()).limit(1))).mappings().first()
    if last_in is None:
        return {"message_id": None, "answered_by": None, "answered_at": None}
    reply = (await conn.execute(
        select(messages.c.created_at, officers.c.name).join(officers, officers.c.id == messages.c.author_id)
        .where(messages.c.case_id == case_id, messages.c.direction == "out", messages.c.id > last_in["id"],
               messages.c.author_id != viewer_id if viewer_id is not None else true())
        .order_by(messages.c.id).limit(1))).mappings().first()
    return {"message_id": int(last_in["id"]), "answered_by": reply["name"] if reply else None,
            "answered_at": reply["created_at"] if reply else None}


async def add_mentions(conn: AsyncConnection, message_id: int, case_id: int, officer_ids: Iterable[int],
                       now: datetime) -> None:
    rows = [{"message_id": message_id, "officer_id": o, "case_id": case_id, "at": now} for o in set(officer_ids)]
    if rows:
        await conn.execute(insert(note_mentions), rows)


async def note_to_officer(conn: AsyncConnection, case_id: int, officer_id: int | None, text: str,
                          now: datetime) -> None:
    """An internal note on the case that mentions its ambtenaar, so it shows in their "Genoemd" queue (a case
    without an ambtenaar gets the note only: its team's queue shows the case)."""
    result = await conn.execute(insert(messages).values(
        channel="intern", direction="note", body=text, created_at=now, case_id=case_id,
        meta={"mentions": [officer_id] if officer_id else []}))
    message_id = int(result.inserted_primary_key[0])  # type: ignore[index]
    if officer_id is not None:
        await add_mentions(conn, message_id, case_id, [officer_id], now)


async def contact_of(conn: AsyncConnection, case_id: int) -> dict[str, Any]:
    """The resident's contact data for a case. Personal data: every caller writes an audit row first."""
    row = (await conn.execute(
        select(contacts.c.channel, contacts.c.address, contacts.c.locale, contacts.c.unreachable,
               contacts.c.opted_out)
        .join(cases, cases.c.contact_id == contacts.c.id).where(cases.c.id == case_id))).mappings().one()
    return dict(row)


STOPPED, OUTCOME_ONLY = "gestopt", "alleen uitkomst"


async def stop_state(conn: AsyncConnection, case_id: int) -> str | None:
    """Whether the case's resident sent /stop: None, STOPPED, or OUTCOME_ONLY (they still want the outcome).
    A preference, not contact data: the case page may show it without an audit row."""
    row = (await conn.execute(
        select(contacts.c.opted_out, contacts.c.wants_outcome)
        .join(cases, cases.c.contact_id == contacts.c.id).where(cases.c.id == case_id))).one()
    if not row.opted_out:
        return None
    return OUTCOME_ONLY if row.wants_outcome else STOPPED


async def channel_of(conn: AsyncConnection, case_id: int) -> str:
    """Only the channel name (not personal data): where a reply will go."""
    return str((await conn.execute(
        select(contacts.c.channel).join(cases, cases.c.contact_id == contacts.c.id).where(cases.c.id == case_id)
    )).scalar_one())


async def attachments_of(conn: AsyncConnection, case_id: int) -> list[dict[str, Any]]:
    """Photos and other files residents sent with this case (no bytes: the page links to each file)."""
    return [{"id": a["id"], "kind": "photo" if a["content_type"].startswith("image/") else "file",
             "url": f"/inbox/zaak-bijlage/{a['id']}", "caption": a["file_name"], "created_at": a["created_at"],
             "content_type": a["content_type"], "size": a["size"]}
            for a in await attachments.of_case(conn, case_id)]


async def location_of(conn: AsyncConnection, case_id: int) -> dict[str, Any] | None:
    """A location the resident shared (Telegram): latitude and longitude, with the street the case names."""
    row = (await conn.execute(select(cases.c.latitude, cases.c.longitude, cases.c.street)
                              .where(cases.c.id == case_id))).first()
    if row is None or row.latitude is None or row.longitude is None:
        return None
    return {"latitude": round(float(row.latitude), 6), "longitude": round(float(row.longitude), 6),
            "label": row.street}
