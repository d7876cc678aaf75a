"""Repository functions over one open connection: contacts, messages, cases, history, follow-ups, officers.

Invariants: every function runs inside the caller's transaction and never commits; rows come back as
plain mappings (or small dataclasses), never as live ORM objects; resident addresses are read only here and
in the outbox, never logged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.domain.assignment import OfficerLoad
from wijkbot.domain.workflow import OPEN_STATUSES
from wijkbot.storage.tables import (
    case_events,
    cases,
    contacts,
    followups,
    messages,
    officer_teams,
    officer_wijken,
    officers,
)

OPEN = [s.value for s in OPEN_STATUSES]


async def add_message(conn: AsyncConnection, *, channel: str, direction: str, body: str, now: datetime,
                      contact_id: int | None = None, case_id: int | None = None, external_id: str | None = None,
                      author_id: int | None = None, meta: Mapping[str, Any] | None = None) -> int:
    result = await conn.execute(insert(messages).values(
        channel=channel, direction=direction, body=body, created_at=now,
        contact_id=contact_id, case_id=case_id,
        external_id=external_id, author_id=author_id, meta=dict(meta or {}),
    ))
    return int(result.inserted_primary_key[0])  # type: ignore[index]


async def cases_of_contact(conn: AsyncConnection, contact_id: int) -> list[RowMapping]:
    return list((await conn.execute(
        select(cases).where(cases.c.contact_id == contact_id).order_by(cases.c.id)
    )).mappings())


async def case_by_reference(conn: AsyncConnection, reference: str) -> RowMapping | None:
    return (await conn.execute(
        select(cases).where(cases.c.reference == reference.strip().upper())
    )).mappings().first()


async def case_by_id(conn: AsyncConnection, case_id: int) -> RowMapping | None:
    return (await conn.execute(select(cases).where(cases.c.id == case_id))).mappings().first()


async def update_case(conn: AsyncConnection, case_id: int, now: datetime, **values: Any) -> None:
    await conn.execute(update(cases).where(cases.c.id == case_id).values(
        updated_at=now, version=cases.c.version + 1, **values
    ))


async def bump_version(conn: AsyncConnection, case_id: int) -> None:
    """A change others must see before they act (a colleague's note), that is not a change of the case itself:
    `updated_at` (the moment a cancelled case counts as closed) stays."""
    await conn.execute(update(cases).where(cases.c.id == case_id).values(version=cases.c.version + 1))


async def officer_acted(conn: AsyncConnection, case_id: int) -> bool:
    """Whether an ambtenaar did anything on the case yet (assigned, answered, noted, handed over, ...)."""
    return bool((await conn.execute(select(exists().where(
        case_events.c.case_id == case_id, case_events.c.actor.not_in(("systeem", "bewoner")))))).scalar())


async def last_event_actor(conn: AsyncConnection, case_id: int) -> str | None:
    """Who made the case's latest change ("bewoner", "systeem" or an officer id), None without events."""
    return (await conn.execute(select(case_events.c.actor).where(case_events.c.case_id == case_id)
                               .order_by(case_events.c.id.desc()).limit(1))).scalar()


async def own_note_versions(conn: AsyncConnection, case_id: int, officer_id: int, count: int) -> set[int]:
    """The case versions this officer's latest `count` notes made (kept in each note's meta)."""
    rows = await conn.execute(select(messages.c.meta).where(
        messages.c.case_id == case_id, messages.c.direction == "note", messages.c.author_id == officer_id)
        .order_by(messages.c.id.desc()).limit(count))
    return {int(meta["version"]) for (meta,) in rows.all() if meta and "version" in meta}


async def add_event(conn: AsyncConnection, case_id: int, now: datetime, actor: str, type_: str,
                    data: Mapping[str, Any] | None = None) -> None:
    await conn.execute(insert(case_events).values(
        case_id=case_id, at=now, actor=actor, type=type_, data=dict(data or {})
    ))


async def events_of(conn: AsyncConnection, case_id: int) -> list[RowMapping]:
    return list((await conn.execute(
        select(case_events).where(case_events.c.case_id == case_id).order_by(case_events.c.id)
    )).mappings())


async def messages_of(conn: AsyncConnection, case_id: int) -> list[RowMapping]:
    return list((await conn.execute(
        select(messages).where(messages.c.case_id == case_id).order_by(messages.c.id)
    )).mappings())


async def plan_followups(conn: AsyncConnection, case_id: int, planned: Iterable[tuple[str, datetime]]) -> None:
    rows = [{"case_id": case_id, "kind": kind, "due_at": due, "status": "planned"} for kind, due in planned]
    if rows:
        await conn.execute(insert(followups), rows)


async def planned_moment(conn: AsyncConnection, case_id: int, kind: str) -> datetime | None:
    """When the case's planned follow-up of `kind` is due (the earliest, if several), or None."""
    # Ordered rather than min(): the column's type (and so its time zone) survives on every database.
    found = (await conn.execute(select(followups.c.due_at).where(
        followups.c.case_id == case_id, followups.c.kind == kind, followups.c.status == "planned")
        .order_by(followups.c.due_at).limit(1))).scalar()
    return found if isinstance(found, datetime) else None


async def cancel_followups(conn: AsyncConnection, case_id: int, kinds: Iterable[str] | None = None) -> None:
    query = update(followups).where(followups.c.case_id == case_id, followups.c.status == "planned")
    if kinds is not None:
        query = query.where(followups.c.kind.in_(list(kinds)))
    await conn.execute(query.values(status="cancelled"))


async def officer_loads(conn: AsyncConnection, team: str) -> list[OfficerLoad]:
    """The officers of a team with their number of open cases, for assignment."""
    open_count = (
        select(func.count(cases.c.id)).where(cases.c.officer_id == officers.c.id, cases.c.status.in_(OPEN))
        .correlate(officers).scalar_subquery()
    )
    rows = await conn.execute(
        select(officers.c.id, officers.c.available, open_count.label("open_cases"))
        .join(officer_teams, officer_teams.c.officer_id == officers.c.id)
        .where(officer_teams.c.team == team)
    )
    return [OfficerLoad(r.id, bool(r.available), int(r.open_cases)) for r in rows]


async def officer(conn: AsyncConnection, officer_id: int) -> RowMapping | None:
    return (await conn.execute(select(officers).where(officers.c.id == officer_id))).mappings().first()


async def officer_by_email(conn: AsyncConnection, email: str) -> RowMapping | None:
    return (await conn.execute(
        select(officers).where(func.lower(officers.c.email) == email.strip().lower())
    )).mappings().first()


async def add_officer(conn: AsyncConnection, *, name: str, email: str, role: str, teams: Iterable[str],
                      now: datetime, available: bool = True, wijken: Iterable[str] = ()) -> int:
    """A new ambtenaar with their teams and, for a wijkregisseur, the wijken they hold."""
    new_id = int((await conn.execute(insert(officers).values(
        name=name, email=email.strip().lower(), role=role, available=available, created_at=now
    ))).inserted_primary_key[0])  # type: ignore[index]
    team_rows = [{"officer_id": new_id, "team": t} for t in dict.fromkeys(teams)]
    if team_rows:
        await conn.execute(insert(officer_teams), team_rows)
    wijk_rows = [{"officer_id": new_id, "wijk": w} for w in dict.fromkeys(wijken)]
    if wijk_rows:
        await conn.execute(insert(officer_wijken), wijk_rows)
    return new_id


async def contact_channel(conn: AsyncConnection, contact_id: int) -> str:
    """The channel a resident wrote from: replies always leave through it."""
    return str((await conn.execute(select(contacts.c.channel).where(contacts.c.id == contact_id))).scalar_one())


async def contact_for_read(conn: AsyncConnection, channel: str, address: str) -> RowMapping | None:
    return (await conn.execute(
        select(contacts).where(contacts.c.channel == channel, contacts.c.address == address)
    )).mappings().first()
