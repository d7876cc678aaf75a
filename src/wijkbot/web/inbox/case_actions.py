"""Every state-changing action on a case, as one POST route each: thin parsing around services.actions.

Invariants: every form carries the case version it was rendered from, so the service refuses a stale form
(409, the page shows the newer state and keeps the typed text); a refused action re-renders the page with
the message next to its form (400); success redirects (303) to the case page with a one-time message, or
to the queue when the case left the ambtenaar's reach (a hand-over).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from aiohttp import web
from aiohttp_session import get_session
from multidict import MultiDictProxy

from wijkbot.domain.workflow import Status
from wijkbot.services.action_base import ActionError, AlreadyAnswered, NotAllowed, StaleCase
from wijkbot.services.actions import Actor
from wijkbot.web.inbox.case_page import show_case
from wijkbot.web.inbox.context import InboxServices, actor, services
from wijkbot.web.inbox.render import flash

Form = MultiDictProxy[Any]
Outcome = tuple[str, bool]  # (flash key, stays visible to the actor)
Handler = Callable[[InboxServices, Actor, str, Form, int | None], Awaitable[Outcome]]


def _text(form: Form, key: str) -> str:
    value = form.get(key, "")
    return value if isinstance(value, str) else ""


def _number(form: Form, key: str) -> int:
    try:
        return int(_text(form, key))
    except ValueError:
        raise ActionError("kies iemand uit de lijst") from None


async def _reply(inbox: InboxServices, who: Actor, ref: str, form: Form, version: int | None) -> Outcome:
    held_until = await inbox.actions.reply(ref, who, _text(form, "reply"), expected_version=version,
                                           confirmed=_text(form, "confirm") == "ja")
    return ("inbox.done.reply_held" if held_until else "inbox.done.reply"), True


async def _resend(inbox: InboxServices, who: Actor, ref: str, form: Form, version: int | None) -> Outcome:
    """"Opnieuw versturen" of a message that was not delivered (no version check: it changes nothing another
    form could overwrite, and the service refuses a message that is no longer failed)."""
    try:
        outbox_id = int(_text(form, "outbox"))
    except ValueError:
        raise ActionError("dit bericht hoort niet bij deze zaak") from None
    held_until = await inbox.actions.resend(ref, who, outbox_id)
    return ("inbox.done.resend_held" if held_until else "inbox.done.resend"), True


async def _note(inbox: InboxServices, who: Actor, ref: str, form: Form, version: int | None) -> Outcome:
    await inbox.actions.note(ref, who, _text(form, "note"), expected_version=version)
    return "inbox.done.note", True


async def _claim(inbox: InboxServices, who: Actor, ref: str, form: Form, version: int | None) -> Outcome:
    await inbox.actions.claim(ref, who, expected_version=version)
    return "inbox.done.claim", True


async def _assign(inbox: InboxServices, who: Actor, ref: str, form: Form, version: int | None) -> Outcome:
    await inbox.actions.assign(ref, who, _number(form, "officer"), expected_version=version)
    return "inbox.done.assign", True


async def _invite(inbox: InboxServices, who: Actor, ref: str, form: Form, version: int | None) -> Outcome:
    await inbox.actions.invite(ref, who, _number(form, "officer"), _text(form, "reason"), expected_version=version)
    return "inbox.done.invite", True


async def _handover(inbox: InboxServices, who: Actor, ref: str, form: Form, version: int | None) -> Outcome:
    target = _text(form, "target")
    kind, _, value = target.partition(":")
    await inbox.actions.hand_over(ref, who, value if kind == "dept" else None, _text(form, "reason"),
                                  team=value if kind == "team" else None, expected_version=version)
    return "inbox.done.handover", False


async def _category(inbox: InboxServices, who: Actor, ref: str, form: Form, version: int | None) -> Outcome:
    moved = await inbox.actions.change_category(ref, who, _text(form, "category"), _text(form, "reason"),
                                                expected_version=version)
    return ("inbox.done.category_moved", False) if moved else ("inbox.done.category", True)


async def _status(inbox: InboxServices, who: Actor, ref: str, form: Form, version: int | None) -> Outcome:
    try:
        wanted = Status(_text(form, "status"))
    except ValueError:
        raise ActionError("kies een status uit de lijst") from None
    # cancelling needs a reason (the service refuses an empty one, and the page keeps what was typed)
    await inbox.actions.set_status(ref, who, wanted, reason=_text(form, "reason"), question=_text(form, "question"),
                                   expected_version=version)
    return ("inbox.done.cancel" if wanted is Status.GEANNULEERD else "inbox.done.status"), True


async def _plan(inbox: InboxServices, who: Actor, ref: str, form: Form, version: int | None) -> Outcome:
    try:
        day = date.fromisoformat(_text(form, "day").strip())
    except ValueError:
        raise ActionError("vul een datum in (dag, maand en jaar)") from None
    told = await inbox.actions.plan(ref, who, day, expected_version=version)
    return ("inbox.done.plan" if told else "inbox.done.plan_not_told"), True


async def _close(inbox: InboxServices, who: Actor, ref: str, form: Form, version: int | None) -> Outcome:
    await inbox.actions.close(ref, who, _text(form, "outcome"), expected_version=version)
    return "inbox.done.close", True


async def _reopen(inbox: InboxServices, who: Actor, ref: str, form: Form, version: int | None) -> Outcome:
    reason = _text(form, "reason")
    if not reason.strip():
        raise ActionError("geef een reden om de zaak te heropenen")
    await inbox.actions.reopen(ref, who, reason, expected_version=version)
    return "inbox.done.reopen", True


async def _link(inbox: InboxServices, who: Actor, ref: str, form: Form, version: int | None) -> Outcome:
    await inbox.actions.link_duplicate(ref, who, _text(form, "lead"), expected_version=version)
    return "inbox.done.link", True


async def _unlink(inbox: InboxServices, who: Actor, ref: str, form: Form, version: int | None) -> Outcome:
    await inbox.actions.unlink_duplicate(ref, who, expected_version=version)
    return "inbox.done.unlink", True


ACTIONS: dict[str, Handler] = {
    "antwoord": _reply, "notitie": _note, "oppakken": _claim, "toewijzen": _assign, "uitnodigen": _invite,
    "overdragen": _handover, "categorie": _category, "status": _status, "inplannen": _plan, "afhandelen": _close,
    "heropenen": _reopen, "koppelen": _link, "ontkoppelen": _unlink, "opnieuw-versturen": _resend,
}


async def act(request: web.Request) -> web.Response:
    name = request.match_info["action"]
    handler = ACTIONS.get(name)
    if handler is None:
        raise web.HTTPNotFound()
    reference = request.match_info["reference"]
    form = await request.post()
    try:
        version = int(_text(form, "version"))
    except ValueError:
        version = -1  # a form without its version is treated as stale: it cannot prove it saw the newest state
    try:
        message, stays = await handler(services(request), actor(request), reference, form, version)
    except NotAllowed as error:
        if not error.visible:
            raise
        return await show_case(request, reference, draft=form, error=(name, str(error)), status=403)
    except StaleCase as error:
        return await show_case(request, reference, draft=form, error=(name, str(error)), status=409)
    except AlreadyAnswered as error:
        return await show_case(request, reference, draft=form, error=(name, str(error)), status=409,
                               extra={"confirm_needed": True})
    except ActionError as error:
        return await show_case(request, reference, draft=form, error=(name, str(error)), status=400)
    session = await get_session(request)
    flash(session, message)
    raise web.HTTPSeeOther(f"/inbox/zaak/{reference}" if stays else "/inbox/zaken")
