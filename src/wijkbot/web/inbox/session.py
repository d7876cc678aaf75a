"""Inbox sessions: encrypted cookies, idle and absolute expiry on the injected clock, CSRF tokens.

Invariants: the cookie is encrypted and authenticated (Fernet via aiohttp-session), HttpOnly,
SameSite=Strict, limited to /inbox, and Secure when the request came over https (or always, by setting);
a session ends after `idle` without requests or `max_age` after sign-in, and when the account is disabled
or its password changes (session epoch); every POST must carry the session's CSRF token (form field `csrf`
or header X-CSRF-Token), compared in constant time; signing in starts a fresh session with a new token.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from aiohttp import web
from aiohttp_session import Session, get_session, session_middleware
from aiohttp_session.cookie_storage import EncryptedCookieStorage

from wijkbot.domain.access import Person
from wijkbot.web.inbox.context import PERSON, InboxConfig, config, services

COOKIE = "wijkbot_inbox"
PUBLIC = ("/inbox/login", "/inbox/wachtwoord/", "/inbox/taal")
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
TOUCH_EVERY = 60  # seconds: the idle clock restarts at most once a minute (fewer cookie rewrites)


class InboxCookieStorage(EncryptedCookieStorage):
    """EncryptedCookieStorage that marks the cookie Secure per request when it came over https."""

    def __init__(self, config: InboxConfig) -> None:
        super().__init__(config.key, cookie_name=COOKIE, max_age=int(config.max_age.total_seconds()),
                         path="/inbox", httponly=True, samesite="Strict", secure=config.cookie_secure)
        self._auto_secure = config.cookie_secure is None

    async def save_session(self, request: web.Request, response: web.StreamResponse, session: Session) -> None:
        await super().save_session(request, response, session)
        morsel = response.cookies.get(COOKIE)
        if self._auto_secure and request.secure and morsel is not None:
            morsel["secure"] = True


def middlewares(config: InboxConfig) -> list[Any]:
    return [session_middleware(InboxCookieStorage(config)), csrf_middleware, auth_middleware]


def csrf_token(session: Session) -> str:
    token = session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


@web.middleware
async def csrf_middleware(request: web.Request, handler: Any) -> web.StreamResponse:
    if request.method in UNSAFE:
        session = await get_session(request)
        expected = session.get("csrf")
        given = request.headers.get("X-CSRF-Token")
        if given is None and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            value = (await request.post()).get("csrf")
            given = value if isinstance(value, str) else None
        if not isinstance(expected, str) or not given or not hmac.compare_digest(given, expected):
            raise CsrfRefused()
    response: web.StreamResponse = await handler(request)
    return response


class CsrfRefused(Exception):
    """A state-changing request without the session's token (rendered as 403 by the error middleware)."""


@web.middleware
async def auth_middleware(request: web.Request, handler: Any) -> web.StreamResponse:
    session = await get_session(request)
    found = await _current_person(request, session)
    if found is not None:
        request[PERSON] = found
    if found is None and not request.path.startswith(PUBLIC):
        if _wants_json(request):
            return web.json_response({"error": "niet ingelogd"}, status=401)
        raise web.HTTPSeeOther("/inbox/login")
    response: web.StreamResponse = await handler(request)
    return response


async def _current_person(request: web.Request, session: Session) -> Person | None:
    officer, epoch = session.get("officer"), session.get("epoch")
    if not isinstance(officer, int) or not isinstance(epoch, int):
        return None
    inbox = services(request)
    settings = config(request)
    now = inbox.clock().timestamp()
    seen, login_at = float(session.get("seen", 0)), float(session.get("login", 0))
    expired = now - seen > settings.idle.total_seconds() or now - login_at > settings.max_age.total_seconds()
    found = None if expired else await inbox.login.current(officer, epoch)
    if found is None:
        end_session(session, flash="inbox.login.expired" if expired else "inbox.login.ended")
        return None
    if now - seen > TOUCH_EVERY:
        session["seen"] = now
    return found


def start_session(session: Session, officer_id: int, epoch: int, now: float) -> None:
    """A fresh session for a signed-in officer: new CSRF token, the language kept."""
    lang = session.get("lang")
    session.clear()
    session.update({"officer": officer_id, "epoch": epoch, "login": now, "seen": now,
                    "csrf": secrets.token_urlsafe(32)})
    if lang:
        session["lang"] = lang


def end_session(session: Session, flash: str | None = None) -> None:
    lang = session.get("lang")
    session.clear()
    session["csrf"] = secrets.token_urlsafe(32)
    if lang:
        session["lang"] = lang
    if flash:
        session["flash"] = flash


def _wants_json(request: web.Request) -> bool:
    return "application/json" in request.headers.get("Accept", "") or request.path.endswith("/aanwezig")
