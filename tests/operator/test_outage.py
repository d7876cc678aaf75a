"""A database that is down: chat clients hear 503 with Retry-After, and the log stays readable (an operator's trial
stopped PostgreSQL and got a 500 per message and 2,313 log lines in 36 seconds)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import uuid

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.engine import make_url

from tests.conftest import ROOT, UTRECHT
from tests.support.pg_cluster import PgCluster
from wijkbot.app import build
from wijkbot.log_throttle import Outage
from wijkbot.settings import Settings
from wijkbot.testing import FrozenClock
from wijkbot.web.server import unreachable


class Proxy:
    """A TCP proxy in front of PostgreSQL that can be cut: the database "goes down" for the service behind it."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.writers: list[asyncio.StreamWriter] = []
        self.server: asyncio.Server | None = None

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return int(self.server.sockets[0].getsockname()[1])

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        self.writers += [writer, upstream_writer]

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError, asyncio.CancelledError):
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            sink.close()

        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))

    async def cut(self) -> None:
        assert self.server is not None
        self.server.close()
        for writer in self.writers:
            writer.close()
        await self.server.wait_closed()


@pytest.mark.postgres
async def test_a_chat_message_while_the_database_is_down_gets_503_with_retry_after(
        pg_cluster: PgCluster, clock: FrozenClock, caplog: pytest.LogCaptureFixture) -> None:
    url = make_url(pg_cluster.create_database(f"t_{uuid.uuid4().hex[:12]}"))
    proxy = Proxy(int(url.port or 5432))
    proxied = url.set(host="127.0.0.1", port=await proxy.start()).render_as_string(hide_password=False)
    settings = Settings(database_url=proxied, rules_dir=UTRECHT, locales_dir=ROOT / "locales",
                        _env_file=None)  # type: ignore[call-arg]
    bot = await build(settings, clock)
    try:
        async with TestClient(TestServer(bot.web_app())) as client:
            ok = await client.post("/api/webchat/messages", json={"session": "storing-sessie-01", "text": "Hallo"})
            assert ok.status == 202
            await proxy.cut()
            response = await client.post("/api/webchat/messages",
                                         json={"session": "storing-sessie-01", "text": "De lamp is kapot"})
            assert response.status == 503 and response.headers["Retry-After"] == "60"
            again = await client.post("/api/webchat/messages",
                                      json={"session": "storing-sessie-01", "text": "Hallo, is daar iemand?"})
            assert again.status == 503
            assert "probeer het over een minuut opnieuw" in (await response.json())["error"]
            assert (await client.get("/health")).status == 503
            form = await (await client.get("/inbox/login")).text()  # an ambtenaar signing in meanwhile
            token = re.search(r'name="csrf" value="([^"]+)"', form)
            assert token is not None
            page = await client.post("/inbox/login", data={"email": "anouk@example.org", "password": "x" * 12,
                                                           "csrf": token.group(1)})
            assert page.status == 503 and "even niet bereikbaar" in await page.text()
    finally:
        await bot.close()
    # one traceback per worker for the whole outage, not one per request or message (a review counted two
    # tracebacks and a warning per chat message)
    tracebacks = [r.name for r in caplog.records if r.exc_info is not None]
    assert tracebacks and len(tracebacks) == len(set(tracebacks)), tracebacks
    assert any(r.getMessage() == "web requests to the database failed; will retry" for r in caplog.records)


@pytest.mark.parametrize(("error", "expected"), [
    (ConnectionRefusedError(111, "Connect call failed"), True),
    (TimeoutError(), True),
    (type("CannotConnectNowError", (Exception,), {})("the database system is shutting down"), True),
    (RuntimeError("a bug"), False),
    (ValueError("bad input"), False),
])
def test_what_counts_as_an_unreachable_database(error: Exception, expected: bool) -> None:
    wrapped = RuntimeError("inbound message could not be stored")
    wrapped.__cause__ = error
    assert unreachable(error) is expected and unreachable(wrapped) is expected


def test_a_repeating_failure_is_one_traceback_then_a_line_a_minute_then_one_when_it_works(
        caplog: pytest.LogCaptureFixture) -> None:
    now = [0.0]
    outage = Outage(logging.getLogger("wijkbot.test"), "delivery", every=60, clock=lambda: now[0])
    caplog.set_level(logging.DEBUG, logger="wijkbot.test")
    for second in range(0, 150, 2):  # a failure every 2 seconds for two and a half minutes
        now[0] = float(second)
        outage.failed(ConnectionRefusedError(111, "refused"))
    now[0] = 151.0
    outage.succeeded()
    outage.succeeded()  # once is enough
    lines = [(r.levelname, r.getMessage(), r.exc_info is not None) for r in caplog.records]
    assert lines == [
        ("ERROR", "delivery failed; will retry", True),
        ("WARNING", "delivery still failing (31 times in 60 s, now ConnectionRefusedError); will retry", False),
        ("WARNING", "delivery still failing (61 times in 120 s, now ConnectionRefusedError); will retry", False),
        ("WARNING", "delivery works again after 75 failure(s) in 151 s", False),
    ]
