"""How an ambtenaar's reply will look in the resident's channel, before it is sent: one place per channel.

Invariants: the preview uses exactly the text the outbox will get (Texts.with_case("reply.officer", ...)),
so what the ambtenaar sees is what the resident gets; channel-specific rules live in PREVIEWS, keyed by
channel name: add a function there when a channel needs its own look (Telegram, X).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from wijkbot.services.texts import Texts

TELEGRAM_LIMIT = 4096  # characters in one Telegram message


@dataclass(frozen=True, slots=True)
class ChannelPreview:
    """What the resident will see: one or more parts (messages or posts) and remarks for the ambtenaar."""

    channel: str
    parts: tuple[str, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)


def _plain(channel: str, body: str) -> ChannelPreview:
    return ChannelPreview(channel, (body,))


def _telegram(channel: str, body: str) -> ChannelPreview:
    notes: tuple[str, ...] = ()
    if len(body) > TELEGRAM_LIMIT:
        notes = (f"Telegram toont hoogstens {TELEGRAM_LIMIT} tekens per bericht; dit antwoord wordt gesplitst.",)
    parts = tuple(body[i:i + TELEGRAM_LIMIT] for i in range(0, len(body), TELEGRAM_LIMIT)) or ("",)
    return ChannelPreview(channel, parts, notes)


def _x(channel: str, body: str) -> ChannelPreview:
    # The X channel decides between a direct message and a public reply (no personal data in public).
    # It will supply the mode ("dm" or "public") and, for "public", the short public text; until then the
    # preview shows the direct message and says so.
    return ChannelPreview(channel, (body,), ("Op X gaat dit antwoord als privébericht (DM). Het X-kanaal bepaalt "
                                             "of er ook een korte openbare reactie komt, zonder persoonsgegevens.",))


PREVIEWS: dict[str, Callable[[str, str], ChannelPreview]] = {
    "webchat": _plain,
    "console": _plain,
    "telegram": _telegram,
    "x": _x,
}


def preview(texts: Texts, channel: str, case: Mapping[str, Any], text: str, officer: str) -> ChannelPreview:
    """The reply as the resident will get it in `channel`."""
    body = texts.with_case("reply.officer", str(case["locale"]), case, text=text.strip(), officer=officer)
    return PREVIEWS.get(channel, _plain)(channel, body)
