"""A local fake of the Telegram Bot API over real HTTP, following the published shapes (core.telegram.org/bots/api).

Methods: getMe, getUpdates (long polling with offset confirmation), deleteWebhook, setWebhook, getWebhookInfo,
sendMessage, sendPhoto, getFile, answerCallbackQuery, editMessageText, editMessageReplyMarkup, and the file
download path /file/bot<token>/<file_path>. Answers are {"ok": true, "result": ...} or {"ok": false,
"error_code": n, "description": ..., "parameters"?: {"retry_after": n}}, as Telegram sends them; parameters are
read from form, multipart or JSON bodies (python-telegram-bot sends forms with JSON-encoded complex values).

Switches for tests: `fail(method, status, ...)` scripts the next answers (429 with retry_after, 500, 403, 400);
`block(chat)` makes a chat answer 403 "bot was blocked by the user" from then on; `enforce_limits` answers 429
to a send that would exceed 30 messages in any second overall or 1 a second to one chat, as Telegram may.
Everything received is recorded with a monotonic timestamp (`calls`, `sent`), so tests and the benchmark can
measure rates. Updates a test makes (`text`, `photo`, `document`, `location`, `press`) are handed out by
getUpdates, or posted to the webhook with its secret token by `deliver`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientSession, web

SEND_METHODS = frozenset({"sendMessage", "sendPhoto", "editMessageText", "editMessageReplyMarkup"})
TEXT_LIMIT = 4096
MAX_DOWNLOAD = 20 * 1024 * 1024  # the cloud Bot API refuses getFile above 20 MB


@dataclass
class Call:
    method: str
    status: int
    at: float
    chat_id: int | None = None


@dataclass
class Sent:
    """A message the bot sent (or edited), as the resident's app would show it."""

    method: str
    chat_id: int
    message_id: int
    text: str
    at: float
    buttons: list[tuple[str, str]] = field(default_factory=list)  # (label, callback data)
    message: dict[str, Any] = field(default_factory=dict)  # the Message object as returned


@dataclass
class _Failure:
    method: str
    status: int
    description: str
    retry_after: int | None
    chat_id: int | None
    times: int
    skip: int = 0


class ApiError(Exception):
    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


class FakeTelegram:
    def __init__(self, token: str = "4242424242:AAF-fake_token_for_tests_0123456789") -> None:
        self.token = token
        self.bot_user = {"id": int(token.split(":")[0]), "is_bot": True, "first_name": "Wijkbot Test",
                         "username": "wijkbot_test_bot", "can_join_groups": False,
                         "can_read_all_group_messages": False, "supports_inline_queries": False}
        self.calls: list[Call] = []
        self.sent: list[Sent] = []
        self.answered: list[dict[str, Any]] = []  # answerCallbackQuery parameters
        self.webhook: dict[str, Any] | None = None
        self.enforce_limits = False
        self.too_many = 0  # 429s given because of enforce_limits
        self.offset = 0  # updates below this id are confirmed
        self._pending: list[dict[str, Any]] = []
        self._new_update = asyncio.Event()
        self._failures: list[_Failure] = []
        self._blocked: set[int] = set()
        self._chats: dict[int, dict[str, Any]] = {}
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._message_ids = itertools.count(1)
        self._update_ids = itertools.count(700_000_001)
        self._query_ids = itertools.count(1)
        self._queries: dict[str, bool] = {}  # callback query id -> answered
        self._files: dict[str, tuple[bytes, str]] = {}  # file id -> (content, file path)
        self._window: deque[float] = deque()
        self._last_to_chat: dict[int, float] = {}
        self._runner: web.AppRunner | None = None
        self._session: ClientSession | None = None  # Telegram's side of the webhook: one connection pool
        self.url = ""
        self.webhook_statuses: list[int] = []

    # --- running -----------------------------------------------------------------------------------------
    async def start(self, port: int = 0) -> str:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def go_down(self) -> None:
        """An outage: the port stops answering (every request: connection refused); `come_back` ends it."""
        assert self._runner is not None
        await self._runner.cleanup()
        self._runner = None

    async def come_back(self) -> None:
        """The Bot API answers again, on the same address."""
        await self.start(int(self.url.rsplit(":", 1)[1]))

    async def stop(self) -> None:
        self._new_update.set()  # end any long poll still waiting (its client may be gone)
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # --- switches ----------------------------------------------------------------------------------------
    def fail(self, method: str, status: int, *, retry_after: int | None = None, times: int = 1,
             chat_id: int | None = None, description: str | None = None, skip: int = 0) -> None:
        """Answer `times` calls of `method` (to `chat_id`, if given) with this error, after letting `skip` pass."""
        default = {429: "Too Many Requests: retry after {n}", 500: "Internal Server Error",
                   502: "Bad Gateway", 403: "Forbidden: bot was blocked by the user", 400: "Bad Request"}
        text = description or default.get(status, "Error").format(n=retry_after)
        self._failures.append(_Failure(method, status, text, retry_after, chat_id, times, skip))

    def block(self, chat_id: int) -> None:
        """The resident blocked the bot: every send to this chat answers 403 from now on."""
        self._blocked.add(chat_id)

    # --- what a resident does (updates) ---------------------------------------------------------------------
    def _user(self, chat_id: int) -> dict[str, Any]:
        return {"id": chat_id, "is_bot": False, "first_name": "Fenna", "last_name": "de Vries",
                "username": f"fenna{chat_id}", "language_code": "nl"}

    def _incoming(self, chat_id: int, **content: Any) -> dict[str, Any]:
        user = self._user(chat_id)
        chat = {"id": chat_id, "type": "private", "first_name": user["first_name"],
                "last_name": user["last_name"], "username": user["username"]}
        self._chats[chat_id] = chat
        message = {"message_id": next(self._message_ids), "date": int(time.time()), "chat": chat, "from": user,
                   **content}
        return {"update_id": next(self._update_ids), "message": message}

    def text(self, chat_id: int, text: str) -> dict[str, Any]:
        entities = []
        if text.startswith("/"):
            entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return self._incoming(chat_id, text=text, **({"entities": entities} if entities else {}))

    def add_file(self, content: bytes, path: str, size: int | None = None) -> dict[str, Any]:
        n = len(self._files) + 1
        file_id = f"AgACAgQAAxkBAAI{n:06d}"
        self._files[file_id] = (content, path)
        return {"file_id": file_id, "file_unique_id": f"AQAD{n:06d}", "file_size": len(content) if size is None
                else size}

    def photo(self, chat_id: int, content: bytes, caption: str | None = None,
              size: int | None = None) -> dict[str, Any]:
        small = self.add_file(content[: max(1, len(content) // 8)], f"photos/file_{len(self._files)}_s.jpg")
        large = self.add_file(content, f"photos/file_{len(self._files) + 1}.jpg", size)
        sizes = [small | {"width": 90, "height": 68}, large | {"width": 1280, "height": 960}]
        return self._incoming(chat_id, photo=sizes, **({"caption": caption} if caption else {}))

    def document(self, chat_id: int, content: bytes, file_name: str, mime_type: str,
                 caption: str | None = None, size: int | None = None) -> dict[str, Any]:
        file = self.add_file(content, f"documents/{file_name}", size)
        return self._incoming(chat_id, document=file | {"file_name": file_name, "mime_type": mime_type},
                              **({"caption": caption} if caption else {}))

    def voice(self, chat_id: int, content: bytes) -> dict[str, Any]:
        file = self.add_file(content, "voice/file.oga")
        return self._incoming(chat_id, voice=file | {"duration": 3, "mime_type": "audio/ogg"})

    def contact(self, chat_id: int, phone_number: str, first_name: str) -> dict[str, Any]:
        """A shared contact card (Bot API `Contact`)."""
        return self._incoming(chat_id, contact={"phone_number": phone_number, "first_name": first_name})

    def location(self, chat_id: int, latitude: float, longitude: float) -> dict[str, Any]:
        return self._incoming(chat_id, location={"latitude": latitude, "longitude": longitude})

    def group_text(self, chat_id: int, text: str) -> dict[str, Any]:
        update = self._incoming(chat_id, text=text)
        update["message"]["chat"] = {"id": -chat_id, "type": "group", "title": "Buurtgroep"}
        return update

    def press(self, sent: Sent, data: str) -> dict[str, Any]:
        """The resident presses the button with callback data `data` under a message the bot sent."""
        query_id = str(next(self._query_ids) + 9_000_000_000)
        self._queries[query_id] = False
        message = dict(self._messages.get((sent.chat_id, sent.message_id), sent.message))
        query = {"id": query_id, "from": self._user(sent.chat_id), "message": message,
                 "chat_instance": f"ci{sent.chat_id}", "data": data}
        return {"update_id": next(self._update_ids), "callback_query": query}

    def enqueue(self, update: dict[str, Any]) -> None:
        """Make an update available to getUpdates (polling mode)."""
        self._pending.append(update)
        self._new_update.set()

    async def deliver(self, update: dict[str, Any]) -> int:
        """Post an update to the webhook (webhook mode), with the secret token; returns the HTTP status."""
        assert self.webhook is not None, "no webhook set"
        headers = {"Content-Type": "application/json"}
        if self.webhook.get("secret_token"):
            headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook["secret_token"]
        if self._session is None:
            self._session = ClientSession()
        async with self._session.post(self.webhook["url"], data=json.dumps(update), headers=headers) as response:
            self.webhook_statuses.append(response.status)
            return response.status

    async def wait_confirmed(self, update_id: int, within: float = 15.0) -> None:
        """Until the poller asked for updates after this one (so it has handled it)."""
        deadline = time.monotonic() + within
        while self.offset <= update_id:
            if time.monotonic() > deadline:
                raise TimeoutError(f"update {update_id} was not confirmed (offset {self.offset})")
            await asyncio.sleep(0.01)

    async def wait_webhook(self, within: float = 10.0) -> dict[str, Any]:
        deadline = time.monotonic() + within
        while self.webhook is None:
            if time.monotonic() > deadline:
                raise TimeoutError("setWebhook was not called")
            await asyncio.sleep(0.01)
        return self.webhook

    # --- what the resident sees ------------------------------------------------------------------------------
    def messages_to(self, chat_id: int) -> list[Sent]:
        return [s for s in self.sent if s.chat_id == chat_id and s.method in ("sendMessage", "sendPhoto")]

    def texts_to(self, chat_id: int) -> list[str]:
        return [s.text for s in self.messages_to(chat_id)]

    def count(self, method: str, status: int | None = None) -> int:
        return sum(1 for c in self.calls if c.method == method and (status is None or c.status == status))

    # --- the API -------------------------------------------------------------------------------------------
    async def _api(self, request: web.Request) -> web.Response:
        at = time.monotonic()
        method = request.match_info["method"]
        params = await self._params(request)
        chat_id = _int(params.get("chat_id"))
        if request.match_info["token"] != self.token:
            return self._answer(Call(method, 401, at, chat_id), error=ApiError(401, "Unauthorized"))
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return self._answer(Call(method, 404, at, chat_id), error=ApiError(404, "Not Found"))
        try:
            self._scripted(method, chat_id)
            if method in SEND_METHODS and chat_id is not None:
                self._check_limits(chat_id, at)
            result = await handler(params, at)
        except ApiError as error:
            return self._answer(Call(method, error.status, at, chat_id), error=error)
        return self._answer(Call(method, 200, at, chat_id), result=result)

    def _answer(self, call: Call, result: Any = None, error: ApiError | None = None) -> web.Response:
        self.calls.append(call)
        if error is None:
            return web.json_response({"ok": True, "result": result})
        body: dict[str, Any] = {"ok": False, "error_code": error.status, "description": error.description}
        if error.retry_after is not None:
            body["parameters"] = {"retry_after": error.retry_after}
        return web.json_response(body, status=error.status)

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            body = await request.json()
            return dict(body) if isinstance(body, dict) else {}
        if request.method == "GET":
            return dict(request.query)
        form = await request.post()
        return {k: v for k, v in form.items()}

    def _scripted(self, method: str, chat_id: int | None) -> None:
        for failure in self._failures:
            if failure.method == method and (failure.chat_id is None or failure.chat_id == chat_id):
                if failure.skip > 0:
                    failure.skip -= 1
                    continue
                failure.times -= 1
                if failure.times <= 0:
                    self._failures.remove(failure)
                raise ApiError(failure.status, failure.description, failure.retry_after)
        if method in SEND_METHODS and chat_id in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")

    def _check_limits(self, chat_id: int, at: float) -> None:
        if not self.enforce_limits:
            return
        while self._window and at - self._window[0] >= 1.0:
            self._window.popleft()
        if len(self._window) >= 30 or at - self._last_to_chat.get(chat_id, float("-inf")) < 1.0:
            self.too_many += 1
            raise ApiError(429, "Too Many Requests: retry after 1", retry_after=1)

    def _accept_send(self, chat_id: int, at: float) -> None:
        if self.enforce_limits:
            self._window.append(at)
            self._last_to_chat[chat_id] = at

    def _chat(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = _int(params.get("chat_id"))
        if chat_id is None or chat_id not in self._chats:
            raise ApiError(400, "Bad Request: chat not found")
        return self._chats[chat_id]

    async def _m_getMe(self, params: dict[str, Any], at: float) -> Any:
        return self.bot_user

    async def _m_getUpdates(self, params: dict[str, Any], at: float) -> Any:
        if self.webhook is not None:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")
        offset = _int(params.get("offset"))
        if offset is not None and offset > self.offset:
            self.offset = offset
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        limit = _int(params.get("limit")) or 100
        timeout = float(params.get("timeout") or 0)
        if not self._pending and timeout > 0:
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), timeout=timeout)
        return self._pending[:limit]

    async def _m_setWebhook(self, params: dict[str, Any], at: float) -> Any:
        url = params.get("url") or ""
        if not url:
            self.webhook = None
            return True
        if not str(url).startswith(("http://", "https://")):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        allowed = params.get("allowed_updates")
        self.webhook = {"url": url, "secret_token": params.get("secret_token"),
                        "allowed_updates": json.loads(allowed) if isinstance(allowed, str) else allowed}
        return True

    async def _m_deleteWebhook(self, params: dict[str, Any], at: float) -> Any:
        self.webhook = None
        if str(params.get("drop_pending_updates", "")).lower() == "true":
            self._pending.clear()
        return True

    async def _m_getWebhookInfo(self, params: dict[str, Any], at: float) -> Any:
        return {"url": (self.webhook or {}).get("url", ""), "has_custom_certificate": False,
                "pending_update_count": len(self._pending)}

    async def _m_sendMessage(self, params: dict[str, Any], at: float) -> Any:
        chat = self._chat(params)
        text = str(params.get("text") or "")
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(text.encode("utf-16-le")) // 2 > TEXT_LIMIT:
            raise ApiError(400, "Bad Request: message is too long")
        markup = _markup(params.get("reply_markup"))
        self._accept_send(chat["id"], at)
        message = {"message_id": next(self._message_ids), "date": int(time.time()), "chat": chat,
                   "from": self.bot_user, "text": text, **({"reply_markup": markup} if markup else {})}
        return self._record("sendMessage", message, at, markup)

    async def _m_sendPhoto(self, params: dict[str, Any], at: float) -> Any:
        chat = self._chat(params)
        photo = params.get("photo")
        if photo is None:
            raise ApiError(400, "Bad Request: there is no photo in the request")
        content = photo.file.read() if hasattr(photo, "file") else str(photo).encode()
        file = self.add_file(content, f"photos/sent_{len(self._files)}.jpg")
        self._accept_send(chat["id"], at)
        message = {"message_id": next(self._message_ids), "date": int(time.time()), "chat": chat,
                   "from": self.bot_user, "photo": [file | {"width": 1280, "height": 960}],
                   **({"caption": params["caption"]} if params.get("caption") else {})}
        return self._record("sendPhoto", message, at, None)

    async def _m_getFile(self, params: dict[str, Any], at: float) -> Any:
        file_id = str(params.get("file_id") or "")
        if file_id not in self._files:
            raise ApiError(400, "Bad Request: invalid file_id")
        content, path = self._files[file_id]
        if len(content) > MAX_DOWNLOAD:
            raise ApiError(400, "Bad Request: file is too big")
        return {"file_id": file_id, "file_unique_id": f"U{file_id[-6:]}", "file_size": len(content),
                "file_path": path}

    async def _m_answerCallbackQuery(self, params: dict[str, Any], at: float) -> Any:
        query_id = str(params.get("callback_query_id") or "")
        if self._queries.get(query_id, True):
            raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        self._queries[query_id] = True
        self.answered.append(dict(params))
        return True

    async def _m_editMessageText(self, params: dict[str, Any], at: float) -> Any:
        message = self._own_message(params)
        text = str(params.get("text") or "")
        if not text.strip() or len(text.encode("utf-16-le")) // 2 > TEXT_LIMIT:
            raise ApiError(400, "Bad Request: message text is empty or too long")
        markup = _markup(params.get("reply_markup"))
        if text == message.get("text") and markup == message.get("reply_markup"):
            raise ApiError(400, "Bad Request: message is not modified")
        self._accept_send(message["chat"]["id"], at)
        message = {k: v for k, v in message.items() if k != "reply_markup"} | {"text": text}
        if markup:
            message["reply_markup"] = markup
        return self._record("editMessageText", message, at, markup)

    async def _m_editMessageReplyMarkup(self, params: dict[str, Any], at: float) -> Any:
        message = self._own_message(params)
        markup = _markup(params.get("reply_markup"))
        self._accept_send(message["chat"]["id"], at)
        message = {k: v for k, v in message.items() if k != "reply_markup"}
        if markup:
            message["reply_markup"] = markup
        return self._record("editMessageReplyMarkup", message, at, markup)

    def _own_message(self, params: dict[str, Any]) -> dict[str, Any]:
        key = (_int(params.get("chat_id")) or 0, _int(params.get("message_id")) or 0)
        if key not in self._messages:
            raise ApiError(400, "Bad Request: message to edit not found")
        return self._messages[key]

    def _record(self, method: str, message: dict[str, Any], at: float, markup: dict[str, Any] | None) -> Any:
        chat_id = message["chat"]["id"]
        self._messages[(chat_id, message["message_id"])] = message
        buttons = [(b["text"], b.get("callback_data", "")) for row in (markup or {}).get("inline_keyboard", [])
                   for b in row]
        self.sent.append(Sent(method, chat_id, message["message_id"], message.get("text") or
                              message.get("caption") or "", at, buttons, message))
        return message

    async def _download(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        path = request.match_info["path"]
        for content, file_path in self._files.values():
            if file_path == path:
                self.calls.append(Call("download", 200, time.monotonic()))
                return web.Response(body=content, content_type="application/octet-stream")
        self.calls.append(Call("download", 404, time.monotonic()))
        return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)


def _int(value: Any) -> int | None:
    try:
        return int(value) if value is not None and value != "" else None
    except (TypeError, ValueError):
        return None


def _markup(value: Any) -> dict[str, Any] | None:
    if value in (None, "", "null"):
        return None
    markup = json.loads(value) if isinstance(value, str) else value
    for row in markup.get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= 64:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
            if not str(button.get("text", "")).strip():
                raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
    return dict(markup)
