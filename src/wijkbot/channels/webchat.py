"""The web chat channel: a JSON API the chat page (or any client) posts to and polls.

Wire contract: POST /api/webchat/messages {"session", "text", "locale"?, "id"?, "choice"?} -> 202 {"case",
"message_id"} ("choice": the value of a pressed answer button, "text" then its label; a text that starts with a
known slash command such as /status is passed on as that command; "id", at most 64 characters, makes a resend
idempotent; "locale" (a language tag: "en", "en-GB"; one we do not offer gets the default) only sets the language
of a new contact, never over a resident's /taal);
GET /api/webchat/messages?session=<id>&after=<id> -> {"messages": [{"id", "text", "sent_at", "case",
"actions"}]}. Invariants: the adapter decides nothing; a malformed body gets 400 with a reason, a flood
gets 429 with Retry-After, and neither loses what was sent before; outbound delivery is pull-based, so
`send` only confirms (the resident's page fetches delivered messages through `history`).
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any

from aiohttp import web

from wijkbot.domain.commands import parse, resolve
from wijkbot.domain.model import InboundMessage, OutboundMessage, ReplyAddress
from wijkbot.ports import Clock, OnMessage
from wijkbot.ratelimit import RateLimiter

log = logging.getLogger(__name__)
NAME = "webchat"
SESSION = re.compile(r"^[A-Za-z0-9_-]{8,100}$")
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*")  # BCP 47, as a browser sends it
MAX_CHOICE = 64  # the same limit as a Telegram button value
MAX_CLIENT_ID = 64  # session (at most 100) + ":" + id stays within messages.external_id (200): never cut, never shared
LOCALES = frozenset({"nl", "en"})
History = Callable[[str, int], Awaitable[Sequence[dict[str, Any]]]]
Errors = Callable[[str, str | None], str]


class WebChatChannel:
    """Adapter for the municipality's own web chat."""

    name = NAME

    def __init__(self, on_message: OnMessage, history: History, clock: Clock, errors: Errors,
                 per_session: RateLimiter, per_client: RateLimiter) -> None:
        self._on_message = on_message
        self._history = history
        self._clock = clock
        self._errors = errors
        self._per_session = per_session
        self._per_client = per_client

    async def send(self, message: OutboundMessage) -> str | None:
        return None  # the page pulls delivered messages; nothing to push

    def routes(self) -> list[web.RouteDef]:
        return [
            web.post("/api/webchat/messages", self.post_message),
            web.get("/api/webchat/messages", self.get_messages),
        ]

    async def post_message(self, request: web.Request) -> web.Response:
        raw = await request.read()
        try:
            body = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            return self._bad("ongeldige tekens (geen UTF-8)")
        except json.JSONDecodeError:
            return self._bad("geen geldige JSON")
        if not isinstance(body, dict):
            return self._bad("verwacht een JSON-object met session en text")
        session, text = body.get("session"), body.get("text")
        if not isinstance(session, str) or not SESSION.match(session):
            return self._bad("session moet 8 tot 100 letters, cijfers, - of _ zijn")
        if not isinstance(text, str):
            return self._bad("text moet een tekst zijn")
        # A wish for a new contact only: an existing contact keeps its language (storage.intake_rows.contacts_for).
        # A browser's tag ("en-GB") counts by its language; a language we do not offer ("fr") gets the default,
        # so a resident is never refused for their browser's setting; what is no language tag at all is an error.
        raw_locale = body.get("locale")
        raw_locale = None if raw_locale == "" else raw_locale  # "" as absent, like an empty setting
        if raw_locale is not None and (not isinstance(raw_locale, str) or not LANGUAGE_TAG.fullmatch(raw_locale)):
            return self._bad("locale moet een taalcode zijn, zoals nl of en")
        language = raw_locale.replace("_", "-").split("-")[0].lower() if raw_locale else None
        locale = language if language in LOCALES else None
        choice = body.get("choice") if isinstance(body.get("choice"), str) and body.get("choice") else None
        if choice is not None and len(choice) > MAX_CHOICE:
            return self._bad(f"choice mag hoogstens {MAX_CHOICE} tekens zijn")
        command = parse(text) if choice is None else None
        if command is not None and resolve(command[0]) is None:
            command = None  # "/ iets" or an unknown word: in the web chat that is just text
        client_id = body.get("id") if body.get("id") != "" else None
        if client_id is not None and (not isinstance(client_id, str) or len(client_id) > MAX_CLIENT_ID):
            return self._bad(f"id moet een tekst van hoogstens {MAX_CLIENT_ID} tekens zijn")
        per_session = self._per_session.hit(session)
        wait = per_session or self._per_client.hit(request.remote or "-")
        if wait:
            seconds = max(1, round(wait))
            # never the session id or the client address: they identify a resident
            log.log(logging.INFO if per_session else logging.WARNING,
                    "web chat rate limit hit (%s): 429, retry after %d s",
                    "one session" if per_session else "one client address, many sessions", seconds)
            return web.json_response(
                {"error": self._errors("error.rate_limited", locale).format(seconds=seconds)},
                status=429, headers={"Retry-After": str(seconds)},
            )
        external_id = f"{session}:{client_id}" if client_id else f"{session}:{uuid.uuid4().hex}"
        result = await self._on_message(InboundMessage(
            reply_to=ReplyAddress(NAME, session), external_id=external_id, text=text,
            received_at=self._clock(), locale=locale,
            street=_opt_str(body.get("street")), postcode=_opt_str(body.get("postcode")), choice=choice,
            command=command[0] if command else None, command_args=command[1] if command else "",
        ))
        return web.json_response({"case": getattr(result, "reference", None),
                                  "message_id": getattr(result, "message_id", None)}, status=202)

    async def get_messages(self, request: web.Request) -> web.Response:
        session = request.query.get("session", "")
        if not SESSION.match(session):
            return self._bad("session ontbreekt of is ongeldig")
        after_raw = request.query.get("after", "0")
        if not after_raw.isdigit() or len(after_raw) > 15:
            return self._bad("after moet een getal zijn")
        rows = await self._history(session, int(after_raw))
        return web.json_response({"messages": [_public(r) for r in rows]})

    def _bad(self, reason: str) -> web.Response:
        return web.json_response({"error": reason}, status=400)


def _opt_str(value: object) -> str | None:
    return value.strip()[:200] if isinstance(value, str) and value.strip() else None


def _public(row: dict[str, Any]) -> dict[str, Any]:
    sent_at = row["sent_at"]
    return {
        "id": row["id"],
        "text": row["text"],
        "sent_at": sent_at.isoformat() if isinstance(sent_at, datetime) else sent_at,
        "case": row["case"],
        "actions": [{"label": a[0], "value": a[1]} for a in row.get("actions") or []],
    }
