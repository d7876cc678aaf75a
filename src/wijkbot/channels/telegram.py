"""The Telegram channel: a thin adapter between the Bot API (python-telegram-bot) and our services.

In: updates (webhook route or polling, telegram_runners) -> InboundMessage (telegram_updates) -> on_message,
which stores before anything else; a pressed button is then answered (answerCallbackQuery) and its question
edited to show the choice. Out: OutboundMessage -> paced, split sendMessage calls (telegram_sending).
Invariants: the adapter decides nothing about cases; webhook mode when a webhook URL is configured, else
polling (so a token alone works on a laptop); the Bot API base URL can point at a municipality's own Bot API
server or a test fake; file URLs from the API are only fetched over HTTP(S), never read from local paths;
logs carry a keyed hash of the chat id, never the id itself; the bot token never appears in a log line.
A token the Bot API refuses is logged once (naming WIJKBOT_TELEGRAM_TOKEN, not "unreachable") and asked about
again only every few minutes; `health_state` says how the channel is doing, for /health.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import time
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Bot, CallbackQuery, Message, Update
from telegram.error import BadRequest, InvalidToken, TelegramError
from telegram.request import HTTPXRequest

from wijkbot.channels.telegram_pacing import Busy, Pacer
from wijkbot.channels.telegram_runners import pause, run_polling, run_webhook, webhook_handler
from wijkbot.channels.telegram_sending import TEXT_LIMIT, Sender
from wijkbot.channels.telegram_updates import NAME, is_button_of, to_inbound
from wijkbot.domain.attachments import DEFAULT_MAX_BYTES
from wijkbot.domain.model import OutboundMessage
from wijkbot.ports import ChannelPaused, Clock, OnMessage, TemporaryFailure

log = logging.getLogger(__name__)
DEFAULT_API_URL = "https://api.telegram.org"
DEFAULT_WEBHOOK_PATH = "/telegram/webhook"
FETCH_ATTEMPTS = 3
TOKEN_RETRY_SECONDS = 300.0
UNREACHABLE_AFTER = 3  # getUpdates failures in a row before /health says "unreachable"
REFUSED = "the Bot API refused the token (WIJKBOT_TELEGRAM_TOKEN)"

# "starting": getMe has not answered yet; "running": the Bot API accepted the token; "token refused": it answered
# 401/404 to the token (wrong, revoked, or WIJKBOT_TELEGRAM_API_URL is no Bot API server); "unreachable": no
# answer from the Bot API (network, DNS, 5xx) before it ever accepted the token, or to UNREACHABLE_AFTER
# getUpdates in a row while polling.
TelegramState = Literal["starting", "running", "token refused", "unreachable"]

__all__ = ["NAME", "TelegramChannel", "TelegramConfig", "TelegramState"]


@dataclass(frozen=True, slots=True)
class TelegramConfig:
    """What the composition root tells the channel (from WIJKBOT_TELEGRAM_* settings)."""

    token: str
    api_url: str | None = None  # the Bot API server root, e.g. http://127.0.0.1:8081 (default: Telegram's)
    webhook_url: str | None = None  # public URL Telegram posts updates to; None: polling
    webhook_secret: str | None = None  # default: derived from the token
    max_file_bytes: int = DEFAULT_MAX_BYTES
    messages_per_second: float = 29.0
    seconds_per_chat: float = 1.05
    max_pacing_wait: float = 20.0
    poll_timeout: int = 30
    token_retry_seconds: float = TOKEN_RETRY_SECONDS  # how often a refused token is tried again

    @property
    def mode(self) -> str:
        return "webhook" if self.webhook_url else "polling"

    @property
    def webhook_path(self) -> str:
        return urlsplit(self.webhook_url or "").path or DEFAULT_WEBHOOK_PATH

    @property
    def secret(self) -> str:
        """The secret_token for setWebhook (1-256 of A-Z a-z 0-9 _ -); stable across restarts and processes."""
        if self.webhook_secret:
            return self.webhook_secret
        return hmac.new(self.token.encode(), b"wijkbot telegram webhook", hashlib.sha256).hexdigest()

    @property
    def bot_id(self) -> str:
        return self.token.split(":", 1)[0]

    def urls(self) -> tuple[str, str]:
        """The base URL and file URL python-telegram-bot appends the token to."""
        root = (self.api_url or DEFAULT_API_URL).rstrip("/").removesuffix("/bot")
        return f"{root}/bot", f"{root}/file/bot"


class TelegramChannel:
    name = NAME

    def __init__(self, config: TelegramConfig, on_message: OnMessage, clock: Clock,
                 bot: Bot | None = None) -> None:
        self.config = config
        self._on_message = on_message
        self._clock = clock
        base_url, file_url = config.urls()
        self.bot = bot or Bot(config.token, base_url=base_url, base_file_url=file_url,
                              request=HTTPXRequest(connection_pool_size=64, read_timeout=15.0, write_timeout=15.0,
                                                   connect_timeout=10.0, pool_timeout=30.0),
                              get_updates_request=HTTPXRequest(connection_pool_size=2, read_timeout=10.0))
        self.pacer = Pacer(config.messages_per_second, config.seconds_per_chat, config.max_pacing_wait)
        self._sender = Sender(self.bot, self.pacer, self.tag)
        self._ready_lock = asyncio.Lock()
        self._ready = False
        self._background: set[asyncio.Task[None]] = set()
        self._tag_key = hmac.new(config.token.encode(), b"wijkbot log tag", hashlib.sha256).digest()
        self._state: TelegramState = "starting"
        self._refused_at = 0.0  # time.monotonic() of the last refusal of the token

    @property
    def health_state(self) -> TelegramState:
        """How the channel is doing, read-only: "starting", "running", "token refused" or "unreachable"."""
        return self._state

    def tag(self, address: str) -> str:
        """A short, keyed hash of a chat id for logs: correlates lines without revealing the resident."""
        return hmac.new(self._tag_key, address.encode(), hashlib.sha256).hexdigest()[:10]

    # --- out -------------------------------------------------------------------------------------------
    async def send(self, message: OutboundMessage) -> str | None:
        # A refused token holds the message (ChannelPaused: no attempt spent, never "niet bezorgd" for it): it
        # goes out once wijkbot runs with a valid token, as X does with refused credentials.
        try:
            await self.ready()
        except InvalidToken as error:
            raise ChannelPaused(REFUSED, retry_after=self.config.token_retry_seconds) from error
        except TelegramError as error:  # Telegram unreachable: the outbox tries again
            raise TemporaryFailure(f"Telegram not ready ({type(error).__name__})") from error
        try:
            sent = await self._sender.send(message)
        except TemporaryFailure as failure:
            if isinstance(failure.__cause__, InvalidToken):  # revoked while we were running
                self._refused_at = time.monotonic()
                self._token_refused(failure.__cause__)
                raise ChannelPaused(REFUSED, retry_after=self.config.token_retry_seconds,
                                    parts_sent=failure.parts_sent) from failure.__cause__
            raise
        self._accepted()
        return sent

    # --- in --------------------------------------------------------------------------------------------
    async def handle_update(self, update: Update) -> None:
        """Store what the resident sent (through on_message); then acknowledge a pressed button."""
        inbound = await to_inbound(update, self.config.bot_id, self._fetch, self.config.max_file_bytes,
                                   self._clock())
        if inbound is None:
            return
        result = await self._on_message(inbound)
        query = update.callback_query
        if query is not None:
            await self._acknowledge(query, inbound.text, bool(getattr(result, "duplicate", False)))

    async def _acknowledge(self, query: CallbackQuery, label: str, duplicate: bool) -> None:
        """Stop the button's spinner and show what was chosen under the question (best effort: it is stored)."""
        try:
            await self.ready()
            await self.bot.answer_callback_query(query.id)
        except TelegramError as error:  # an old query (redelivered) cannot be answered any more: fine
            log.debug("answerCallbackQuery failed (%s)", type(error).__name__)
        message = query.message
        if duplicate or not isinstance(message, Message) or not message.text or not is_button_of(message, query.data):
            return  # a value that is none of the question's buttons leaves the question as it is
        # The edit waits for the chat's turn: in the background, so the webhook answers 200 at once.
        task = asyncio.create_task(self._show_choice(message, label))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _show_choice(self, message: Message, label: str) -> None:
        edited = f"{message.text}\n\n✓ {label}"
        try:
            async with self.pacer.turn(str(message.chat.id), 1, max_wait=5.0) as turn, turn.slot():
                if len(edited.encode("utf-16-le")) // 2 <= TEXT_LIMIT:
                    await self.bot.edit_message_text(edited, chat_id=message.chat.id, message_id=message.message_id)
                else:
                    await self.bot.edit_message_reply_markup(chat_id=message.chat.id, message_id=message.message_id)
        except (Busy, TelegramError) as error:
            log.debug("question not edited (%s)", type(error).__name__)

    async def _fetch(self, file_id: str) -> bytes | None:
        """A file's bytes via getFile and the file URL; None when it cannot be had (told to the resident)."""
        for attempt in range(1, FETCH_ATTEMPTS + 1):
            try:
                await self.ready()
                file = await self.bot.get_file(file_id)
                if not (file.file_path or "").startswith(("https://", "http://")):
                    return None  # a local path (local-mode server): never read files off our own disk
                if file.file_size and file.file_size > self.config.max_file_bytes:
                    return None
                return bytes(await file.download_as_bytearray())
            except BadRequest as error:  # e.g. "file is too big": asking again will not help
                log.info("file not fetched (%s)", type(error).__name__)
                return None
            except TelegramError as error:
                log.warning("file fetch attempt %d failed (%s)", attempt, type(error).__name__)
                await asyncio.sleep(0.5 * attempt)
        return None

    # --- running ---------------------------------------------------------------------------------------
    async def ready(self) -> None:
        """getMe once (checks the token and the API URL); safe to call from many tasks."""
        if self._ready:
            return
        async with self._ready_lock:
            if not self._ready:
                # A refused token is asked about again only every token_retry_seconds, also when every outbox
                # row's send() comes here: the answer will not change sooner.
                if (self._state == "token refused"
                        and time.monotonic() - self._refused_at < self.config.token_retry_seconds):
                    raise InvalidToken(REFUSED)
                try:
                    await self.bot.initialize()
                except InvalidToken as error:
                    self._refused_at = time.monotonic()
                    self._token_refused(error)
                    raise InvalidToken(REFUSED) from None
                except TelegramError:
                    if self._state != "token refused":
                        self._state = "unreachable"
                    raise
                self._ready = True
                self._accepted()
                log.info("Telegram bot @%s ready (%s)", self.bot.username, self.config.mode)

    def _token_refused(self, error: InvalidToken) -> None:
        """Say it once, clearly, for each time the token goes from accepted (or not yet asked) to refused."""
        if self._state == "token refused":
            return
        self._state = "token refused"
        cause = error.__cause__ if isinstance(error.__cause__, TelegramError) else error
        answer = cause.message  # Telegram's "Unauthorized" or "Not Found"; never the token, whatever it says
        for secret in (self.config.token, self.config.token.partition(":")[2]):
            answer = answer.replace(secret, "...") if secret else answer
        hint = (" (a malformed token, or WIJKBOT_TELEGRAM_API_URL is no Bot API server)"
                if "not found" in answer.lower() else " (a wrong token, or one revoked in @BotFather)")
        log.error("%s: %s%s. Telegram is off until wijkbot is restarted with a valid token (the token is read at "
                  "start-up only); asking again every %s in case the Bot API recovers", REFUSED, answer, hint,
                  _duration(self.config.token_retry_seconds))

    def _accepted(self) -> None:
        if self._state == "token refused":
            log.warning("the Bot API accepts the token (WIJKBOT_TELEGRAM_TOKEN) again")
        self._state = "running"

    def routes(self) -> list[web.RouteDef]:
        """The webhook route, in webhook mode only (in polling mode there is nothing to post to)."""
        if self.config.mode != "webhook":
            return []
        return [web.post(self.config.webhook_path, webhook_handler(self.bot, self.config.secret, self.handle_update))]

    async def run(self, stop: asyncio.Event) -> None:
        """The channel's worker: register the webhook, or poll; returns when stop is set."""
        failures = 0
        while not self._ready and not stop.is_set():
            try:
                await self.ready()
            except InvalidToken:  # logged once by ready(); asking every second would not change the answer
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=self.config.token_retry_seconds)
            except TelegramError as error:
                failures += 1
                log.error("Telegram not reachable (%s); trying again (check the network, or WIJKBOT_TELEGRAM_API_URL)",
                          type(error).__name__)
                await pause(stop, failures)
        if stop.is_set():
            return
        if self.config.mode == "webhook":
            assert self.config.webhook_url is not None
            await run_webhook(self.bot, self.config.webhook_url, self.config.secret, stop)
        else:
            await run_polling(self.bot, self.handle_update, stop, self.config.poll_timeout,
                              refused=self._refused_while_polling, answered=self._accepted,
                              unanswered=self._unanswered_while_polling)

    def _unanswered_while_polling(self, failures: int) -> None:
        """Three getUpdates in a row without an answer (network, 5xx): residents' messages are not coming in."""
        if failures >= UNREACHABLE_AFTER and self._state != "token refused":
            self._state = "unreachable"

    def _refused_while_polling(self, error: InvalidToken) -> float:
        """A token revoked while we poll: said once, as at start-up; the poller asks again after this long."""
        self._refused_at = time.monotonic()
        self._token_refused(error)
        return self.config.token_retry_seconds

    async def settled(self) -> None:
        """Until the background edits started so far are done (tests, and shutdown)."""
        while self._background:
            await asyncio.gather(*self._background, return_exceptions=True)

    async def aclose(self) -> None:
        await self.settled()
        if self._ready:
            await self.bot.shutdown()
            self._ready = False


def _duration(seconds: float) -> str:
    return f"{seconds / 60:g} min" if seconds >= 60 else f"{seconds:g} s"
