"""The Alembic migrations build exactly the schema the code declares, on SQLite and PostgreSQL, and go back down.

This is what keeps migrations written on different branches honest once they are chained together.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import insert, inspect, select, text

from wijkbot.storage.db import Database
from wijkbot.storage.migrate import downgrade, migrate
from wijkbot.storage.tables import messages, metadata


def _differences(sync_connection: Any) -> list[Any]:
    context = MigrationContext.configure(sync_connection, opts={"compare_type": False})
    return list(compare_metadata(context, metadata))


def _tables(sync_connection: Any) -> set[str]:
    return set(inspect(sync_connection).get_table_names())


async def test_migrated_schema_matches_the_declared_tables(database_url: str) -> None:
    db = Database(database_url)
    try:
        await migrate(db)
        async with db.read() as conn:
            differences = await conn.run_sync(_differences)
        assert differences == []
    finally:
        await db.dispose()


async def test_migrations_go_down_to_nothing_and_up_again(database_url: str) -> None:
    db = Database(database_url)
    try:
        await migrate(db)
        await downgrade(db, "base")
        async with db.read() as conn:
            assert await conn.run_sync(_tables) <= {"alembic_version"}
        await migrate(db)
        async with db.read() as conn:
            assert set(metadata.tables) <= await conn.run_sync(_tables)
    finally:
        await db.dispose()


async def test_messages_stored_before_the_masked_search_copy_get_one(database_url: str) -> None:
    """Migration 0010 masks the messages already stored, so searching them as a reader who does not handle the
    case never falls back to the raw text (a NULL would find nothing, a copy of the body would find too much)."""
    db = Database(database_url)
    try:
        await migrate(db, "0009")
        async with db.write() as conn:
            await conn.execute(text(
                "INSERT INTO messages (direction, channel, body, created_at, meta) VALUES "
                "('in', 'webchat', 'Bel me op 06-12345678 of mail jan.jansen@voorbeeld.nl, ik woon in Lombok', "
                ":at, '{}')"), {"at": datetime(2026, 12, 1, 9, tzinfo=UTC)})
        await migrate(db)
        async with db.read() as conn:
            masked = (await conn.execute(text("SELECT body_masked FROM messages"))).scalar_one()
        assert masked == "Bel me op [weggelaten] of mail [weggelaten], ik woon in Lombok"
    finally:
        await db.dispose()


async def test_every_way_of_storing_a_message_fills_the_masked_copy(database_url: str) -> None:
    """body_masked comes from the column's default: a message stored in one statement or many at once (the
    intake batch) gets it, whoever writes it."""
    db = Database(database_url)
    try:
        await migrate(db)
        at = datetime(2026, 12, 1, 9, tzinfo=UTC)
        async with db.write() as conn:
            await conn.execute(insert(messages).values(direction="in", channel="webchat", created_at=at, meta={},
                                                       body="bel 06-12345678"))
            await conn.execute(insert(messages), [
                {"direction": "in", "channel": "webchat", "created_at": at, "meta": {}, "body": body}
                for body in ("mail jan@voorbeeld.nl", "geen nummer")])
        async with db.read() as conn:
            masked = [r[0] for r in await conn.execute(select(messages.c.body_masked).order_by(messages.c.id))]
        assert masked == ["bel [weggelaten]", "mail [weggelaten]", "geen nummer"]
    finally:
        await db.dispose()
