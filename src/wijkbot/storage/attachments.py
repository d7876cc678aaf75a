"""Stored files (photos, PDF) of residents' messages, for the ambtenaar who handles the case.

Invariants: runs inside the caller's transaction; the bytes are read only by `content` (listing a case's
files never loads them), and `read_by` records in the audit log who opened which file; a file always belongs to
a message, and to that message's case once it has one.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.storage.tables import attachments, audit_log

_INSERT = insert(attachments)
_LIST = (
    select(attachments.c.id, attachments.c.message_id, attachments.c.case_id, attachments.c.content_type,
           attachments.c.file_name, attachments.c.size, attachments.c.sha256, attachments.c.created_at)
)


def row(message_id: int, case_id: int | None, content_type: str, file_name: str, data: bytes,
        now: datetime) -> dict[str, Any]:
    return {"message_id": message_id, "case_id": case_id, "content_type": content_type[:100],
            "file_name": file_name[:200], "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
            "data": data, "created_at": now}


async def add_many(conn: AsyncConnection, rows: list[dict[str, Any]]) -> None:
    if rows:
        await conn.execute(_INSERT, rows)


async def of_case(conn: AsyncConnection, case_id: int) -> list[dict[str, Any]]:
    """The files of a case (without their bytes), oldest first."""
    query = _LIST.where(attachments.c.case_id == case_id).order_by(attachments.c.id)
    return [dict(r) for r in (await conn.execute(query)).mappings()]


async def of_message(conn: AsyncConnection, message_id: int) -> list[dict[str, Any]]:
    query = _LIST.where(attachments.c.message_id == message_id).order_by(attachments.c.id)
    return [dict(r) for r in (await conn.execute(query)).mappings()]


async def content(conn: AsyncConnection, attachment_id: int) -> tuple[dict[str, Any], bytes] | None:
    """One file with its bytes, or None."""
    found = (await conn.execute(select(attachments).where(attachments.c.id == attachment_id))).mappings().first()
    if found is None:
        return None
    meta = {k: v for k, v in found.items() if k != "data"}
    return meta, bytes(found["data"])


async def read_by(conn: AsyncConnection, attachment_id: int, actor: str,
                  now: datetime) -> tuple[dict[str, Any], bytes] | None:
    """One file with its bytes, for an ambtenaar; the audit log says who opened it, and when."""
    found = await content(conn, attachment_id)
    if found is not None:
        await conn.execute(insert(audit_log).values(at=now, actor=actor[:100], action="bijlage geopend",
                                                    case_id=found[0]["case_id"], reason=f"bijlage {attachment_id}"))
    return found
