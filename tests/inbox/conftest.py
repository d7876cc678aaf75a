"""The inbox over real HTTP: a listening test server, one cookie jar per ambtenaar, real forms.

Every demo ambtenaar gets an account with PASSWORD (argon2id with cheap parameters, so a test can sign in
many times). `Officer` reads a page the way a browser does and posts its forms back with the CSRF token
and the case version that page was rendered with.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from wijkbot.app import Wijkbot, build
from wijkbot.seed import seed_officers
from wijkbot.settings import Settings
from wijkbot.storage import people
from wijkbot.testing import FrozenClock, Harness, RecordingChannel

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "deploy" / "demo" / "utrecht_officers.yaml"
PASSWORD = "een lange zin als wachtwoord"
AFVAL = "Er ligt grofvuil naast de container in de Kanaalstraat"  # Stadswerken West, wijk West
VEILIGHEID = "Er dealen jongeren drugs bij het Vredenburg"  # Veiligheid Binnenstad, wijk Binnenstad
EMAIL = {
    "anouk": "anouk.voorbeeld@example.org",  # behandelaar, stadswerken-west
    "bram": "bram.deproef@example.org",  # teamleider, stadswerken-west
    "lars": "lars.probeersma@example.org",  # behandelaar, stadswerken-centrum-oost
    "gijs": "gijs.namaakers@example.org",  # behandelaar, veiligheid-binnenstad
    "hanna": "hanna.defictie@example.org",  # teamleider, all veiligheid teams
    "noor": "noor.vanverzonnen@example.org",  # wijkregisseur West
    "eva": "eva.verzinsel@example.org",  # wijkregisseur Binnenstad
    "olaf": "olaf.teststede@example.org",  # beheerder
    "ilse": "ilse.vanproefhoven@example.org",  # behandelaar, vth
}


def inbox_settings(database_url: str, **extra: object) -> Settings:
    return Settings(database_url=database_url, rules_dir=ROOT / "routing_rules" / "utrecht",  # type: ignore[call-arg]
                    locales_dir=ROOT / "locales", secret_key="test-secret-" + "x" * 32,
                    password_hash_time_cost=1, password_hash_memory_kib=8192, _env_file=None, **extra)


async def start_inbox(settings: Settings, clock: object, channel: RecordingChannel) -> Wijkbot:
    bot = await build(settings, clock, extra_channels={channel.name: channel})  # type: ignore[arg-type]
    await seed_officers(settings, DEMO)
    everyone = await bot.inbox.people.all()
    await bot.inbox.people.ensure_accounts([p.officer_id for p in everyone])
    password_hash = await bot.inbox.people.hasher.hash(PASSWORD)  # one real argon2id hash, shared: faster set-up
    async with bot.db.write() as conn:
        for profile in everyone:
            await people.set_password_hash(conn, profile.officer_id, password_hash, bot.clock())
    return bot


@pytest.fixture
async def inbox_bot(tmp_path: Path, clock: FrozenClock, channel: RecordingChannel) -> AsyncIterator[Wijkbot]:
    """The service with demo accounts on SQLite (most inbox tests)."""
    bot = await start_inbox(inbox_settings(f"sqlite:///{tmp_path / 'inbox.db'}"), clock, channel)
    yield bot
    await bot.close()


@pytest.fixture
async def any_inbox_bot(database_url: str, clock: FrozenClock, channel: RecordingChannel) -> AsyncIterator[Wijkbot]:
    """The service with demo accounts, on SQLite and on PostgreSQL (the test runs once for each)."""
    bot = await start_inbox(inbox_settings(database_url), clock, channel)
    yield bot
    await bot.close()


@pytest.fixture
async def server(inbox_bot: Wijkbot) -> AsyncIterator[TestServer]:
    async with TestServer(inbox_bot.web_app()) as test_server:
        yield test_server


@pytest.fixture
async def any_server(any_inbox_bot: Wijkbot) -> AsyncIterator[TestServer]:
    async with TestServer(any_inbox_bot.web_app()) as test_server:
        yield test_server


@dataclass
class Page:
    status: int
    html: str
    url: str

    def field(self, name: str, within: str | None = None) -> str:
        html = self.html
        if within is not None:
            start = html.index(f'action="{within}"')
            html = html[start:]
        found = re.search(rf'name="{name}" value="([^"]*)"', html)
        assert found, f"no field {name} on {self.url}"
        return unescape(found.group(1))

    def has_field(self, name: str) -> bool:
        return f'name="{name}"' in self.html

    @property
    def text(self) -> str:
        """The visible text, roughly (tags removed, entities decoded)."""
        return unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)[^>]*>.*?</\1>", "", self.html, flags=re.S)))

    def references(self) -> list[str]:
        return re.findall(r'class="case-link">([^<]+)<', self.html)


@dataclass
class Officer:
    """One ambtenaar's browser: its own cookies, the last page it read."""

    server: TestServer
    session: aiohttp.ClientSession
    last: Page | None = field(default=None)

    async def get(self, path: str, **kwargs: object) -> Page:
        async with self.session.get(self.server.make_url(path), **kwargs) as response:  # type: ignore[arg-type]
            self.last = Page(response.status, await response.text(), str(response.url))
        return self.last

    async def post(self, path: str, data: dict[str, object], *, csrf: bool = True, **kwargs: object) -> Page:
        form = dict(data)
        if csrf and "csrf" not in form:
            page = self.last if self.last is not None else await self.get("/inbox/login")
            form["csrf"] = page.field("csrf")
        async with self.session.post(self.server.make_url(path), data=form, **kwargs) as response:  # type: ignore[arg-type]
            self.last = Page(response.status, await response.text(), str(response.url))
        return self.last

    async def login(self, who: str, password: str = PASSWORD) -> Page:
        await self.get("/inbox/login")
        return await self.post("/inbox/login", {"email": EMAIL.get(who, who), "password": password})

    async def act(self, reference: str, action: str, **fields: object) -> Page:
        """Open the case page, then submit one of its forms (with that page's token and version)."""
        page = await self.get(f"/inbox/zaak/{reference}")
        assert page.status == 200, page.status
        data = {"version": page.field("version"), **fields}
        return await self.post(f"/inbox/zaak/{reference}/{action}", data)

    def cookie(self) -> str:
        return next((c.value for c in self.session.cookie_jar if c.key == "wijkbot_inbox"), "")


class Pool(dict[str, "Officer"]):
    """officers["anouk"] is a fresh (signed-out) browser for Anouk, made on first use."""

    def __init__(self, server: TestServer) -> None:
        super().__init__()
        self.server = server
        self.sessions: list[aiohttp.ClientSession] = []

    def __missing__(self, name: str) -> Officer:
        session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.sessions.append(session)
        self[name] = Officer(self.server, session)
        return self[name]

    async def close(self) -> None:
        for session in self.sessions:
            await session.close()


@pytest.fixture
async def officers(server: TestServer) -> AsyncIterator[Pool]:
    pool = Pool(server)
    yield pool
    await pool.close()


@pytest.fixture
async def any_officers(any_server: TestServer) -> AsyncIterator[Pool]:
    """Browsers against the service on SQLite and on PostgreSQL."""
    pool = Pool(any_server)
    yield pool
    await pool.close()


async def signed_in(officers: dict[str, Officer], name: str) -> Officer:
    officer = officers[name]
    page = await officer.login(name)
    assert page.status == 200 and page.url.endswith("/inbox/zaken"), (page.status, page.url)
    return officer


async def new_case(bot: Wijkbot, channel: RecordingChannel, text: str) -> Harness:
    resident = Harness(bot, channel)
    await resident.say(text)
    await resident.received()
    return resident


@asynccontextmanager
async def sqlite_inbox(tmp_path: Path, clock: FrozenClock, channel: RecordingChannel,
                       name: str = "inbox.db") -> AsyncIterator[Wijkbot]:
    """A seeded service on its own SQLite file, for a test module's `bot` fixture."""
    instance = await start_inbox(inbox_settings(f"sqlite:///{tmp_path / name}"), clock, channel)
    try:
        yield instance
    finally:
        await instance.close()


@asynccontextmanager
async def officer_pool(bot: Wijkbot) -> AsyncIterator[Pool]:
    """The demo ambtenaren, each with their own browser session, against `bot`'s web app."""
    async with TestServer(bot.web_app()) as server:
        pool = Pool(server)
        try:
            yield pool
        finally:
            await pool.close()
