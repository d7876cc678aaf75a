"""Set-based reads and writes for multi-case conversations: what placement needs, context, moves.

Invariants: each function issues a fixed number of statements whatever the number of residents (IN lists and
executemany), runs inside the caller's transaction and returns plain dicts; only inbound messages of the
resident themself are ever read or moved.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, false, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.domain.workflow import Status
from wijkbot.storage import case_sets
from wijkbot.storage.repository import OPEN
from wijkbot.storage.tables import attachments, cases, contacts, messages, outbox

_ALL_OPEN = (
    select(cases).where(cases.c.contact_id.in_(bindparam("ids", expanding=True)), cases.c.status.in_(OPEN))
    .order_by(cases.c.id.desc())
)
_RECENTLY_CLOSED = (
    select(cases, case_sets.reopen_pending().label("reopen_requested"))
    .where(cases.c.contact_id.in_(bindparam("ids", expanding=True)), cases.c.status == Status.AFGEHANDELD.value,
           cases.c.closed_at >= bindparam("since"), cases.c.out_of_scope == false())
    .order_by(cases.c.closed_at.desc(), cases.c.id.desc())
)
_OWN_BY_REFERENCE = select(cases.c.id, cases.c.reference, cases.c.contact_id, cases.c.wijk, cases.c.buurt,
                           cases.c.buurt_code, cases.c.street).where(
    cases.c.reference.in_(bindparam("references", expanding=True)))
_LAST_INBOUND = (
    select(messages.c.case_id, func.max(messages.c.created_at).label("at"))
    .where(messages.c.case_id.in_(bindparam("ids", expanding=True)), messages.c.direction == "in")
    .group_by(messages.c.case_id)
)
_LAST_OUTBOX_IDS = (
    select(func.max(outbox.c.id)).where(outbox.c.contact_id.in_(bindparam("ids", expanding=True)))
    .group_by(outbox.c.contact_id)
)
_OUTBOX_BY_ID = select(outbox.c.contact_id, outbox.c.case_id, outbox.c.purpose, outbox.c.created_at,
                       outbox.c.body, outbox.c.status).where(
    outbox.c.id.in_(bindparam("ids", expanding=True)))
_UNLINKED = (
    select(messages.c.id, messages.c.contact_id, messages.c.meta, messages.c.created_at)
    .where(messages.c.contact_id.in_(bindparam("ids", expanding=True)), messages.c.created_at >= bindparam("since"),
           messages.c.case_id.is_(None), messages.c.direction == "in")
    .order_by(messages.c.id)
)
_MOVE_MESSAGE = update(messages).where(messages.c.id == bindparam("b_id")).values(case_id=bindparam("b_case"))
_MOVE_ATTACHMENTS = update(attachments).where(attachments.c.message_id == bindparam("b_id")).values(
    case_id=bindparam("b_case"))
_SET_LOCATION = update(cases).where(cases.c.id == bindparam("b_id")).values(
    latitude=bindparam("b_lat"), longitude=bindparam("b_lon"))
_REACHABLE = update(contacts).where(contacts.c.id.in_(bindparam("ids", expanding=True))).values(unreachable=False)
_RESUMED = update(contacts).where(contacts.c.id.in_(bindparam("ids", expanding=True))).values(opted_out=False)


async def open_cases(conn: AsyncConnection, contact_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
    """Every open case per contact, newest first."""
    ids = list(set(contact_ids))
    found: dict[int, list[dict[str, Any]]] = {}
    if ids:
        for row in (await conn.execute(_ALL_OPEN, {"ids": ids})).mappings():
            found.setdefault(row["contact_id"], []).append(dict(row))
    return found


async def recently_closed(conn: AsyncConnection, contact_ids: Iterable[int],
                          since: datetime) -> dict[int, list[dict[str, Any]]]:
    """Per contact, the cases closed since `since` (not out of scope), newest first, with `reopen_requested`:
    whether the resident asked to look again since it closed and has had no answer since."""
    ids = list(set(contact_ids))
    found: dict[int, list[dict[str, Any]]] = {}
    if ids:
        for row in (await conn.execute(_RECENTLY_CLOSED, {"ids": ids, "since": since})).mappings():
            found.setdefault(row["contact_id"], []).append(dict(row))
    return found


async def own_cases_by_reference(conn: AsyncConnection,
                                 named: Iterable[tuple[int, str]]) -> dict[tuple[int, str], dict[str, Any]]:
    """The cases residents name by reference, only where the case is the naming resident's own: (contact id,
    reference) -> the case's id, reference and place. Another resident's reference finds nothing."""
    wanted = set(named)
    if not wanted:
        return {}
    rows = (await conn.execute(_OWN_BY_REFERENCE, {"references": sorted({r for _, r in wanted})})).mappings()
    return {(row["contact_id"], row["reference"]): dict(row) for row in rows
            if (row["contact_id"], row["reference"]) in wanted}


async def last_resident_messages(conn: AsyncConnection, case_ids: Iterable[int]) -> dict[int, datetime]:
    ids = list(set(case_ids))
    if not ids:
        return {}
    return {r.case_id: r.at for r in await conn.execute(_LAST_INBOUND, {"ids": ids})}


async def last_sent(conn: AsyncConnection, contact_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """The most recent outbox row per contact (pending or sent: it is what we last decided to tell them)."""
    ids = list(set(contact_ids))
    if not ids:
        return {}
    latest = [r[0] for r in await conn.execute(_LAST_OUTBOX_IDS, {"ids": ids})]
    if not latest:
        return {}
    return {r["contact_id"]: dict(r) for r in (await conn.execute(_OUTBOX_BY_ID, {"ids": latest})).mappings()}


async def unlinked_context(conn: AsyncConnection, contact_ids: Iterable[int],
                           since: datetime) -> dict[int, list[dict[str, Any]]]:
    """Recent inbound messages of these contacts that belong to no case and carry a photo or a location."""
    ids = list(set(contact_ids))
    found: dict[int, list[dict[str, Any]]] = {}
    if ids:
        for row in (await conn.execute(_UNLINKED, {"ids": ids, "since": since})).mappings():
            meta = row["meta"] or {}
            if meta.get("location") or meta.get("attachments"):
                found.setdefault(row["contact_id"], []).append(dict(row))
    return found


async def move_messages(conn: AsyncConnection, moves: list[tuple[int, int]]) -> None:
    """(message id, case id) pairs: the messages and their attachments now belong to that case."""
    if moves:
        rows = [{"b_id": message_id, "b_case": case_id} for message_id, case_id in moves]
        await conn.execute(_MOVE_MESSAGE, rows)
        await conn.execute(_MOVE_ATTACHMENTS, rows)


async def set_locations(conn: AsyncConnection, locations: list[tuple[int, float, float]]) -> None:
    if locations:
        await conn.execute(_SET_LOCATION, [{"b_id": c, "b_lat": lat, "b_lon": lon} for c, lat, lon in locations])


async def end_stop(conn: AsyncConnection, contact_ids: Iterable[int]) -> None:
    """Residents who sent /stop and now write to us again: they get messages from us again."""
    ids = list(set(contact_ids))
    if ids:
        await conn.execute(_RESUMED, {"ids": ids})


async def mark_reachable(conn: AsyncConnection, contact_ids: Iterable[int]) -> None:
    """A resident who writes to us can be reached again (they unblocked the bot)."""
    ids = list(set(contact_ids))
    if ids:
        await conn.execute(_REACHABLE, {"ids": ids})
