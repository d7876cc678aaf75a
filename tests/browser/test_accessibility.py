"""WCAG 2.1 AA findings of the audit, checked the way a keyboard or screen-reader user meets them, in Chromium.

Each test asserts what such a user notices: where the focus lands, what a field is announced with (its
accessible description, aria-invalid), what a live region says, and whether a phone-sized page scrolls
sideways or hides the field being typed in. Fixtures: tests/browser/conftest.py (service, Chromium) and
test_inbox_flow.py (an ambtenaar's account and tab).
"""

from __future__ import annotations

import re

import pytest

from tests.browser.test_chat_page import Chat
from tests.browser.test_inbox_flow import EMAIL, GROFVUIL, PASSWORD, account, inbox  # noqa: F401
from wijkbot.app import Wijkbot

try:
    from playwright.async_api import Page, expect
except ImportError:  # handled (skip or fail) by test_chat_page
    pytest.skip("playwright is not installed", allow_module_level=True)

pytestmark = [pytest.mark.browser]

COLLEAGUE = "bram.deproef@example.org"  # teamleider of Anouk's team (deploy/demo/utrecht_officers.yaml)


def real(problems: list[str]) -> list[str]:
    """Console errors, page errors and CSP violations, without Chromium's note on a refused form's 4xx status."""
    return [p for p in problems if "Failed to load resource" not in p]


async def sign_in(page: Page, base_url: str) -> None:
    await page.goto(f"{base_url}/inbox/login")
    await page.locator("#email").fill(EMAIL)
    await page.locator("#password").fill(PASSWORD)
    await page.locator("#login-submit").click()
    await expect(page.locator("h1")).to_have_text("Mijn zaken")


async def open_case(chat: Chat, page: Page, base_url: str) -> str:
    await chat.open()
    reference = await chat.say(GROFVUIL)
    await sign_in(page, base_url)
    await page.goto(f"{base_url}/inbox/zaak/{reference}")
    return reference


async def test_a_case_form_error_leads_to_the_field_and_describes_it(
        chat: Chat, inbox: tuple[Page, list[str]], base_url: str) -> None:  # noqa: F811
    page, problems = inbox
    await open_case(chat, page, base_url)
    await page.locator("#form-overdragen summary").click()
    await page.locator("#handover-target").select_option("dept:vth")
    await page.locator("#form-overdragen button[type=submit]").click()

    summary = page.locator("#error-summary")
    await expect(summary).to_be_focused()  # read first
    await page.keyboard.press("Tab")
    await expect(summary.get_by_role("link")).to_be_focused()
    await page.keyboard.press("Enter")
    reason = page.locator("#handover-reason")
    await expect(reason).to_be_focused()  # the link lands on the field, not on the section around it
    await expect(reason).to_have_attribute("aria-invalid", "true")
    await expect(reason).to_have_accessible_description(re.compile("geef een reden", re.I))
    await expect(page.locator("#handover-target")).to_have_value("dept:vth")  # the choice is kept
    await expect(page.locator("[role=alert]")).to_have_count(1)
    assert real(problems) == [], problems


async def test_a_failed_sign_in_is_read_first_and_names_the_empty_field(
        inbox: tuple[Page, list[str]], base_url: str) -> None:  # noqa: F811
    page, problems = inbox
    await page.goto(f"{base_url}/inbox/login")
    await page.locator("#email").fill(EMAIL)
    await page.locator("#login-submit").click()
    await expect(page.locator("#login-error")).to_be_focused()
    await expect(page.locator("#login-error")).to_contain_text("Vul uw wachtwoord in")
    await expect(page.locator("#password")).to_have_attribute("aria-invalid", "true")
    await expect(page.locator("#password")).to_have_accessible_description("Vul uw wachtwoord in.")
    await expect(page.locator("#email")).not_to_have_attribute("aria-invalid", "true")

    await page.locator("#password").fill("niet het goede wachtwoord")
    await page.locator("#login-submit").click()
    await expect(page.locator("#login-error")).to_be_focused()
    await expect(page.locator("#login-error")).to_contain_text("klopt niet")
    for field in ("#email", "#password"):
        await expect(page.locator(field)).to_have_attribute("aria-invalid", "true")
        await expect(page.locator(field)).to_have_accessible_description(re.compile("klopt niet"))
    assert real(problems) == [], problems


async def test_arrow_keys_on_the_template_list_do_not_replace_the_reply(
        chat: Chat, inbox: tuple[Page, list[str]], base_url: str) -> None:  # noqa: F811
    page, problems = inbox
    await open_case(chat, page, base_url)
    dialogs: list[str] = []

    async def dismiss(dialog) -> None:  # type: ignore[no-untyped-def]
        dialogs.append(dialog.message)
        await dialog.dismiss()

    page.on("dialog", dismiss)
    await page.locator("#reply-text").fill("Mijn eigen tekst")
    await page.locator("#template").focus()
    for _ in range(3):  # WCAG 3.2.2: moving through the closed list changes nothing else
        await page.keyboard.press("ArrowDown")
    await expect(page.locator("#reply-text")).to_have_value("Mijn eigen tekst")
    assert dialogs == []

    await page.locator("#template").select_option("grofvuil-ophalen")
    insert = page.get_by_role("button", name="Sjabloon invoegen")
    await insert.click()  # the box has text: asked first, and "Annuleren" keeps it
    await expect(page.locator("#reply-text")).to_have_value("Mijn eigen tekst")
    assert len(dialogs) == 1
    await page.locator("#reply-text").fill("")
    await insert.click()
    await expect(page.locator("#reply-text")).to_have_value(re.compile("^Wat wij doen:"))
    await expect(page.locator("#reply-text")).to_be_focused()
    assert len(dialogs) == 1 and real(problems) == [], problems


async def sideways(page: Page) -> int:
    """How far the page itself scrolls sideways (0: it reflows into the viewport)."""
    width: int = await page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    return width


async def too_wide(page: Page) -> list[str]:
    """The elements that stick out or overflow (for the failure message)."""
    found: list[str] = await page.evaluate("""() => {
        const edge = document.documentElement.clientWidth + 1;
        return [...document.querySelectorAll('body *')]
            .filter((e) => e.getBoundingClientRect().right > edge || e.scrollWidth > e.clientWidth + 1)
            .map((e) => `${e.tagName}#${e.id}.${e.className}`).slice(0, 12);
    }""")
    return found


async def test_case_page_and_filters_reflow_at_200_percent_text_on_a_phone(
        chat: Chat, inbox: tuple[Page, list[str]], base_url: str) -> None:  # noqa: F811
    page, problems = inbox
    reference = await open_case(chat, page, base_url)
    await page.set_viewport_size({"width": 360, "height": 740})
    # 200% text: what a browser's text-size setting does to a rem-based layout (CSSOM, allowed by the CSP)
    grow = "document.documentElement.style.fontSize = '200%'"
    await page.evaluate(grow)
    await expect(page.locator("h1")).to_contain_text(reference)
    assert await sideways(page) == 0, f"case page (.facts) scrolls sideways: {await too_wide(page)}"
    await page.goto(f"{base_url}/inbox/zaken")
    await page.evaluate(grow)
    await page.locator("#filters summary").click()
    await expect(page.locator(".filter-grid")).to_be_visible()
    assert await sideways(page) == 0, f"filters (.filter-grid) scroll sideways: {await too_wide(page)}"
    assert real(problems) == [], problems


async def test_the_presence_notice_is_only_rewritten_when_someone_comes_or_goes(
        chat: Chat, inbox: tuple[Page, list[str]], base_url: str, bot: Wijkbot) -> None:  # noqa: F811
    page, problems = inbox
    bram = await bot.inbox.people.by_email(COLLEAGUE)  # teamleider of the same team: may open the case
    await bot.inbox.people.ensure_accounts([bram.officer_id])
    await bot.inbox.people.set_password(bram.officer_id, PASSWORD)
    await page.clock.install()  # the page refreshes every 20 s: run its timers on a clock we move
    reference = await open_case(chat, page, base_url)
    presence = page.locator("#presence")
    await expect(presence).to_have_text("")
    await page.evaluate("""() => {
        window.__presenceChanges = 0;
        new MutationObserver((changes) => { window.__presenceChanges += changes.length; })
            .observe(document.getElementById('presence'), {childList: true, subtree: true, characterData: true});
    }""")
    other = await page.context.browser.new_context(locale="nl-NL")  # type: ignore[union-attr]
    try:
        colleague = await other.new_page()
        await colleague.goto(f"{base_url}/inbox/login")
        await colleague.locator("#email").fill(COLLEAGUE)
        await colleague.locator("#password").fill(PASSWORD)
        await colleague.locator("#login-submit").click()
        await colleague.goto(f"{base_url}/inbox/zaak/{reference}")

        async def refresh() -> None:
            async with page.expect_response(lambda r: r.url.endswith("/aanwezig")):
                await page.clock.fast_forward(20_000)
            await page.wait_for_timeout(300)

        await refresh()
        await expect(presence).to_contain_text("Bram de Proef bekijkt deze zaak ook")
        said = await presence.text_content()
        changes = await page.evaluate("window.__presenceChanges")
        assert changes > 0
        for _ in range(3):  # nobody came or went: the live region is left alone (nothing is read again)
            await refresh()
        assert await presence.text_content() == said
        assert await page.evaluate("window.__presenceChanges") == changes
    finally:
        await other.close()
    assert real(problems) == [], problems


async def test_the_chat_input_stays_on_a_phone_screen_and_an_empty_send_marks_it(chat: Chat) -> None:
    page = chat.page
    await page.set_viewport_size({"width": 360, "height": 740})
    await chat.open()
    field = page.locator("#chat-input")
    await field.press("Enter")  # nothing typed: the field says why nothing was sent
    await expect(field).to_have_attribute("aria-invalid", "true")
    hint = await page.locator("#chat-status").text_content() or ""
    assert hint.strip()
    await expect(field).to_have_accessible_description(re.compile(re.escape(hint.strip())))
    await field.fill("x")
    await expect(field).not_to_have_attribute("aria-invalid", "true")

    await chat.say(GROFVUIL)
    for n in range(3):  # each message (and an answer, if one comes) grows the log
        await field.fill(f"Nog een foto van de stapel, nummer {n + 1}")
        await field.press("Enter")
        await expect(page.locator(".msg-in")).to_have_count(n + 2)
        await page.wait_for_timeout(500)
        box = await field.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 740, box  # still on screen
    chat.assert_no_problems()


async def chromium_roles(page: Page, role: str) -> list[str]:
    """The names of the nodes with `role` in Chromium's own accessibility tree (what a screen reader gets)."""
    cdp = await page.context.new_cdp_session(page)
    tree = await cdp.send("Accessibility.getFullAXTree")
    await cdp.detach()
    return [str(n.get("name", {}).get("value", "")) for n in tree["nodes"]
            if not n.get("ignored") and n.get("role", {}).get("value") == role]


async def test_the_case_list_keeps_its_column_headers_on_a_phone(
        chat: Chat, inbox: tuple[Page, list[str]], base_url: str) -> None:  # noqa: F811
    page, problems = inbox
    await chat.open()
    reference = await chat.say(GROFVUIL)
    await page.set_viewport_size({"width": 360, "height": 740})
    await sign_in(page, base_url)
    await expect(page.locator(f'tr[data-reference="{reference}"]')).to_be_visible()
    headers = await chromium_roles(page, "columnheader")
    assert headers[:5] == ["Zaak", "Onderwerp", "Waar", "Status", "Termijn"], headers
    assert any(reference in cell for cell in await chromium_roles(page, "cell"))  # still a table, not a list
    box = await page.locator(".cases thead").bounding_box()
    assert box is not None and box["width"] <= 1 and box["height"] <= 1  # out of sight on a phone
    assert await sideways(page) == 0, await too_wide(page)
    assert real(problems) == [], problems
