"""Runs the Alembic migrations programmatically, for `wijkbot migrate`, `serve` and the tests.

Invariants: the migrations folder ships inside the package, so an installed wijkbot can migrate without a
checkout; migrating an up-to-date database is a no-op; `migrate` says what it did (`Migrated`); on PostgreSQL
processes migrating at once take turns (an advisory lock); a schema of a newer wijkbot is refused (`SchemaTooNew`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import ResolutionError
from alembic.util.exc import CommandError
from sqlalchemy import text

from wijkbot.storage.db import Database
from wijkbot.storage.schema_version import SchemaTooNew

MIGRATIONS = Path(__file__).with_name("migrations")
MIGRATION_LOCK = 0x77696A6B  # "wijk": the PostgreSQL advisory lock that makes migrating processes take turns


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # configparser reads "%" as interpolation: a percent-encoded password ("p%40ss", as deploy/postgresql.md
    # says to write an @) stopped every migration (a review)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


@dataclass(frozen=True, slots=True)
class Migrated:
    """What `migrate` did: the schema version before and after (None: an empty database) and how many
    migrations ran to get there (0: it was already there)."""

    before: str | None
    after: str | None
    steps: int


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except (ResolutionError, CommandError):
        return False


def _version(sync_connection: Any) -> str | None:
    heads = MigrationContext.configure(sync_connection).get_current_heads()
    return ", ".join(sorted(heads)) or None


async def migrate(database: Database, revision: str = "head") -> Migrated:
    """Bring the database schema to `revision` inside the running event loop; says what that took."""

    def _upgrade(sync_connection: Any) -> Migrated:
        config = alembic_config(database.url)
        config.attributes["connection"] = sync_connection
        if not database.is_sqlite:
            # Several processes starting at once (serve migrates too) take turns: the first migrates, the others
            # then find the schema at head. (Without it two of three lost on a unique violation in a trial.)
            sync_connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        before = _version(sync_connection)
        script = ScriptDirectory.from_config(config)
        unknown = [v for v in (before or "").split(", ") if v and not _known(script, v)]
        if unknown:  # a newer wijkbot migrated it (and this one was put back): never guess at its tables
            raise SchemaTooNew(unknown[0], script.get_current_head() or "-")
        command.upgrade(config, revision)
        after = _version(sync_connection)
        steps = 0
        if after != before and after is not None:
            steps = sum(1 for _ in script.iterate_revisions(after, before or "base"))
        return Migrated(before, after, steps)

    async with database.write() as connection:
        return await connection.run_sync(_upgrade)


async def downgrade(database: Database, revision: str) -> None:
    """Take the database schema back to `revision` ("base" drops everything wijkbot made)."""

    def _downgrade(sync_connection: object) -> None:
        config = alembic_config(database.url)
        config.attributes["connection"] = sync_connection
        command.downgrade(config, revision)

    async with database.write() as connection:
        await connection.run_sync(_downgrade)
