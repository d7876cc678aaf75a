"""The aiohttp application: security headers, body limits, JSON errors, static files and health checks.

Invariants: every response carries a strict Content-Security-Policy and no-sniff/frame headers; request
bodies above the limit get 413 before they are read; an unexpected error becomes a JSON 500 without a
stack trace or resident data; a database that cannot be reached a JSON 503 with Retry-After (one warning line).
Every request gets one access line (logger `wijkbot.http`): method, the matched
route's pattern (`/inbox/zaak/{reference}`, never the raw path: paths carry references and set-password
tokens), status and duration; never the query string (a chat session id), the body, the client address or a
cookie. 2xx/3xx are logged at DEBUG (the chat page polls every few seconds: at INFO those lines would bury
everything else), 4xx at INFO, 5xx at ERROR; an unhandled error is logged with its traceback, never the body.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path

from aiohttp import web

from wijkbot.log_throttle import Outage, unreachable

log = logging.getLogger("wijkbot.http")
_DATABASE_DOWN = Outage(log, "web requests to the database")
STATIC = Path(__file__).with_name("static")
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
HealthCheck = Callable[[], Awaitable[dict[str, object]]]


def _secure(headers: MutableMapping[str, str]) -> None:
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "no-referrer")


def route_pattern(request: web.Request) -> str:
    """The pattern of the route that matched ("/inbox/zaak/{reference}"); "-" when none did (a 404)."""
    resource = request.match_info.route.resource
    return resource.canonical if resource is not None else "-"


def log_access(request: web.Request, status: int, started: float) -> None:
    """The access line: method, route pattern, status and duration; nothing a resident or ambtenaar typed."""
    level = logging.DEBUG if status < 400 else logging.INFO if status < 500 else logging.ERROR
    if log.isEnabledFor(level):
        log.log(level, "%s %s %s %.1fms", request.method, route_pattern(request), status,
                (time.perf_counter() - started) * 1000)


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    started = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        if _DATABASE_DOWN.failures and status < 500:
            _DATABASE_DOWN.succeeded()
    except web.HTTPException as error:  # 404s and redirects: secure them too, and let aiohttp send them
        status = error.status
        _secure(error.headers)
        raise
    except asyncio.CancelledError:  # the client went away before the answer was ready
        status = 499
        raise
    except Exception as error:
        if unreachable(error):  # the database is down: say so and when to retry, without a traceback per request
            status = 503
            _DATABASE_DOWN.failed(error)  # one traceback, then a line a minute, not one per request
            response = web.json_response({"error": "we zijn even niet bereikbaar; probeer het over een minuut "
                                                   "opnieuw"}, status=503, headers={"Retry-After": "60"})
        else:
            log.exception("unhandled error on %s %s", request.method, route_pattern(request))
            response = web.json_response({"error": "er ging iets mis aan onze kant; probeer het later opnieuw"},
                                         status=500)
    finally:
        log_access(request, status, started)
    _secure(response.headers)
    return response


def body_limit(max_bytes: int) -> Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]:
    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.content_length is not None and request.content_length > max_bytes:
            return web.json_response({"error": f"bericht te groot (meer dan {max_bytes} bytes)"}, status=413)
        return await handler(request)

    return middleware


def create_web_app(routes: list[web.RouteDef], health: HealthCheck, max_body_bytes: int) -> web.Application:
    app = web.Application(middlewares=[security_headers, body_limit(max_body_bytes)],  # type: ignore[list-item]
                          client_max_size=max_body_bytes)

    async def index(_request: web.Request) -> web.Response:
        raise web.HTTPFound("/chat")

    async def healthz(_request: web.Request) -> web.Response:
        report = await health()
        return web.json_response(report, status=200 if report.get("status") == "ok" else 503)

    app.router.add_get("/", index)
    app.router.add_get("/health", healthz)
    app.router.add_static("/static/", STATIC, show_index=False)
    app.add_routes(routes)
    return app
