"""The chat page names the configured municipality and its phone number, in the resident's language: another
municipality fits by configuration alone (a trial found Utrecht's 14 030 on every municipality's page)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from wijkbot.app import build
from wijkbot.settings import Settings
from wijkbot.testing import FrozenClock

ROOT = Path(__file__).resolve().parents[2]


async def _client(sqlite_url: str, clock: FrozenClock, municipality: str) -> AsyncIterator[TestClient]:
    settings = Settings(database_url=sqlite_url, rules_dir=ROOT / "routing_rules" / municipality,  # type: ignore[call-arg]
                        locales_dir=ROOT / "locales", _env_file=None)
    bot = await build(settings, clock)
    try:
        async with TestClient(TestServer(bot.web_app())) as client:
            yield client
    finally:
        await bot.close()


@pytest.fixture
async def katwijk(sqlite_url: str, clock: FrozenClock) -> AsyncIterator[TestClient]:
    async for client in _client(sqlite_url, clock, "katwijk"):
        yield client


@pytest.fixture
async def utrecht(sqlite_url: str, clock: FrozenClock) -> AsyncIterator[TestClient]:
    async for client in _client(sqlite_url, clock, "utrecht"):
        yield client


async def test_katwijk_residents_read_katwijks_name_and_number(katwijk: TestClient) -> None:
    page = await (await katwijk.get("/chat")).text()
    assert "Gemeente Katwijk" in page and 'href="tel:14071">14 071</a>' in page
    assert "Bel 14 071." in page  # the text without JavaScript too
    assert "14 030" not in page and "14030" not in page and "Utrecht" not in page


@pytest.mark.parametrize(("query", "accept", "title"), [
    ("", "en-GB,en;q=0.9", "Chat with the municipality"),
    ("", "fr-FR,fr;q=0.9,en;q=0.5,nl;q=0.4", "Chat with the municipality"),  # the best language we offer
    ("", "fr-FR", "Chat met de gemeente"),  # none we offer: the default
    ("", "", "Chat met de gemeente"),
    ("?lang=nl", "en-GB", "Chat met de gemeente"),  # the page's own language switch wins
    ("?lang=en", "nl-NL", "Chat with the municipality"),
    ("?lang=xx", "en", "Chat with the municipality"),
])
async def test_the_page_speaks_the_language_asked_or_the_browsers(utrecht: TestClient, query: str, accept: str,
                                                                  title: str) -> None:
    response = await utrecht.get(f"/chat{query}", headers={"Accept-Language": accept} if accept else {})
    page = await response.text()
    assert response.status == 200 and f"<title>{title}</title>" in page
    assert response.headers["Vary"] == "Accept-Language"
    assert ('<html lang="en">' in page) is title.startswith("Chat with")


async def test_the_page_script_gets_its_texts_from_the_page_not_from_itself(utrecht: TestClient) -> None:
    page = await (await utrecht.get("/chat?lang=en")).text()
    assert '<script id="chat-texts" type="application/json">' in page and '"send": "Send"' in page
    script = await (await utrecht.get("/static/chat.js")).text()
    dutch_or_english = ("Versturen", "Nieuw gesprek", "Chat met de gemeente", "New conversation")
    assert not any(text in script for text in dutch_or_english)
