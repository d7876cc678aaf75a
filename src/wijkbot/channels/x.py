"""The X (Twitter) channel: a thin adapter over tweepy's AsyncClient (API v2), for polling and for sending.

Addresses. A resident on X is one contact: `ReplyAddress("x", <their X user id>)`, whether they mentioned the
municipality in public or wrote a DM; so a public mention and a later DM of the same person land in the same
case. Inbound messages get external ids "tweet:<post id>" and "dm:<DM event id>", which keeps the two apart
in the messages table and tells later which kinds of conversation a contact has. How an outbound message
leaves is not in the address: the adapter asks the injected `route` (a service) for a `Route`: a DM with the
full text, or a public reply to the resident's post with a short text the service composed from fixed
catalog text and the reference. X user ids are personal data: they are stored only as contact addresses and
are never logged (nor are handles, names or texts; tweepy's own debug log is switched off for that reason).

Money and failures. Every request first passes the injected `gate`, which counts it against the monthly
budget or refuses it (ChannelPaused, and the request is not made). 429 -> TemporaryFailure(retry_after =
seconds until `x-rate-limit-reset`); 5xx, network trouble and timeouts -> TemporaryFailure; 401, and 403s
that concern the credentials -> the gate is told (the channel stops) and ChannelPaused is raised, so
delivery holds the message; a 403/404 on sending to one resident (DMs closed, post deleted) ->
PermanentFailure.

Test host. tweepy hard-codes https://api.twitter.com but uses `client.session` when it is set, calling only
`session.request(method, url, params=, json=, headers=)`. With `api_url` set (WIJKBOT_X_API_URL) the session
we hand it is a small forwarder to our own aiohttp ClientSession that swaps the host; OAuth 1.0a signatures
are still computed for the real host, which a local fake does not check.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp
from tweepy import errors as tweepy_errors
from tweepy.asynchronous import AsyncClient
from yarl import URL

from wijkbot.channels import x_wire
from wijkbot.domain.model import OutboundMessage
from wijkbot.domain.x import Cursor, Mode, Page, Request, Route, Stream, chunks
from wijkbot.ports import ChannelPaused, Clock, InvalidCursor, PermanentFailure, TemporaryFailure, XGate

NAME = x_wire.NAME
X_HOST = "https://api.twitter.com"
DM_LIMIT = 10_000  # characters in one DM
DEFAULT_RATE_WAIT = 60.0
TWEET_FIELDS = ["author_id", "created_at", "lang", "conversation_id"]
DM_FIELDS = ["id", "event_type", "text", "sender_id", "dm_conversation_id", "created_at"]

# Their DEBUG lines hold OAuth headers, DM texts and user ids in URLs: never let them through.
for _noisy in ("tweepy", "oauthlib"):
    logging.getLogger(_noisy).setLevel(logging.INFO)
log = logging.getLogger(__name__)

RouteFor = Callable[[OutboundMessage], Awaitable[Route]]


@dataclass(frozen=True, slots=True)
class Credentials:
    """OAuth 1.0a user context (four keys), or an OAuth 2.0 user access token as `bearer_token`."""

    bearer_token: str | None = None
    consumer_key: str | None = None
    consumer_secret: str | None = None
    access_token: str | None = None
    access_token_secret: str | None = None

    @property
    def oauth1(self) -> bool:
        return all((self.consumer_key, self.consumer_secret, self.access_token, self.access_token_secret))


class _HostSwap:
    """What tweepy uses of a session, forwarding to a real aiohttp session with the X host replaced."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str) -> None:
        self._session = session
        self._base = base_url.rstrip("/")

    def request(self, method: str, url: str | URL, **kwargs: Any) -> Any:
        text = str(url)
        if text.startswith(X_HOST):
            text = self._base + text[len(X_HOST):]
        target: str | URL = URL(text, encoded=True) if isinstance(url, URL) else text
        return self._session.request(method, target, **kwargs)


class XChannel:
    """Adapter for one municipality account on X."""

    name = NAME

    def __init__(self, credentials: Credentials, gate: XGate, route: RouteFor, clock: Clock, *,
                 api_url: str | None = None, account_id: str | None = None, timeout: float = 30.0) -> None:
        self._credentials = credentials
        self._gate = gate
        self._route = route
        self._clock = clock
        self._api_url = api_url
        self._timeout = timeout
        self.own_id = account_id
        self._user_auth = credentials.oauth1
        self._client = AsyncClient(
            bearer_token=credentials.bearer_token, consumer_key=credentials.consumer_key,
            consumer_secret=credentials.consumer_secret, access_token=credentials.access_token,
            access_token_secret=credentials.access_token_secret, return_type=dict, wait_on_rate_limit=False,
        )
        self._session: aiohttp.ClientSession | None = None

    async def open(self) -> None:
        """Create the HTTP session (inside the running loop); tweepy then never opens one of its own."""
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self._timeout))
            self._client.session = _HostSwap(self._session, self._api_url) if self._api_url else self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
            self._client.session = None

    async def me(self) -> str:
        body = await self._call(Request.ME, lambda: self._client.get_me(user_auth=self._user_auth))
        found = x_wire.user_id(body)
        if found is None:
            raise TemporaryFailure("X gaf bij users/me geen account-id terug")
        self.own_id = found
        return found

    async def read(self, stream: Stream, cursor: Cursor, max_results: int) -> Page:
        own = self.own_id or await self.me()
        token = cursor.pagination_token
        if stream is Stream.MENTIONS:
            body = await self._call(Request.MENTIONS, lambda: self._client.get_users_mentions(
                own, since_id=cursor.since_id, pagination_token=token, max_results=max(5, min(max_results, 100)),
                tweet_fields=TWEET_FIELDS, user_auth=self._user_auth), paging=token is not None)
            return x_wire.mentions_page(body, own, self._clock())
        body = await self._call(Request.DM_EVENTS, lambda: self._client.get_direct_message_events(
            event_types="MessageCreate", dm_event_fields=DM_FIELDS, pagination_token=token,
            max_results=max(1, min(max_results, 100)), user_auth=self._user_auth), paging=token is not None)
        return x_wire.dm_events_page(body, own, self._clock())

    async def send(self, message: OutboundMessage) -> str | None:
        route = await self._route(message)
        if route.mode is Mode.DM:
            sent: str | None = None
            for part in chunks(route.text, DM_LIMIT):
                body = await self._call(Request.DM, lambda part=part: self._client.create_direct_message(  # type: ignore[misc]
                    participant_id=route.user_id, text=part, user_auth=self._user_auth))
                sent = x_wire.created_id(body, "dm_event_id")
            return sent
        body = await self._call(Request.TWEET, lambda: self._client.create_tweet(
            text=route.text, in_reply_to_tweet_id=route.in_reply_to, user_auth=self._user_auth))
        return x_wire.created_id(body, "id")

    async def _call(self, request: Request, make: Callable[[], Awaitable[Any]], *,
                    paging: bool = False) -> Mapping[str, Any]:
        """One request: budget first, then X; X's answers translated into our failures."""
        await self._gate.before(request)
        if self._session is None:
            await self.open()
        try:
            body = await make()
        except tweepy_errors.TooManyRequests as error:
            raise TemporaryFailure(f"X: te veel verzoeken (429) bij {request}",
                                   retry_after=self._until_reset(error.response)) from None
        except tweepy_errors.HTTPException as error:
            return await self._refused(request, error.response, paging)
        except aiohttp.ClientResponseError as error:  # an error answer without JSON (a proxy's HTML page)
            raise await self._status_failure(request, error.status, None) from None
        except (TimeoutError, aiohttp.ClientError) as error:
            raise TemporaryFailure(f"X niet bereikbaar bij {request}: {type(error).__name__}") from None
        return body if isinstance(body, dict) else {}

    async def _refused(self, request: Request, response: aiohttp.ClientResponse, paging: bool) -> Mapping[str, Any]:
        try:
            body: object = await response.json(content_type=None)
        except ValueError:
            body = None
        if response.status == 403 and request is Request.TWEET and x_wire.is_duplicate(body):
            return {}  # the same short notice is already public
        if response.status == 400 and paging:
            raise InvalidCursor(f"X weigerde het vervolgtoken bij {request}")
        raise await self._status_failure(request, response.status, body)

    async def _status_failure(self, request: Request, status: int, body: object) -> Exception:
        detail = x_wire.problem(body)
        if status == 401 or (status == 403 and (not request.is_write or x_wire.is_access_problem(body))):
            reason = f"X weigert de toegangsgegevens ({status} {detail}".rstrip() + ")"
            await self._gate.refused(reason)
            return ChannelPaused(reason, retry_after=900)
        if status in (403, 404) and request.is_write:
            return PermanentFailure(f"X: bewoner niet bereikbaar via {request} ({status} {detail})".replace(" )", ")"))
        if status == 429:
            return TemporaryFailure(f"X: te veel verzoeken (429) bij {request}", retry_after=DEFAULT_RATE_WAIT)
        return TemporaryFailure(f"X antwoordde {status} bij {request} {detail}".rstrip())

    def _until_reset(self, response: aiohttp.ClientResponse) -> float:
        raw = response.headers.get("x-rate-limit-reset", "")
        if not raw.isdigit():
            return DEFAULT_RATE_WAIT
        return max(1.0, float(int(raw)) - self._clock().timestamp())
