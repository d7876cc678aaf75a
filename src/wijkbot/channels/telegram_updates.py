"""Telegram updates -> InboundMessage: text, slash commands, photos and files, locations, button presses.

Invariants: translation only, nothing is decided here; the external id is "<bot id>:<update id>", so a
redelivered update (webhook retry, polling after a restart) is recognised by intake and creates nothing new,
even when the municipality later switches to another bot; only private chats with people are taken (in a
group every reply would be public); the resident's Telegram name and username are never read into the
message (the chat id is the only personal datum kept, as the reply address); files are fetched only when
domain.attachments would keep them (the rest arrive as a description, so the answer can say why).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from telegram import CallbackQuery, Message, MessageEntity, Update
from telegram.constants import ChatType

from wijkbot.domain import attachments as attachment_rules
from wijkbot.domain.commands import parse
from wijkbot.domain.model import Attachment, InboundMessage, ReplyAddress

NAME = "telegram"
ALLOWED_UPDATES = ("message", "edited_message", "callback_query")
CONTACT_CARD = "text/vcard"
Fetch = Callable[[str], Awaitable[bytes | None]]  # file id -> its bytes, or None when it could not be fetched


async def to_inbound(update: Update, bot_id: str, fetch: Fetch, max_file_bytes: int,
                     received_at: datetime) -> InboundMessage | None:
    """The resident's message in this update, or None when the update is nothing a resident said to us."""
    external_id = f"{bot_id}:{update.update_id}"
    query = update.callback_query
    if query is not None:
        return _button(query, external_id, received_at)
    message = update.message or update.edited_message
    if message is None or message.chat.type != ChatType.PRIVATE or (message.from_user and message.from_user.is_bot):
        return None
    text = message.text or message.caption or ""
    if not text and message.venue is not None:
        text = f"{message.venue.title}, {message.venue.address}"  # a public place the resident picked
    if not text and message.sticker is not None:
        text = message.sticker.emoji or ""
    command = parse(text) if _starts_with_command(message) else None
    located = message.location or (message.venue.location if message.venue else None)
    return InboundMessage(
        reply_to=ReplyAddress(NAME, str(message.chat.id)), external_id=external_id, text=text,
        received_at=received_at, attachments=await _attachments(message, fetch, max_file_bytes),
        location=(located.latitude, located.longitude) if located else None,
        command=command[0] if command else None, command_args=command[1] if command else "",
    )


def _starts_with_command(message: Message) -> bool:
    return any(e.type == MessageEntity.BOT_COMMAND and e.offset == 0 for e in message.entities or ())


def _button(query: CallbackQuery, external_id: str, received_at: datetime) -> InboundMessage | None:
    chat = query.message.chat if query.message is not None else None
    if query.data is None or (chat is not None and chat.type != ChatType.PRIVATE):
        return None
    address = str(chat.id if chat is not None else query.from_user.id)  # private chat id == user id
    return InboundMessage(reply_to=ReplyAddress(NAME, address), external_id=external_id,
                          text=button_label(query.message, query.data), received_at=received_at, choice=query.data)


def is_button_of(message: object, data: str | None) -> bool:
    """Whether `data` is the value of one of the message's buttons (a client can send any value)."""
    markup = getattr(message, "reply_markup", None)
    return any(button.callback_data == data for row in getattr(markup, "inline_keyboard", ()) or () for button in row)


def button_label(message: object, data: str) -> str:
    """The label of the pressed button (what the resident 'said'), or its value when the keyboard is gone."""
    markup = getattr(message, "reply_markup", None)
    for row in getattr(markup, "inline_keyboard", ()) or ():
        for button in row:
            if button.callback_data == data:
                return str(button.text)
    return data


async def _attachments(message: Message, fetch: Fetch, max_bytes: int) -> tuple[Attachment, ...]:
    found: list[tuple[str, str, str, int]] = []  # file id, content type, file name, announced size
    if message.photo:
        largest = message.photo[-1]  # Telegram lists the sizes smallest first
        found.append((largest.file_id, "image/jpeg", f"foto-{largest.file_unique_id}.jpg", largest.file_size or 0))
    for media, default_type, suffix in ((message.document, "application/octet-stream", ""),
                                        (message.voice, "audio/ogg", ".ogg"), (message.audio, "audio/mpeg", ".mp3"),
                                        (message.video, "video/mp4", ".mp4"), (message.video_note, "video/mp4", ".mp4"),
                                        (message.animation, "video/mp4", ".mp4")):
        if media is None or (media is message.animation and message.document is not None):
            continue  # an animation also arrives as a document
        content_type = getattr(media, "mime_type", None) or default_type
        name = getattr(media, "file_name", None) or f"bestand-{media.file_unique_id}{suffix}"
        found.append((media.file_id, content_type, name, media.file_size or 0))
    kept: list[Attachment] = []
    for file_id, content_type, name, size in found:
        content = await fetch(file_id) if attachment_rules.wanted(content_type, size, max_bytes) else None
        kept.append(Attachment(content_type, name, content or b"", size))
    if message.contact is not None:
        # A shared contact card is a kind of file we do not keep: the resident hears so, with what to send
        # instead (it was answered "Uw bericht was leeg"). Nothing of the card is read or stored.
        kept.append(Attachment(CONTACT_CARD, "contactkaart", b"", 0))
    return tuple(kept)
