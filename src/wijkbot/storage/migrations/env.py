"""Alembic environment: migrates the connection handed in by wijkbot.storage.migrate, or a URL."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.ext.asyncio import create_async_engine

from wijkbot.storage.tables import metadata

config = context.config


def _run(connection: object) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,  # type: ignore[arg-type]
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


async def _run_from_url() -> None:
    engine = create_async_engine(config.get_main_option("sqlalchemy.url") or "", hide_parameters=True)
    async with engine.begin() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    asyncio.run(_run_from_url())
