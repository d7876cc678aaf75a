"""Rendering inbox pages: Jinja2 with autoescape on, texts from the catalogs, dates in the municipality's zone.

Invariants: autoescape is on for every template (a resident's "<script>" shows as text); every page gets
`t` (texts in the ambtenaar's language), the CSRF token, the signed-in person and a one-time flash message;
no inline script or style is ever rendered (the CSP forbids them): behaviour lives in /static/inbox.js; a
list's message preview (`preview_text`) never shows a phone number or e-mail address, for anyone.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp_jinja2
import jinja2
from aiohttp import web
from aiohttp_session import get_session
from babel.dates import format_datetime
from yarl import URL

from wijkbot.domain.quotes import mask_contact
from wijkbot.i18n import SUPPORTED, format_locale
from wijkbot.services import case_history as history
from wijkbot.services import error_language, reason_language
from wijkbot.web.inbox.context import PERSON, services
from wijkbot.web.inbox.session import csrf_token

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
SNIPPET_LENGTH = 160  # storage.queues.page cuts a case's first message to this many characters for the list


def setup(app: web.Application) -> None:
    aiohttp_jinja2.setup(
        app, loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )


async def language(request: web.Request) -> str:
    session = await get_session(request)
    lang = session.get("lang")
    return lang if lang in SUPPORTED else services(request).translator.default


async def render(request: web.Request, template: str, context: dict[str, Any], status: int = 200) -> web.Response:
    inbox = services(request)
    session = await get_session(request)
    lang = await language(request)
    tz = ZoneInfo(inbox.rules.municipality.timezone)

    def t(key: str, **values: Any) -> str:
        return inbox.translator.text(key, lang, **values)

    def when(moment: datetime | None) -> str:
        return format_datetime(moment, "d MMM yyyy, HH:mm", tzinfo=tz, locale=format_locale(lang)) if moment else ""

    def day(value: date | None) -> str:
        return inbox.translator.date(value, lang) if value else ""

    def since(moment: datetime) -> str:
        return clock_time(moment, tz, lang)

    def event_label(kind: str) -> str:
        return history.event_label(t, kind)

    def channel_label(name: str) -> str:
        label = t("inbox.channel." + name)
        return name if label.startswith("inbox.") else label

    def preview_text(snippet: str | None) -> str:
        """A list's preview of a resident's message, with contact data left out (a cut-off one included)."""
        text = snippet or ""
        return mask_contact(text, t("digest.placeholder"), cut=len(text) >= SNIPPET_LENGTH)

    flash = session.pop("flash", None)
    base = {
        "t": t, "event_label": event_label, "channel_label": channel_label, "lang": lang, "when": when, "day": day,
        "since": since, "moment": datetime.fromisoformat, "preview_text": preview_text, "csrf": csrf_token(session),
        "me": request.get(PERSON), "path": _page_path(request), "municipality": inbox.rules.municipality.name,
        "flash": t(flash) if isinstance(flash, str) and flash.startswith("inbox.") else None,
        "department_name": inbox.texts.department_name, "category_name": _category_name(inbox),
        "team_name": _team_name(inbox), "x_banner": None,
        "reason_text": lambda reason: reason_language.in_language(str(reason), lang),
        "error_text": lambda message: error_language.in_language(str(message), lang),
    }
    response = aiohttp_jinja2.render_template(template, request, base | context, status=status)
    response.headers["Cache-Control"] = "no-store"  # pages hold case data: never from a shared cache
    return response


def clock_time(moment: datetime, tz: ZoneInfo, lang: str) -> str:
    """"14:05": when someone opened a case. A time of day, not "20 seconden geleden": the presence notice is a
    live region, and a text that changes every refresh would be read out again and again (WCAG 4.1.3)."""
    return str(format_datetime(moment, "HH:mm", tzinfo=tz, locale=format_locale(lang)))


def _category_name(inbox: Any) -> Any:
    def name(category_id: str | None) -> str:
        category = inbox.rules.categories.get(category_id or "")
        return str(category.name) if category else ""
    return name


def _team_name(inbox: Any) -> Any:
    teams = inbox.rules.team_labels()

    def name(team_id: str | None) -> str:
        return str(teams.get(team_id or "", team_id or ""))
    return name


def flash(session: Any, key: str) -> None:
    """A message for the next page (after a redirect)."""
    session["flash"] = key


async def text(request: web.Request, key: str, **values: Any) -> str:
    """One catalog text in the ambtenaar's language (for messages composed in handlers)."""
    return services(request).translator.text(key, await language(request), **values)


def _page_path(request: web.Request) -> str:
    """Where the language switch returns to: this page, or for an answer to a form (an error page at a POST-only
    address) the page the form was on, so the switch never lands on "405 Method Not Allowed"."""
    if request.method in ("GET", "HEAD"):
        return request.path_qs
    referer = URL(request.headers.get("Referer", ""))
    if referer.path.startswith("/inbox/") and (not referer.host or referer.host == request.url.host):
        return referer.path_qs
    parts = request.path.split("/")
    return "/".join(parts[:4]) if request.path.startswith("/inbox/zaak/") and len(parts) > 4 else "/inbox/zaken"
