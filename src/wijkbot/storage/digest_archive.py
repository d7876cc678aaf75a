"""The archive of weekly digests and the claim that makes sending happen once per wijk and week.

Invariants: one row per (wijk, week) (unique constraint); a process may mail a digest only after `claim`
returned True in a committed transaction: the claim is an INSERT that does nothing on conflict followed by an
UPDATE whose WHERE re-checks the row (unsent, not claimed by a live process), so of two processes on one
PostgreSQL database exactly one wins (the loser's UPDATE waits for the winner's row lock, then matches nothing),
and on SQLite the write lock serialises them. A claim older than STALE_CLAIM (a process died while sending) may
be taken over. Functions run inside the caller's transaction and never commit.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.storage.tables import digests

STALE_CLAIM = timedelta(minutes=30)
_LIST_COLUMNS = (digests.c.id, digests.c.wijk, digests.c.week, digests.c.lang, digests.c.generated_at,
                 digests.c.sent_at, digests.c.recipients, digests.c.sends, digests.c.last_error)


def _insert_or_nothing(conn: AsyncConnection) -> Any:
    dialect = conn.sync_connection.dialect.name if conn.sync_connection is not None else "sqlite"
    module: Any = postgresql if dialect == "postgresql" else sqlite
    return module.insert(digests).on_conflict_do_nothing(index_elements=["wijk", "week"])


async def claim(conn: AsyncConnection, *, wijk: str, week: str, lang: str, html: str, text: str, now: datetime,
                force: bool = False) -> bool:
    """Store this rendering and take the right to send it; False when sent already (unless force) or claimed."""
    inserted = await conn.execute(_insert_or_nothing(conn).values(
        wijk=wijk, week=week, lang=lang, generated_at=now, html=html, text=text, claimed_at=now))
    if inserted.rowcount == 1:
        return True
    free = or_(digests.c.claimed_at.is_(None), digests.c.claimed_at < now - STALE_CLAIM)
    condition = and_(digests.c.wijk == wijk, digests.c.week == week, free)
    if not force:
        condition = and_(condition, digests.c.sent_at.is_(None))
    updated = await conn.execute(update(digests).where(condition).values(
        lang=lang, generated_at=now, html=html, text=text, claimed_at=now))
    return bool(updated.rowcount == 1)


async def store(conn: AsyncConnection, *, wijk: str, week: str, lang: str, html: str, text: str,
                now: datetime) -> None:
    """Archive a rendering that is not mailed (no recipients, mail off); a sent digest is never overwritten."""
    inserted = await conn.execute(_insert_or_nothing(conn).values(
        wijk=wijk, week=week, lang=lang, generated_at=now, html=html, text=text))
    if inserted.rowcount == 0:
        await conn.execute(update(digests).where(
            digests.c.wijk == wijk, digests.c.week == week, digests.c.sent_at.is_(None),
            digests.c.claimed_at.is_(None)).values(lang=lang, generated_at=now, html=html, text=text))


async def mark_sent(conn: AsyncConnection, *, wijk: str, week: str, now: datetime, recipients: int) -> None:
    await conn.execute(update(digests).where(digests.c.wijk == wijk, digests.c.week == week).values(
        sent_at=now, claimed_at=None, recipients=recipients, sends=digests.c.sends + 1, last_error=None))


async def release(conn: AsyncConnection, *, wijk: str, week: str, error: str) -> None:
    """Give a claim back after a failed send, with the reason, so a later run may try again."""
    await conn.execute(update(digests).where(digests.c.wijk == wijk, digests.c.week == week).values(
        claimed_at=None, last_error=error[:2000]))


async def find(conn: AsyncConnection, wijk: str, week: str) -> RowMapping | None:
    return (await conn.execute(
        select(digests).where(digests.c.wijk == wijk, digests.c.week == week))).mappings().first()


async def weeks_of(conn: AsyncConnection, wijk: str) -> list[RowMapping]:
    """The archived digests of a wijk, newest week first (without their bodies)."""
    return list((await conn.execute(
        select(*_LIST_COLUMNS).where(digests.c.wijk == wijk).order_by(digests.c.week.desc()))).mappings())

