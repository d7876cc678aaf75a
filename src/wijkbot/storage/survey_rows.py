"""The surveys table: one row per closed case the resident was asked about.

Invariants: the token is random and unguessable (it is the only thing in a button's value); a survey is found
for a resident only through their own contact (a token of another resident's case is "unknown", never
"not yours"); answers only fill empty fields or overwrite with the resident's newer choice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.storage.tables import case_events, cases, contacts, surveys


async def add(conn: AsyncConnection, token: str, case_id: int, now: datetime) -> None:
    await conn.execute(insert(surveys).values(token=token, case_id=case_id, created_at=now))


_COLUMNS = (surveys, cases.c.reference, cases.c.locale, cases.c.officer_id, cases.c.contact_id, cases.c.kind,
            cases.c.department)


async def of_contact(conn: AsyncConnection, token: str, contact_id: int) -> dict[str, Any] | None:
    row = (await conn.execute(select(*_COLUMNS).join(cases, cases.c.id == surveys.c.case_id)
                              .where(surveys.c.token == token, cases.c.contact_id == contact_id))).mappings().first()
    return dict(row) if row else None


async def latest_open(conn: AsyncConnection, pairs: list[tuple[str, str]],
                      since: datetime) -> dict[tuple[str, str], dict[str, Any]]:
    """Per (channel, address): the newest survey still waiting for something (score, yes/no or the why)."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    if not pairs:
        return found
    rows = (await conn.execute(
        select(*_COLUMNS, contacts.c.channel, contacts.c.address).join(cases, cases.c.id == surveys.c.case_id)
        .join(contacts, contacts.c.id == cases.c.contact_id)
        .where(contacts.c.address.in_({a for _c, a in pairs}), surveys.c.created_at >= since,
               surveys.c.why.is_(None))
        .order_by(surveys.c.created_at)
    )).mappings()
    wanted = set(pairs)
    for row in rows:  # oldest first, so the newest of each resident is kept
        pair = (str(row["channel"]), str(row["address"]))
        if pair in wanted:
            found[pair] = dict(row)
    return found


async def record(conn: AsyncConnection, token: str, **values: Any) -> None:
    await conn.execute(update(surveys).where(surveys.c.token == token).values(**values))


async def set_verdict_why(conn: AsyncConnection, case_id: int, why: str) -> None:
    """The why arrives after the verdict: it joins the case's "tevredenheid" event (the digest reads it there)."""
    row = (await conn.execute(select(case_events.c.id, case_events.c.data).where(
        case_events.c.case_id == case_id, case_events.c.type == "tevredenheid").order_by(case_events.c.id.desc())
        .limit(1))).first()
    if row is not None:
        await conn.execute(update(case_events).where(case_events.c.id == row.id).values(
            data=dict(row.data) | {"toelichting": why}))
