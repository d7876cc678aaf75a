"""How updates reach us: our own aiohttp webhook route (production) or a getUpdates loop (development).

Invariants: an update is confirmed to Telegram only after it is stored: the webhook answers 200 once the
handler returned (an error gives 500, and Telegram delivers again), and polling moves its offset past an
update only after handling it (a crash or restart means Telegram sends it again; intake's dedupe makes that
harmless); the webhook accepts nothing without the secret token header (401 without it, 403 when wrong,
compared in constant time) and nothing that is not an update (400); both loops end promptly when `stop` is
set; no log line carries a chat id, a text or the bot token (exceptions are logged by type only, because
Telegram's and the database's messages can contain them).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from aiohttp import web
from telegram import Bot, Update
from telegram.error import InvalidToken, TelegramError

from wijkbot.channels.telegram_updates import ALLOWED_UPDATES

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name)
MAX_PAUSE = 60.0
T = TypeVar("T")
Handle = Callable[[Update], Awaitable[None]]


class _Stopped(Exception):
    pass


def webhook_handler(bot: Bot, secret: str, handle: Handle) -> Callable[[web.Request], Awaitable[web.Response]]:
    expected = secret.encode()

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER)
        if given is None:
            return web.json_response({"error": "secret token ontbreekt"}, status=401)
        if not hmac.compare_digest(given.encode(), expected):
            return web.json_response({"error": "secret token klopt niet"}, status=403)
        try:
            data = json.loads(await request.read())
            if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                raise ValueError("no update_id")
            update = Update.de_json(data, bot)
        except (ValueError, TypeError, KeyError, UnicodeDecodeError):
            return web.json_response({"error": "geen geldige Telegram-update"}, status=400)
        try:
            await handle(update)
        except Exception as error:  # not stored: Telegram will deliver it again
            log.error("update %s not stored (%s); Telegram will deliver it again", update.update_id,
                      type(error).__name__)
            return web.json_response({"error": "tijdelijk niet verwerkt"}, status=500)
        return web.Response(status=200)

    return receive


async def run_webhook(bot: Bot, url: str, secret: str, stop: asyncio.Event) -> None:
    """Tell Telegram where to deliver (setWebhook, retried until it works), then wait for stop."""
    failures = 0
    while not stop.is_set():
        try:
            await _unless_stopped(bot.set_webhook(url=url, secret_token=secret, allowed_updates=ALLOWED_UPDATES),
                                  stop)
            log.info("Telegram webhook registered")
            break
        except _Stopped:
            return
        except TelegramError as error:
            failures += 1
            log.warning("setWebhook failed (%s); trying again", type(error).__name__)
            await pause(stop, failures)
    await stop.wait()


async def run_polling(bot: Bot, handle: Handle, stop: asyncio.Event, poll_seconds: int,
                      refused: Callable[[InvalidToken], float] | None = None,
                      answered: Callable[[], None] | None = None,
                      unanswered: Callable[[int], None] | None = None) -> None:
    """deleteWebhook, then getUpdates in a loop; the offset passes an update only once it is handled.

    A token refused while polling (revoked in @BotFather) goes to `refused`, which says it once and answers how
    long to wait before asking again; `answered` hears each getUpdates the Bot API answered, `unanswered` each
    that failed otherwise (with the number of failures in a row)."""
    failures = 0
    while not stop.is_set():
        try:
            await _unless_stopped(bot.delete_webhook(drop_pending_updates=False), stop)
            break
        except _Stopped:
            return
        except TelegramError as error:
            failures += 1
            log.warning("deleteWebhook failed (%s); trying again", type(error).__name__)
            await pause(stop, failures)
    log.info("Telegram polling started")
    offset: int | None = None
    unreachable = 0  # getUpdates failures in a row
    while not stop.is_set():
        try:
            updates = await _unless_stopped(bot.get_updates(offset=offset, timeout=poll_seconds,
                                                            allowed_updates=ALLOWED_UPDATES), stop)
        except _Stopped:
            return
        except InvalidToken as error:
            if refused is None:
                raise
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=refused(error))
            continue
        except TelegramError as error:  # network, 5xx, 409 (a webhook or another poller), flood control
            failures += 1
            unreachable += 1
            log.warning("getUpdates failed (%s); trying again", type(error).__name__)
            if unanswered is not None:
                unanswered(failures)
            await pause(stop, failures)
            continue
        if unreachable:  # the operator saw the warnings; say when they are over, not only on /health
            log.info("getUpdates works again after %d failed attempt%s", unreachable, "" if unreachable == 1 else "s")
            unreachable = 0
        failures = 0
        if answered is not None:
            answered()
        # Handled together, so the intake writes them in one group commit; in arrival order per resident.
        results = await asyncio.gather(*(handle(u) for u in updates), return_exceptions=True)
        for update, result in zip(updates, results, strict=True):
            if isinstance(result, BaseException):  # keep the offset: this update (and later ones) come again
                failures += 1
                log.error("update %s not stored (%s); trying again", update.update_id, type(result).__name__)
                await pause(stop, failures)
                break
            offset = update.update_id + 1


async def _unless_stopped(call: Coroutine[Any, Any, T], stop: asyncio.Event) -> T:
    """Await `call`, but give up on it (cancelled) as soon as stop is set."""
    task = asyncio.ensure_future(call)
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
    except asyncio.CancelledError:
        task.cancel()
        raise
    finally:
        stopping.cancel()
    if not task.done():
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        raise _Stopped
    return task.result()


async def pause(stop: asyncio.Event, failures: int) -> None:
    """Back off 1, 2, 4 ... up to 60 s, waking at once on stop."""
    delay = min(2.0 ** max(failures - 1, 0), MAX_PAUSE)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=delay)
