"""The case page: conversation, history, routing explanation, duplicates, presence, audited contact details.

Invariants: access is decided by the services (a case out of reach answers 404, as if it did not exist);
a re-rendered page after a refused action keeps what the ambtenaar typed (`draft`); contact details are
only shown in the response to the audited POST, never in a URL or a GET page; so is contact data typed into
the messages, for whoever is not the case's officer or team (elsewhere it reads as the digest's "left out").
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from wijkbot.domain.access import Access, can_assign_others, needs_reason_for_contact
from wijkbot.services.action_base import NotAllowed
from wijkbot.services.preview import preview
from wijkbot.web.inbox.context import person, services
from wijkbot.web.inbox.error_fields import error_field
from wijkbot.web.inbox.render import clock_time, language, render
from wijkbot.web.inbox.x_status import x_banner, x_route

log = logging.getLogger(__name__)

# Shown in the page; anything else (PDF, SVG, unknown) is downloaded, never rendered by the browser.
INLINE_IMAGES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})


async def case_page(request: web.Request) -> web.Response:
    template_id = request.query.get("sjabloon", "")
    return await show_case(request, request.match_info["reference"], template_id=template_id)


async def show_case(request: web.Request, reference: str, *, draft: Mapping[str, Any] | None = None,
                    error: tuple[str, str] | None = None, status: int = 200, template_id: str = "",
                    extra: dict[str, Any] | None = None, revealed: bool = False) -> web.Response:
    """The case page; `revealed` only for the answer to the audited contact reveal (texts shown unmasked)."""
    inbox = services(request)
    who = person(request)
    lang = await language(request)
    marker = inbox.translator.text("digest.placeholder", lang)
    view = await inbox.casefile.open(who, reference, revealed=revealed, marker=marker)
    templates = inbox.replies.for_case(view.case, who.name, lang) if view.access >= Access.HANDLE else []
    draft = dict(draft or {})
    if template_id and "reply" not in draft:
        chosen = next((t for t in templates if t.id == template_id), None)
        if chosen is not None:
            draft["reply"], draft["template"] = chosen.text, chosen.id
    term = inbox.queues.term(view.case["due_date"], view.case["status"])
    # an X case: which way a reply will leave (DM, or only a short public text), shown before anything is sent
    route = await x_route(inbox, reference, lang) if view.channel == "x" and view.access >= Access.HANDLE else None
    return await render(request, "case.html", {
        "view": view, "case": view.case, "term": term, "templates": templates, "draft": draft,
        "error": error, "error_field": error_field(*error, stopped=bool(view.stopped)) if error else "",
        "can_handle": view.access >= Access.HANDLE, "can_note": view.access >= Access.HELP,
        "rules": inbox.rules, "contact": None, "preview": None, "needs_reason": needs_reason_for_contact(view.access),
        "can_assign_others": can_assign_others(who), "confirm_needed": False, "x_route": route,
        "x_banner": await x_banner(inbox, lang),
    } | (extra or {}), status=status)


async def presence(request: web.Request) -> web.Response:
    """JSON for the page's script: who else has this case open, and its current version."""
    inbox = services(request)
    try:
        found = await inbox.casefile.presence(person(request), request.match_info["reference"])
    except NotAllowed:
        return web.json_response({"error": "niet gevonden"}, status=404)
    lang = await language(request)
    tz = ZoneInfo(inbox.rules.municipality.timezone)
    viewers = [inbox.translator.text("inbox.presence.viewer", lang, name=v["name"],
                                     since=clock_time(v["since"], tz, lang)) for v in found["viewers"]]
    return web.json_response({"version": found["version"], "viewers": viewers})


async def reveal_contact(request: web.Request) -> web.Response:
    inbox = services(request)
    reference = request.match_info["reference"]
    form = await request.post()
    try:
        contact = await inbox.casefile.reveal_contact(person(request), reference, str(form.get("reason", "")))
    except NotAllowed:  # out of reach: the error middleware answers 404/403
        raise
    except ValueError as error:  # a beheerder or an invited colleague without a reason
        return await show_case(request, reference, draft=dict(form), error=("contact", str(error)), status=400)
    # the audit row is written: this answer (never a later GET) also shows the messages as the resident wrote them
    log.info("contact details of %s shown to officer %s (written to the audit log)", reference,
             person(request).officer_id)
    return await show_case(request, reference, extra={"contact": contact}, revealed=True)


async def attachment(request: web.Request) -> web.Response:
    """A resident's photo (shown inline) or other file (downloaded), for someone who may read the case."""
    try:
        attachment_id = int(request.match_info["attachment"])
    except ValueError as error:
        raise web.HTTPNotFound() from error
    meta, data = await services(request).casefile.attachment(person(request), attachment_id)
    content_type = str(meta["content_type"])
    image = content_type in INLINE_IMAGES
    response = web.Response(body=data, content_type=content_type if image else "application/octet-stream")
    response.headers["Content-Disposition"] = "inline" if image else f'attachment; filename="bijlage-{attachment_id}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


async def reply_preview(request: web.Request) -> web.Response:
    """How the draft reply will look in the resident's channel (JSON for the script, or the page)."""
    inbox = services(request)
    reference = request.match_info["reference"]
    form = await request.post()
    text = str(form.get("reply", ""))
    view = await inbox.casefile.open(person(request), reference)
    lang = await language(request)
    route = await x_route(inbox, reference, lang) if view.channel == "x" else None
    shown = preview(inbox.texts, view.channel, view.case, text, person(request).name, lang=lang, x_route=route)
    if "application/json" in request.headers.get("Accept", ""):
        mode = inbox.translator.text(f"inbox.reply.mode_{shown.mode}", lang) if shown.mode else ""
        return web.json_response({"channel": shown.channel, "parts": list(shown.parts), "notes": list(shown.notes),
                                  "mode": shown.mode, "mode_label": mode})
    return await show_case(request, reference, draft=dict(form), extra={"preview": shown})
