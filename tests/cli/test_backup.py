"""`wijkbot backup`: a consistent copy of the SQLite database while the service runs, and clear refusals."""

from __future__ import annotations

import asyncio
import os
import sqlite3
from pathlib import Path

import pytest

from wijkbot.app import Wijkbot
from wijkbot.cli import main
from wijkbot.settings import Settings
from wijkbot.testing import Harness


def backup(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, url: str,
           *argv: str) -> tuple[int, str, str]:
    monkeypatch.setenv("WIJKBOT_DATABASE_URL", url)
    code = main(["backup", *argv])
    out, err = capsys.readouterr()
    return code, out, err


async def backup_beside(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, url: str,
                        *argv: str) -> tuple[int, str, str]:
    """The command in its own thread (its own event loop), while the service's loop runs: as an operator would."""
    return await asyncio.to_thread(backup, capsys, monkeypatch, url, *argv)


async def test_a_backup_while_the_service_runs_holds_the_latest_case(bot: Wijkbot, resident: Harness,
                                                                    settings: Settings, tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str],
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The operator trial found no backup command; copying the .db file alone can miss what the write-ahead log
    still holds."""
    await resident.say("De lantaarnpaal in de Kanaalstraat is kapot")
    target = tmp_path / "backup.db"
    code, out, err = await backup_beside(capsys, monkeypatch, settings.database_url, str(target))
    assert code == 0, err
    assert "back-up gemaakt" in out and "1 zaken" in out and "persoonsgegevens" in out
    copy = sqlite3.connect(target)
    try:
        assert copy.execute("SELECT reference FROM cases").fetchall() == [(resident.reference,)]
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        copy.close()
    assert target.stat().st_mode & 0o777 == 0o600  # residents' personal data: the owner only
    # never over an existing file without --force, and never over the database itself
    code, _, err = await backup_beside(capsys, monkeypatch, settings.database_url, str(target))
    assert code == 1 and "bestaat al" in err and "--force" in err
    assert (await backup_beside(capsys, monkeypatch, settings.database_url, str(target), "--force"))[0] == 0
    database = settings.database_url.partition(":///")[2]
    code, _, err = await backup_beside(capsys, monkeypatch, settings.database_url, database, "--force")
    assert code == 1 and "ander bestand dan de database" in err
    code, _, err = await backup_beside(capsys, monkeypatch, settings.database_url, str(tmp_path), "--force")
    assert code == 1 and "is een map" in err  # a folder: said, not a traceback
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".deel")]  # no half-written copy left behind


def test_a_missing_database_or_folder_is_said(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'nog-niet.db'}"
    code, _, err = backup(capsys, monkeypatch, url, str(tmp_path / "b.db"))
    assert code == 1 and "bestaat niet" in err and not (tmp_path / "b.db").exists()


def test_postgresql_is_pointed_to_pg_dump(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                                          tmp_path: Path) -> None:
    code, _, err = backup(capsys, monkeypatch, "postgresql+asyncpg://wijkbot@localhost/wijkbot", str(tmp_path / "b"))
    assert code == 2 and "pg_dump" in err and not (tmp_path / "b").exists()
