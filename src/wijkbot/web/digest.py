"""The digest in the inbox: a wijk's weekly page and its archive of past weeks.

GET /inbox/digest/{wijk}/{week} shows the archived digest of that week (made now when there is none yet, e.g.
the running week); GET /inbox/digest/{wijk} lists the archive. Invariants: ambtenaren only (the routes live in
the inbox application, behind its login; the digest holds no personal data, so every ambtenaar may read it);
the page is served with its own Content-Security-Policy that allows exactly its one <style> block (by hash);
an unknown wijk is a 404 naming the known ones, a week that has not begun a 404 naming the current one, a
malformed week a 400 with the expected form.
"""

from __future__ import annotations

from aiohttp import web

from wijkbot.digest.render import PAGE_CSP
from wijkbot.domain.weeks import IsoWeek, WeekError
from wijkbot.services.digests import DigestError, Digests


def digest_routes(digests: Digests) -> list[web.RouteDef]:
    def page(body: str) -> web.Response:
        response = web.Response(text=body, content_type="text/html", charset="utf-8")
        response.headers["Content-Security-Policy"] = PAGE_CSP
        response.headers["Cache-Control"] = "no-store"
        return response

    def wijk_of(request: web.Request) -> str:
        try:
            return digests.wijk(request.match_info["wijk"])
        except DigestError as error:
            raise web.HTTPNotFound(text=str(error)) from error

    async def week_page(request: web.Request) -> web.Response:
        wijk = wijk_of(request)
        try:
            week = IsoWeek.parse(request.match_info["week"])
        except WeekError as error:
            raise web.HTTPBadRequest(text=f"ongeldige week: {error}") from error
        try:
            return page(await digests.page(wijk, week, request.query.get("lang")))
        except DigestError as error:  # a week that has not begun
            raise web.HTTPNotFound(text=str(error)) from error

    async def archive(request: web.Request) -> web.Response:
        return page(await digests.archive_page(wijk_of(request), request.query.get("lang")))

    # relative to the inbox, which is mounted at /inbox/ and asks every visitor to log in first
    return [web.get("/digest/{wijk}/{week}", week_page), web.get("/digest/{wijk}", archive)]
