"""X API v2 wire format -> our values: pages of mentions and DM events, and X's error answers.

Invariants: only what intake needs is taken from X (post or event id, author id, text, language); names and
handles are never read; an item that does not have the published shape is skipped, never guessed at; the
resident's own words are kept, only the block of @handles X puts in front of a reply is removed; a DM that
starts with a slash command (/status, /stop, ...) is a command as in every channel, a public post never is
(its answer would be public).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from wijkbot.domain import commands
from wijkbot.domain.model import InboundMessage, ReplyAddress
from wijkbot.domain.x import Page

NAME = "x"
TWEET_PREFIX = "tweet:"
DM_PREFIX = "dm:"
LEADING_HANDLES = re.compile(r"^(?:\s*@\w{1,15}\b)+\s*")
LANGUAGES = {"nl", "en"}
# 403 problem types that mean "these credentials may not do this" (not "this resident cannot be reached").
ACCESS_PROBLEMS = ("client-forbidden", "unsupported-authentication", "oauth1-permissions", "not-authorized-for")


def _digits(value: object) -> str | None:
    text = str(value) if isinstance(value, str | int) else ""
    return text if text.isdigit() and len(text) <= 30 else None


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _next_token(body: Mapping[str, Any]) -> str | None:
    meta = body.get("meta")
    token = meta.get("next_token") if isinstance(meta, dict) else None
    return token if isinstance(token, str) and 0 < len(token) <= 500 else None


def _items(body: Mapping[str, Any]) -> list[dict[str, Any]]:
    data = body.get("data")
    return [item for item in data if isinstance(item, dict)] if isinstance(data, list) else []


def without_leading_handles(text: str) -> str:
    """ "@gemeente @buur Er ligt grofvuil" -> "Er ligt grofvuil" (X prefixes replies with the handles)."""
    return LEADING_HANDLES.sub("", text, count=1)


def mentions_page(body: Mapping[str, Any], own_id: str, received_at: datetime) -> Page:
    """GET /2/users/:id/mentions -> a Page. Our own posts (they mention residents) are not messages."""
    ids: list[str] = []
    messages: list[InboundMessage] = []
    for post in _items(body):
        post_id, author = _digits(post.get("id")), _digits(post.get("author_id"))
        if post_id is None:
            continue
        ids.append(post_id)
        if author is None or author == own_id:
            continue
        lang = _text(post.get("lang"))
        messages.append(InboundMessage(
            reply_to=ReplyAddress(NAME, author), external_id=TWEET_PREFIX + post_id,
            text=without_leading_handles(_text(post.get("text"))), received_at=received_at,
            locale=lang if lang in LANGUAGES else None, public=True,
        ))
    return Page(tuple(messages), tuple(ids), _next_token(body))


def dm_events_page(body: Mapping[str, Any], own_id: str, received_at: datetime) -> Page:
    """GET /2/dm_events -> a Page of one-to-one messages to us (our own DMs and group chats are skipped)."""
    ids: list[str] = []
    messages: list[InboundMessage] = []
    for event in _items(body):
        event_id, sender = _digits(event.get("id")), _digits(event.get("sender_id"))
        if event_id is None:
            continue
        ids.append(event_id)
        conversation = _text(event.get("dm_conversation_id"))
        one_to_one = not conversation or "-" in conversation  # 1:1 conversations are "<id>-<id>"
        if event.get("event_type") != "MessageCreate" or sender is None or sender == own_id or not one_to_one:
            continue
        text = _text(event.get("text"))
        command = commands.parse(text.strip())
        messages.append(InboundMessage(
            reply_to=ReplyAddress(NAME, sender), external_id=DM_PREFIX + event_id, text=text,
            received_at=received_at, command=command[0] if command else None,
            command_args=command[1] if command else "",
        ))
    return Page(tuple(messages), tuple(ids), _next_token(body))


def created_id(body: Mapping[str, Any], key: str) -> str | None:
    """The id X gives a new post ("id") or DM ("dm_event_id")."""
    data = body.get("data")
    return _digits(data.get(key)) if isinstance(data, dict) else None


def user_id(body: Mapping[str, Any]) -> str | None:
    """GET /2/users/me -> the account id."""
    data = body.get("data")
    return _digits(data.get("id")) if isinstance(data, dict) else None


def problem(body: object) -> str:
    """A short, log-safe description of an X error body ({"title", "type", "detail"} or {"errors": [...]})."""
    if not isinstance(body, dict):
        return ""
    kind = _text(body.get("type")).rsplit("/", 1)[-1]
    title = _text(body.get("title")) or _text(body.get("reason"))
    return " ".join(p for p in (title, f"({kind})" if kind and kind != "about:blank" else "") if p)[:200]


def is_access_problem(body: object) -> bool:
    if not isinstance(body, dict):
        return False
    marker = " ".join(_text(body.get(k)) for k in ("type", "reason")).lower()
    return any(p in marker for p in ACCESS_PROBLEMS)


def is_duplicate(body: object) -> bool:
    """X refuses a post with exactly the text of an earlier one; that notice is already public."""
    return isinstance(body, dict) and "duplicate" in _text(body.get("detail")).lower()
