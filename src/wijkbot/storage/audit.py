"""The audit log: who read resident contact data (and why), and who changed accounts.

Invariants: rows are only ever added; a row names the actor (an officer id as text, or "cli"), the action,
the case when there is one, and the reason given; it never holds the contact data itself.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.storage.tables import audit_log, cases


async def write(conn: AsyncConnection, now: datetime, actor: str, action: str, *, case_id: int | None = None,
                reason: str | None = None) -> None:
    await conn.execute(insert(audit_log).values(at=now, actor=actor[:100], action=action[:60], case_id=case_id,
                                                reason=reason))


async def latest(conn: AsyncConnection, limit: int = 200, offset: int = 0) -> list[RowMapping]:
    """The newest rows first, with the case reference."""
    return list((await conn.execute(
        select(audit_log, cases.c.reference).outerjoin(cases, cases.c.id == audit_log.c.case_id)
        .order_by(audit_log.c.id.desc()).limit(limit).offset(offset)
    )).mappings())
