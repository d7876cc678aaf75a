"""`wijkbot users ...` and `wijkbot seed-demo` accounts, run through the real CLI entry point."""

from __future__ import annotations

import asyncio
import io
import re
import sys
from pathlib import Path

import pytest

from wijkbot.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WIJKBOT_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("WIJKBOT_RULES_DIR", str(ROOT / "routing_rules" / "utrecht"))
    monkeypatch.setenv("WIJKBOT_LOCALES_DIR", str(ROOT / "locales"))
    monkeypatch.setenv("WIJKBOT_PASSWORD_HASH_TIME_COST", "1")
    monkeypatch.setenv("WIJKBOT_PASSWORD_HASH_MEMORY_KIB", "8192")
    monkeypatch.setenv("WIJKBOT_PUBLIC_URL", "https://inbox.example.org")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def sign_in(email: str, password: str) -> bool:
    from wijkbot.app import build
    from wijkbot.settings import Settings

    async def attempt() -> bool:
        bot = await build(Settings())
        try:
            return (await bot.inbox.login.sign_in(email, password, "127.0.0.1")).person is not None
        finally:
            await bot.close()
    return asyncio.run(attempt())


def test_users_add_with_password_from_stdin_list_and_disable(cli_env: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("een heel geheim wachtwoord\n"))
    code, out, _ = run(capsys, "users", "add", "Nieuw.Iemand@example.org", "--name", "Nieuw Iemand",
                       "--role", "behandelaar", "--role", "beheerder", "--team", "vth", "--password-stdin")
    assert code == 0 and "met wachtwoord" in out and "geheim" not in out
    assert sign_in("nieuw.iemand@example.org", "een heel geheim wachtwoord")
    code, out, _ = run(capsys, "users", "list")
    assert re.search(r"nieuw\.iemand@example\.org\s+Nieuw Iemand\s+behandelaar,beheerder\s+actief\s+vth", out)
    assert run(capsys, "users", "add", "tweede@example.org", "--name", "Tweede", "--role", "beheerder")[0] == 0
    assert run(capsys, "users", "disable", "nieuw.iemand@example.org")[0] == 0
    assert not sign_in("nieuw.iemand@example.org", "een heel geheim wachtwoord")
    code, _, err = run(capsys, "users", "set-password-link", "nieuw.iemand@example.org")
    assert code == 1 and "staat uit" in err


def test_users_add_with_a_refused_password_changes_nothing(cli_env: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("kort\n"))
    add = ("users", "add", "test.twee@example.org", "--name", "Test Twee", "--role", "behandelaar",
           "--team", "stadswerken-west", "--password-stdin")
    code, _, err = run(capsys, *add)
    assert code == 1 and "minstens 12 tekens" in err
    _, out, _ = run(capsys, "users", "list")
    assert "test.twee@example.org" not in out  # no account "nog geen wachtwoord" left behind
    assert "account aangemaakt" not in audit_actions()
    monkeypatch.setattr(sys, "stdin", io.StringIO("een goed en lang wachtwoord\n"))
    code, out, err = run(capsys, *add)
    assert code == 0 and "met wachtwoord" in out, err
    assert sign_in("test.twee@example.org", "een goed en lang wachtwoord")
    assert audit_actions().count("account aangemaakt") == 1


def test_the_last_beheerder_cannot_be_disabled(cli_env: Path, capsys) -> None:
    assert run(capsys, "users", "add", "baas@example.org", "--name", "Enige Baas", "--role", "beheerder")[0] == 0
    code, _, err = run(capsys, "users", "disable", "baas@example.org")
    assert code == 1 and "er moet minstens één beheerder blijven" in err
    _, out, _ = run(capsys, "users", "list")
    assert re.search(r"baas@example\.org\s+Enige Baas\s+beheerder\s+nog geen wachtwoord", out)
    assert run(capsys, "users", "add", "reserve@example.org", "--name", "Reserve", "--role", "beheerder")[0] == 0
    assert run(capsys, "users", "disable", "baas@example.org")[0] == 0
    code, _, err = run(capsys, "users", "disable", "reserve@example.org")
    assert code == 1 and "er moet minstens één beheerder blijven" in err


def audit_actions() -> list[str]:
    """The audit log's actions, newest first, read through the service (as the audit page does)."""
    from wijkbot.app import build
    from wijkbot.domain.access import Person, Role
    from wijkbot.settings import Settings

    async def read() -> list[str]:
        bot = await build(Settings())
        try:
            rows = await bot.inbox.casefile.audit_log(Person(0, "controle", frozenset({Role.BEHEERDER})))
            return [str(r["action"]) for r in rows]
        finally:
            await bot.close()
    return asyncio.run(read())


def test_users_add_without_password_prints_a_one_time_link(cli_env: Path, capsys) -> None:
    code, out, _ = run(capsys, "users", "add", "x@example.org", "--name", "X", "--role", "teamleider",
                       "--team", "stadswerken-west")
    assert code == 0
    assert re.search(r"https://inbox\.example\.org/inbox/wachtwoord/[A-Za-z0-9_-]{40,}", out)
    code, out, _ = run(capsys, "users", "set-password-link", "x@example.org")
    assert code == 0 and out.startswith("https://inbox.example.org/inbox/wachtwoord/")


@pytest.mark.parametrize(("args", "message"), [
    (["--role", "baas"], "onbekende rol 'baas'"),
    (["--role", "behandelaar", "--team", "nergens"], "onbekend team: nergens"),
    (["--role", "wijkregisseur", "--wijk", "Atlantis"], "onbekende wijk: Atlantis"),
    # accounts that could see nothing (a trial made them without a word)
    (["--role", "behandelaar"], "kies minstens één team"),
    (["--role", "teamleider"], "kies minstens één team"),
    (["--role", "wijkregisseur", "--team", "wijkbureau-west"], "kies minstens één wijk"),
])
def test_users_add_refuses_bad_input(cli_env: Path, capsys, args: list[str], message: str) -> None:
    code, _, err = run(capsys, "users", "add", "y@example.org", "--name", "Y", *args)
    assert code == 1 and message in err


def test_seed_demo_prints_links_once_and_never_sets_a_default_password(cli_env: Path, capsys) -> None:
    code, out, _ = run(capsys, "seed-demo")
    links = re.findall(r"/inbox/wachtwoord/\S+", out)
    assert code == 0 and len(links) == 21 and "Anouk Voorbeeld (behandelaar)" in out
    assert not sign_in("anouk.voorbeeld@example.org", "")
    code, out, _ = run(capsys, "seed-demo")
    assert "wachtwoord/" not in out  # links are shown only when the accounts are made


def test_seed_demo_uses_an_explicit_demo_password(cli_env: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("WIJKBOT_DEMO_PASSWORD", "demo wachtwoord 2026")
    code, out, _ = run(capsys, "seed-demo")
    assert code == 0 and "WIJKBOT_DEMO_PASSWORD" in out and "demo wachtwoord 2026" not in out
    assert sign_in("bram.deproef@example.org", "demo wachtwoord 2026")


def test_seed_demo_for_another_municipality_makes_accounts_that_fit_it(cli_env: Path, capsys, monkeypatch) -> None:
    """A trial's `make run` with its own municipality stopped on Utrecht's demo file ("onbekend team")."""
    monkeypatch.setenv("WIJKBOT_RULES_DIR", str(ROOT / "routing_rules" / "katwijk"))
    code, out, _ = run(capsys, "seed-demo")
    assert code == 0, out
    assert "utrecht_officers.yaml past niet bij Gemeente Katwijk (onbekend team 'stadswerken-west')" in out
    assert len(re.findall(r"/inbox/wachtwoord/\S+", out)) == 4
    for role in ("behandelaar", "teamleider", "wijkregisseur", "beheerder"):  # every view can be tried
        assert f"Demo {role.capitalize()} ({role})" in out
    assert "één demo-account per rol" in out
    assert "wijkbot users add" in out
    code, out, _ = run(capsys, "users", "list")
    # Triage and acute cases go to the wijkregisseur (the resident is told so), not the demo behandelaar.
    behandelaar = next(line for line in out.splitlines() if "demo.behandelaar@" in line)
    wijkregisseur = next(line for line in out.splitlines() if "demo.wijkregisseur@" in line)
    assert "wijkregisseurs" not in behandelaar and "wijkregisseurs" in wijkregisseur, out
    assert "kernen: Katwijk Noord" in wijkregisseur  # Katwijk's own word
    # a demo file named on purpose is used as it is: one that does not fit is an error, not replaced
    monkeypatch.setenv("WIJKBOT_DEMO_OFFICERS_FILE", str(ROOT / "deploy" / "demo" / "utrecht_officers.yaml"))
    code, _, err = run(capsys, "seed-demo")
    assert code == 1 and "onbekend team 'stadswerken-west'" in err


def test_check_rules_validates_the_templates(cli_env: Path, capsys) -> None:
    code, out, _ = run(capsys, "check-rules", str(ROOT / "routing_rules" / "utrecht"))
    assert code == 0 and "antwoordsjablonen" in out


def test_a_generated_secret_key_is_kept_next_to_the_database(cli_env: Path) -> None:
    from wijkbot.keys import SecretKeyError, session_key
    from wijkbot.settings import Settings

    first = session_key(Settings())
    assert (cli_env / "secret_key").stat().st_mode & 0o777 == 0o600
    assert session_key(Settings()) == first and len(first) == 32
    assert session_key(Settings(secret_key="z" * 40)) != first  # type: ignore[arg-type]
    with pytest.raises(SecretKeyError, match="at least 32"):
        session_key(Settings(secret_key="kort"))  # type: ignore[arg-type]
