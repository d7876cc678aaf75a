"""OutboundMessage -> Bot API calls: split long texts, buttons as an inline keyboard, Telegram's errors as ours.

Invariants: a text above 4,096 UTF-16 code units goes out as several messages in order (domain.split, on
paragraph and sentence boundaries), the buttons under the last one; a retry after a partial send starts at
the first part not yet delivered (OutboundMessage.parts_sent, reported back in TemporaryFailure.parts_sent);
every part waits for the pacer; 429 -> TemporaryFailure(retry_after) and the pacer holds back, 5xx and
network errors -> TemporaryFailure (backoff by delivery), 403 (the resident blocked the bot) or an unknown
chat -> PermanentFailure. A time-out after the request left may mean Telegram did deliver it: that part can
then arrive twice (the Bot API has no idempotency key); everything else is sent exactly once.
Texts are sent as plain text (no parse mode), so nothing an ambtenaar or resident wrote is read as markup.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import timedelta

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from wijkbot.channels.telegram_pacing import Busy, Pacer
from wijkbot.domain.model import OutboundMessage
from wijkbot.domain.split import split_text
from wijkbot.ports import PermanentFailure, TemporaryFailure

# python-telegram-bot 22 hands out retry_after as a timedelta only when opted in; without it, reading it warns.
os.environ.setdefault("PTB_TIMEDELTA", "1")

log = logging.getLogger(__name__)
TEXT_LIMIT = 4096
CALLBACK_DATA_LIMIT = 64  # bytes
_GONE = ("chat not found", "user is deactivated", "peer_id_invalid", "bot was blocked", "user not found")


def keyboard(actions: tuple[tuple[str, str], ...]) -> InlineKeyboardMarkup | None:
    """One button per row (labels are sentences, not single words); values Telegram cannot carry are left out."""
    rows = []
    for label, value in actions:
        if len(value.encode("utf-8")) > CALLBACK_DATA_LIMIT:
            log.warning("button value longer than %d bytes left out", CALLBACK_DATA_LIMIT)
            continue
        rows.append([InlineKeyboardButton(label[:200], callback_data=value)])
    return InlineKeyboardMarkup(rows) if rows else None


def retry_seconds(error: RetryAfter) -> float:
    value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class Sender:
    def __init__(self, bot: Bot, pacer: Pacer, tag: Callable[[str], str]) -> None:
        self._bot = bot
        self._pacer = pacer
        self._tag = tag  # chat id -> a short keyed hash for logs (the chat id itself is personal data)

    async def send(self, message: OutboundMessage) -> str | None:
        try:
            chat_id = int(message.reply_to.address)
        except ValueError as error:
            raise PermanentFailure("not a Telegram chat id") from error
        if not message.text.strip():
            raise ValueError("an empty text cannot be sent to Telegram")
        parts = split_text(message.text, TEXT_LIMIT)
        markup = keyboard(message.actions)
        first = min(message.parts_sent, len(parts))
        sent: list[str] = []
        try:
            async with self._pacer.turn(message.reply_to.address, len(parts) - first) as turn:
                for index in range(first, len(parts)):
                    async with turn.slot():
                        try:
                            result = await self._bot.send_message(
                                chat_id, parts[index], reply_markup=markup if index == len(parts) - 1 else None,
                                link_preview_options=LinkPreviewOptions(is_disabled=True))
                        except Exception as error:
                            raise self._failure(error, message.reply_to.address, index) from error
                    sent.append(str(result.message_id))
        except Busy as busy:
            raise TemporaryFailure(str(busy), busy.retry_after, first) from busy
        return ",".join(sent)[:200] or None

    def _failure(self, error: Exception, address: str, index: int) -> Exception:
        """Telegram's answer as ours; `index` parts of this message were delivered before it."""
        who = self._tag(address)
        if isinstance(error, RetryAfter):
            seconds = retry_seconds(error)
            self._pacer.hold(seconds, address)
            # INFO, as docs/operations.md says: a wait the channel asks for is no failure (delivery logs the retry)
            log.info("Telegram asked to slow down for %.0f s (chat %s)", seconds, who)
            return TemporaryFailure(f"429 flood control: retry after {seconds:.0f} s", seconds, index)
        if isinstance(error, Forbidden):
            log.info("chat %s blocked the bot or cannot be written to", who)
            return PermanentFailure(f"403 {error.message}")
        if isinstance(error, BadRequest) and any(gone in error.message.lower() for gone in _GONE):
            return PermanentFailure(f"400 {error.message}")
        if isinstance(error, TelegramError):
            return TemporaryFailure(f"{type(error).__name__}: {error.message}", None, index)
        return TemporaryFailure(f"{type(error).__name__}", None, index)
