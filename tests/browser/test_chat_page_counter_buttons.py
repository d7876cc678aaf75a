"""Trial findings on the chat page, in a real Chromium (fixtures: tests/browser/test_chat_page.py).

The counter promised "100000 van 5000 tekens" in red while the server keeps a long message whole: the page now
only counts, calmly, and says a long message is kept whole. Enter on an empty field gives a hint in the status
line (aria-live). After a reload the buttons of an answered question were usable again: only the newest
municipality message's buttons are, and only until the resident wrote after it.
"""

from __future__ import annotations

import re

from playwright.async_api import Request, expect
from sqlalchemy import select

from tests.browser.test_chat_page import ACK_TIMEOUT_MS, GROFVUIL, Chat
from tests.followup.test_never_silent import officer_of
from wijkbot.app import Wijkbot
from wijkbot.storage.tables import messages


async def test_a_long_message_shows_a_calm_count_and_is_kept_whole(chat: Chat, bot: Wijkbot) -> None:
    page = chat.page
    await chat.open()
    counter = page.locator("#chat-counter")
    await expect(counter).to_be_hidden()
    long_text = "Er ligt grofvuil in de Kanaalstraat. " + "x" * (100_000 - 37)
    assert len(long_text) == 100_000
    await page.locator("#chat-input").fill(long_text)
    await expect(counter).to_be_visible()
    await expect(counter).to_have_text("100.000 tekens. Ook een lang bericht bewaren we helemaal.")
    await expect(counter).not_to_have_class(re.compile(r"counter-over"))
    assert await counter.evaluate("e => getComputedStyle(e).color") == "rgb(77, 77, 77)"  # muted, not red

    await page.locator("#chat-input").press("Enter")
    await expect(page.locator(".msg-in")).to_have_count(1)
    await expect(page.locator("#chat-input")).to_have_value("")
    await expect(counter).to_be_hidden()
    await expect(page.locator(".msg-out")).to_have_count(1, timeout=ACK_TIMEOUT_MS)
    async with bot.db.read() as conn:
        bodies = (await conn.execute(select(messages.c.body).where(messages.c.direction == "in"))).scalars().all()
    assert [len(b) for b in bodies] == [100_000]
    chat.assert_no_problems()


async def test_the_english_counter_counts_too(chat: Chat) -> None:
    await chat.open("?lang=en")
    await chat.page.locator("#chat-input").fill("y" * 4_500)
    await expect(chat.page.locator("#chat-counter")).to_have_text(
        "4,500 characters. We keep a long message whole, too.")


async def test_enter_on_an_empty_field_says_to_type_first(chat: Chat) -> None:
    page = chat.page
    posts: list[str] = []

    def on_request(request: Request) -> None:
        if request.method == "POST" and "/api/webchat/messages" in request.url:
            posts.append(request.url)

    page.on("request", on_request)
    await chat.open()
    status = page.locator("#chat-status")
    await expect(status).to_have_attribute("aria-live", "polite")
    textarea = page.locator("#chat-input")
    await textarea.focus()
    await textarea.press("Enter")
    await expect(status).to_have_text("Typ eerst uw bericht.")
    await expect(status).not_to_have_class(re.compile(r"status-error"))  # a hint, not an error
    await expect(textarea).to_be_focused()

    await textarea.fill("   ")
    await page.locator("#chat-send").click()  # the button, with only spaces: the same hint
    await expect(status).to_have_text("Typ eerst uw bericht.")
    await expect(textarea).to_be_focused()
    assert posts == []

    await textarea.press_sequentially("Kapotte")  # typing takes the hint away
    await expect(status).to_have_text("")
    await expect(page.locator(".msg-in")).to_have_count(0)
    chat.assert_no_problems()


async def test_enter_on_an_empty_field_on_the_english_page(chat: Chat) -> None:
    await chat.open("?lang=en")
    await chat.page.locator("#chat-input").press("Enter")
    await expect(chat.page.locator("#chat-status")).to_have_text("Please type your message first.")


async def test_answered_survey_buttons_stay_disabled_after_a_reload(chat: Chat, bot: Wijkbot) -> None:
    page = chat.page
    await chat.open()
    reference = await chat.say(GROFVUIL)
    await bot.actions.close(reference, await officer_of(bot, reference), "Opgehaald.")

    outbound = page.locator(".msg-out")
    survey = outbound.filter(has_text="tevreden")
    await expect(survey).to_have_count(1, timeout=ACK_TIMEOUT_MS)
    scores = survey.locator(".msg-actions button")
    await expect(scores).to_have_text(["1", "2", "3", "4", "5"])
    for n in range(5):
        await expect(scores.nth(n)).to_be_enabled()
    await scores.nth(3).click()
    await expect(scores.nth(3)).to_have_class(re.compile(r"\bis-chosen\b"))
    solved = outbound.filter(has=page.get_by_role("button", name="Nee"))  # "Is het opgelost?"
    await expect(solved).to_have_count(1, timeout=ACK_TIMEOUT_MS)
    await expect(solved.locator(".msg-actions button")).to_have_text(["Ja", "Nee"])

    await page.reload()
    await expect(solved).to_have_count(1, timeout=ACK_TIMEOUT_MS)
    for n in range(5):  # answered: spent, with the resident's own answer marked
        await expect(scores.nth(n)).to_be_disabled()
    await expect(scores.nth(3)).to_have_class(re.compile(r"\bis-chosen\b"))
    await expect(page.locator(".msg-actions .is-chosen")).to_have_count(1)
    yes_no = solved.locator(".msg-actions button")
    await expect(yes_no.nth(0)).to_be_enabled()  # the newest question, not answered yet
    await expect(yes_no.nth(1)).to_be_enabled()

    await yes_no.nth(0).click()
    await expect(outbound).to_have_count(5, timeout=ACK_TIMEOUT_MS)  # ack, outcome, survey, solved?, thanks
    await page.reload()
    await expect(outbound).to_have_count(5, timeout=ACK_TIMEOUT_MS)
    await expect(page.locator(".msg-actions button")).to_have_count(7)
    for n in range(7):
        await expect(page.locator(".msg-actions button").nth(n)).to_be_disabled()
    await expect(yes_no.nth(0)).to_have_class(re.compile(r"\bis-chosen\b"))
    chat.assert_no_problems()


async def test_a_question_the_resident_wrote_past_is_disabled_after_a_reload(chat: Chat, bot: Wijkbot) -> None:
    page = chat.page
    await chat.open()
    reference = await chat.say(GROFVUIL)
    await bot.actions.close(reference, await officer_of(bot, reference), "Opgehaald.")
    scores = page.locator(".msg-out", has_text="tevreden").locator(".msg-actions button")
    await expect(scores).to_have_count(5, timeout=ACK_TIMEOUT_MS)

    await page.reload()  # not answered yet: still usable after a reload
    await expect(scores).to_have_count(5, timeout=ACK_TIMEOUT_MS)
    await expect(scores.nth(0)).to_be_enabled()

    before = await page.locator(".msg-out").count()
    await page.locator("#chat-input").fill("Het is weer netjes, dank u")  # typed instead of pressing a button
    await page.locator("#chat-input").press("Enter")
    await expect(page.locator(".msg-out")).to_have_count(before + 1, timeout=ACK_TIMEOUT_MS)
    await page.reload()
    await expect(page.locator(".msg-out")).to_have_count(before + 1, timeout=ACK_TIMEOUT_MS)
    for n in range(5):
        await expect(scores.nth(n)).to_be_disabled()
    await expect(page.locator(".msg-actions .is-chosen")).to_have_count(0)  # no button was pressed
    chat.assert_no_problems()
