"""What an operator reads in the log after a busy day: one access line per request (method, route pattern,
status, duration) and the notable events (sign-in refused or throttled, web chat 429, outbox retries and
failures, accounts switched off), and never a message text, name, e-mail, phone number, session id or IP."""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from tests.inbox.conftest import AFVAL, EMAIL, PASSWORD, Pool, inbox_settings, new_case, signed_in, start_inbox
from wijkbot.app import Wijkbot
from wijkbot.domain.model import OutboundMessage
from wijkbot.log_format import OperatorFormatter, redact
from wijkbot.ports import PermanentFailure, TemporaryFailure
from wijkbot.testing import FrozenClock, Harness
from wijkbot.web.server import create_web_app

SESSION = "sessie-Zq7vK3mW9xP2"
PHONE = "06-12345678"
MAIL = "jan.jansen@voorbeeld.nl"
CHAT_TEXT = f"Er ligt grofvuil naast de container in de Kanaalstraat, bel me op {PHONE} of mail {MAIL}"
NAMES = ("Anouk Voorbeeld", "Olaf Teststede", "Bram de Proef")


@dataclass
class FlakyChannel:
    """The resident's channel: first busy (a retry), then the resident blocked us (a permanent failure)."""

    name: str = "test"
    failures: list[Exception] = field(default_factory=lambda: [TemporaryFailure("503 Service Unavailable"),
                                                               PermanentFailure("403 blocked by the user")])

    async def send(self, message: OutboundMessage) -> str | None:
        if self.failures:
            raise self.failures.pop(0)
        return "sent"

    def texts_to(self, address: str) -> list[str]:
        return []


@pytest.fixture
def flaky() -> FlakyChannel:
    return FlakyChannel()


@pytest.fixture
async def logged_bot(tmp_path: Path, clock: FrozenClock, flaky: FlakyChannel) -> AsyncIterator[Wijkbot]:
    settings = inbox_settings(f"sqlite:///{tmp_path / 'logs.db'}", webchat_rate_per_minute=3,
                              login_max_failures_per_account=2, login_max_failures_per_address=4)
    bot = await start_inbox(settings, clock, flaky)  # type: ignore[arg-type]
    yield bot
    await bot.close()


async def quiet_server(app: web.Application) -> TestServer:
    """A test server without aiohttp's own access log, as serving.py runs it (that log has paths and IPs)."""
    server = TestServer(app)
    await server.start_server(access_log=None)
    return server


def everything(caplog: pytest.LogCaptureFixture) -> str:
    """Every captured record of every logger, as an operator would read it (with tracebacks)."""
    formatter = OperatorFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")  # the service's own
    return "\n".join(formatter.format(r) for r in caplog.records)


def lines(caplog: pytest.LogCaptureFixture, logger: str, level: int | None = None) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.name.startswith(logger) and (level is None or r.levelno == level)]


def assert_nothing_personal(text: str, *, also: tuple[str, ...] = ()) -> None:
    # (the words of the text, not its category: "case ... opened (webchat, melding, grofvuil, ...)" names the
    # configuration's category id, which is no one's data)
    forbidden = (SESSION, PHONE, "12345678", MAIL, "jan.jansen", CHAT_TEXT, "Kanaalstraat", "naast de container",
                 "127.0.0.1", "session=", PASSWORD, *EMAIL.values(), *NAMES, *also)
    found = [word for word in forbidden if word.lower() in text.lower()]
    assert not found, f"personal data in the log: {found}\n{text}"
    assert not re.search(r"\b\d{1,3}(\.\d{1,3}){3}\b", text), "an IP address in the log"


async def test_a_busy_day_leaves_useful_lines_and_nothing_personal(logged_bot: Wijkbot, flaky: FlakyChannel,
                                                                   clock: FrozenClock,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    bot = logged_bot
    server = await quiet_server(bot.web_app())
    pool = Pool(server)
    try:
        async with TestClient(server) as chat:
            # The web chat: messages with a phone number and an e-mail address, a poll, a flood, a bad body.
            statuses = [(await chat.post("/api/webchat/messages", json={"session": SESSION, "text": CHAT_TEXT})).status
                        for _ in range(5)]
            assert statuses[:3] == [202, 202, 202] and statuses[3] == 429
            polled = await chat.get("/api/webchat/messages", params={"session": SESSION, "after": "0"})
            assert polled.status == 200
            bad = await chat.post("/api/webchat/messages", json={"session": "kort", "text": CHAT_TEXT})
            assert bad.status == 400

            # The resident's channel fails: first a retry, then for good.
            resident = Harness(bot, flaky)  # type: ignore[arg-type]
            await resident.say(AFVAL)
            clock.advance(minutes=5)
            await bot.delivery.drain()

            # Sign-in: refused, then throttled per account, then per address; one success.
            anouk = pool["anouk"]
            for _ in range(2):
                assert (await anouk.login("anouk", "niet het goede wachtwoord")).status == 401
            assert (await anouk.login("anouk", "niet het goede wachtwoord")).status == 429
            for who in ("niemand@example.org", "ook.niemand@example.org"):
                assert (await pool["x"].login(who, "raden maar")).status == 401
            assert (await pool["x"].login("derde@example.org", "raden maar")).status == 429
            clock.advance(minutes=16)  # the failures leave the window
            olaf = await signed_in(pool, "olaf")

            # A case that does not exist, then a beheerder switches Anouk off (her open case goes to the team).
            assert (await olaf.get("/inbox/zaak/UT-2026-999999")).status == 404
            await new_case(bot, flaky, AFVAL)  # type: ignore[arg-type]
            anouk_profile = await bot.inbox.people.by_email(EMAIL["anouk"])
            await olaf.get("/inbox/beheer/mensen")
            await olaf.post(f"/inbox/beheer/mensen/{anouk_profile.officer_id}/uitzetten", {})
            done = await olaf.post(f"/inbox/beheer/mensen/{anouk_profile.officer_id}/uitzetten", {"bevestigd": "ja"})
            assert done.status == 200
    finally:
        await pool.close()
        await server.close()

    access = lines(caplog, "wijkbot.http")
    assert "POST /api/webchat/messages 202" in " | ".join(access)
    assert any(re.fullmatch(r"POST /api/webchat/messages 429 \d+\.\dms", line) for line in access)
    assert any(re.fullmatch(r"POST /api/webchat/messages 400 \d+\.\dms", line) for line in access)
    assert any(re.fullmatch(r"GET /api/webchat/messages 200 \d+\.\dms", line) for line in access)
    assert any(re.fullmatch(r"GET /inbox/zaak/\{reference\} 404 \d+\.\dms", line) for line in access)
    assert any(re.fullmatch(r"POST /inbox/login 429 \d+\.\dms", line) for line in access)
    assert any(re.fullmatch(r"POST /inbox/beheer/mensen/\{officer\}/\{action\} 303 \d+\.\dms", line)
               for line in access)
    # 2xx/3xx at DEBUG (the chat page polls: at INFO they would bury the rest), 4xx at INFO
    levels = {(r.getMessage().split()[2], r.levelno) for r in caplog.records if r.name == "wijkbot.http"}
    assert ("202", logging.DEBUG) in levels and ("303", logging.DEBUG) in levels
    assert ("429", logging.INFO) in levels and ("404", logging.INFO) in levels and ("400", logging.INFO) in levels

    events = " | ".join(lines(caplog, "wijkbot.channels.webchat", logging.INFO))
    assert "web chat rate limit hit (one session): 429, retry after" in events
    login = " | ".join(lines(caplog, "wijkbot.services.login"))
    assert f"sign-in refused: wrong password for account {anouk_profile.officer_id}" in login
    assert "sign-in refused: no such account" in login
    assert "sign-in throttled (account)" in login and "sign-in throttled (address)" in login
    assert re.search(r"signed in: account \d+", login)
    delivery = " | ".join(lines(caplog, "wijkbot.services.delivery"))
    assert re.search(r"outbox row \d+ \(case \d+, channel test\) attempt 1 failed, retry at .* \(given up at .*\): "
                     r".*503", delivery)
    assert re.search(r"outbox row \d+ \(case \d+, channel test\) failed at attempt 2, resident marked unreachable",
                     delivery)
    opened = lines(caplog, "wijkbot.services.intake", logging.INFO)
    assert any(re.fullmatch(r"case UT-\d{4}-\d{6} opened \(webchat, melding, grofvuil, team [a-z-]+\)", line)
               for line in opened), opened
    accounts = " | ".join(lines(caplog, "wijkbot.services.people", logging.INFO))
    assert re.search(rf"account {anouk_profile.officer_id} disabled by account \d+; \d+ open case\(s\) back to "
                     "their team", accounts), accounts

    assert_nothing_personal(everything(caplog))


async def test_an_unhandled_error_is_logged_with_its_traceback_but_not_the_body_or_the_path(
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "geheim-token-abc123"

    async def boom(request: web.Request) -> web.Response:
        await request.read()
        raise RuntimeError("database hiccup")

    async def health() -> dict[str, object]:
        return {"status": "ok"}

    app = create_web_app([web.post("/boom/{token}", boom)], health, 4096)
    server = await quiet_server(app)
    async with TestClient(server) as client:
        response = await client.post(f"/boom/{secret}?session={SESSION}", data=CHAT_TEXT.encode())
        assert response.status == 500
        assert "database hiccup" not in await response.text()  # the client never sees the error
        missing = await client.get(f"/nergens/{secret}")
        assert missing.status == 404

    errors = [r for r in caplog.records if r.name == "wijkbot.http" and r.levelno == logging.ERROR]
    assert any(r.getMessage() == "unhandled error on POST /boom/{token}" and r.exc_info for r in errors)
    assert any(re.fullmatch(r"POST /boom/\{token\} 500 \d+\.\dms", r.getMessage()) for r in errors)
    assert any(re.fullmatch(r"GET - 404 \d+\.\dms", r.getMessage()) for r in caplog.records
               if r.name == "wijkbot.http")
    text = everything(caplog)
    assert "RuntimeError: database hiccup" in text  # the traceback is there for the developer
    assert_nothing_personal(text, also=(secret,))


def test_the_log_level_setting_is_checked() -> None:
    from pydantic import ValidationError

    from wijkbot.settings import Settings

    assert Settings(log_level="debug", _env_file=None).log_level == "DEBUG"  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="log_level"):
        Settings(log_level="chatty", _env_file=None)  # type: ignore[call-arg]


FULL_DISK = {
    "sqlite": ["CREATE TRIGGER disk_full BEFORE INSERT ON messages BEGIN SELECT RAISE(ABORT, 'database or disk is "
               "full'); END"],
    "postgresql": ["CREATE FUNCTION disk_full() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION USING ERRCODE = '53100', "
                   "MESSAGE = 'could not extend file: No space left on device'; END $$ LANGUAGE plpgsql",
                   "CREATE TRIGGER disk_full BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION disk_full()"],
}


async def test_a_database_error_on_intake_logs_no_words_or_address(any_bot: Wijkbot, clock: FrozenClock,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    """An operator's trial filled the disk of PostgreSQL: the error in the log carried the statement's values,
    the resident's whole message with their phone number and e-mail address among them."""
    from sqlalchemy import text as sql

    from wijkbot.domain.model import InboundMessage, ReplyAddress

    caplog.set_level(logging.DEBUG)
    async with any_bot.db.write() as conn:
        for statement in FULL_DISK["sqlite" if any_bot.db.is_sqlite else "postgresql"]:
            await conn.execute(sql(statement))
    failure = ""
    try:
        await any_bot.intake.receive(InboundMessage(ReplyAddress("webchat", SESSION), "m-1", CHAT_TEXT, clock()))
    except Exception as error:  # what a caller would log with its traceback
        failure = "".join(traceback.format_exception(error))
    logged = everything(caplog) + redact(failure)
    assert "full" in logged or "No space" in logged, "the failure itself is on record"
    assert_nothing_personal(logged)


@pytest.mark.parametrize(("text", "kept", "gone"), [
    ('duplicate key value violates unique constraint "uq_messages"\nDETAIL:  Key (external_id)=(sessie-1:m-1) already '
     'exists.', 'violates unique constraint "uq_messages"', "sessie-1"),
    ("null value in column \"body\"\nDETAIL:  Failing row contains (12, 'in', 'bel 06-12345678').",
     'null value in column "body"', "06-12345678"),
    ("(sqlite3.IntegrityError) full\n[SQL: INSERT INTO messages (body) VALUES (?)]\n[parameters: ('mijn adres',)]",
     "INSERT INTO messages (body)", "mijn adres"),
    # a resident's words with newlines inside the row (a review found the lines after the first left in)
    ("null value\nDETAIL:  Failing row contains (12, 'regel een\nbel 06-12345678\nregel drie').\n[SQL: INSERT INTO "
     "messages (body) VALUES ($1)]", "[SQL: INSERT INTO messages", "06-12345678"),
])
def test_database_errors_lose_their_quoted_data(text: str, kept: str, gone: str) -> None:
    cleaned = redact(text)
    assert kept in cleaned and gone not in cleaned and "weggelaten" in cleaned
