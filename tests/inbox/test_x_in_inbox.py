"""X in the inbox, against a fake X API over real HTTP: an X case shows, before anything is sent, whether the
reply leaves as a DM (the whole answer) or only as the short public text (shown exactly); a calm banner warns at
80 % of the X budget, says X is paused at 100 % and stopped after a 401; nothing about X is shown for other
cases, when all is well, or when X is off.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from tests.channels.x.conftest import CREDENTIALS, poll, start_x
from tests.inbox.conftest import AFVAL, Officer, Page, Pool, inbox_settings, new_case, signed_in, start_inbox
from tests.support.fake_x import FakeX
from wijkbot.app import Wijkbot
from wijkbot.domain.x import Stream
from wijkbot.testing import FrozenClock, RecordingChannel

RESIDENT = "424242"
GROFVUIL = "Er ligt al een week grofvuil naast de container in de Kanaalstraat"  # Stadswerken West: Anouk's team
ANSWER = "We halen het grofvuil donderdag op."


@pytest.fixture
async def fake_x(clock: FrozenClock) -> AsyncIterator[FakeX]:
    fake = await FakeX(clock).start()
    yield fake
    await fake.close()


class XInbox:
    """The service with X switched on against the fake, demo accounts, and browsers for the inbox."""

    def __init__(self, bot: Wijkbot, officers: Pool, fake: FakeX) -> None:
        self.bot, self.officers, self.fake = bot, officers, fake

    async def x_case(self) -> str:
        self.fake.mention(RESIDENT, GROFVUIL)
        await poll(self.bot, Stream.MENTIONS)
        await self.bot.delivery.drain()
        [post] = self.fake.posted
        return str(post["text"]).split("nummer ")[1].split(".")[0]


async def x_inbox(database_url: str, clock: FrozenClock, fake: FakeX, channel: RecordingChannel,
                  **settings: Any) -> AsyncIterator[XInbox]:
    values = {"x_api_url": fake.url, **CREDENTIALS, **settings}
    bot = await start_inbox(inbox_settings(database_url, **values), clock, channel)
    await start_x(bot)  # users/me and the first poll of each stream: three reads
    async with TestServer(bot.web_app()) as server:
        officers = Pool(server)
        try:
            yield XInbox(bot, officers, fake)
        finally:
            await officers.close()
    await bot.close()


@pytest.fixture
async def inbox_with_x(database_url: str, clock: FrozenClock, fake_x: FakeX,
                       channel: RecordingChannel) -> AsyncIterator[XInbox]:
    """On SQLite and on PostgreSQL."""
    async for found in x_inbox(database_url, clock, fake_x, channel):
        yield found


@pytest.fixture
async def small_budget(tmp_path: Path, clock: FrozenClock, fake_x: FakeX,
                       channel: RecordingChannel) -> AsyncIterator[XInbox]:
    async for found in x_inbox(f"sqlite:///{tmp_path / 'x.db'}", clock, fake_x, channel, x_budget_reads=10):
        yield found


def banner(page: Page) -> str | None:
    if 'id="x-banner"' not in page.html:
        return None
    part = page.html.split('id="x-banner"')[1].split("</section>")[0]
    return Page(200, "<x " + part, "").text


async def test_an_x_case_shows_before_sending_whether_the_reply_is_a_dm_or_only_a_public_text(
        inbox_with_x: XInbox) -> None:
    reference = await inbox_with_x.x_case()
    anouk = await signed_in(inbox_with_x.officers, "anouk")
    page = await anouk.get(f"/inbox/zaak/{reference}")
    assert 'id="x-route" data-mode="public"' in page.html  # on the page itself, before any preview
    assert "Dit antwoord komt niet zelf op X: alleen een korte openbare reactie, zonder uw tekst." in page.text
    assert banner(page) is None  # X works and the budget is fine

    shown = await anouk.post(f"/inbox/zaak/{reference}/voorbeeld", {"reply": ANSWER, "version": page.field("version")})
    [public] = [unescape(p.split("</p>")[0]) for p in shown.html.split('class="msg-text preview-part">')[1:]]
    assert reference in public and "DM" in public and ANSWER not in public
    assert 'class="preview-mode" data-mode="public"' in shown.html
    async with anouk.session.post(anouk.server.make_url(f"/inbox/zaak/{reference}/voorbeeld"),
                                  data={"reply": ANSWER, "csrf": shown.field("csrf")},
                                  headers={"Accept": "application/json"}) as response:
        as_json = await response.json()
    assert as_json["mode"] == "public" and as_json["parts"] == [public] and as_json["mode_label"]

    await anouk.act(reference, "antwoord", reply=ANSWER)
    await inbox_with_x.bot.delivery.drain()
    assert inbox_with_x.fake.posted[-1]["text"] == public  # what was shown is what went out
    assert inbox_with_x.fake.sent_dms == []

    inbox_with_x.fake.dm(RESIDENT, f"Over {reference}: het ligt voor de deur")
    await poll(inbox_with_x.bot, Stream.DM_EVENTS)
    await inbox_with_x.bot.delivery.drain()
    page = await anouk.get(f"/inbox/zaak/{reference}")
    assert 'id="x-route" data-mode="dm"' in page.html
    assert page.text.count("Dit antwoord gaat als privébericht (DM) naar de bewoner op X.") == 1
    assert any(ANSWER in dm["text"] for dm in inbox_with_x.fake.sent_dms)  # the public-only answer, now in full
    shown = await anouk.post(f"/inbox/zaak/{reference}/voorbeeld", {"reply": ANSWER, "version": page.field("version")})
    assert 'data-mode="dm"' in shown.html and ANSWER in shown.text


async def test_the_budget_banner_at_80_and_100_percent(small_budget: XInbox) -> None:
    anouk = await signed_in(small_budget.officers, "anouk")
    reference = await small_budget.x_case()  # 4 of 10 reads
    for _ in range(3):
        await poll(small_budget.bot, Stream.DM_EVENTS)  # 7 of 10
    assert banner(await anouk.get("/inbox/zaken")) is None
    await poll(small_budget.bot, Stream.DM_EVENTS)  # 8 of 10: 80 %
    for page in (await anouk.get("/inbox/zaken"), await anouk.get(f"/inbox/zaak/{reference}")):
        text = banner(page)
        assert text is not None and "Het X-budget raakt op" in text and "Let op: 80 % van het X-budget" in text
        [tag] = re.findall(r'<section[^>]*id="x-banner"[^>]*>', page.html)
        assert 'role="status"' in tag and 'role="alert"' not in tag  # calm: read out politely, not an alarm
    for _ in range(2):
        await poll(small_budget.bot, Stream.DM_EVENTS)  # 10 of 10: paused
    text = banner(await anouk.get("/inbox/zaken"))
    assert text is not None and "X staat stil" in text and "het maandbudget is op" in text
    assert "De webchat en Telegram werken gewoon." in text
    await anouk.post("/inbox/taal", {"lang": "en", "next": "/inbox/zaken"})
    text = banner(await anouk.get("/inbox/zaken"))
    assert text is not None and "X is paused" in text and "monthly budget" in text


async def test_the_banner_says_x_stopped_after_a_401(inbox_with_x: XInbox) -> None:
    reference = await inbox_with_x.x_case()
    inbox_with_x.fake.revoked = True
    await poll(inbox_with_x.bot, Stream.DM_EVENTS)
    anouk = await signed_in(inbox_with_x.officers, "anouk")
    for page in (await anouk.get("/inbox/zaken"), await anouk.get(f"/inbox/zaak/{reference}")):
        text = banner(page)
        assert text is not None and "X is gestopt" in text and "401" in text
        assert "X-toegangsgegevens te vernieuwen" in text


async def test_nothing_about_x_for_a_web_chat_case(inbox_with_x: XInbox, channel: RecordingChannel) -> None:
    resident = await new_case(inbox_with_x.bot, channel, AFVAL)
    anouk = await signed_in(inbox_with_x.officers, "anouk")
    page = await anouk.get(f"/inbox/zaak/{resident.reference}")
    assert page.status == 200 and 'id="x-route"' not in page.html and banner(page) is None
    shown = await anouk.post(f"/inbox/zaak/{resident.reference}/voorbeeld",
                             {"reply": ANSWER, "version": page.field("version")})
    assert "preview-mode" not in shown.html and ANSWER in shown.text


async def test_nothing_about_x_when_x_is_off(officers: dict[str, Officer], inbox_bot: Wijkbot,
                                             channel: RecordingChannel) -> None:
    assert inbox_bot.inbox.x_guard is None
    resident = await new_case(inbox_bot, channel, AFVAL)
    anouk = await signed_in(officers, "anouk")
    for path in ("/inbox/zaken", f"/inbox/zaak/{resident.reference}"):
        page = await anouk.get(path)
        assert page.status == 200 and banner(page) is None and 'id="x-route"' not in page.html
