"""One Dutch line for a database the service cannot use: where it is and what to check.

Invariants: built from the error's kind and the URL's host, port, user and database name only: never the
password, and never a driver's text that may quote a statement's values (SQLite's own messages aside); an error
that did not come from the database gives None, so the caller lets it surface as it is.
"""

from __future__ import annotations

import errno
import socket
from collections.abc import Iterator, Mapping
from pathlib import Path

from wijkbot.cli_output import describe_file_error

# A command that only reads (show, outbox) met a database that `migrate` never filled, or filled long ago.
_NOT_MIGRATED = "is nog leeg of niet bijgewerkt: draai eerst wijkbot migrate (make run doet dat ook)"


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _from_database_code(error: BaseException) -> bool:
    """Raised while a database driver connected or ran a statement, or while the database handle was opened."""
    tb = error.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        module = str(tb.tb_frame.f_globals.get("__name__", ""))
        if module.split(".")[0] in ("asyncpg", "sqlalchemy", "aiosqlite") or (
                module == "wijkbot.storage.db" and code.co_name in ("__init__", "sqlite_folder")):
            return True
        tb = tb.tb_next
    return False


def database_problem(error: BaseException, url: str) -> str | None:
    """One Dutch line for a database that cannot be used (where, and what to check), or None when `error` is no
    database problem. Built from the error's kind and the URL's host, port, user and database name: never the
    password, and never the driver's text that may quote a statement's values (SQLite's own messages aside)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import DBAPIError, SQLAlchemyError

    chain = list(_chain(error))
    if not any(isinstance(e, SQLAlchemyError) or (isinstance(e, OSError) and _from_database_code(e)) for e in chain):
        return None
    parsed = make_url(url)
    orig: BaseException | None = next((e.orig for e in chain if isinstance(e, DBAPIError) and e.orig), None)
    os_error = next((e for e in chain if isinstance(e, OSError)), None)
    if parsed.get_backend_name() == "sqlite":
        where = parsed.database or ":memory:"
        if (isinstance(os_error, FileNotFoundError) and os_error.filename
                and Path(where).parent == Path(str(os_error.filename))):
            return (f"kan de database {where} niet openen: de map {os_error.filename} bestaat niet (maak hem aan, of "
                    f"controleer WIJKBOT_DATABASE_URL; alleen de standaardmap ./var wordt vanzelf gemaakt)")
        if os_error is not None:
            return f"kan de database {where} niet openen: {describe_file_error(os_error, writing=True)}"
        if orig is not None and "no such table" in str(orig):
            return f"de database {where} {_NOT_MIGRATED}"
        detail = f"{orig}" if orig is not None else type(error).__name__
        return f"kan de database {where} niet gebruiken: {detail} (controleer WIJKBOT_DATABASE_URL)"
    at = _where(parsed.host, parsed.port, parsed.query)
    user, name = parsed.username or "-", parsed.database or "-"
    state = str(getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None) or "")
    if state.startswith("28"):
        return (f"de database op {at} weigert de aanmelding van gebruiker {user} (kloppen gebruiker en wachtwoord in "
                f"WIJKBOT_DATABASE_URL? zie deploy/postgresql.md)")
    if state == "42P01":  # undefined_table
        return f"de database {name} op {at} {_NOT_MIGRATED}"
    if state == "3D000":
        return (f"de database {name} bestaat niet op {at} (maak hem aan, zie deploy/postgresql.md, of controleer "
                f"WIJKBOT_DATABASE_URL)")
    if state == "57P03":
        return f"de database op {at} start nog op of sluit af; probeer het zo opnieuw"
    if state == "53300":
        return f"de database op {at} neemt geen verbindingen meer aan (te veel verbindingen)"
    if state == "42501":
        return (f"gebruiker {user} heeft te weinig rechten in database {name} op {at} (de gebruiker moet eigenaar "
                f"zijn, zie deploy/postgresql.md)")
    if os_error is not None and orig is None:
        if isinstance(os_error, socket.gaierror):
            return f"kan de database niet bereiken: de naam {parsed.host} is onbekend (controleer WIJKBOT_DATABASE_URL)"
        if isinstance(os_error, TimeoutError):
            return (f"kan de database niet bereiken op {at}: geen antwoord (controleer WIJKBOT_DATABASE_URL en de "
                    f"firewall)")
        if (isinstance(os_error, ConnectionRefusedError) or os_error.errno == errno.ECONNREFUSED
                or f"[Errno {errno.ECONNREFUSED}]" in str(os_error)):
            return (f"kan de database niet bereiken op {at}: de verbinding werd geweigerd (draait PostgreSQL daar, en "
                    f"klopt WIJKBOT_DATABASE_URL?)")
        if isinstance(os_error, ConnectionError) and not os_error.strerror:
            # The server took the connection and then hung up or answered in a language that is not PostgreSQL's:
            # another service on that port (a web server, a mail server), or PostgreSQL behind a TLS proxy.
            return (f"kan de database niet gebruiken op {at}: daar antwoordt geen PostgreSQL, of de verbinding werd "
                    f"meteen verbroken (klopt de poort in WIJKBOT_DATABASE_URL?)")
        return f"kan de database niet bereiken op {at}: {os_error.strerror or type(os_error).__name__}"
    code = f", SQLSTATE {state}" if state else ""
    return (f"databasefout op {at} ({type(orig or error).__name__}{code}); de details staan in de uitvoer met "
            f"WIJKBOT_LOG_LEVEL=DEBUG")


def _where(host: str | None, port: int | None, query: Mapping[str, object]) -> str:
    """Where the URL points, as an operator wrote it: "localhost:5432", or a Unix socket folder given as
    `?host=/var/run/postgresql` (with `&port=`) that asyncpg uses instead (a trial's error named localhost:5432)."""
    socket_dir, socket_port = query.get("host"), query.get("port")
    if isinstance(socket_dir, str) and socket_dir.startswith("/"):
        return f"{socket_dir} (poort {socket_port or port or 5432})"
    return f"{host or 'localhost'}:{port or 5432}"
