"""The Alembic migrations build exactly the schema the code declares, on SQLite and PostgreSQL, and go back down.

This is what keeps migrations written on different branches honest once they are chained together.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import insert, inspect, select, text
from sqlalchemy.engine import make_url

from tests.support.pg_cluster import PgCluster
from wijkbot.storage.db import Database, postgres_url
from wijkbot.storage.migrate import downgrade, migrate
from wijkbot.storage.schema_version import SchemaTooNew
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


async def test_a_schema_of_a_newer_wijkbot_is_refused_in_one_sentence(database_url: str) -> None:
    """An operator put back an older wijkbot after an upgrade: Alembic's "Can't locate revision" came as a
    91-line traceback from both `migrate` and `serve`."""
    db = Database(database_url)
    try:
        await migrate(db)
        async with db.write() as conn:
            await conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
        with pytest.raises(SchemaTooNew) as refused:
            await migrate(db)
        assert "schemaversie 0099" in str(refused.value) and "nieuwere wijkbot" in str(refused.value)
        async with db.read() as conn:  # nothing was touched
            assert (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar() == "0099"
    finally:
        await db.dispose()


@pytest.mark.postgres
async def test_processes_migrating_at_once_take_turns(pg_cluster: PgCluster) -> None:
    """Three `wijkbot migrate` (or serve) at once on an empty database: two lost on a unique violation in a trial."""
    url = pg_cluster.create_database(f"t_{uuid.uuid4().hex[:12]}")
    databases = [Database(url) for _ in range(3)]
    try:
        done = await asyncio.gather(*(migrate(db) for db in databases))
        assert sorted(d.steps > 0 for d in done) == [False, False, True]  # one migrated, the others found it done
        async with databases[0].read() as conn:
            assert await conn.run_sync(_differences) == []
    finally:
        for db in databases:
            await db.dispose()


@pytest.mark.postgres
async def test_libpq_sslmode_in_the_url_is_understood(pg_cluster: PgCluster) -> None:
    """Hosting providers print `?sslmode=require`; asyncpg stopped the start with a TypeError on it."""
    assert postgres_url("postgresql+asyncpg://u@h/d?sslmode=require").query == {"ssl": "require"}
    db = Database(pg_cluster.create_database(f"t_{uuid.uuid4().hex[:12]}") + "?sslmode=disable")  # no TLS here
    try:
        async with db.read() as conn:
            assert (await conn.execute(text("SELECT 1"))).scalar() == 1
    finally:
        await db.dispose()


@pytest.mark.postgres
async def test_a_percent_encoded_password_migrates(pg_cluster: PgCluster) -> None:
    """deploy/postgresql.md says to write an @ in the password as %40; Alembic's configparser read "%" as
    interpolation and every migration stopped (the test cluster trusts every login, so any password connects)."""
    url = make_url(pg_cluster.create_database(f"t_{uuid.uuid4().hex[:12]}"))
    db = Database(url.set(password="p@ss/w:rd%").render_as_string(hide_password=False))
    assert "%40" in db.url
    try:
        assert (await migrate(db)).after is not None
    finally:
        await db.dispose()
