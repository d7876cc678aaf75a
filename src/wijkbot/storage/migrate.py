"""Runs the Alembic migrations programmatically, for `wijkbot migrate`, `serve` and the tests.

Invariants: the migrations folder ships inside the package, so an installed wijkbot can migrate without a
checkout; migrating an up-to-date database is a no-op.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from wijkbot.storage.db import Database

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url)
    return config


async def migrate(database: Database, revision: str = "head") -> None:
    """Bring the database schema to `revision` inside the running event loop."""

    def _upgrade(sync_connection: object) -> None:
        config = alembic_config(database.url)
        config.attributes["connection"] = sync_connection
        command.upgrade(config, revision)

    async with database.write() as connection:
        await connection.run_sync(_upgrade)


async def downgrade(database: Database, revision: str) -> None:
    """Take the database schema back to `revision` ("base" drops everything wijkbot made)."""

    def _downgrade(sync_connection: object) -> None:
        config = alembic_config(database.url)
        config.attributes["connection"] = sync_connection
        command.downgrade(config, revision)

    async with database.write() as connection:
        await connection.run_sync(_downgrade)
