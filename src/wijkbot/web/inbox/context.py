"""What the inbox's handlers share: its services and settings, kept on the inbox sub-application.

Invariants: handlers reach services only through `services(request)` (no globals); the web layer never
touches storage or SQL itself; everything is built by the composition root (app.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from aiohttp import web

from wijkbot.domain.access import Person
from wijkbot.domain.rules import RuleSet
from wijkbot.i18n import Translator
from wijkbot.ports import Clock
from wijkbot.services.actions import Actions, Actor
from wijkbot.services.casefile import CaseFile
from wijkbot.services.login import Login
from wijkbot.services.people import People
from wijkbot.services.queues import Queues
from wijkbot.services.reply_templates import ReplyTemplates
from wijkbot.services.texts import Texts
from wijkbot.services.x_guard import XGuard
from wijkbot.services.x_replies import XReplies


@dataclass(frozen=True)
class InboxConfig:
    key: bytes  # 32 bytes for the session cookie cipher
    idle: timedelta = timedelta(minutes=30)
    max_age: timedelta = timedelta(hours=10)
    cookie_secure: bool | None = None  # None: Secure when the request came over https
    public_url: str = "http://127.0.0.1:8080"


@dataclass(frozen=True)
class InboxServices:
    rules: RuleSet
    translator: Translator
    texts: Texts
    clock: Clock
    people: People
    login: Login
    queues: Queues
    casefile: CaseFile
    actions: Actions
    replies: ReplyTemplates
    x_replies: XReplies | None = None  # how a reply to an X case leaves (DM or a short public text)
    x_guard: XGuard | None = None  # the X channel's budget and state; None when X is switched off


SERVICES = web.AppKey("inbox_services", InboxServices)
PERSON = web.RequestKey("inbox_person", Person)  # set by the auth middleware when someone is signed in
CONFIG = web.AppKey("inbox_config", InboxConfig)


def services(request: web.Request) -> InboxServices:
    return request.config_dict[SERVICES]


def config(request: web.Request) -> InboxConfig:
    return request.config_dict[CONFIG]


def person(request: web.Request) -> Person:
    """The signed-in ambtenaar (the auth middleware guarantees one on every non-public route)."""
    found = request.get(PERSON)
    if not isinstance(found, Person):
        raise web.HTTPSeeOther("/inbox/login")
    return found


def actor(request: web.Request) -> Actor:
    who = person(request)
    return Actor(who.officer_id, who.name, who)
