"""Findings of the user trial on the chat page, in a real Chromium (fixtures: tests/browser/test_chat_page.py):
"/taal en" holds for the messages after it, a retry after "niet verstuurd" is stored once (the page sends one
client id per message and reuses it), and a failed send shows the page's own words, never the server's."""

from __future__ import annotations

import json

from playwright.async_api import Request, Route, expect
from sqlalchemy import select

from tests.browser.test_chat_page import ACK_TIMEOUT_MS, GROFVUIL, Chat
from wijkbot.app import Wijkbot
from wijkbot.storage.tables import messages

API = "**/api/webchat/messages"


async def send(chat: Chat, text: str) -> None:
    """Types `text` and presses Enter; waits until the page shows it as sent and the next answer arrived."""
    outbound = chat.page.locator(".msg-out")
    before = await outbound.count()
    await chat.page.locator("#chat-input").fill(text)
    await chat.page.locator("#chat-input").press("Enter")
    await expect(chat.page.locator(".msg-in .msg-text").last).to_have_text(text)
    await expect(outbound).to_have_count(before + 1, timeout=ACK_TIMEOUT_MS)


async def inbound_bodies(bot: Wijkbot) -> list[str]:
    async with bot.db.read() as conn:
        rows = await conn.execute(select(messages.c.body).where(messages.c.direction == "in").order_by(messages.c.id))
        return [str(r.body) for r in rows]


async def test_taal_en_holds_for_status_and_the_next_acknowledgement(chat: Chat) -> None:
    await chat.open()  # the Dutch page: it sends locale "nl" with every message
    answers = chat.page.locator(".msg-out .msg-text")
    await send(chat, "/taal en")
    await expect(answers.last).to_have_text("Fine, from now on we will write to you in English.")
    await send(chat, "/status")
    await expect(answers.last).to_have_text("You have no open reports with us at the moment.")
    await send(chat, GROFVUIL)
    await expect(answers.last).to_contain_text("Thank you")
    chat.assert_no_problems()


async def test_a_retry_after_a_lost_answer_is_stored_once(chat: Chat, bot: Wijkbot) -> None:
    page = chat.page
    posted: list[dict[str, object]] = []

    async def lose_the_answer(route: Route, request: Request) -> None:
        if request.method != "POST":
            await route.continue_()
            return
        posted.append(json.loads(request.post_data or "{}"))
        await route.fetch()  # the server stores the message ...
        await route.abort("connectionreset")  # ... but the answer never reaches the page

    await chat.open()
    await page.route(API, lose_the_answer)
    await page.locator("#chat-input").fill(GROFVUIL)
    await page.locator("#chat-input").press("Enter")
    await expect(page.locator("#chat-status")).to_have_text(
        "Uw bericht is niet verstuurd. Controleer uw verbinding en probeer het opnieuw.")
    await expect(page.locator("#chat-input")).to_have_value(GROFVUIL)
    await page.unroute(API, lose_the_answer)

    async def record(route: Route, request: Request) -> None:
        if request.method == "POST":
            posted.append(json.loads(request.post_data or "{}"))
        await route.continue_()

    await page.route(API, record)
    await page.locator("#chat-send").click()  # the resident tries again
    await expect(page.locator(".msg-in")).to_have_count(1)
    await expect(page.locator(".msg-out")).to_have_count(1, timeout=ACK_TIMEOUT_MS)
    await expect(page.locator("#chat-status")).to_have_text("")

    assert len(posted) == 2 and isinstance(posted[0].get("id"), str) and posted[0]["id"]
    assert posted[1]["id"] == posted[0]["id"]
    assert await inbound_bodies(bot) == [GROFVUIL]

    await send(chat, "Het ligt er sinds maandag")  # a new message gets a new id
    assert posted[-1]["id"] != posted[0]["id"]
    assert await inbound_bodies(bot) == [GROFVUIL, "Het ligt er sinds maandag"]


async def test_a_too_large_message_gets_the_pages_own_words(chat: Chat) -> None:
    page = chat.page
    await chat.open()
    await page.locator("#chat-input").fill("x" * 300_000)  # above the server's body limit: a real 413
    await page.locator("#chat-input").press("Enter")
    status = page.locator("#chat-status")
    await expect(status).to_have_text("Uw bericht is te lang om te versturen. Maak het korter en probeer het opnieuw.")
    await expect(status).not_to_contain_text("bytes")
    await expect(page.locator(".msg-in")).to_have_count(0)


async def test_a_refused_message_on_the_english_page_gets_english_words(chat: Chat) -> None:
    page = chat.page

    async def break_the_body(route: Route, request: Request) -> None:
        if request.method == "POST":  # the real server answers 400 "geen geldige JSON"
            await route.continue_(post_data="{not json")
        else:
            await route.continue_()

    await chat.open("?lang=en")
    await page.route(API, break_the_body)
    await page.locator("#chat-input").fill(GROFVUIL)
    await page.locator("#chat-input").press("Enter")
    status = page.locator("#chat-status")
    await expect(status).to_have_text("Your message could not be sent. Please try again or call us.")
    await expect(status).not_to_contain_text("JSON")
    await expect(page.locator("#chat-input")).to_have_value(GROFVUIL)
