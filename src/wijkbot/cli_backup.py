"""`wijkbot backup FILE`: a consistent copy of the embedded SQLite database, also while the service runs.

Invariants: the copy is made with SQLite's online backup (so what the write-ahead log holds is in it, and a
write during the copy never leaves it half-done), written to a temporary file beside the target and renamed
into place only after its integrity check passed; an existing file is never overwritten without --force; the
copy is readable by its owner only (it holds residents' personal data); PostgreSQL is backed up with its own
tools (pg_dump, deploy/postgresql.md), which this command says instead of copying anything. The session key
(var/secret_key) is not part of the copy: without it ambtenaren only sign in again.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from wijkbot.settings import Settings


class BackupProblem(RuntimeError):
    """Why no backup was made, in Dutch for the operator."""


def sqlite_file(url: str) -> Path | None:
    """The SQLite database file of a database URL, or None for another database (or an in-memory one)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def backup_sqlite(source: Path, target: Path, force: bool = False) -> dict[str, Any]:
    """Copy `source` to `target` consistently; returns what the copy holds (size in bytes, cases, messages)."""
    if not source.is_file():
        raise BackupProblem(f"de database {source} bestaat niet (nog): start de dienst of `wijkbot migrate` eerst")
    if target.is_dir():
        raise BackupProblem(f"{target} is een map: geef een bestandsnaam, zoals {target / 'backup.db'}")
    if target.exists() and not force:
        raise BackupProblem(f"{target} bestaat al: kies een andere naam, of overschrijf met --force")
    if not target.parent.is_dir():
        raise BackupProblem(f"de map {target.parent} bestaat niet")
    if target.resolve() == source.resolve():
        raise BackupProblem("kies een ander bestand dan de database zelf")
    partial = target.with_name(f".{target.name}.deel")
    partial.unlink(missing_ok=True)
    try:
        reader = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        try:
            writer = sqlite3.connect(partial)
            try:
                partial.chmod(0o600)
                reader.backup(writer)
                checked = writer.execute("PRAGMA integrity_check").fetchone()[0]
                if checked != "ok":
                    raise BackupProblem(f"de kopie is niet in orde ({checked}): er is niets opgeslagen")
                counts = {table: _count(writer, table) for table in ("cases", "messages")}
            finally:
                writer.close()
        finally:
            reader.close()
        partial.replace(target)
    except (sqlite3.Error, OSError) as error:
        raise BackupProblem(f"kopiëren lukte niet: {error}") from error
    finally:
        partial.unlink(missing_ok=True)
    return {"bytes": target.stat().st_size, **counts}


def _count(conn: sqlite3.Connection, table: str) -> int | None:
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608 (fixed names)
    except sqlite3.Error:
        return None  # a database from before that table


async def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    source = sqlite_file(settings.database_url)
    if source is None:
        print("wijkbot: deze database is geen SQLite-bestand. Maak een back-up van PostgreSQL met pg_dump "
              "(zie deploy/postgresql.md, 'Backups')", file=sys.stderr)
        return 2
    try:
        made = backup_sqlite(source, Path(args.file), force=args.force)
    except BackupProblem as problem:
        print(f"wijkbot: geen back-up gemaakt: {problem}", file=sys.stderr)
        return 1
    held = ", ".join(f"{made[table]} {word}" for table, word in (("cases", "zaken"), ("messages", "berichten"))
                     if made[table] is not None)
    said = f"{args.file} ({made['bytes'] // 1024} kB{', ' + held if held else ''})"
    print(f"back-up gemaakt: {said}. Bewaar hem veilig: er staan persoonsgegevens van bewoners in. "
          "Terugzetten: stop de dienst, zet het bestand in de plaats van de database en start weer.")
    return 0


def register(sub: Any) -> None:
    backup = sub.add_parser("backup", help="maak een back-up van de SQLite-database (ook terwijl de dienst draait)")
    backup.add_argument("file", help="het bestand voor de back-up, bijvoorbeeld backup-2026-12-07.db")
    backup.add_argument("--force", action="store_true", help="overschrijf een bestaand bestand")
    backup.set_defaults(func=cmd_backup)
