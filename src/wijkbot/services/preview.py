"""How an ambtenaar's reply will look in the resident's channel, before it is sent: one place per channel.

Invariants: the preview uses exactly the text the outbox will get (Texts.with_case("reply.officer", ...)),
so what the ambtenaar sees is what the resident gets; channel-specific rules live in PREVIEWS, keyed by
channel name: add a function there when a channel needs its own look (Telegram, X). A channel that decides
itself how a reply leaves answers that question before sending (X: `XReplies.preview`, DM or a short public
text), and the preview shows that answer, so what the ambtenaar is shown is what the channel will do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from wijkbot.domain.x import Mode
from wijkbot.services.texts import Texts
from wijkbot.services.x_replies import ReplyPreview

TELEGRAM_LIMIT = 4096  # characters in one Telegram message


@dataclass(frozen=True, slots=True)
class Draft:
    """A reply about to be sent: its channel, the exact text the outbox will get, and the officer's language."""

    channel: str
    body: str
    texts: Texts
    lang: str = "nl"
    x_route: ReplyPreview | None = None  # for an X case: the X channel's choice, asked before sending


@dataclass(frozen=True, slots=True)
class ChannelPreview:
    """What the resident will see: one or more parts (messages or posts) and remarks for the ambtenaar.

    `mode` says which way the reply leaves when the channel has a choice (X: "dm" or "public"), else "".
    """

    channel: str
    parts: tuple[str, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)
    mode: str = ""


def _plain(draft: Draft) -> ChannelPreview:
    return ChannelPreview(draft.channel, (draft.body,))


def _telegram(draft: Draft) -> ChannelPreview:
    notes: tuple[str, ...] = ()
    body = draft.body
    if len(body) > TELEGRAM_LIMIT:
        notes = (draft.texts.simple("inbox.reply.telegram_split", draft.lang, limit=TELEGRAM_LIMIT),)
    parts = tuple(body[i:i + TELEGRAM_LIMIT] for i in range(0, len(body), TELEGRAM_LIMIT)) or ("",)
    return ChannelPreview(draft.channel, parts, notes)


def _x(draft: Draft) -> ChannelPreview:
    """A DM carries the whole answer; a public reply carries only the short fixed text (no personal data)."""
    route = draft.x_route
    if route is None:  # the channel could not be asked: say what is certain
        return ChannelPreview(draft.channel, (draft.body,), (draft.texts.simple("inbox.reply.x_unknown", draft.lang),))
    if route.mode is Mode.PUBLIC:
        return ChannelPreview(draft.channel, (route.public_text or "",), (route.explanation,), "public")
    return ChannelPreview(draft.channel, (draft.body,), (route.explanation,), "dm")


PREVIEWS: dict[str, Callable[[Draft], ChannelPreview]] = {
    "webchat": _plain,
    "console": _plain,
    "telegram": _telegram,
    "x": _x,
}


def preview(texts: Texts, channel: str, case: Mapping[str, Any], text: str, officer: str, *, lang: str = "nl",
            x_route: ReplyPreview | None = None) -> ChannelPreview:
    """The reply as the resident will get it in `channel`; notes in the ambtenaar's language `lang`."""
    body = texts.with_case("reply.officer", str(case["locale"]), case, text=text.strip(), officer=officer)
    return PREVIEWS.get(channel, _plain)(Draft(channel, body, texts, lang, x_route))
