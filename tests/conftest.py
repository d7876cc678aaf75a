"""Shared fixtures: a network guard, databases (SQLite file and a throw-away PostgreSQL), the service.

Invariants: no test reaches beyond loopback; every test gets a fresh database; the PostgreSQL cluster is
started once per session by the suite itself (tests marked `postgres` skip locally when PostgreSQL is not
installed, but fail in CI, where scripts/install-test-deps.sh must have installed it).
"""

from __future__ import annotations

import ipaddress
import os
import socket
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.pg_cluster import PgCluster, find_pg_bin  # noqa: E402
from wijkbot.app import Wijkbot, build  # noqa: E402
from wijkbot.settings import Settings  # noqa: E402
from wijkbot.testing import FrozenClock, Harness, RecordingChannel  # noqa: E402

UTRECHT = ROOT / "routing_rules" / "utrecht"
_real_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address: object) -> None:
    if self.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0] if isinstance(address, tuple) else str(address)
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost"
        if not loopback:
            raise RuntimeError(f"test tried to reach the network: {address!r}")
    _real_connect(self, address)  # type: ignore[arg-type]


@pytest.fixture(autouse=True, scope="session")
def network_guard() -> Iterator[None]:
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    yield
    socket.socket.connect = _real_connect  # type: ignore[method-assign]


@pytest.fixture(autouse=True, scope="session")
def own_default_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A command run without WIJKBOT_DATABASE_URL (`wijkbot route "tekst"` reads the active model) uses a
    database of the test run, never the developer's var/wijkbot.db with whatever model was learned there."""
    before = os.environ.get("WIJKBOT_DATABASE_URL")
    if before is None:
        os.environ["WIJKBOT_DATABASE_URL"] = f"sqlite:///{tmp_path_factory.mktemp('default') / 'wijkbot.db'}"
    yield
    if before is None:
        os.environ.pop("WIJKBOT_DATABASE_URL", None)


@pytest.fixture(scope="session")
def pg_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PgCluster]:
    if find_pg_bin() is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed: scripts/install-test-deps.sh should have installed it")
        pytest.skip("PostgreSQL server binaries not installed (run scripts/install-test-deps.sh)")
    cluster = PgCluster(tmp_path_factory.mktemp("pg"))
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'wijkbot.db'}"
    cluster: PgCluster = request.getfixturevalue("pg_cluster")
    return cluster.create_database(f"t_{uuid.uuid4().hex[:12]}")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'wijkbot.db'}"


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def settings(sqlite_url: str) -> Settings:
    return Settings(database_url=sqlite_url, rules_dir=UTRECHT, locales_dir=ROOT / "locales", _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def channel() -> RecordingChannel:
    return RecordingChannel()


async def _bot(settings: Settings, clock: FrozenClock, channel: RecordingChannel) -> Wijkbot:
    bot = await build(settings, clock, extra_channels={channel.name: channel})
    from wijkbot.seed import seed_officers

    await seed_officers(settings, ROOT / "deploy" / "demo" / "utrecht_officers.yaml")
    return bot


@pytest.fixture
async def bot(settings: Settings, clock: FrozenClock, channel: RecordingChannel) -> AsyncIterator[Wijkbot]:
    instance = await _bot(settings, clock, channel)
    yield instance
    await instance.close()


@pytest.fixture
async def any_bot(database_url: str, clock: FrozenClock, channel: RecordingChannel) -> AsyncIterator[Wijkbot]:
    """The service on SQLite and on PostgreSQL (the test runs once for each)."""
    settings = Settings(database_url=database_url, rules_dir=UTRECHT, locales_dir=ROOT / "locales",
                        _env_file=None)  # type: ignore[call-arg]
    instance = await _bot(settings, clock, channel)
    yield instance
    await instance.close()


@pytest.fixture(scope="session")
def utrecht_rules():  # type: ignore[no-untyped-def]
    from wijkbot.rulefiles import load_rules

    return load_rules(UTRECHT)


@pytest.fixture(scope="session", params=["utrecht", "katwijk"])
def rules(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Each municipality's rules in turn (a test that takes `rules` runs for both)."""
    from wijkbot.rulefiles import load_rules

    return load_rules(ROOT / "routing_rules" / request.param)


@pytest.fixture(scope="session")
def utrecht_router(utrecht_rules):  # type: ignore[no-untyped-def]
    from wijkbot.domain.routing import Router

    return Router(utrecht_rules)


@pytest.fixture
def resident(bot: Wijkbot, channel: RecordingChannel) -> Harness:
    return Harness(bot, channel)
