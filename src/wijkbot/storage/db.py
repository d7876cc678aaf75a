"""The database handle: SQLite (embedded default) and PostgreSQL, and their transactions.

Invariants:
- On SQLite every write transaction takes the write lock up front (BEGIN IMMEDIATE, WAL, busy_timeout),
  because a deferred BEGIN silently loses read-modify-write updates under concurrency (LIBRARIES.md); within
  one process writers also queue on an asyncio lock. Reads use a deferred BEGIN on a separate engine, so WAL
  readers never wait on writers.
- SQLite statements run synchronously on the event-loop thread, behind the same async interface as
  PostgreSQL. Measured here: SQLAlchemy over aiosqlite costs ~0.9 ms per statement (a thread hop and a
  greenlet switch each), a synchronous SQLite statement ~0.03 ms; an intake transaction has ~12 statements.
  The embedded database is meant for one process; several processes belong on PostgreSQL.
- On PostgreSQL (asyncpg) both are plain transactions; rows that must be claimed use FOR UPDATE SKIP LOCKED.
- No engine ever puts statement parameters (a resident's words) into an error (hide_parameters).
"""

from __future__ import annotations

import asyncio
import errno
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar, cast

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

T = TypeVar("T")


class _SyncAsConnection:
    """An AsyncConnection look-alike over a synchronous SQLite connection (execute and run_sync)."""

    def __init__(self, connection: Connection) -> None:
        self.sync_connection = connection

    async def execute(self, statement: Any, parameters: Any = None) -> Any:
        return self.sync_connection.execute(statement, parameters)

    async def run_sync(self, fn: Callable[..., T], *args: Any) -> T:
        return fn(self.sync_connection, *args)


def postgres_url(url: str) -> URL:
    """The URL asyncpg takes: libpq's `sslmode=require` (what hosting providers print) becomes asyncpg's `ssl=require`
    (same values: disable, allow, prefer, require, verify-ca, verify-full); asyncpg refused `sslmode` with a
    TypeError that stopped the start in an operator's trial."""
    parsed = make_url(url)
    mode = parsed.query.get("sslmode")
    if mode is None:
        return parsed
    query = {key: value for key, value in parsed.query.items() if key != "sslmode"}
    query.setdefault("ssl", mode)
    return parsed.set(query=query)


def _sqlite_engine(url: str, begin: str) -> Engine:
    # hide_parameters: a failing statement's error (logged) must never carry a resident's words or address.
    engine = create_engine(url, pool_size=5, max_overflow=0, connect_args={"timeout": 5}, hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        # Checkpoints fsync; run inside a commit they would stall the event loop. `checkpoint()` does them
        # in a thread; this high threshold is only a backstop for processes that never call it (the CLI).
        cursor.execute("PRAGMA wal_autocheckpoint=20000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql(begin)

    return engine


def _sync_sqlite_url(url: str) -> str:
    parsed = make_url(url)
    return parsed.set(drivername="sqlite").render_as_string(hide_password=False)


def sqlite_folder(url: str, create: bool) -> None:
    """Make sure an SQLite file's folder is there: made when `create`, else refused with FileNotFoundError naming
    it (serve checks this before anything else writes beside the database, such as the session key)."""
    parsed = make_url(url)
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return
    folder = Path(database).parent
    if folder.is_dir():
        return
    if not create:
        raise FileNotFoundError(errno.ENOENT, "folder does not exist", str(folder))
    folder.mkdir(parents=True, exist_ok=True)


class Database:
    """Owns the engines; hands out write and read transactions."""

    def __init__(self, url: str, create_directory: bool = True) -> None:
        """`create_directory`: make an SQLite file's folder when it is missing (the default ./var); otherwise a
        missing folder is refused (FileNotFoundError naming it), so a mistyped path in production does not
        quietly start an empty database."""
        self.url = url
        parsed = make_url(url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self._sqlite_writer: Engine | None = None
        self._sqlite_reader: Engine | None = None
        self._async_engine: AsyncEngine | None = None
        if self.is_sqlite:
            sqlite_folder(url, create_directory)
            sync_url = _sync_sqlite_url(url)
            self._sqlite_writer = _sqlite_engine(sync_url, "BEGIN IMMEDIATE")
            self._sqlite_reader = _sqlite_engine(sync_url, "BEGIN")
        else:
            self._async_engine = create_async_engine(postgres_url(url), pool_size=10, max_overflow=10,
                                                     pool_pre_ping=True, hide_parameters=True)
        self._write_lock = asyncio.Lock()

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """One write transaction: committed on success, rolled back on any exception."""
        if self._sqlite_writer is not None:
            async with self._write_lock:
                with self._sqlite_writer.begin() as connection:
                    yield cast(AsyncConnection, _SyncAsConnection(connection))
            return
        assert self._async_engine is not None
        async with self._async_engine.begin() as async_connection:
            yield async_connection

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        """One read-only transaction (never takes the SQLite write lock)."""
        if self._sqlite_reader is not None:
            with self._sqlite_reader.connect() as connection, connection.begin():
                yield cast(AsyncConnection, _SyncAsConnection(connection))
            return
        assert self._async_engine is not None
        async with self._async_engine.connect() as async_connection, async_connection.begin():
            yield async_connection

    async def checkpoint(self) -> None:
        """Copy the SQLite WAL into the database file, off the event loop (no-op on PostgreSQL)."""
        if self._sqlite_reader is None:
            return
        engine = self._sqlite_reader

        def _run() -> None:
            with engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")

        await asyncio.to_thread(_run)

    async def dispose(self) -> None:
        for engine in (self._sqlite_writer, self._sqlite_reader):
            if engine is not None:
                engine.dispose()
        if self._async_engine is not None:
            await self._async_engine.dispose()
