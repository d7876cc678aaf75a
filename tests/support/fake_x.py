"""A local fake of the X API v2 over real HTTP, for the endpoints wijkbot uses.

Follows X's published shapes: responses carry `data`, `includes` and `meta` (`result_count`, `newest_id`,
`oldest_id`, `next_token`); errors are problem objects (`title`, `detail`, `type`, `status`) or `errors`
lists; every answer carries `x-rate-limit-limit`, `x-rate-limit-remaining` and `x-rate-limit-reset` (epoch
seconds), and a spent window answers 429 until the reset. Endpoints: GET /2/users/me,
GET /2/users/:id/mentions, GET /2/dm_events, POST /2/dm_conversations/with/:id/messages, POST /2/tweets.
Lists are newest first; ids grow like X's snowflakes. Our own DMs show up in dm_events, as they do on X.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, ClassVar

from aiohttp import web
from aiohttp.test_utils import TestServer

WINDOW = timedelta(minutes=15)
LIMITS = {"me": 75, "mentions": 180, "dm_events": 300, "dm": 200, "tweets": 100, "other": 1000}


@dataclass
class Window:
    limit: int
    remaining: int
    reset: datetime


@dataclass
class FakeX:
    clock: Callable[[], datetime]
    own_id: str = "1000"
    own_username: str = "gemeente_test"
    mentions: list[dict[str, Any]] = field(default_factory=list)  # oldest first
    dm_events: list[dict[str, Any]] = field(default_factory=list)
    posted: list[dict[str, Any]] = field(default_factory=list)  # our public posts: {"id", "text", "in_reply_to"}
    sent_dms: list[dict[str, Any]] = field(default_factory=list)  # {"participant_id", "text", "dm_event_id"}
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    revoked: bool = False
    closed_dms: set[str] = field(default_factory=set)  # users who do not accept DMs from us
    failures: dict[str, list[int]] = field(default_factory=dict)  # endpoint -> statuses to answer next
    windows: dict[str, Window] = field(default_factory=dict)
    _ids: Any = field(default_factory=lambda: itertools.count(1_860_000_000_000_000_000, 7919))
    server: TestServer | None = None

    # --- what a test does -----------------------------------------------------------------------------
    def mention(self, author_id: str, text: str, lang: str = "nl") -> str:
        post_id = str(next(self._ids))
        self.mentions.append({"id": post_id, "text": f"@{self.own_username} {text}", "author_id": author_id,
                              "created_at": self._iso(), "lang": lang, "conversation_id": post_id,
                              "edit_history_tweet_ids": [post_id]})
        return post_id

    def dm(self, sender_id: str, text: str) -> str:
        event_id = str(next(self._ids))
        self.dm_events.append({"id": event_id, "event_type": "MessageCreate", "text": text, "sender_id": sender_id,
                               "dm_conversation_id": self._conversation(sender_id), "created_at": self._iso()})
        return event_id

    def fail(self, endpoint: str, *statuses: int) -> None:
        self.failures.setdefault(endpoint, []).extend(statuses)

    def exhaust(self, endpoint: str) -> datetime:
        """Spend the endpoint's rate-limit window; returns when it resets."""
        window = self._window(endpoint)
        window.remaining = 0
        return window.reset

    def calls(self, endpoint: str) -> list[dict[str, str]]:
        return [query for _, name, query in self.requests if name == endpoint]

    @property
    def url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("")).rstrip("/")

    async def start(self) -> FakeX:
        app = web.Application(middlewares=[self._middleware])
        app.router.add_get("/2/users/me", self._me)
        app.router.add_get("/2/users/{id}/mentions", self._mentions)
        app.router.add_get("/2/dm_events", self._dm_events)
        app.router.add_post("/2/dm_conversations/with/{id}/messages", self._send_dm)
        app.router.add_post("/2/tweets", self._tweet)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()
        return self

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()

    # --- the wire -------------------------------------------------------------------------------------
    _ENDPOINTS: ClassVar[dict[str, str]] = {"_me": "me", "_mentions": "mentions", "_dm_events": "dm_events",
                                            "_send_dm": "dm", "_tweet": "tweets"}

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        name = self._ENDPOINTS.get(getattr(handler, "__name__", ""), "other")
        self.requests.append((request.method, name, dict(request.query)))
        window = self._window(name)
        auth = request.headers.get("Authorization", "")
        if self.revoked or not auth.startswith(("OAuth ", "Bearer ")):
            return self._problem(401, "Unauthorized", "Unauthorized", window)
        if self.failures.get(name):
            status = self.failures[name].pop(0)
            if status == 403:
                return self._problem(403, "Forbidden", "You are not permitted to use this endpoint.", window,
                                     "https://api.twitter.com/2/problems/client-forbidden")
            return web.Response(status=status, text="<html>Over capacity</html>", content_type="text/html",
                                headers=self._headers(window))
        if window.remaining <= 0:
            return self._problem(429, "Too Many Requests", "Too Many Requests", window)
        window.remaining -= 1
        response = await handler(request)
        response.headers.update(self._headers(window))
        return response

    async def _me(self, request: web.Request) -> web.Response:
        return web.json_response({"data": {"id": self.own_id, "name": "Gemeente", "username": self.own_username}})

    async def _mentions(self, request: web.Request) -> web.Response:
        if request.match_info["id"] != self.own_id:
            return web.json_response({"errors": [{"message": "not your account"}]}, status=403)
        items = [m for m in reversed(self.mentions) if self._after(m["id"], request.query.get("since_id"))]
        return self._page(request, items, 5, with_ids=True)

    async def _dm_events(self, request: web.Request) -> web.Response:
        return self._page(request, list(reversed(self.dm_events)), 1, with_ids=False)

    async def _send_dm(self, request: web.Request) -> web.Response:
        participant = request.match_info["id"]
        body = await request.json()
        if participant in self.closed_dms:
            return self._problem(403, "Forbidden", "You are not permitted to send a message to this user.",
                                 self._window("dm"))
        event_id = str(next(self._ids))
        self.sent_dms.append({"participant_id": participant, "text": body.get("text"), "dm_event_id": event_id})
        self.dm_events.append({"id": event_id, "event_type": "MessageCreate", "text": body.get("text"),
                               "sender_id": self.own_id, "dm_conversation_id": self._conversation(participant),
                               "created_at": self._iso()})
        return web.json_response({"data": {"dm_conversation_id": self._conversation(participant),
                                           "dm_event_id": event_id}}, status=201)

    async def _tweet(self, request: web.Request) -> web.Response:
        body = await request.json()
        text = body.get("text", "")
        if any(p["text"] == text for p in self.posted):
            return self._problem(403, "Forbidden", "You are not allowed to create a Tweet with duplicate content.",
                                 self._window("tweets"))
        post_id = str(next(self._ids))
        reply = body.get("reply") or {}
        self.posted.append({"id": post_id, "text": text, "in_reply_to": reply.get("in_reply_to_tweet_id")})
        return web.json_response({"data": {"id": post_id, "text": text, "edit_history_tweet_ids": [post_id]}},
                                 status=201)

    # --- helpers --------------------------------------------------------------------------------------
    def _page(self, request: web.Request, items: list[dict[str, Any]], minimum: int, with_ids: bool) -> web.Response:
        raw_max = request.query.get("max_results", "10")
        if not raw_max.isdigit() or not minimum <= int(raw_max) <= 100:
            return web.json_response({"errors": [{"message": "max_results out of range"}],
                                      "title": "Invalid Request", "type": "https://api.twitter.com/2/problems/invalid-request"},
                                     status=400)
        size = int(raw_max)
        token = request.query.get("pagination_token")
        offset = 0
        if token is not None:
            if not token.startswith("page-") or not token[5:].isdigit():
                return web.json_response({
                    "errors": [{"parameters": {"pagination_token": [token]}, "message": "invalid token"}],
                    "title": "Invalid Request", "detail": "One or more parameters to your request was invalid.",
                    "type": "https://api.twitter.com/2/problems/invalid-request"}, status=400)
            offset = int(token[5:])
        chunk = items[offset:offset + size]
        meta: dict[str, Any] = {"result_count": len(chunk)}
        if chunk and with_ids:
            meta["newest_id"], meta["oldest_id"] = chunk[0]["id"], chunk[-1]["id"]
        if offset + size < len(items):
            meta["next_token"] = f"page-{offset + size}"
        if offset:
            meta["previous_token"] = f"page-{max(0, offset - size)}"
        body: dict[str, Any] = {"meta": meta}
        if chunk:
            body["data"] = chunk
        return web.json_response(body)

    def _window(self, name: str) -> Window:
        now = self.clock()
        window = self.windows.get(name)
        if window is None or now >= window.reset:
            window = Window(LIMITS[name], LIMITS[name], now + WINDOW)
            self.windows[name] = window
        return window

    def _headers(self, window: Window) -> dict[str, str]:
        return {"x-rate-limit-limit": str(window.limit), "x-rate-limit-remaining": str(max(window.remaining, 0)),
                "x-rate-limit-reset": str(int(window.reset.timestamp()))}

    def _problem(self, status: int, title: str, detail: str, window: Window,
                 kind: str = "about:blank") -> web.Response:
        return web.json_response({"title": title, "detail": detail, "type": kind, "status": status},
                                 status=status, headers=self._headers(window))

    def _conversation(self, other: str) -> str:
        low, high = sorted((self.own_id, other), key=int)
        return f"{low}-{high}"

    def _iso(self) -> str:
        return self.clock().strftime("%Y-%m-%dT%H:%M:%S.000Z")

    @staticmethod
    def _after(item_id: str, since_id: str | None) -> bool:
        return since_id is None or int(item_id) > int(since_id)
