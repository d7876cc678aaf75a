"""Signing in and staying safe: passwords, throttling, sessions, CSRF, cookies, password links."""

from __future__ import annotations

import re

import pytest

from tests.inbox.conftest import EMAIL, PASSWORD, Officer, signed_in
from wijkbot.app import Wijkbot
from wijkbot.testing import FrozenClock


async def test_sign_in_shows_my_queue_and_sign_out_ends_it(any_officers: dict[str, Officer]) -> None:
    officers = any_officers
    anouk = await signed_in(officers, "anouk")
    assert "Anouk Voorbeeld" in anouk.last.text and "Mijn zaken" in anouk.last.text
    await anouk.post("/inbox/logout", {})
    assert anouk.last.url.endswith("/inbox/login") and "U bent uitgelogd" in anouk.last.text
    page = await anouk.get("/inbox/zaken")
    assert page.url.endswith("/inbox/login")


async def test_signing_out_ends_a_copy_of_the_cookie_too(officers: dict[str, Officer]) -> None:
    """The cookie is the session: a copy of it (a second browser, a stolen cookie) must end with it."""
    anouk = await signed_in(officers, "anouk")
    copy = officers["copy"]
    copy.session.cookie_jar.update_cookies({"wijkbot_inbox": anouk.cookie()}, anouk.server.make_url("/inbox/"))
    assert (await copy.get("/inbox/zaken")).url.endswith("/inbox/zaken")  # the copy works, as a cookie does
    await anouk.post("/inbox/logout", {})
    assert (await copy.get("/inbox/zaken")).url.endswith("/inbox/login")
    again = await signed_in(officers, "anouk")  # signing in again starts a new session that works
    assert (await again.get("/inbox/zaken")).url.endswith("/inbox/zaken")


async def test_wrong_password_and_unknown_account_get_the_same_answer(officers: dict[str, Officer]) -> None:
    wrong = await officers["a"].login("anouk", "niet het goede wachtwoord")
    unknown = await officers["b"].login("niemand@example.org", PASSWORD)
    assert wrong.status == unknown.status == 401
    message = "Het e-mailadres of het wachtwoord klopt niet"
    assert message in wrong.text and message in unknown.text
    assert (await officers["a"].get("/inbox/zaken")).url.endswith("/inbox/login")


async def test_password_is_stored_as_argon2id(inbox_bot: Wijkbot) -> None:
    from sqlalchemy import select

    from wijkbot.storage.tables import accounts

    async with inbox_bot.db.read() as conn:
        hashes = [r[0] for r in await conn.execute(select(accounts.c.password_hash))]
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)
    assert not any(PASSWORD in h for h in hashes)


async def test_login_is_throttled_per_account(any_officers: dict[str, Officer], clock: FrozenClock) -> None:
    officers = any_officers
    attacker = officers["attacker"]
    for _ in range(5):
        assert (await attacker.login("anouk", "fout fout fout fout")).status == 401
    refused = await attacker.login("anouk")  # even the right password, while throttled
    assert refused.status == 429 and "Probeer het over 15 minuten opnieuw" in refused.text
    assert (await officers["bram"].login("bram")).status == 200  # another account is not affected
    clock.advance(minutes=16)
    assert (await officers["anouk"].login("anouk")).url.endswith("/inbox/zaken")


async def test_login_is_throttled_per_address(officers: dict[str, Officer], clock: FrozenClock) -> None:
    attacker = officers["attacker"]
    for n in range(20):  # a different account each time: the per-account limit never triggers
        assert (await attacker.login(f"gok{n}@example.org", "fout fout fout fout")).status == 401
    assert (await attacker.login("bram")).status == 429
    clock.advance(minutes=16)
    assert (await attacker.login("bram")).url.endswith("/inbox/zaken")


async def test_session_expires_after_idle_time(officers: dict[str, Officer], clock: FrozenClock) -> None:
    anouk = await signed_in(officers, "anouk")
    clock.advance(minutes=20)
    assert (await anouk.get("/inbox/zaken")).url.endswith("/inbox/zaken")  # activity restarts the idle clock
    clock.advance(minutes=25)
    assert (await anouk.get("/inbox/zaken")).url.endswith("/inbox/zaken")
    clock.advance(minutes=31)
    page = await anouk.get("/inbox/zaken")
    assert page.url.endswith("/inbox/login") and "U was een tijd niet actief" in page.text


async def test_session_ends_after_the_maximum_age_even_when_active(officers: dict[str, Officer],
                                                                   clock: FrozenClock) -> None:
    anouk = await signed_in(officers, "anouk")
    for _ in range(21):  # 10.5 hours of steady work
        clock.advance(minutes=30)
        page = await anouk.get("/inbox/zaken")
    assert page.url.endswith("/inbox/login")


async def test_disabling_an_account_ends_its_sessions(officers: dict[str, Officer], inbox_bot: Wijkbot) -> None:
    anouk = await signed_in(officers, "anouk")
    profile = await inbox_bot.inbox.people.by_email(EMAIL["anouk"])
    await inbox_bot.inbox.people.set_active(profile.officer_id, False, "test")
    assert (await anouk.get("/inbox/zaken")).url.endswith("/inbox/login")
    assert (await officers["again"].login("anouk")).status == 401


async def test_cookie_is_encrypted_httponly_strict_and_scoped(officers: dict[str, Officer]) -> None:
    anouk = officers["anouk"]
    await anouk.get("/inbox/login")
    async with anouk.session.post(anouk.server.make_url("/inbox/login"), allow_redirects=False, data={
            "csrf": anouk.last.field("csrf"), "email": EMAIL["anouk"], "password": PASSWORD}) as response:
        assert response.status == 303
        header = next(h for h in response.headers.getall("Set-Cookie") if h.startswith("wijkbot_inbox="))
    assert "HttpOnly" in header and "SameSite=Strict" in header and "Path=/inbox" in header
    assert "Max-Age=" in header
    value = anouk.cookie()
    assert "officer" not in value and "csrf" not in value  # Fernet: not readable without the key


async def test_cookie_is_secure_behind_https(inbox_bot: Wijkbot) -> None:
    from aiohttp.test_utils import make_mocked_request
    from aiohttp_session import Session

    from wijkbot.web.inbox.session import InboxCookieStorage

    storage = InboxCookieStorage(inbox_bot.inbox_config)
    from aiohttp import web

    for scheme, secure in (("https", True), ("http", False)):
        request = make_mocked_request("GET", "/inbox/zaken", headers={"X-Forwarded-Proto": scheme})
        request = request.clone(scheme=scheme)
        response = web.Response()
        session = Session(None, data=None, new=True)
        session["x"] = 1
        await storage.save_session(request, response, session)
        assert bool(response.cookies["wijkbot_inbox"]["secure"]) is secure


async def test_every_post_needs_the_csrf_token(officers: dict[str, Officer], inbox_bot: Wijkbot, channel) -> None:
    from tests.inbox.conftest import AFVAL, new_case

    resident = await new_case(inbox_bot, channel, AFVAL)
    anonymous = officers["anonymous"]
    page = await anonymous.post("/inbox/login", {"email": EMAIL["anouk"], "password": PASSWORD}, csrf=False)
    assert page.status == 403 and "formulier is verlopen" in page.text
    anouk = await signed_in(officers, "anouk")
    case = await anouk.get(f"/inbox/zaak/{resident.reference}")
    forged = {"version": case.field("version"), "reply": "Vervalst antwoord"}
    assert (await anouk.post(f"/inbox/zaak/{resident.reference}/antwoord", forged, csrf=False)).status == 403
    wrong = await anouk.post(f"/inbox/zaak/{resident.reference}/antwoord", forged | {"csrf": "x" * 43})
    assert wrong.status == 403
    assert await resident.received() == []


async def test_csrf_token_changes_on_sign_in(officers: dict[str, Officer]) -> None:
    anouk = officers["anouk"]
    before = (await anouk.get("/inbox/login")).field("csrf")
    await anouk.post("/inbox/login", {"email": EMAIL["anouk"], "password": PASSWORD})
    assert anouk.last.field("csrf") != before


async def test_set_password_link_works_once_and_expires(officers: dict[str, Officer], inbox_bot: Wijkbot,
                                                        clock: FrozenClock) -> None:
    profile = await inbox_bot.inbox.people.by_email(EMAIL["ilse"])
    token = await inbox_bot.inbox.people.password_link(profile.officer_id)
    ilse = officers["ilse"]
    form = await ilse.get(f"/inbox/wachtwoord/{token}")
    assert form.status == 200 and "Ilse van Proefhoven" in form.text
    short = await ilse.post(f"/inbox/wachtwoord/{token}", {"password": "kort", "password_again": "kort"})
    assert short.status == 400 and "minstens 12 tekens" in short.text
    done = await ilse.post(f"/inbox/wachtwoord/{token}", {"password": "mijn nieuwe wachtzin", "password_again":
                                                          "mijn nieuwe wachtzin"})
    assert done.url.endswith("/inbox/login") and "Uw wachtwoord is opgeslagen" in done.text
    assert (await ilse.get(f"/inbox/wachtwoord/{token}")).status == 404  # used
    assert (await ilse.login("ilse", "mijn nieuwe wachtzin")).url.endswith("/inbox/zaken")
    assert (await officers["old"].login("ilse")).status == 401  # the old password is gone

    later = await inbox_bot.inbox.people.password_link(profile.officer_id)
    clock.advance(hours=73)
    assert (await officers["late"].get(f"/inbox/wachtwoord/{later}")).status == 404


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/elders", "/inbox\\@evil"])
async def test_language_switch_never_redirects_away(officers: dict[str, Officer], target: str) -> None:
    anouk = await signed_in(officers, "anouk")
    page = await anouk.post("/inbox/taal", {"lang": "en", "next": target})
    assert page.url.endswith("/inbox/zaken")
    assert "My cases" in page.text and re.search(r'<html lang="en"', page.html)


async def test_an_empty_field_is_named_and_marked(officers: dict[str, Officer]) -> None:
    """WCAG 3.3.1/3.3.3: an empty sign-in says which field is empty, and that field is invalid and described."""
    page = await officers["a"].post("/inbox/login", {"email": EMAIL["anouk"], "password": ""})
    assert page.status == 400 and "Vul uw wachtwoord in" in page.text and "klopt niet" not in page.text
    password = re.search(r'<input id="password"[^>]*>', page.html).group(0)
    email = re.search(r'<input id="email"[^>]*>', page.html).group(0)
    assert 'aria-invalid="true"' in password and 'aria-describedby="password-error"' in password
    assert 'aria-invalid' not in email and 'value="anouk.voorbeeld@example.org"' in email
    both = await officers["b"].post("/inbox/login", {"email": " ", "password": ""})
    assert "Vul uw e-mailadres in" in both.text and "Vul uw wachtwoord in" in both.text
    assert both.html.count('aria-invalid="true"') == 2 and both.html.count('role="alert"') == 1


async def test_a_wrong_pair_marks_both_fields(officers: dict[str, Officer]) -> None:
    page = await officers["a"].login("anouk", "niet het goede wachtwoord")
    assert page.status == 401
    for field in ("email", "password"):
        element = re.search(rf'<input id="{field}"[^>]*>', page.html).group(0)
        assert 'aria-invalid="true"' in element and 'aria-describedby="login-error"' in element
    assert re.search(r'id="login-error"[^>]*tabindex="-1"', page.html)  # inbox.js focuses it on load
