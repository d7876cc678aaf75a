"""The residents' chat page (GET /chat) in a real Chromium against a real listening service.

What a resident sees: their message and the municipality's acknowledgement (case reference, department,
area) in the log, typed HTML shown as text, the English page, a keyboard-only route with a visible focus,
a conversation that survives a reload until "Nieuw gesprek", and no console errors or CSP violations.

Set-up: the `bot` fixture's aiohttp app is served by AppRunner/TCPSite on 127.0.0.1 (port chosen by the
OS) with the delivery worker running, on the test's own event loop; Playwright's async API drives Debian's
Chromium (`playwright install` is never needed). Without Chromium these tests skip, except in CI (CI set),
where scripts/install-test-deps.sh must have installed it and they fail instead.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiohttp import web

from wijkbot.app import Wijkbot
from wijkbot.ports import Clock, system_clock

try:
    from playwright.async_api import Browser, ConsoleMessage, Error, Locator, Page, Response, async_playwright, expect
except ImportError:  # an old venv; `make venv` installs the dev extra, which has playwright
    if os.environ.get("CI"):
        raise
    pytest.skip("playwright is not installed (pip install -e '.[dev]')", allow_module_level=True)

from tests.support.browser import ARTIFACTS, CHROMIUM_ARGS

pytestmark = [pytest.mark.browser]

ACK_TIMEOUT_MS = 10_000  # intake + delivery worker + the page's next poll (every 1.5 s); usually well under 2 s
GROFVUIL = "Er ligt al een week grofvuil naast de container op de Amsterdamsestraatweg"
REFERENCE = re.compile(r"^UT-\d{4}-\d+$")

# Reports securitypolicyviolation events to Python (runs before the page's own scripts, outside its CSP).
CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__wijkbotCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${where})`);
}, true);
"""


@dataclass
class Chat:
    """One browser tab on the chat page plus everything that went wrong in it."""

    page: Page
    base_url: str
    problems: list[str] = field(default_factory=list)
    csp_violation: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def log_messages(self) -> Locator:
        return self.page.locator("#chat-log .msg")

    async def open(self, query: str = "") -> None:
        await self.page.goto(f"{self.base_url}/chat{query}")

    async def say(self, text: str) -> str:
        """Types `text`, presses Enter; returns the case reference of the acknowledgement that comes back."""
        inbound, outbound = self.page.locator(".msg-in"), self.page.locator(".msg-out")
        before_in, before_out = await inbound.count(), await outbound.count()
        await self.page.locator("#chat-input").fill(text)
        await self.page.locator("#chat-input").press("Enter")
        await expect(inbound).to_have_count(before_in + 1)
        mine = inbound.nth(before_in)
        await expect(mine.locator(".msg-text")).to_have_text(text)
        await expect(outbound).to_have_count(before_out + 1, timeout=ACK_TIMEOUT_MS)
        reference = await mine.get_attribute("data-case") or ""
        assert REFERENCE.match(reference), reference
        await expect(outbound.nth(before_out)).to_have_attribute("data-case", reference)
        return reference

    async def session(self) -> str | None:
        stored: str | None = await self.page.evaluate("localStorage.getItem('wijkbot.session')")
        return stored

    async def focus(self) -> tuple[str, float, str]:
        """The focused element (id, or tag and text) with its computed outline width (px) and style."""
        found: list[str] = await self.page.evaluate("""() => {
            const a = document.activeElement, s = getComputedStyle(a);
            const name = a.id || `${a.tagName} ${(a.textContent || '').trim().slice(0, 30)}`;
            return [name, s.outlineWidth, s.outlineStyle];
        }""")
        return found[0], float(found[1].removesuffix("px")), found[2]

    def assert_no_problems(self) -> None:
        assert self.problems == [], "console errors, page errors or CSP violations:\n" + "\n".join(self.problems)


@pytest.fixture(scope="session")
def chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: scripts/install-test-deps.sh should have installed it")
        pytest.skip("chromium not installed (run scripts/install-test-deps.sh as root)")
    return path


@pytest.fixture
def clock() -> Clock:
    """The real clock: the page orders its own messages by the server's Date header and answers by sent_at."""
    return system_clock


@pytest.fixture
async def base_url(bot: Wijkbot) -> AsyncIterator[str]:
    runner = web.AppRunner(bot.web_app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)  # port 0: the OS picks a free one
    await site.start()
    port = runner.addresses[0][1]
    await bot.start_workers()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await bot.stop_workers()
        await runner.cleanup()


@pytest.fixture
async def browser(chromium: str) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        instance = await playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            await instance.close()


@pytest.fixture
async def chat(browser: Browser, base_url: str) -> AsyncIterator[Chat]:
    context = await browser.new_context(locale="nl-NL", viewport={"width": 1024, "height": 900})
    context.set_default_timeout(5_000)
    page = await context.new_page()
    tab = Chat(page, base_url)

    def on_console(message: ConsoleMessage) -> None:
        url = message.location.get("url") or ""
        if message.type == "error":
            tab.problems.append(f"console: {message.text} ({url})")

    def on_page_error(error: Error) -> None:
        tab.problems.append(f"page error: {error}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)

    def on_csp_violation(text: str) -> None:
        tab.problems.append(f"CSP: {text}")
        tab.csp_violation.set()

    await context.expose_function("__wijkbotCspViolation", on_csp_violation)
    await context.add_init_script(CSP_LISTENER)
    try:
        yield tab
    finally:
        await context.close()


async def test_resident_sends_a_report_and_sees_the_acknowledgement(chat: Chat) -> None:
    page = chat.page
    await chat.open()
    await expect(page.locator("h1")).to_have_text("Chat met de gemeente")
    await expect(page.locator("#chat-empty")).to_be_visible()

    await page.locator("#chat-input").fill(GROFVUIL)
    await page.locator("#chat-input").press("Enter")

    mine = page.locator(".msg-in")
    await expect(mine).to_have_count(1)
    await expect(mine.locator(".msg-text")).to_have_text(GROFVUIL)
    await expect(page.locator("#chat-input")).to_have_value("")
    await expect(page.locator("#chat-empty")).to_be_hidden()

    answer = page.locator(".msg-out")
    await expect(answer).to_have_count(1, timeout=ACK_TIMEOUT_MS)
    reference = await mine.get_attribute("data-case") or ""
    assert REFERENCE.match(reference), reference
    await expect(answer).to_have_attribute("data-case", reference)
    text = answer.locator(".msg-text")
    await expect(text).to_contain_text(reference)
    await expect(text).to_contain_text("Stadswerken")
    await expect(text).to_contain_text("Noordwest")
    await expect(answer.locator(".msg-meta")).to_contain_text(f"Zaak {reference}")
    # Resident first, then the municipality (the page orders by time).
    await expect(chat.log_messages).to_have_count(2)
    await expect(chat.log_messages.first).to_have_class(re.compile(r"\bmsg-in\b"))

    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "chat.png"), full_page=True)
    chat.assert_no_problems()


async def test_typed_html_is_shown_as_text(chat: Chat) -> None:
    page = chat.page
    typed = "<b>Er ligt grofvuil</b> <script>window.__x=1</script>"
    await chat.open()
    await chat.say(typed)  # also waits for the answer, so both directions are rendered

    await expect(page.locator(".msg-in .msg-text")).to_have_text(typed)
    for tag in ("b", "script"):
        await expect(page.locator(f"#chat-log {tag}")).to_have_count(0)
    assert await page.evaluate("typeof window.__x") == "undefined"
    chat.assert_no_problems()


async def test_english_page_and_acknowledgement(chat: Chat) -> None:
    page = chat.page
    await chat.open("?lang=en")
    await expect(page.locator("h1")).to_have_text("Chat with the municipality")
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    await expect(page.locator("#lang-switch")).to_have_text("Nederlands")
    await expect(page.locator("#chat-send")).to_have_text("Send")

    reference = await chat.say(GROFVUIL)

    answer = page.locator(".msg-out .msg-text")
    await expect(answer).to_contain_text("Thank you")
    await expect(answer).to_contain_text(reference)
    await expect(page.locator(".msg-out .msg-meta")).to_contain_text(f"Case {reference}")
    chat.assert_no_problems()


async def test_keyboard_only_reaches_the_composer_with_a_visible_focus(chat: Chat) -> None:
    page = chat.page
    await chat.open()
    textarea, send = page.locator("#chat-input"), page.locator("#chat-send")

    stops: list[tuple[str, float, str]] = []
    for _ in range(20):  # from the top of the page: skip link, header, intro links, log, textarea
        await page.keyboard.press("Tab")
        stops.append(await chat.focus())
        if stops[-1][0] == "chat-input":
            break
    await expect(textarea).to_be_focused()
    await page.keyboard.type("De lantaarnpaal in de Kanaalstraat is kapot")

    await page.keyboard.press("Tab")
    await expect(send).to_be_focused()
    stops.append(await chat.focus())

    invisible = [stop for stop in stops if stop[2] == "none" or stop[1] < 2]
    assert invisible == [], f"focus not visible (outline < 2px) on: {invisible}"

    await page.keyboard.press("Enter")  # the send button, by keyboard
    await expect(page.locator(".msg-in .msg-text")).to_have_text("De lantaarnpaal in de Kanaalstraat is kapot")
    await expect(textarea).to_have_value("")
    await expect(page.locator(".msg-out")).to_have_count(1, timeout=ACK_TIMEOUT_MS)
    chat.assert_no_problems()


async def test_reload_keeps_the_conversation_and_new_chat_starts_empty(chat: Chat) -> None:
    page = chat.page
    await chat.open()
    session = await chat.session()
    assert session
    reference = await chat.say(GROFVUIL)

    await page.reload()
    assert await chat.session() == session
    await expect(page.locator(".msg-in .msg-text")).to_have_text(GROFVUIL)
    await expect(page.locator(".msg-out")).to_have_count(1, timeout=ACK_TIMEOUT_MS)
    await expect(page.locator(".msg-out")).to_have_attribute("data-case", reference)
    await expect(chat.log_messages).to_have_count(2)

    await page.locator("#chat-new").click()
    await expect(chat.log_messages).to_have_count(0)
    await expect(page.locator("#chat-empty")).to_be_visible()
    await expect(page.locator("#chat-status")).to_have_text("U bent een nieuw gesprek begonnen.")
    await expect(page.locator("#chat-input")).to_be_focused()
    fresh = await chat.session()
    assert fresh and fresh != session

    def polls_fresh(response: Response) -> bool:
        return response.request.method == "GET" and f"/api/webchat/messages?session={fresh}" in response.url

    async with page.expect_response(polls_fresh, timeout=ACK_TIMEOUT_MS):  # the new session's history: none
        await page.reload()
    await expect(chat.log_messages).to_have_count(0)
    await expect(page.locator("#chat-empty")).to_be_visible()
    assert await chat.session() == fresh
    chat.assert_no_problems()


async def test_no_console_errors_or_csp_violations_during_a_conversation(chat: Chat) -> None:
    page = chat.page
    await chat.open()
    await chat.say(GROFVUIL)
    await page.locator("#lang-switch").click()  # same conversation, now in English
    await expect(page.locator("h1")).to_have_text("Chat with the municipality")
    await expect(chat.log_messages).to_have_count(2, timeout=ACK_TIMEOUT_MS)
    await expect(page.locator(".msg-in .msg-who")).to_have_text("You")
    await page.locator("#chat-new").click()
    await chat.say("De lantaarnpaal in de Kanaalstraat is kapot")
    await page.reload()
    await expect(chat.log_messages).to_have_count(2, timeout=ACK_TIMEOUT_MS)
    chat.assert_no_problems()

    # The detector itself works: an inline script is refused by the page's CSP and reported.
    await page.evaluate("document.body.append(Object.assign(document.createElement('script'), {textContent: '1'}))")
    await asyncio.wait_for(chat.csp_violation.wait(), timeout=5)
    assert any(problem.startswith("CSP: script-src") for problem in chat.problems), chat.problems


async def test_page_declares_an_icon(chat: Chat) -> None:
    await chat.open()
    has_icon = await chat.page.evaluate(
        "async () => !!document.querySelector(\"link[rel~='icon']\") || (await fetch('/favicon.ico')).ok")
    assert has_icon, "no <link rel=icon> and GET /favicon.ico fails"


async def test_the_which_case_question_has_buttons_and_a_press_opens_a_new_case(chat: Chat, bot: Wijkbot) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from wijkbot.storage.tables import messages

    page = chat.page
    await chat.open()
    first = await chat.say("De lantaarnpaal in de Kanaalstraat is kapot")
    async with bot.db.write() as conn:  # the resident wrote that three hours ago
        await conn.execute(update(messages).values(created_at=bot.clock() - timedelta(hours=3)))
    await page.locator("#chat-input").fill("Er ligt al een week grofvuil naast de container")  # may be the lamp's
    await page.locator("#chat-input").press("Enter")
    question = page.locator(".msg-out").nth(1)
    await expect(question, "the question arrives").to_be_visible(timeout=ACK_TIMEOUT_MS)
    buttons = question.locator(".msg-actions button")
    await expect(buttons).to_have_text([f"{first} · Straatverlichting kapot", "Iets nieuws"])

    await buttons.nth(1).click()
    await expect(buttons.nth(1)).to_have_class(re.compile(r"\bis-chosen\b"))
    await expect(buttons.nth(0)).to_be_disabled()
    await expect(page.locator(".msg-in").nth(2).locator(".msg-text")).to_have_text("Iets nieuws")
    answer = page.locator(".msg-out").nth(2)
    await expect(answer, "the new case is acknowledged").to_be_visible(timeout=ACK_TIMEOUT_MS)
    second = await answer.get_attribute("data-case") or ""
    assert REFERENCE.match(second) and second != first
    await expect(answer.locator(".msg-text")).to_contain_text("Stadswerken")
    chat.assert_no_problems()
