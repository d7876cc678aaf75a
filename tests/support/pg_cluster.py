"""Throw-away PostgreSQL clusters for tests.

Purpose
    Give a test session a real, private PostgreSQL server without relying on a
    packaged service, a fixed port or any state outside one temporary directory:
    ``initdb`` into a fresh directory, start ``postgres`` on a free loopback port,
    create ``wijkbot_test``, and throw everything away on :meth:`PgCluster.stop`.

Invariants
    * Everything the cluster writes (data directory, unix socket, server log)
      lives in one directory created by :meth:`PgCluster.start` and removed by
      :meth:`PgCluster.stop`.  Nothing else on the machine is touched.
    * The server listens on 127.0.0.1 only, on a port that was free when chosen
      (a lost race is retried with another port), and its unix socket is in the
      cluster directory, never in /var/run/postgresql.
    * Authentication is ``trust`` for the superuser ``postgres``; durability is
      off (fsync, synchronous_commit, full_page_writes) because the data is
      disposable.  Never point this at data you want to keep.
    * PostgreSQL refuses to run as root.  When ``os.geteuid() == 0`` the server
      binaries run as the ``postgres`` system user via ``runuser``, and the
      cluster directory is mode 0o755, owned by that user, under a parent every
      user can traverse (``base_dir`` when it qualifies, else the system temp dir).
      Otherwise the binaries run as the current user.
    * Only the standard library and subprocess are used; ``PG*`` variables of
      the caller's environment are not passed on, so they cannot redirect the
      client tools to another server.
    * :meth:`PgCluster.stop` is idempotent and also registered with ``atexit``,
      so a cluster is not left running when a test run ends without teardown.

Run ``python tests/support/pg_cluster.py`` to start a cluster, print its URL and
stop it again.
"""

from __future__ import annotations

import atexit
import os
import pathlib
import pwd
import re
import shlex
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from types import TracebackType

__all__ = ["PgCluster", "PgClusterError", "find_pg_bin"]

DEFAULT_DATABASE = "wijkbot_test"
SUPERUSER = "postgres"
START_TIMEOUT_S = 30.0
_SERVER_BINARIES = ("initdb", "pg_ctl", "postgres")
_DEBIAN_PG_ROOT = pathlib.Path("/usr/lib/postgresql")
# sockaddr_un.sun_path is 108 bytes on Linux, including the terminating NUL.
_MAX_SOCKET_PATH = 107
_PORT_ATTEMPTS = 3
_DB_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


class PgClusterError(RuntimeError):
    """A cluster could not be created, started, used or stopped."""


def _has_server_binaries(directory: pathlib.Path) -> bool:
    return all(os.access(directory / name, os.X_OK) for name in _SERVER_BINARIES)


def _version_key(path: pathlib.Path) -> tuple[int, ...]:
    parts = re.findall(r"\d+", path.name)
    return tuple(int(p) for p in parts) if parts else (-1,)


def find_pg_bin() -> pathlib.Path | None:
    """Return the directory holding initdb, pg_ctl and postgres, or None.

    Looks at Debian's ``/usr/lib/postgresql/<version>/bin`` and takes the highest
    version that has all three.  When there is none, falls back to the directory
    of ``pg_ctl`` on PATH (symlinks resolved) if ``initdb`` and ``postgres`` sit
    beside it (Homebrew, source builds).
    """
    if _DEBIAN_PG_ROOT.is_dir():
        versions = sorted(
            (p for p in _DEBIAN_PG_ROOT.iterdir() if p.is_dir()),
            key=_version_key,
            reverse=True,
        )
        for version_dir in versions:
            bin_dir = version_dir / "bin"
            if _has_server_binaries(bin_dir):
                return bin_dir
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl is not None:
        bin_dir = pathlib.Path(pg_ctl).resolve().parent
        if _has_server_binaries(bin_dir):
            return bin_dir
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _traversable_by_all(path: pathlib.Path) -> bool:
    """Tell whether every directory from / down to ``path`` has the x bit for others."""
    current = path.resolve()
    for directory in (current, *current.parents):
        try:
            mode = directory.stat().st_mode
        except OSError:
            return False
        if not mode & stat.S_IXOTH:
            return False
    return True


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["LC_ALL"] = "C"
    env["LANG"] = "C"
    return env


def _tail(path: pathlib.Path, lines: int = 30) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"(no server log at {path}: {exc})"
    return "\n".join(text.splitlines()[-lines:]) or "(server log is empty)"


class PgCluster:
    """A throw-away PostgreSQL cluster in a temp dir on a free loopback port.

    Usage::

        cluster = PgCluster(tmp_path)
        cluster.start()
        try:
            engine = create_async_engine(cluster.url())
            other = cluster.create_database("wijkbot_other")
        finally:
            cluster.stop()

    It is also a context manager (``with PgCluster(tmp) as cluster:``), which
    starts on entry and stops on exit.
    """

    def __init__(self, base_dir: pathlib.Path) -> None:
        """Prepare a cluster to live under ``base_dir``; nothing runs until start."""
        self.base_dir = pathlib.Path(base_dir)
        self.bin_dir: pathlib.Path | None = None
        self.root: pathlib.Path | None = None
        self.port: int | None = None
        self._as_root = os.geteuid() == 0
        self._running = False

    # -- paths ---------------------------------------------------------------

    @property
    def data_dir(self) -> pathlib.Path:
        """The PGDATA directory."""
        return self._require_root() / "data"

    @property
    def log_file(self) -> pathlib.Path:
        """The server log (read it when a test needs to see what the server said)."""
        return self._require_root() / "server.log"

    @property
    def socket_dir(self) -> pathlib.Path:
        """The directory holding the unix socket ``.s.PGSQL.<port>``."""
        return self._require_root()

    def _require_root(self) -> pathlib.Path:
        if self.root is None:
            raise PgClusterError("cluster has not been started")
        return self.root

    # -- lifecycle -----------------------------------------------------------

    def start(self) -> None:
        """Create the cluster, start it, wait for it and create ``wijkbot_test``."""
        if self._running:
            return
        bin_dir = find_pg_bin()
        if bin_dir is None:
            raise PgClusterError(
                "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found under "
                f"{_DEBIAN_PG_ROOT}/*/bin or on PATH; run scripts/install-test-deps.sh"
            )
        self.bin_dir = bin_dir
        self.root = self._make_root()
        atexit.register(self.stop)
        try:
            self._initdb()
            self._start_server()
            self.create_database(DEFAULT_DATABASE)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop the server (``pg_ctl stop -m immediate``) and remove its directory.

        Safe to call more than once and on a cluster that never started.
        """
        root = self.root
        if root is None:
            return
        if self._running and self.bin_dir is not None:
            self._run_server_tool(
                [
                    str(self.bin_dir / "pg_ctl"),
                    "stop",
                    "-D",
                    str(self.data_dir),
                    "-m",
                    "immediate",
                    "-w",
                ],
                check=False,
                timeout=60,
            )
            self._running = False
        shutil.rmtree(root, ignore_errors=True)
        self.root = None
        atexit.unregister(self.stop)

    def __enter__(self) -> PgCluster:
        """Start the cluster."""
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the cluster and remove its directory."""
        self.stop()

    # -- use -----------------------------------------------------------------

    def url(
        self, database: str = DEFAULT_DATABASE, driver: str = "postgresql+asyncpg"
    ) -> str:
        """Return the SQLAlchemy URL of ``database`` (no password: trust auth)."""
        if self.port is None:
            raise PgClusterError("cluster has not been started")
        return f"{driver}://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create database ``name`` (owned by ``postgres``) and return its URL."""
        if not _DB_NAME.match(name):
            raise ValueError(f"not a plain PostgreSQL identifier: {name!r}")
        if self.port is None or self.bin_dir is None:
            raise PgClusterError("cluster has not been started")
        createdb = self.bin_dir / "createdb"
        if not os.access(createdb, os.X_OK):
            found = shutil.which("createdb")
            if found is None:
                raise PgClusterError("createdb not found (install postgresql-client)")
            createdb = pathlib.Path(found)
        result = subprocess.run(
            [
                str(createdb),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                SUPERUSER,
                name,
            ],
            env=_clean_env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if result.returncode != 0:
            raise PgClusterError(
                f"createdb {name} failed (exit {result.returncode}): "
                f"{result.stderr.strip()}"
            )
        return self.url(name)

    # -- internals -----------------------------------------------------------

    def _make_root(self) -> pathlib.Path:
        parent = self.base_dir
        # Room for "/wijkbot-pg-XXXXXXXX/.s.PGSQL.65535".
        too_long = len(str(parent.resolve())) + 40 > _MAX_SOCKET_PATH
        if too_long or (self._as_root and not _traversable_by_all(parent)):
            parent = pathlib.Path(tempfile.gettempdir())
        parent.mkdir(parents=True, exist_ok=True)
        root = pathlib.Path(tempfile.mkdtemp(prefix="wijkbot-pg-", dir=parent))
        root.chmod(0o755)
        if self._as_root:
            try:
                user = pwd.getpwnam(SUPERUSER)
            except KeyError:
                shutil.rmtree(root, ignore_errors=True)
                raise PgClusterError(
                    f"running as root but there is no '{SUPERUSER}' system user to run "
                    "PostgreSQL as (install the postgresql package)"
                ) from None
            os.chown(root, user.pw_uid, user.pw_gid)
        return root

    def _run_server_tool(
        self, argv: Sequence[str], *, check: bool = True, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        """Run a server binary, as ``postgres`` when we are root."""
        cmd = list(argv)
        if self._as_root:
            runuser = shutil.which("runuser")
            if runuser is not None:
                cmd = [runuser, "-u", SUPERUSER, "--", *cmd]
            else:
                cmd = ["su", SUPERUSER, "-s", "/bin/sh", "-c", shlex.join(cmd)]
        try:
            result = subprocess.run(
                cmd,
                cwd=self._require_root(),
                env=_clean_env(),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise PgClusterError(f"{argv[0]} timed out after {timeout} s") from exc
        if check and result.returncode != 0:
            raise PgClusterError(
                f"{' '.join(pathlib.Path(a).name for a in argv[:2])} failed "
                f"(exit {result.returncode}):\n{result.stdout}{result.stderr}"
            )
        return result

    def _initdb(self) -> None:
        assert self.bin_dir is not None
        self._run_server_tool(
            [
                str(self.bin_dir / "initdb"),
                "-D",
                str(self.data_dir),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ]
        )

    def _write_config(self, port: int) -> None:
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(port),
            "unix_socket_directories": f"'{self.socket_dir}'",
            "max_connections": "100",
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "logging_collector": "off",
        }
        # postgresql.auto.conf is read last, so these win; rewriting it on each
        # attempt keeps port retries clean.
        text = "".join(f"{k} = {v}\n" for k, v in settings.items())
        (self.data_dir / "postgresql.auto.conf").write_text(text, encoding="utf-8")

    def _start_server(self) -> None:
        assert self.bin_dir is not None
        last_error = ""
        for _ in range(_PORT_ATTEMPTS):
            port = _free_port()
            self._write_config(port)
            self.log_file.unlink(missing_ok=True)
            result = self._run_server_tool(
                [
                    str(self.bin_dir / "pg_ctl"),
                    "start",
                    "-D",
                    str(self.data_dir),
                    "-l",
                    str(self.log_file),
                    "-w",
                    "-t",
                    str(int(START_TIMEOUT_S)),
                ],
                check=False,
                timeout=START_TIMEOUT_S + 15,
            )
            log_tail = _tail(self.log_file)
            if result.returncode == 0:
                self.port = port
                self._running = True
                self._wait_accepting(port)
                return
            # pg_ctl may have given up while the postmaster still lives: stop it.
            self._run_server_tool(
                [
                    str(self.bin_dir / "pg_ctl"),
                    "stop",
                    "-D",
                    str(self.data_dir),
                    "-m",
                    "immediate",
                ],
                check=False,
                timeout=30,
            )
            last_error = (
                f"pg_ctl start on 127.0.0.1:{port} failed (exit {result.returncode}): "
                f"{result.stdout.strip()} {result.stderr.strip()}\n"
                f"--- server log tail ({self.log_file}) ---\n{log_tail}"
            )
            if "could not bind" not in log_tail and "already in use" not in log_tail:
                break
        raise PgClusterError(last_error)

    def _wait_accepting(self, port: int) -> None:
        """Poll until a TCP connection succeeds (pg_ctl -w already waited)."""
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return
            except OSError as exc:
                if time.monotonic() > deadline:
                    raise PgClusterError(
                        f"PostgreSQL on 127.0.0.1:{port} not accepting connections "
                        f"after {START_TIMEOUT_S:.0f} s ({exc})\n"
                        f"--- server log tail ({self.log_file}) ---\n"
                        f"{_tail(self.log_file)}"
                    ) from exc
                time.sleep(0.1)


def main() -> int:
    """Start a cluster, print its URL, stop it."""
    t0 = time.monotonic()
    cluster = PgCluster(pathlib.Path(tempfile.gettempdir()))
    try:
        cluster.start()
        t1 = time.monotonic()
        print(cluster.url())
        print(
            f"started in {t1 - t0:.2f} s (dir {cluster.root}, bin {cluster.bin_dir})",
            file=sys.stderr,
        )
    except PgClusterError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        root = cluster.root
        t2 = time.monotonic()
        cluster.stop()
        if root is not None:
            gone = "removed" if not root.exists() else "NOT removed"
            print(
                f"stopped in {time.monotonic() - t2:.2f} s, dir {gone}", file=sys.stderr
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
