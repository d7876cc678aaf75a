"""Set-based reads and writes for a batch of inbound messages (the intake's group commit).

Invariants: each function issues a fixed number of statements whatever the batch size (executemany and
IN lists), runs inside the caller's transaction, and returns plain dicts; inserted ids come back in the order
of the rows given (RETURNING with sort_by_parameter_order).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.domain.assignment import OfficerLoad
from wijkbot.storage.repository import OPEN
from wijkbot.storage.tables import case_events, cases, contacts, followups, messages, officer_teams, officers, outbox

Pair = tuple[str, str]

# Built once: constructing a statement and its cache key costs ~0.2 ms each time on a small machine,
# more than running it. Expanding bind parameters keep IN lists cacheable.
_EXISTING = (
    select(messages.c.id, messages.c.external_id, cases.c.reference)
    .outerjoin(cases, cases.c.id == messages.c.case_id)
    .where(messages.c.channel == bindparam("channel"), messages.c.external_id.in_(bindparam("ids", expanding=True)))
)
_CONTACTS = select(contacts).where(
    contacts.c.channel == bindparam("channel"), contacts.c.address.in_(bindparam("addresses", expanding=True)))
_OPEN_CASES = (
    select(cases).where(cases.c.contact_id.in_(bindparam("ids", expanding=True)), cases.c.status.in_(OPEN))
    .order_by(cases.c.id)
)
_MEMBERS = (
    select(officer_teams.c.team, officers.c.id, officers.c.available)
    .join(officer_teams, officer_teams.c.officer_id == officers.c.id)
    .where(officer_teams.c.team.in_(bindparam("teams", expanding=True)))
)
_OPEN_COUNTS = (
    select(cases.c.officer_id, func.count().label("n"))
    .where(cases.c.officer_id.in_(bindparam("ids", expanding=True)), cases.c.status.in_(OPEN))
    .group_by(cases.c.officer_id)
)
_LEADS = select(cases.c.id, cases.c.kind, cases.c.category, cases.c.street, cases.c.buurt_code, cases.c.created_at,
                cases.c.officer_id, cases.c.team, cases.c.reference, cases.c.house_number).where(
    cases.c.category.in_(bindparam("categories", expanding=True)), cases.c.status.in_(OPEN),
    cases.c.duplicate_of.is_(None), cases.c.created_at >= bindparam("since"))
_SET_REFERENCE = update(cases).where(cases.c.id == bindparam("b_id")).values(reference=bindparam("b_ref"))
_TOUCH = update(cases).where(cases.c.id == bindparam("b_id")).values(
    last_contact_at=bindparam("b_at"), updated_at=bindparam("b_at"), status=bindparam("b_status"),
    version=cases.c.version + 1)
_INSERT = {table.name: insert(table) for table in (cases, messages, contacts, case_events, outbox, followups)}
_INSERT_RETURNING = {table.name: insert(table).returning(table.c.id, sort_by_parameter_order=True)
                     for table in (cases, messages)}


async def existing_inbound(conn: AsyncConnection, keys: Sequence[Pair]) -> dict[Pair, dict[str, Any]]:
    """Messages already stored under (channel, external id), with their case reference."""
    found: dict[Pair, dict[str, Any]] = {}
    for channel, external_ids in _by_channel(keys).items():
        # channel first: the unique index is (channel, external_id)
        rows = await conn.execute(_EXISTING, {"channel": channel, "ids": external_ids})
        found.update({(channel, r.external_id): {"id": r.id, "reference": r.reference} for r in rows})
    return found


def _by_channel(pairs: Iterable[Pair]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for channel, value in pairs:
        grouped.setdefault(channel, []).append(value)
    return grouped


async def contacts_for(conn: AsyncConnection, wishes: dict[Pair, str | None],
                       now: datetime) -> dict[Pair, dict[str, Any]]:
    """Contact rows for (channel, address) pairs, created on first contact.

    A locale wish (a channel's page language, a post's language) only sets the language of a contact created
    here; an existing contact keeps its language, so a resident's own choice (/taal) is never overwritten.
    A contact created by this call carries `created_now: True` (it cannot have any history yet).
    """
    found = await _contacts(conn, list(wishes))
    existing = set(found)
    missing = [{"channel": c, "address": a, "locale": wishes[(c, a)] or "nl", "created_at": now}
               for (c, a) in wishes if (c, a) not in found]
    if missing:
        await conn.execute(_INSERT["contacts"], missing)
        found = await _contacts(conn, list(wishes))
        for channel, address in wishes:
            if (channel, address) not in existing:
                found[(channel, address)]["created_now"] = True
    return found


async def _contacts(conn: AsyncConnection, pairs: list[Pair]) -> dict[Pair, dict[str, Any]]:
    found: dict[Pair, dict[str, Any]] = {}
    for channel, addresses in _by_channel(pairs).items():
        rows = await conn.execute(_CONTACTS, {"channel": channel, "addresses": addresses})
        found.update({(channel, r["address"]): dict(r) for r in rows.mappings()})
    return found


async def open_cases_of(conn: AsyncConnection, contact_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """The most recent open case per contact."""
    ids = list(set(contact_ids))
    if not ids:
        return {}
    rows = await conn.execute(_OPEN_CASES, {"ids": ids})
    return {r["contact_id"]: dict(r) for r in rows.mappings()}  # later ids overwrite: the newest wins


async def duplicate_leads(conn: AsyncConnection, categories: Iterable[str], since: datetime) -> list[dict[str, Any]]:
    """Open cases that are no duplicate themselves, of these categories, opened since `since`."""
    wanted = list(set(categories))
    if not wanted:
        return []
    return [dict(r) for r in (await conn.execute(_LEADS, {"categories": wanted, "since": since})).mappings()]


async def officer_loads_for(conn: AsyncConnection, teams: Iterable[str]) -> dict[str, list[OfficerLoad]]:
    wanted = list(set(teams))
    if not wanted:
        return {}
    members = (await conn.execute(_MEMBERS, {"teams": wanted})).all()
    counts: dict[int, int] = {}
    if members:
        counts = {r.officer_id: int(r.n) for r in
                  await conn.execute(_OPEN_COUNTS, {"ids": list({m.id for m in members})})}
    loads: dict[str, list[OfficerLoad]] = {team: [] for team in wanted}
    for m in members:
        loads[m.team].append(OfficerLoad(m.id, bool(m.available), counts.get(m.id, 0)))
    return loads


async def insert_returning_ids(conn: AsyncConnection, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    if not rows:
        return []
    statement = _INSERT_RETURNING[table.name]
    result = await conn.execute(statement, rows)
    return [int(r[0]) for r in result]


async def insert_rows(conn: AsyncConnection, table: Table, rows: list[dict[str, Any]]) -> None:
    if rows:
        await conn.execute(_INSERT[table.name], rows)


async def set_references(conn: AsyncConnection, prefix: str, created: list[tuple[int, datetime]]) -> list[str]:
    """Give new cases their reference (PREFIX-YEAR-000123), derived from the id."""
    references = [f"{prefix}-{at.year}-{case_id:06d}" for case_id, at in created]
    if created:
        await conn.execute(_SET_REFERENCE, [{"b_id": case_id, "b_ref": ref}
                                            for (case_id, _), ref in zip(created, references, strict=True)])
    return references


async def touch_cases(conn: AsyncConnection, changes: list[dict[str, Any]]) -> None:
    """Appended messages: last contact, status (waiting -> in behandeling) and version, per case."""
    if changes:
        await conn.execute(_TOUCH, changes)
