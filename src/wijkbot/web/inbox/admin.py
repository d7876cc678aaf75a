"""The beheerder's pages: people (accounts, roles, teams, wijken, password links) and the audit log.

Invariants: only a beheerder reaches these handlers (checked here, on the server); a new set-password link
is shown once, on the page that created it, and is never stored in clear; every change is audited by the
service. Switching an account off takes two steps without JavaScript: the first POST only shows what will
happen (how many open cases go back to their team) with a confirm form; the POST with `bevestigd=ja` does it,
and the page after the redirect says how many cases went back.
"""

from __future__ import annotations

from collections.abc import Mapping

from aiohttp import web
from aiohttp_session import get_session

from wijkbot.domain.access import Role
from wijkbot.services.action_base import NotAllowed
from wijkbot.services.people import PeopleError
from wijkbot.web.inbox.context import config, person, services
from wijkbot.web.inbox.render import render, text

NOTICE = "people_notice"  # session key: the outcome of the last switch on/off, shown once on the people page
CONFIRMED = "ja"


def _beheerder(request: web.Request) -> str:
    who = person(request)
    if not who.is_beheerder:
        raise NotAllowed("alleen een beheerder beheert mensen en leest het auditlog")
    return str(who.officer_id)


async def people_page(request: web.Request, *, error: str | None = None, link: tuple[str, str] | None = None,
                      form: Mapping[str, object] | None = None, status: int = 200,
                      confirm: Mapping[str, object] | None = None, notice: str | None = None) -> web.Response:
    _beheerder(request)
    inbox = services(request)
    labels = inbox.rules.team_labels()
    return await render(request, "admin_people.html", {
        "people": await inbox.people.all(), "roles": [r.value for r in Role],
        "teams": sorted(inbox.rules.teams, key=lambda t: labels[t.id]), "wijken": sorted(inbox.rules.wijken),
        "error": error, "link": link, "form": form or {}, "confirm": confirm, "notice": notice,
    }, status=status)


async def people_get(request: web.Request) -> web.Response:
    _beheerder(request)
    session = await get_session(request)
    outcome = session.pop(NOTICE, None)
    notice = None
    if isinstance(outcome, dict) and isinstance(outcome.get("officer"), int):
        profile = await services(request).people.get(outcome["officer"])
        count = int(outcome.get("count") or 0)
        notice = await text(request, _outcome_key(bool(outcome.get("active")), count),
                            name=profile.name if profile else "?", count=count)
    return await people_page(request, notice=notice)


def _outcome_key(active: bool, count: int) -> str:
    if active:
        return "inbox.accounts.enabled"
    return ("inbox.accounts.disabled_none", "inbox.accounts.disabled_one")[count] if count < 2 \
        else "inbox.accounts.disabled_many"


async def _confirm_disable(request: web.Request, officer_id: int) -> web.Response:
    """The first step: what switching off will do, and a form to confirm it (no JavaScript needed)."""
    inbox = services(request)
    profile = await inbox.people.get(officer_id)
    if profile is None:
        raise web.HTTPNotFound()
    count = await inbox.people.disable_preview(officer_id)
    key = ("inbox.accounts.confirm_cases_none", "inbox.accounts.confirm_cases_one")[count] if count < 2 \
        else "inbox.accounts.confirm_cases_many"
    return await people_page(request, confirm={"officer_id": officer_id, "name": profile.name, "count": count,
                                               "cases_key": key})


async def add_person(request: web.Request) -> web.Response:
    by = _beheerder(request)
    inbox = services(request)
    form = await request.post()
    values = {"name": str(form.get("name", "")), "email": str(form.get("email", "")),
              "roles": [str(v) for v in form.getall("roles", [])], "teams": [str(v) for v in form.getall("teams", [])],
              "wijken": [str(v) for v in form.getall("wijken", [])]}
    try:
        profile = await inbox.people.add(name=values["name"], email=values["email"],  # type: ignore[arg-type]
                                         roles=values["roles"], teams=values["teams"],  # type: ignore[arg-type]
                                         wijken=values["wijken"], by=by)  # type: ignore[arg-type]
        token = await inbox.people.password_link(profile.officer_id, by=by)
    except PeopleError as error:
        return await people_page(request, error=str(error), form=values, status=400)
    return await people_page(request, link=(profile.name, password_url(request, token)))


async def person_action(request: web.Request) -> web.Response:
    by = _beheerder(request)
    inbox = services(request)
    try:
        officer_id = int(request.match_info["officer"])
    except ValueError:
        raise web.HTTPNotFound() from None
    action = request.match_info["action"]
    form = await request.post()
    try:
        if action == "uitzetten" and form.get("bevestigd") != CONFIRMED:
            return await _confirm_disable(request, officer_id)
        if action in ("uitzetten", "aanzetten"):
            active = action == "aanzetten"
            returned = await inbox.people.set_active(officer_id, active, by)
            session = await get_session(request)
            session[NOTICE] = {"officer": officer_id, "active": active, "count": returned}
        elif action == "link":
            profile = await inbox.people.get(officer_id)
            token = await inbox.people.password_link(officer_id, by=by)
            return await people_page(request, link=(profile.name if profile else "?", password_url(request, token)))
        elif action == "wijzigen":
            await inbox.people.update(officer_id, roles=[str(v) for v in form.getall("roles", [])],
                                      teams=[str(v) for v in form.getall("teams", [])],
                                      wijken=[str(v) for v in form.getall("wijken", [])], by=by)
        else:
            raise web.HTTPNotFound()
    except PeopleError as error:
        return await people_page(request, error=str(error), status=400)
    raise web.HTTPSeeOther("/inbox/beheer/mensen")


async def audit_page(request: web.Request) -> web.Response:
    inbox = services(request)
    try:
        page = max(1, int(request.query.get("page", "1")))
    except ValueError:
        page = 1
    rows = await inbox.casefile.audit_log(person(request), page)
    return await render(request, "admin_audit.html", {"rows": rows, "page_number": page})


def password_url(request: web.Request, token: str) -> str:
    return f"{config(request).public_url.rstrip('/')}/inbox/wachtwoord/{token}"
