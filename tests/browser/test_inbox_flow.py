"""The shared inbox in a real Chromium, end to end, next to the residents' chat page.

A resident writes in the web chat; the ambtenaar signs in, finds the case in the queue, picks a reply
template and sends it; the resident's chat shows the reply. The main flow once more with the keyboard only
(visible focus at every stop). Screenshots of the queue and the case page go to test-artifacts/.
Fixtures (Chromium, a listening service with its workers, the real clock) come from tests/browser/conftest.py.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest

from tests.browser.test_chat_page import ACK_TIMEOUT_MS, ARTIFACTS, CSP_LISTENER, Chat
from wijkbot.app import Wijkbot

try:
    from playwright.async_api import Browser, Page, expect
except ImportError:  # handled (skip or fail) by test_chat_page
    pytest.skip("playwright is not installed", allow_module_level=True)

pytestmark = [pytest.mark.browser]


EMAIL = "anouk.voorbeeld@example.org"
PASSWORD = "een zin als wachtwoord voor de test"
GROFVUIL = "Er ligt al dagen grofvuil naast de container in de Kanaalstraat"


@pytest.fixture
async def account(bot: Wijkbot) -> str:
    profile = await bot.inbox.people.by_email(EMAIL)
    await bot.inbox.people.ensure_accounts([profile.officer_id])
    await bot.inbox.people.set_password(profile.officer_id, PASSWORD)
    return EMAIL


@pytest.fixture
async def inbox(browser: Browser, base_url: str, account: str) -> AsyncIterator[tuple[Page, list[str]]]:
    context = await browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(5_000)
    page = await context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    await context.expose_function("__wijkbotCspViolation", lambda text: problems.append(f"CSP: {text}"))
    await context.add_init_script(CSP_LISTENER)
    try:
        yield page, problems
    finally:
        await context.close()


async def focus_state(page: Page) -> tuple[str, float, str]:
    found: list[str] = await page.evaluate("""() => {
        const a = document.activeElement, s = getComputedStyle(a);
        return [a.id || `${a.tagName} ${(a.textContent || '').trim().slice(0, 40)}`, s.outlineWidth, s.outlineStyle];
    }""")
    return found[0], float(found[1].removesuffix("px")), found[2]


async def tab_to(page: Page, selector: str, stops: list[tuple[str, float, str]], limit: int = 80) -> None:
    """Press Tab until `selector` has the focus, recording every stop on the way."""
    target = page.locator(selector)
    for _ in range(limit):
        await page.keyboard.press("Tab")
        stops.append(await focus_state(page))
        if await target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {selector}; stops: {stops[-10:]}")


async def test_resident_writes_ambtenaar_replies_with_a_template_resident_sees_it(
        chat: Chat, inbox: tuple[Page, list[str]], base_url: str) -> None:
    await chat.open()
    reference = await chat.say(GROFVUIL)

    page, problems = inbox
    await page.goto(f"{base_url}/inbox/zaken")
    await expect(page.locator("h1")).to_have_text("Inloggen")
    await page.get_by_label("E-mailadres").fill(EMAIL)
    await page.get_by_label("Wachtwoord").fill(PASSWORD)
    await page.get_by_role("button", name="Inloggen").click()
    await expect(page.locator("h1")).to_have_text("Mijn zaken")
    row = page.locator(f'tr[data-reference="{reference}"]')
    await expect(row).to_contain_text("Grofvuil en bijgeplaatst afval")
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "inbox-queue.png"), full_page=True)

    await row.get_by_role("link", name=reference).click()
    await expect(page.locator("h1")).to_contain_text(f"Zaak {reference}")
    await expect(page.locator(".msg-in .msg-text")).to_have_text(GROFVUIL)
    await page.get_by_label("Sjabloon").select_option("grofvuil-ophalen")
    await page.get_by_role("button", name="Sjabloon invoegen").click()  # the script fills the reply at once
    await expect(page.locator("#reply-text")).to_have_value(re.compile(r"^Wat wij doen:\nWe halen het afval weg"))
    await page.get_by_role("button", name="Voorbeeld bekijken").click()
    await expect(page.locator("#reply-preview .preview-part")).to_contain_text(f"Anouk Voorbeeld, Stadswerken "
                                                                              f"(nummer {reference})")
    await page.screenshot(path=str(ARTIFACTS / "inbox-case.png"), full_page=True)
    await page.get_by_role("button", name="Antwoord versturen").click()
    await expect(page.locator(".notice-ok")).to_have_text(
        "Uw antwoord gaat nu naar de bewoner. Bij het bericht hieronder ziet u of het is verstuurd.")
    await expect(page.locator(".msg-out").last).to_contain_text("Wat wij doen:")

    answer = chat.page.locator(".msg-out")
    await expect(answer).to_have_count(2, timeout=ACK_TIMEOUT_MS)
    await expect(answer.nth(1).locator(".msg-text")).to_contain_text("We halen het afval weg")
    await expect(answer.nth(1).locator(".msg-text")).to_contain_text("Anouk Voorbeeld")
    await chat.page.screenshot(path=str(ARTIFACTS / "chat-after-reply.png"), full_page=True)
    assert problems == [], problems
    chat.assert_no_problems()


async def test_main_flow_with_the_keyboard_only(chat: Chat, inbox: tuple[Page, list[str]],
                                                base_url: str) -> None:
    await chat.open()
    reference = await chat.say(GROFVUIL)
    page, problems = inbox
    stops: list[tuple[str, float, str]] = []

    await page.goto(f"{base_url}/inbox/login")
    await tab_to(page, "#email", stops)
    await page.keyboard.type(EMAIL)
    await page.keyboard.press("Tab")
    await page.keyboard.type(PASSWORD)
    await page.keyboard.press("Enter")
    await expect(page.locator("h1")).to_have_text("Mijn zaken")

    await tab_to(page, f'tr[data-reference="{reference}"] a.case-link', stops)
    await page.keyboard.press("Enter")
    await expect(page.locator("h1")).to_contain_text(reference)

    await tab_to(page, "#template", stops)
    for _ in range(10):  # step through the options until the grofvuil template is chosen
        if await page.locator("#template").input_value() == "grofvuil-ophalen":
            break
        await page.keyboard.press("ArrowDown")
    await tab_to(page, "#template-use", stops)
    await page.keyboard.press("Enter")
    await expect(page.locator("#reply-text")).to_have_value(re.compile("^Wat wij doen:"))
    await tab_to(page, "#reply-send", stops)
    await page.keyboard.press("Enter")
    await expect(page.locator(".notice-ok")).to_have_text(
        "Uw antwoord gaat nu naar de bewoner. Bij het bericht hieronder ziet u of het is verstuurd.")

    invisible = [stop for stop in stops if stop[2] == "none" or stop[1] < 2]
    assert invisible == [], f"focus not visible (outline < 2px) on: {invisible}"
    await expect(chat.page.locator(".msg-out")).to_have_count(2, timeout=ACK_TIMEOUT_MS)
    assert problems == [], problems


async def test_skip_link_is_first_and_moves_focus_to_the_content(inbox: tuple[Page, list[str]],
                                                                 base_url: str) -> None:
    page, problems = inbox
    await page.goto(f"{base_url}/inbox/login")
    await page.keyboard.press("Tab")
    await expect(page.locator(".skip-link")).to_be_focused()
    await expect(page.locator(".skip-link")).to_be_visible()
    await page.keyboard.press("Enter")
    assert await page.evaluate("location.hash") == "#main"
    assert problems == []
