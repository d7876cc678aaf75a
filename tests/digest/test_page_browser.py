"""The digest page in a real Chromium, served by the running service: it renders under its own strict CSP
(no script, one hashed style block), the chart has a text alternative and its numbers in a table, every figure
is a link into the inbox, and it is screenshotted to test-artifacts/digest.png.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from tests.digest.conftest import REGISSEUR, seed_week
from wijkbot.app import Wijkbot
from wijkbot.testing import FrozenClock

try:
    from playwright.async_api import async_playwright, expect
except ImportError:  # an old venv; `make venv` installs the dev extra, which has playwright
    if os.environ.get("CI"):
        raise
    pytest.skip("playwright is not installed (pip install -e '.[dev]')", allow_module_level=True)

from tests.support.browser import ARTIFACTS, CHROMIUM_ARGS

pytestmark = [pytest.mark.browser]
CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (e) => {
  window.__digestCsp(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
}, true);
"""


PASSWORD = "een zin als wachtwoord voor de test"

@pytest.fixture
def chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: scripts/install-test-deps.sh should have installed it")
        pytest.skip("chromium not installed (run scripts/install-test-deps.sh as root)")
    return path


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'wijkbot.db'}"


@pytest.fixture
async def base_url(digest_bot: Wijkbot, clock: FrozenClock) -> AsyncIterator[str]:
    await seed_week(digest_bot, clock)
    profile = await digest_bot.inbox.people.by_email(REGISSEUR)  # the digest lives in the inbox: log in first
    await digest_bot.inbox.people.ensure_accounts([profile.officer_id])
    await digest_bot.inbox.people.set_password(profile.officer_id, PASSWORD)
    runner = web.AppRunner(digest_bot.web_app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


async def test_the_digest_page_in_chromium(chromium: str, base_url: str) -> None:
    problems: list[str] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        context = await browser.new_context(locale="nl-NL", viewport={"width": 1000, "height": 900})
        context.set_default_timeout(5_000)
        await context.expose_function("__digestCsp", lambda text: problems.append(f"CSP: {text}"))
        await context.add_init_script(CSP_LISTENER)
        page = await context.new_page()
        page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        try:
            await page.goto(f"{base_url}/inbox/digest/overvecht/2026-W15")
            await expect(page.locator("h1")).to_have_text("Inloggen")  # nobody reads it without logging in
            await page.get_by_label("E-mailadres").fill(REGISSEUR)
            await page.get_by_label("Wachtwoord").fill(PASSWORD)
            await page.keyboard.press("Enter")
            await expect(page.locator("h1")).not_to_have_text("Inloggen")
            response = await page.goto(f"{base_url}/inbox/digest/overvecht/2026-W15")
            assert response is not None and response.status == 200
            await expect(page.locator("h1")).to_have_text("Weekoverzicht Overvecht: week 15 van 2026")
            await expect(page.locator("h2")).to_have_text(["Wat kwam er binnen", "Brandpunten", "Wat ligt stil",
                                                           "Hoe zijn bewoners geholpen", "Initiatieven"])
            # the style block applied (CSP allows it by hash): tiles are laid out as tiles
            tile = page.locator(".tile").first
            assert await tile.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(238, 242, 248)"
            chart = page.locator("svg.chart")
            await expect(chart).to_be_visible()
            await expect(chart).to_have_attribute("role", "img")
            await expect(chart.locator("title")).to_have_text("Nieuwe zaken per week, laatste 12 weken")
            await expect(chart.locator("desc")).to_contain_text("2026-W15: 8")
            await expect(page.locator("table.data caption", has_text="De cijfers van de grafiek")).to_be_visible()
            await expect(page.locator(".tile-value").first).to_have_text("8")
            overdue = page.locator(".tile a").nth(2)
            assert await overdue.get_attribute("href") == "/inbox/zaken?queue=all&wijk=Overvecht&overdue=2026-W15"
            await expect(page.locator("blockquote")).to_have_count(2)
            assert await page.locator("script").count() == 0
            ARTIFACTS.mkdir(exist_ok=True)
            await page.screenshot(path=str(ARTIFACTS / "digest.png"), full_page=True)
            # the repeated headers of the speed table are named by their group ("Eerste antwoorden, Mediaan")
            speed = page.locator("table.data", has=page.locator("caption", has_text="Snelheid"))
            await expect(speed.locator("th[scope=colgroup]")).to_have_text(["Eerste antwoorden", "Afgehandeld"])
            # everything the page shows is inside a landmark: the tiles too (an audit found them between two)
            assert await page.locator("main .tile").count() == await page.locator(".tile").count() > 0
            # a phone of 320 px: the page never scrolls sideways, a wide table scrolls in its own box
            await page.set_viewport_size({"width": 320, "height": 740})
            assert await page.evaluate("document.documentElement.scrollWidth") <= 320
            box = speed.locator("xpath=..")
            await expect(box).to_have_attribute("role", "region")
            assert await box.evaluate("e => e.scrollWidth > e.clientWidth")  # it scrolls, and can be reached
            assert await box.get_attribute("tabindex") == "0"
            await page.set_viewport_size({"width": 1000, "height": 900})

            # the figure's link opens the inbox with exactly those cases, the filter shown and removable
            await overdue.click()
            await expect(page.locator("#result-count")).to_have_text("Aantal zaken: 5")
            await expect(page.locator("table.cases tbody tr")).to_have_count(5)
            chip = page.locator("#active-filters li")
            await expect(chip).to_have_count(2)
            await expect(chip.nth(1)).to_contain_text("Over de termijn aan het eind van: week 15 van 2026")
            await page.screenshot(path=str(ARTIFACTS / "inbox-filters.png"), full_page=True)
            remove = page.get_by_role("button", name="Filter weghalen: Over de termijn aan het eind van: week 15")
            await remove.focus()
            await page.keyboard.press("Enter")  # the keyboard alone removes a filter
            await expect(page.locator("#active-filters li")).to_have_count(1)
            await expect(page.locator("#active-filters")).to_contain_text("Wijk: Overvecht")
            await expect(page.locator("#result-count")).not_to_have_text("Aantal zaken: 5")  # every Overvecht case

            archive = await page.goto(f"{base_url}/inbox/digest/Overvecht")
            assert archive is not None and archive.status == 200
            await expect(page.locator("h1")).to_have_text("Weekoverzichten van Overvecht")
            await page.get_by_role("link", name=re.compile(r"^Deze week tot nu toe")).click()
            await expect(page.locator("h1")).to_contain_text(", tot nu toe")  # the running week says so
            await expect(page.locator("body")).to_contain_text("De week is nog niet voorbij")
            assert problems == [], problems
            future = await page.goto(f"{base_url}/inbox/digest/Overvecht/2030-W10")
            assert future is not None and future.status == 404
            await expect(page.locator("body")).to_contain_text("week 2030-W10 is nog niet begonnen")
            unknown = await page.goto(f"{base_url}/inbox/digest/Atlantis/2026-W15")
            assert unknown is not None and unknown.status == 404
            await expect(page.locator("body")).to_contain_text("bekende wijken: West, Noordwest, Overvecht")
            # an inbox page with the way back, not a bare text (a trial's mistyped address)
            await expect(page.locator("h1")).to_have_text("Deze pagina is niet gevonden")
            await expect(page.get_by_role("link", name=re.compile("zaken", re.IGNORECASE)).first).to_be_visible()
            malformed = await page.goto(f"{base_url}/inbox/digest/Overvecht/2026-47")
            assert malformed is not None and malformed.status == 400
        finally:
            await context.close()
            await browser.close()
