"""What an operator sees when a production start-up goes wrong: one Dutch line on stderr that names the setting to
change (the full traceback only at WIJKBOT_LOG_LEVEL=DEBUG), exit code 1, and never a secret: not a key, a token or
the database password. Run as the real `wijkbot` process, the way systemd (deploy/wijkbot.service) runs it."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import threading
from pathlib import Path

import pytest

from tests.cli.test_processes import ROOT, WIJKBOT, env_for, free_port
from tests.support.pg_cluster import PgCluster
from wijkbot.cli_database import database_problem
from wijkbot.keys import key_file
from wijkbot.settings import known_variables, unknown_variables

DB_PASSWORD = "Pw-SECRET-db-7781"
TG_TOKEN = "4242:TGSECRETTOKEN"
X_KEY = "abcdefghijSECRET12345"
X_SECRET = "zyxwvuSECRET98765"
SECRETS = (DB_PASSWORD, TG_TOKEN, "TGSECRETTOKEN", X_KEY, X_SECRET)


def run(args: list[str], env: dict[str, str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*WIJKBOT, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=60)


def assert_one_clear_line(result: subprocess.CompletedProcess[str], *expected: str) -> str:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    problems = [line for line in result.stderr.splitlines() if line.startswith("wijkbot: ")
                and not line.startswith("wijkbot: let op:")]
    assert len(problems) == 1, result.stderr
    for part in expected:
        assert part in problems[0], problems[0]
    assert_no_secrets(result)
    return problems[0]


def assert_no_secrets(result: subprocess.CompletedProcess[str]) -> None:
    output = result.stdout + result.stderr
    leaked = [secret for secret in SECRETS if secret in output]
    assert not leaked, f"secrets in the output: {leaked}\n{output}"


def closed_postgres(user: str = "wijkbot") -> str:
    return f"postgresql+asyncpg://{user}:{DB_PASSWORD}@127.0.0.1:{free_port()}/wijkbot"


@pytest.fixture
def read_only_workdir(tmp_path: Path) -> Path:
    """A working directory where ./var cannot be made (as under ProtectSystem=strict; a file named `var` is in the
    way, which also stops root, who may write anywhere)."""
    workdir = tmp_path / "opt-wijkbot"
    workdir.mkdir()
    (workdir / "var").write_text("", encoding="utf-8")
    return workdir


# --- 1. the session key with PostgreSQL and no WIJKBOT_SECRET_KEY --------------------------------------------

def test_without_a_place_for_the_session_key_serve_says_to_set_the_secret_key(tmp_path: Path,
                                                                               read_only_workdir: Path) -> None:
    env = env_for(tmp_path, WIJKBOT_DATABASE_URL=closed_postgres())
    env.pop("STATE_DIRECTORY", None)
    line = assert_one_clear_line(run(["serve"], env, cwd=read_only_workdir), "WIJKBOT_SECRET_KEY",
                                 "secrets.token_urlsafe", str(read_only_workdir / "var" / "secret_key"))
    assert "sessiesleutel" in line


def test_an_empty_secret_key_counts_as_unset(tmp_path: Path, read_only_workdir: Path) -> None:
    """env.example: `WIJKBOT_SECRET_KEY=` (empty) means "generate one", not "a key that is too short"."""
    env = env_for(tmp_path, WIJKBOT_DATABASE_URL=closed_postgres(), WIJKBOT_SECRET_KEY="")
    env.pop("STATE_DIRECTORY", None)
    assert_one_clear_line(run(["serve"], env, cwd=read_only_workdir), "kan geen sessiesleutel bewaren")


def test_under_systemd_the_key_is_kept_in_the_state_directory(tmp_path: Path, read_only_workdir: Path) -> None:
    state = tmp_path / "var-lib-wijkbot"
    state.mkdir()
    env = env_for(tmp_path, WIJKBOT_DATABASE_URL=closed_postgres(), STATE_DIRECTORY=str(state))
    result = run(["serve"], env, cwd=read_only_workdir)
    assert_one_clear_line(result, "kan de database niet bereiken")  # past the key: the database is the next step
    key = state / "secret_key"
    assert key.stat().st_mode & 0o777 == 0o600 and len(key.read_text(encoding="ascii")) == 64


def test_the_state_directory_is_where_systemd_says() -> None:
    url = "postgresql+asyncpg://wijkbot@localhost/wijkbot"
    assert key_file(url, {"STATE_DIRECTORY": "/var/lib/wijkbot"}) == Path("/var/lib/wijkbot/secret_key")
    assert key_file(url, {"STATE_DIRECTORY": "/var/lib/wijkbot:/var/lib/other"}) == Path("/var/lib/wijkbot/secret_key")
    assert key_file(url, {}) == Path("var/secret_key")
    # an SQLite database keeps its key beside it, as before (existing sessions survive the upgrade)
    assert key_file("sqlite:////srv/w/wijkbot.db", {"STATE_DIRECTORY": "/var/lib/wijkbot"}) == Path("/srv/w/secret_key")


def test_the_unit_gives_a_state_directory() -> None:
    unit = (ROOT / "deploy" / "wijkbot.service").read_text(encoding="utf-8")
    assert re.search(r"^StateDirectory=wijkbot$", unit, re.M) and "ReadWritePaths=/var/lib/wijkbot" in unit


def _can_mount_read_only() -> bool:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount --bind / /mnt && mount -o remount,bind,ro /mnt"],
                           capture_output=True, timeout=10)
    return probe.returncode == 0


@pytest.mark.skipif(not _can_mount_read_only(), reason="needs root and mount namespaces (unshare -m)")
def test_a_truly_read_only_working_directory(tmp_path: Path) -> None:
    workdir = tmp_path / "ro"
    workdir.mkdir()
    env = env_for(tmp_path, WIJKBOT_DATABASE_URL=closed_postgres())
    env.pop("STATE_DIRECTORY", None)
    script = (f"mount --bind {workdir} {workdir} && mount -o remount,bind,ro {workdir} && cd {workdir} && "
              f"exec {' '.join(WIJKBOT)} serve")
    result = subprocess.run(["unshare", "-m", "sh", "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert_one_clear_line(result, "alleen lezen", "WIJKBOT_SECRET_KEY")


# --- 3. settings errors name the variable, never the value ---------------------------------------------------

def test_half_an_x_configuration_names_what_is_missing_and_no_secret(tmp_path: Path) -> None:
    env = env_for(tmp_path, WIJKBOT_X_API_KEY=X_KEY, WIJKBOT_X_API_SECRET=X_SECRET,
                  WIJKBOT_DATABASE_URL=closed_postgres(), WIJKBOT_TELEGRAM_TOKEN=TG_TOKEN)
    for command in ("serve", "migrate"):
        line = assert_one_clear_line(run([command], env), "WIJKBOT_X_ACCESS_TOKEN en WIJKBOT_X_ACCESS_TOKEN_SECRET")
        assert "input_value" not in line and "WIJKBOT_X_BEARER_TOKEN" in line


def test_every_bad_setting_gets_its_own_line_without_its_value(tmp_path: Path) -> None:
    env = env_for(tmp_path, WIJKBOT_PORT=f"p{DB_PASSWORD}", WIJKBOT_TELEGRAM_WEBHOOK_SECRET=f"met spatie {X_SECRET}",
                  WIJKBOT_DIGEST_DAY=X_KEY, WIJKBOT_TELEGRAM_TOKEN=TG_TOKEN)
    result = run(["serve"], env)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "wijkbot: ongeldige instelling WIJKBOT_PORT: geen geheel getal",
        "wijkbot: ongeldige instelling WIJKBOT_DIGEST_DAY: moet een van deze zijn: 'mon', 'tue', 'wed', 'thu', "
        "'fri', 'sat' of 'sun'",
        "wijkbot: ongeldige instelling WIJKBOT_TELEGRAM_WEBHOOK_SECRET: 1 tot 256 tekens: letters, cijfers, _ of -",
    ]
    assert_no_secrets(result)


@pytest.mark.parametrize(("url", "expected"), [
    (f"mysql://wijkbot:{DB_PASSWORD}@db.example.org/wijkbot", "mysql:// wordt niet ondersteund"),
    (f"postgresql://wijkbot:{DB_PASSWORD}@localhost/wijkbot", "begin de URL met postgresql+asyncpg://"),
    (f"wijkbot:{DB_PASSWORD}@localhost/wijkbot", "geen database-URL"),
])
def test_an_unsupported_database_url_is_named_without_its_password(tmp_path: Path, url: str, expected: str) -> None:
    for command in ("serve", "migrate"):
        assert_one_clear_line(run([command], env_for(tmp_path, WIJKBOT_DATABASE_URL=url)),
                              "ongeldige instelling WIJKBOT_DATABASE_URL", expected)


def test_a_short_secret_key_is_one_line(tmp_path: Path) -> None:
    line = assert_one_clear_line(run(["serve"], env_for(tmp_path, WIJKBOT_SECRET_KEY="kort-SECRET")),
                                 "WIJKBOT_SECRET_KEY", "minstens 32 tekens", "secrets.token_urlsafe")
    assert "kort-SECRET" not in line


@pytest.mark.parametrize(("setting", "value", "expected"), [
    # An operator's trial: the service started, /health said ok, and residents were answered "ack.melding".
    ("WIJKBOT_LOCALES_DIR", "/nonexistent", "geen teksten gevonden"),
    ("WIJKBOT_LOCALES_DIR", "/tmp", "nl/LC_MESSAGES"),
    # ... and every page of the web chat failed with a KeyError.
    ("WIJKBOT_DEFAULT_LOCALE", "fr", "nl of en"),
])
def test_texts_that_cannot_be_found_stop_the_start(tmp_path: Path, setting: str, value: str, expected: str) -> None:
    assert_one_clear_line(run(["serve"], env_for(tmp_path, **{setting: value})), setting, expected)


# --- 4. the database at start-up ---------------------------------------------------------------------------

@pytest.mark.parametrize("command", ["serve", "migrate"])
def test_an_unreachable_database_is_one_line_with_host_and_port(tmp_path: Path, command: str) -> None:
    url = closed_postgres()
    port = url.rsplit(":", 1)[1].split("/")[0]
    env = env_for(tmp_path, WIJKBOT_DATABASE_URL=url, WIJKBOT_SECRET_KEY="s" * 40)
    assert_one_clear_line(run([command], env), f"kan de database niet bereiken op 127.0.0.1:{port}", "geweigerd",
                          "WIJKBOT_DATABASE_URL")


def test_another_service_on_the_port_is_named_as_not_postgresql(tmp_path: Path) -> None:
    """A URL with the port of a mail server: it greets and hangs up. That is not "unreachable": say it is not
    PostgreSQL that answers there."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def greet_and_hang_up() -> None:
        with listener:
            while True:
                try:
                    peer, _ = listener.accept()
                except OSError:
                    return
                with peer:
                    peer.sendall(b"220 mail.example ESMTP ready\r\n")

    threading.Thread(target=greet_and_hang_up, daemon=True).start()
    try:
        url = f"postgresql+asyncpg://wijkbot:{DB_PASSWORD}@127.0.0.1:{port}/wijkbot"
        env = env_for(tmp_path, WIJKBOT_DATABASE_URL=url, WIJKBOT_SECRET_KEY="s" * 40)
        assert_one_clear_line(run(["migrate"], env), f"127.0.0.1:{port}", "daar antwoordt geen PostgreSQL",
                              "WIJKBOT_DATABASE_URL")
    finally:
        listener.close()


def test_the_traceback_is_there_at_debug(tmp_path: Path) -> None:
    env = env_for(tmp_path, WIJKBOT_DATABASE_URL=closed_postgres(), WIJKBOT_LOG_LEVEL="DEBUG",
                  WIJKBOT_SECRET_KEY="s" * 40)
    result = run(["migrate"], env)
    assert result.returncode == 1
    assert "Traceback" in result.stderr and "ConnectionRefusedError" in result.stderr
    assert result.stderr.rstrip().splitlines()[-1].startswith("wijkbot: kan de database niet bereiken op")
    assert DB_PASSWORD not in result.stderr


def test_an_unknown_database_host_is_named(tmp_path: Path) -> None:
    url = f"postgresql+asyncpg://wijkbot:{DB_PASSWORD}@db.invalid/wijkbot"
    assert_one_clear_line(run(["migrate"], env_for(tmp_path, WIJKBOT_DATABASE_URL=url)), "db.invalid", "onbekend")


def test_a_configured_sqlite_path_in_a_missing_folder_is_refused_not_made(tmp_path: Path) -> None:
    """A typo in a production path must not start the service on a new, empty database."""
    url = f"sqlite:///{tmp_path / 'dat' / 'wijkbot.db'}"  # meant: data/
    for command in ("migrate", "serve"):
        assert_one_clear_line(run([command], env_for(tmp_path, WIJKBOT_DATABASE_URL=url)),
                              f"de map {tmp_path / 'dat'} bestaat niet", "WIJKBOT_DATABASE_URL")
    assert not (tmp_path / "dat").exists()


@pytest.mark.parametrize("command", [["outbox"], ["show", "UT-2026-000001"]])
def test_a_reading_command_on_a_database_never_migrated_says_to_migrate(tmp_path: Path, command: list[str]) -> None:
    url = f"sqlite:///{tmp_path / 'leeg.db'}"
    assert_one_clear_line(run(command, env_for(tmp_path, WIJKBOT_DATABASE_URL=url)), "is nog leeg of niet bijgewerkt",
                          "wijkbot migrate")


def test_an_sqlite_file_that_cannot_be_made_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "blocked").write_text("", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'blocked' / 'sub' / 'wijkbot.db'}"
    assert_one_clear_line(run(["migrate"], env_for(tmp_path, WIJKBOT_DATABASE_URL=url)), "kan de database",
                          "niet openen")


@pytest.mark.postgres
@pytest.mark.parametrize("command", ["serve", "migrate"])
def test_a_refused_login_and_a_missing_database_are_one_line(tmp_path: Path, pg_cluster: PgCluster,
                                                             command: str) -> None:
    port = pg_cluster.port
    refused = f"postgresql+asyncpg://niemand:{DB_PASSWORD}@127.0.0.1:{port}/wijkbot_test"
    env = env_for(tmp_path, WIJKBOT_DATABASE_URL=refused, WIJKBOT_SECRET_KEY="s" * 40)
    assert_one_clear_line(run([command], env), f"de database op 127.0.0.1:{port} weigert de aanmelding van "
                          "gebruiker niemand", "WIJKBOT_DATABASE_URL")
    missing = f"postgresql+asyncpg://postgres:{DB_PASSWORD}@127.0.0.1:{port}/bestaat_niet"
    env = env_for(tmp_path, WIJKBOT_DATABASE_URL=missing, WIJKBOT_SECRET_KEY="s" * 40)
    assert_one_clear_line(run([command], env), f"de database bestaat_niet bestaat niet op 127.0.0.1:{port}")


def test_a_wrong_password_is_a_refused_login() -> None:
    """PostgreSQL answers a wrong password with SQLSTATE 28P01 (the throw-away cluster trusts every login)."""
    from sqlalchemy.exc import DBAPIError

    class WrongPassword(Exception):
        sqlstate = "28P01"

    error = DBAPIError("connect", None, WrongPassword("password authentication failed for user \"wijkbot\""))
    line = database_problem(error, f"postgresql+asyncpg://wijkbot:{DB_PASSWORD}@db.example.org:6432/wijkbot")
    assert line is not None and DB_PASSWORD not in line
    assert line.startswith("de database op db.example.org:6432 weigert de aanmelding van gebruiker wijkbot")


def test_a_unix_socket_url_names_the_socket_folder() -> None:
    """An operator's trial connected through the socket on port 5491 and read "de database op localhost:5432"."""
    from sqlalchemy.exc import DBAPIError

    class PeerRefused(Exception):
        sqlstate = "28000"

    error = DBAPIError("connect", None, PeerRefused("peer authentication failed"))
    line = database_problem(error, "postgresql+asyncpg://wijkbot@/wijkbot?host=/var/run/postgresql&port=5491")
    assert line is not None and "/var/run/postgresql (poort 5491)" in line and "localhost" not in line


def test_other_errors_are_not_taken_for_database_errors() -> None:
    assert database_problem(FileNotFoundError(2, "No such file", "x.csv"), "sqlite:///var/w.db") is None
    assert database_problem(ValueError("iets anders"), "postgresql+asyncpg://u:p@h/d") is None


# --- 5. misspelled settings ----------------------------------------------------------------------------------

def test_a_misspelled_setting_is_warned_about_with_the_right_name(tmp_path: Path) -> None:
    misspelled = "WIJKBOT_" + "DATABSE_URL"
    env = env_for(tmp_path, **{misspelled: closed_postgres(), "WIJKBOT_" + "TELEGRAM_TOKN": TG_TOKEN,
                               "WIJKBOT_" + "HELEMAAL_ONBEKEND": X_KEY})
    result = run(["check-rules"], env)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines()
                if line.startswith("wijkbot: let op:") and "instelling" in line]  # (not the rules' own notices)
    assert warnings == [
        f"wijkbot: let op: {misspelled} is geen instelling van wijkbot en wordt genegeerd; bedoelt u "
        "WIJKBOT_DATABASE_URL?",
        "wijkbot: let op: WIJKBOT_HELEMAAL_ONBEKEND is geen instelling van wijkbot en wordt genegeerd (alle "
        "instellingen: deploy/env.example)",
        "wijkbot: let op: WIJKBOT_TELEGRAM_TOKN is geen instelling van wijkbot en wordt genegeerd; bedoelt u "
        "WIJKBOT_TELEGRAM_TOKEN?",
    ]
    assert_no_secrets(result)


def test_a_misspelled_setting_in_dot_env_is_warned_about(tmp_path: Path) -> None:
    workdir = tmp_path / "work"
    workdir.mkdir()
    (workdir / ".env").write_text(f"WIJKBOT_{'SMTP_HOTS'}={X_SECRET}\n", encoding="utf-8")
    result = run(["check-rules"], env_for(tmp_path), cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert "WIJKBOT_SMTP_HOTS is geen instelling van wijkbot en wordt genegeerd; bedoelt u WIJKBOT_SMTP_HOST?" \
        in result.stderr
    assert_no_secrets(result)


def test_a_dot_env_in_windows_1252_stops_with_file_and_line(tmp_path: Path) -> None:
    workdir = tmp_path / "work"
    workdir.mkdir()
    comment = "# instellingen van de gemeente, zie het overdrachtsdocument van Andr\u00e9"
    (workdir / ".env").write_bytes(f"WIJKBOT_SECRET_KEY={X_SECRET}\n{comment}\n".encode("cp1252"))
    result = run(["check-rules"], env_for(tmp_path), cwd=workdir)
    assert_one_clear_line(result, ".env, regel 2", "geen UTF-8", "sla het bestand op als UTF-8")


def test_a_dot_env_line_that_cannot_be_read_is_named_and_the_rest_holds(tmp_path: Path) -> None:
    workdir = tmp_path / "work"
    workdir.mkdir()
    (workdir / ".env").write_text(f'WIJKBOT_SMTP_PASSWORD="{X_SECRET}\nWIJKBOT_PORT=abc\n', encoding="utf-8")
    result = run(["check-rules"], env_for(tmp_path), cwd=workdir)
    assert ".env, regel 1: deze regel kan niet gelezen worden" in result.stderr
    assert "could not parse" not in result.stderr  # python-dotenv's own English line
    # the next line is still read: its bad value stops the start
    assert_one_clear_line(result, "WIJKBOT_PORT")


def test_a_dot_env_saved_with_a_byte_order_mark_keeps_its_first_setting(tmp_path: Path) -> None:
    workdir = tmp_path / "work"
    workdir.mkdir()
    (workdir / ".env").write_text("WIJKBOT_PORT=abc\n", encoding="utf-8-sig")  # as Notepad saves "UTF-8 met BOM"
    assert_one_clear_line(run(["check-rules"], env_for(tmp_path), cwd=workdir), "WIJKBOT_PORT")


def test_every_known_setting_and_every_name_the_project_uses_is_quiet() -> None:
    assert unknown_variables(known_variables()) == []
    assert unknown_variables(["PATH", "HOME", "STATE_DIRECTORY", "wijkbot_port"]) == []
    used: set[str] = set()
    this_file = Path(__file__).resolve()
    # Code and configuration, where a name is read or set (prose may show a typo on purpose, as the README does).
    places = [ROOT / name for name in ("src", "tests", "benchmarks", "scripts", ".ci", "deploy")]
    files = [path for place in places if place.exists() for path in place.rglob("*") if path.is_file()]
    files += [ROOT / "Makefile"]
    for path in files:
        if (path.resolve() == this_file or path.suffix in (".md", ".pyc", ".db", ".png", ".jpg", ".pdf")
                or any(part.endswith(".egg-info") for part in path.parts)):  # pip's copy of the README
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        used.update(re.findall(r"\bWIJKBOT_[A-Z0-9_]*[A-Z0-9]\b", text))
    used -= {name for name in used if name.endswith("_")}  # "WIJKBOT_X_*" in prose
    assert unknown_variables(used) == []


def test_a_password_with_an_at_sign_is_named_not_split() -> None:
    """An unescaped "@" or "/" in the password would make part of it the host name in the next error line."""
    from pydantic import ValidationError

    from wijkbot.settings import Settings, problems

    with pytest.raises(ValidationError) as raised:
        Settings(database_url="postgresql+asyncpg://wijkbot:Ju@st/pw:1@127.0.0.1:5432/wijkbot",
                 _env_file=None)  # type: ignore[call-arg]
    lines = problems(raised.value)
    assert lines == ["WIJKBOT_DATABASE_URL: het wachtwoord (of de gebruikersnaam) bevat een @ of /: schrijf die in "
                     "de URL als %40 en %2F"]
    assert not any(piece in line for line in lines for piece in ("Ju", "st/pw"))
    Settings(database_url="postgresql+asyncpg://wijkbot:Ju%40st%2Fpw@127.0.0.1/wijkbot",
             _env_file=None)  # type: ignore[call-arg]
    Settings(database_url="sqlite:////home/jan@example/wijkbot.db", _env_file=None)  # type: ignore[call-arg]
