"""The shared inbox: an aiohttp sub-application mounted at /inbox (see docs/inbox.md).

Modules by concept: context (services, settings), session (cookies, expiry, CSRF), render (Jinja2),
auth (sign in/out, language, password links), queues, case_page, case_actions, admin, errors.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

from aiohttp import web
from aiohttp.web_exceptions import NotAppKeyWarning

from wijkbot.web.inbox import admin, auth, case_actions, case_page, queues, render, session
from wijkbot.web.inbox.context import CONFIG, SERVICES, InboxConfig, InboxServices
from wijkbot.web.inbox.errors import error_pages

__all__ = ["InboxConfig", "InboxServices", "create_inbox_app"]

# aiohttp-session 2.12 keeps its storage under a string request key; aiohttp 3.14 warns about that on every request
warnings.filterwarnings("ignore", category=NotAppKeyWarning, module="aiohttp_session")


def create_inbox_app(services: InboxServices, config: InboxConfig,
                     extra_routes: Sequence[web.RouteDef] = ()) -> web.Application:
    """The inbox at /inbox/; `extra_routes` (the weekly digest pages) get the same login and session."""
    # error_pages sits inside the session middleware, so its pages can still save the session
    middlewares = session.middlewares(config)
    app = web.Application(middlewares=[middlewares[0], error_pages, *middlewares[1:]])
    app[SERVICES] = services
    app[CONFIG] = config
    render.setup(app)
    app.add_routes([
        web.get("/", queues.index),
        web.get("/login", auth.login_page),
        web.post("/login", auth.login),
        web.post("/logout", auth.logout),
        web.post("/taal", auth.switch_language),
        web.get("/wachtwoord/{token}", auth.password_page),
        web.post("/wachtwoord/{token}", auth.set_password),
        web.get("/zaken", queues.queue_page),
        web.post("/zaken", queues.queue_page),
        web.get("/zaak/{reference}", case_page.case_page),
        web.post("/zaak/{reference}/aanwezig", case_page.presence),
        web.post("/zaak/{reference}/contact", case_page.reveal_contact),
        web.get("/zaak-bijlage/{attachment}", case_page.attachment),
        web.post("/zaak/{reference}/voorbeeld", case_page.reply_preview),
        web.post("/zaak/{reference}/{action}", case_actions.act),
        web.get("/beheer/mensen", admin.people_get),
        web.post("/beheer/mensen", admin.add_person),
        web.post("/beheer/mensen/{officer}/{action}", admin.person_action),
        web.get("/beheer/audit", admin.audit_page),
        *extra_routes,
    ])
    return app
