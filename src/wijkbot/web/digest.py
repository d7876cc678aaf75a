"""The digest in the inbox: a wijk's weekly page, its archive of past weeks, and a way in for its readers.

GET /inbox/digest/{wijk}/{week} shows the archived digest of that week (made now when there is none yet, e.g.
the running week); GET /inbox/digest/{wijk} lists the archive; GET /inbox/digest (the inbox header's
"Weekoverzicht") opens the running week of the reader's one wijk, or lists their wijken when they read several.
Invariants: ambtenaren only (the routes live in the inbox application, behind its login); a digest is read by
whom it is for (`digest_wijken`): a wijkregisseur reads their wijken, a teamleider the wijken their teams
cover, a beheerder every wijk; anyone else gets the inbox's 403 page (wijk names are no secret, so no 404
pretence); the page is served with its own Content-Security-Policy that allows exactly its one <style> block
(by hash); an unknown wijk is a 404 naming the known ones, a week that has not begun a 404 naming the current
one, a malformed week a 400 with the expected form.
"""

from __future__ import annotations

from aiohttp import web
from aiohttp_session import get_session

from wijkbot.digest import render
from wijkbot.digest.document import Cell
from wijkbot.digest.links import digest_url
from wijkbot.digest.render import PAGE_CSP
from wijkbot.domain.access import Person, Role
from wijkbot.domain.rules import RuleSet
from wijkbot.domain.weeks import IsoWeek, WeekError
from wijkbot.i18n import SUPPORTED
from wijkbot.services.action_base import NotAllowed
from wijkbot.services.digests import DigestError, Digests
from wijkbot.web.inbox.context import person
from wijkbot.web.inbox.errors import error_page


def digest_wijken(who: Person, rules: RuleSet) -> tuple[str, ...]:
    """The wijken whose weekly digest `who` may read, in the configuration's order.

    The digest is the wijkregisseur's report on their wijk; a teamleider answers for what their teams do in the
    wijken those teams cover (a city-wide team: every wijk); a beheerder supports everyone. A behandelaar works
    from the queues and does not read it (the digest has no personal data, but it is not their report).
    """
    if who.is_beheerder:
        return rules.wijken
    allowed = {w.casefold() for w in who.regie_wijken}
    if Role.TEAMLEIDER in who.roles:
        for team in rules.teams:
            if team.id in who.teams:
                allowed.update(w.casefold() for w in rules.wijken if team.covers(w))
    return tuple(w for w in rules.wijken if w.casefold() in allowed)


def digest_routes(digests: Digests) -> list[web.RouteDef]:
    def page(body: str) -> web.Response:
        response = web.Response(text=body, content_type="text/html", charset="utf-8")
        response.headers["Content-Security-Policy"] = PAGE_CSP
        response.headers["Cache-Control"] = "no-store"
        return response

    def readable(request: web.Request) -> tuple[str, ...]:
        return digest_wijken(person(request), digests.rules)

    def wijk_of(request: web.Request) -> str:
        wijk = digests.wijk(request.match_info["wijk"])  # DigestError: an unknown area (an inbox error page)
        if wijk not in readable(request):
            raise NotAllowed(f"het weekoverzicht van {wijk} is voor de wijkregisseur van die wijk")
        return wijk

    async def week_page(request: web.Request) -> web.Response:
        try:
            wijk = wijk_of(request)
            week = IsoWeek.parse(request.match_info["week"])
            return page(await digests.page(wijk, week, await reader_language(request)))
        except WeekError as error:
            return await error_page(request, 400, "inbox.error.bad_address", f"ongeldige week: {error}")
        except DigestError as error:  # an unknown area, or a week that has not begun
            return await error_page(request, 404, "inbox.error.page_not_found", str(error))

    async def archive(request: web.Request) -> web.Response:
        try:
            return page(await digests.archive_page(wijk_of(request), await reader_language(request)))
        except DigestError as error:
            return await error_page(request, 404, "inbox.error.page_not_found", str(error))

    async def start(request: web.Request) -> web.Response:
        wijken = readable(request)
        if not wijken:
            raise NotAllowed("er is geen weekoverzicht voor u")
        current = str(IsoWeek.containing(digests.clock(), digests.tz))
        if len(wijken) == 1:
            raise web.HTTPFound(digest_url(wijken[0], current))
        lang = digests.translator.language(await reader_language(request) or digests.options.lang)

        def t(key: str, **values: object) -> str:
            return digests.translator.text(key, lang, **values)

        return page(render.archive_html(
            lang, t("digest.index.title"), Cell(t("digest.index.back"), "/inbox/zaken"),
            t("digest.index.caption", week=current), (t("digest.index.wijk"),),
            [(Cell(w, digest_url(w, current)),) for w in wijken], t("digest.index.empty")))

    # relative to the inbox, which is mounted at /inbox/ and asks every visitor to log in first
    return [web.get("/digest", start), web.get("/digest/{wijk}/{week}", week_page), web.get("/digest/{wijk}", archive)]


async def reader_language(request: web.Request) -> str | None:
    """The digest's language for this reader: `?lang=`, else the language they chose in the inbox (an English
    trial opened a Dutch digest from the English inbox), else None (the configured default)."""
    asked = request.query.get("lang")
    if asked:
        return asked
    chosen = (await get_session(request)).get("lang")
    return chosen if chosen in SUPPORTED else None
