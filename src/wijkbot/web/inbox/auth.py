"""Signing in and out, the language switch, and setting a password through a one-time link.

Invariants: a failed sign-in says only "e-mail or password is wrong" (never which; an empty field is named,
it gives nothing away), a throttled one says
when to try again (429); signing in starts a fresh session; a set-password link is checked before its
form is shown and used once; `next` targets are local /inbox paths only (no open redirect).
"""

from __future__ import annotations

from aiohttp import web
from aiohttp_session import get_session

from wijkbot.i18n import SUPPORTED
from wijkbot.services.passwords import PasswordProblem
from wijkbot.services.people import PeopleError
from wijkbot.web.inbox.context import PERSON, services
from wijkbot.web.inbox.render import flash, render, text
from wijkbot.web.inbox.session import end_session, start_session


def local_target(value: object, default: str = "/inbox/zaken") -> str:
    """Only a path inside the inbox: never another site, never a scheme-relative URL."""
    if isinstance(value, str) and value.startswith("/inbox/") and not value.startswith("//") and "\\" not in value:
        return value
    return default


async def login_page(request: web.Request) -> web.Response:
    if request.get(PERSON) is not None:
        raise web.HTTPSeeOther("/inbox/zaken")
    return await render(request, "login.html", {"email": "", "error": None, "invalid": (), "missing": {}})


async def login(request: web.Request) -> web.Response:
    form = await request.post()
    email, password = str(form.get("email", ""))[:320], str(form.get("password", ""))[:1024]
    # an empty field is named (WCAG 3.3.3), not "wrong": nothing was tried, so nothing counts towards throttling
    empty = (("email", email.strip(), "inbox.login.email_missing"),
             ("password", password, "inbox.login.password_missing"))
    missing = {field: await text(request, key) for field, value, key in empty if not value}
    if missing:
        return await render(request, "login.html", {"email": email, "error": None, "invalid": tuple(missing),
                                                    "missing": missing}, status=400)
    inbox = services(request)
    result = await inbox.login.sign_in(email, password, request.remote or "-")
    if result.retry_after is not None:
        minutes = max(1, -(-result.retry_after // 60))
        message = await text(request, "inbox.login.throttled", minutes=minutes)
        response = await render(request, "login.html", {"email": email, "error": message, "invalid": (),
                                                         "missing": {}}, status=429)
        response.headers["Retry-After"] = str(result.retry_after)
        return response
    if result.person is None:  # which of the two is wrong is not said, so both are marked
        message = await text(request, "inbox.login.failed")
        return await render(request, "login.html", {"email": email, "error": message,
                                                    "invalid": ("email", "password"), "missing": {}}, status=401)
    session = await get_session(request)
    start_session(session, result.person.officer_id, result.epoch, inbox.clock().timestamp())
    raise web.HTTPSeeOther("/inbox/zaken")


async def logout(request: web.Request) -> web.Response:
    session = await get_session(request)
    officer, epoch = session.get("officer"), session.get("epoch")
    if isinstance(officer, int) and isinstance(epoch, int):
        await services(request).login.sign_out(officer, epoch)
    end_session(session, flash="inbox.login.logged_out")
    raise web.HTTPSeeOther("/inbox/login")


async def switch_language(request: web.Request) -> web.Response:
    form = await request.post()
    lang = str(form.get("lang", ""))
    session = await get_session(request)
    if lang in SUPPORTED:
        session["lang"] = lang
    raise web.HTTPSeeOther(local_target(form.get("next"), "/inbox/zaken"))


async def password_page(request: web.Request) -> web.Response:
    owner = await services(request).people.link_owner(request.match_info["token"])
    if owner is None:
        message = await text(request, "inbox.password.invalid_link")
        return await render(request, "password.html", {"owner": None, "error": message}, status=404)
    return await render(request, "password.html", {"owner": owner, "error": None})


async def set_password(request: web.Request) -> web.Response:
    inbox = services(request)
    token = request.match_info["token"]
    owner = await inbox.people.link_owner(token)
    if owner is None:
        message = await text(request, "inbox.password.invalid_link")
        return await render(request, "password.html", {"owner": None, "error": message}, status=404)
    form = await request.post()
    password, again = str(form.get("password", "")), str(form.get("password_again", ""))
    if password != again:
        message = await text(request, "inbox.password.mismatch")
        return await render(request, "password.html", {"owner": owner, "error": message}, status=400)
    try:
        await inbox.people.set_password_with_link(token, password)
    except (PasswordProblem, PeopleError) as error:
        return await render(request, "password.html", {"owner": owner, "error": str(error)}, status=400)
    session = await get_session(request)
    end_session(session)
    flash(session, "inbox.password.done")
    raise web.HTTPSeeOther("/inbox/login")
