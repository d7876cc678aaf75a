"""`wijkbot digest` as an ambtenaar types it: printing, --html, clear answers for an unknown wijk or a bad week,
--send refusing a week already sent unless --force; and the weekly job registered at Monday 08:00 local time."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.digest.conftest import digest_settings, local, make_bot, seed_week
from wijkbot.cli import main
from wijkbot.domain.weeks import IsoWeek
from wijkbot.testing import FrozenClock

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def seeded_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'wijkbot.db'}"
    clock = FrozenClock()
    bot = await make_bot(digest_settings(url), clock)
    await seed_week(bot, clock)
    await bot.close()
    for key, value in {"WIJKBOT_DATABASE_URL": url, "WIJKBOT_RULES_DIR": str(ROOT / "routing_rules" / "utrecht"),
                       "WIJKBOT_LOCALES_DIR": str(ROOT / "locales"), "WIJKBOT_LOG_LEVEL": "WARNING"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)  # no .env of the checkout
    return url


def run(*args: str) -> int:
    return main(["digest", *args])


async def test_prints_writes_and_refuses(seeded_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import asyncio

    def cli(*args: str) -> tuple[int, str, str]:
        code = run(*args)
        out, err = capsys.readouterr()
        return code, out, err

    code, out, _ = await asyncio.to_thread(cli, "--wijk", "overvecht", "--week", "2026-W15")
    assert code == 0 and out.startswith("Weekoverzicht Overvecht: week 15 van 2026")
    assert "Deze week kwamen er 8 nieuwe zaken binnen." in out

    code, out, _ = await asyncio.to_thread(cli, "--wijk", "Overvecht", "--week", "2026-W15", "--lang", "en",
                                           "--html", str(tmp_path / "d.html"))
    assert code == 0 and '<html lang="en">' in (tmp_path / "d.html").read_text(encoding="utf-8")

    code, _, err = await asyncio.to_thread(cli, "--wijk", "Atlantis", "--week", "2026-W15")
    assert code == 1 and "onbekende wijk 'Atlantis'; bekende wijken: West, Noordwest, Overvecht" in err

    code, _, err = await asyncio.to_thread(cli, "--wijk", "Overvecht", "--week", "2026-47")
    assert code == 1 and "ongeldige week: '2026-47' is geen week; schrijf bijvoorbeeld 2026-W47" in err

    code, _, err = await asyncio.to_thread(cli, "--wijk", "Overvecht", "--week", "2026-W15", "--send")
    assert code == 1 and "WIJKBOT_SMTP_HOST" in err

    code, _, err = await asyncio.to_thread(cli, "--wijk", "Overvecht", "--week", "2026-W15", "--force")
    assert code == 1 and "--force hoort bij --send" in err


async def test_the_running_week_reads_so_far_and_a_week_to_come_is_refused(
        seeded_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    import asyncio

    def cli(*args: str) -> tuple[int, str, str]:
        code = run("--wijk", "Overvecht", *args)
        out, err = capsys.readouterr()
        return code, out, err

    current = IsoWeek.containing(datetime.now(UTC), "Europe/Amsterdam")  # the command reads the real clock
    code, out, _ = await asyncio.to_thread(cli, "--week", str(current))
    assert code == 0
    assert out.startswith(f"Weekoverzicht Overvecht: week {current.week} van {current.year}, tot nu toe\n")
    assert "De week is nog niet voorbij, dus de cijfers kunnen nog veranderen." in out and "Nu staan er" in out
    code, out, _ = await asyncio.to_thread(cli, "--week", "2026-W15")
    assert code == 0 and "tot nu toe" not in out and "Aan het eind van de week stonden er" in out
    code, _, err = await asyncio.to_thread(cli, "--week", str(current.shifted(1)))
    assert code == 1 and f"week {current.shifted(1)} is nog niet begonnen; deze week is {current}" in err


async def test_the_weekly_job_runs_monday_eight_local_time(tmp_path: Path) -> None:
    clock = FrozenClock(local(4, 8, 12))
    bot = await make_bot(digest_settings(f"sqlite:///{tmp_path / 'w.db'}"), clock)
    try:
        await bot.start_workers()
        assert bot._scheduler is not None
        job = bot._scheduler.get_job("digest")
        next_run = job.trigger.get_next_fire_time(None, local(4, 8, 12))
        assert next_run == local(4, 13, 8)
        later = job.trigger.get_next_fire_time(None, local(10, 20, 12))  # across the change to winter time
        assert later == local(10, 26, 8) and later.utcoffset().total_seconds() == 3600
        assert bot._scheduler.get_job("digest-catch-up") is not None
    finally:
        await bot.close()
