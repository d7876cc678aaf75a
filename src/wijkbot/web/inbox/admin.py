"""The beheerder's pages: people (accounts, roles, teams, wijken, password links) and the audit log.

Invariants: only a beheerder reaches these handlers (checked here, on the server); a new set-password link
is shown once, on the page that created it, and is never stored in clear; every change is audited by the
service.
"""

from __future__ import annotations

from collections.abc import Mapping

from aiohttp import web

from wijkbot.domain.access import Role
from wijkbot.services.action_base import NotAllowed
from wijkbot.services.people import PeopleError
from wijkbot.web.inbox.context import config, person, services
from wijkbot.web.inbox.render import render


def _beheerder(request: web.Request) -> str:
    who = person(request)
    if not who.is_beheerder:
        raise NotAllowed("alleen een beheerder beheert mensen en leest het auditlog")
    return str(who.officer_id)


async def people_page(request: web.Request, *, error: str | None = None, link: tuple[str, str] | None = None,
                      form: Mapping[str, object] | None = None, status: int = 200) -> web.Response:
    _beheerder(request)
    inbox = services(request)
    return await render(request, "admin_people.html", {
        "people": await inbox.people.all(), "roles": [r.value for r in Role],
        "teams": sorted(inbox.rules.teams, key=lambda t: t.name), "wijken": sorted(inbox.rules.wijken),
        "error": error, "link": link, "form": form or {},
    }, status=status)


async def people_get(request: web.Request) -> web.Response:
    return await people_page(request)


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
        if action == "uitzetten":
            await inbox.people.set_active(officer_id, False, by)
        elif action == "aanzetten":
            await inbox.people.set_active(officer_id, True, by)
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
