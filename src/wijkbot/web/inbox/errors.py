"""Error pages of the inbox: 403 (CSRF, not allowed), 404 (no such case, or out of reach), 500, and 503 while the
database cannot be reached.

Invariants: a case out of reach and a case that does not exist look the same (404), so references cannot
be probed; a 500 page shows no stack trace and no case data, and the log line names only the method and the
route pattern (never the path, which may hold a password link token).
"""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web

from wijkbot.log_throttle import Outage, unreachable
from wijkbot.services.action_base import NotAllowed
from wijkbot.web.inbox.render import render
from wijkbot.web.inbox.session import CsrfRefused
from wijkbot.web.server import route_pattern

log = logging.getLogger("wijkbot.inbox")
_DATABASE_DOWN = Outage(log, "inbox pages reading the database")  # one traceback, then a line a minute


@web.middleware
async def error_pages(request: web.Request, handler: Any) -> web.StreamResponse:
    try:
        response: web.StreamResponse = await handler(request)
        if _DATABASE_DOWN.failures:
            _DATABASE_DOWN.succeeded()
        return response
    except web.HTTPException:
        raise
    except CsrfRefused:
        return await _page(request, 403, "inbox.error.csrf")
    except NotAllowed as error:
        return await _page(request, 403 if error.visible else 404,
                           "inbox.error.forbidden" if error.visible else "inbox.error.not_found")
    except Exception as error:
        if unreachable(error):  # the database is down: one line, and a page that says to try again shortly
            _DATABASE_DOWN.failed(error)
            page = await _page(request, 503, "inbox.error.unavailable")
            page.headers["Retry-After"] = "60"
            return page
        # The route pattern, not the path: a path can carry a one-time password link token.
        log.exception("inbox error on %s %s", request.method, route_pattern(request))
        return await _page(request, 500, "inbox.error.server")


async def _page(request: web.Request, status: int, key: str, detail: str | None = None) -> web.Response:
    if "application/json" in request.headers.get("Accept", "") or request.path.endswith("/aanwezig"):
        return web.json_response({"error": key}, status=status)
    return await render(request, "error_page.html", {"message_key": key, "status": status, "detail": detail},
                        status=status)


async def error_page(request: web.Request, status: int, key: str, detail: str) -> web.Response:
    """An inbox page for an error a route words itself (`detail`: what was wrong, in Dutch), with the way back;
    a trial's mistyped digest address got a bare text/plain 404."""
    return await _page(request, status, key, detail)
