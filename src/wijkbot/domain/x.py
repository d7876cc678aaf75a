"""The X channel's pure rules: polling cursors, the monthly budget, and how an answer leaves (DM or public).

Invariants:
- A cursor only moves forward after a page is stored: while a multi-page poll is under way the old `since_id`
  stays, the newest id seen is kept aside and the pagination token says where to go on; only the last page
  promotes the newest id to `since_id`. So a restart at any moment neither skips nor repeats (repeats are
  also harmless: messages are unique on channel + external id).
- The budget is counted per request, before it is made; a request that would pass any monthly limit is
  refused. From 80 % of the tightest limit the state is "warning", at 100 % "paused".
- A public answer never carries text from the case: the service composes it from fixed catalog text and the
  reference. Only a DM carries the full text.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime

from wijkbot.domain.model import InboundMessage

WARNING_SHARE = 0.8


class Stream(enum.StrEnum):
    """What the X channel polls."""

    MENTIONS = "mentions"
    DM_EVENTS = "dm_events"


class Request(enum.StrEnum):
    """The kinds of request the channel makes; each is counted against the budget before it is made."""

    ME = "me"
    MENTIONS = "mentions"
    DM_EVENTS = "dm_events"
    TWEET = "tweet"
    DM = "dm"

    @property
    def is_write(self) -> bool:
        return self in (Request.TWEET, Request.DM)


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a stream as the adapter read it (newest first, as X returns them)."""

    messages: tuple[InboundMessage, ...]
    ids: tuple[str, ...]  # the X ids of every item on the page, also those that are not for us (own DMs)
    next_token: str | None = None


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where a stream stands: everything up to `since_id` is stored; a poll under way has a token."""

    since_id: str | None = None
    pending_newest_id: str | None = None
    pagination_token: str | None = None


def newer(a: str | None, b: str | None) -> str | None:
    """The newer of two X ids (snowflakes: a larger number is later); None counts as oldest."""
    if a is None:
        return b
    if b is None:
        return a
    return a if int(a) >= int(b) else b


def is_new(item_id: str, since_id: str | None) -> bool:
    return since_id is None or int(item_id) > int(since_id)


def advance(cursor: Cursor, page: Page) -> tuple[Cursor, bool]:
    """The cursor after storing `page`, and whether this poll is complete.

    A poll is complete when X has no next page, or (for DM events, which have no since_id parameter) when the
    page already reaches back to what was stored before.
    """
    newest = newer(cursor.pending_newest_id, max(page.ids, key=int) if page.ids else None)
    reached_old = any(not is_new(i, cursor.since_id) for i in page.ids)
    if page.next_token is None or reached_old:
        return Cursor(since_id=newer(cursor.since_id, newest)), True
    return replace(cursor, pending_newest_id=newest, pagination_token=page.next_token), False


def restart(cursor: Cursor) -> Cursor:
    """Drop a pagination token X no longer accepts: the poll starts again from the stored since_id."""
    return Cursor(since_id=cursor.since_id)


@dataclass(frozen=True, slots=True)
class Limits:
    """The monthly budget: any of reads, writes and an amount (in the currency of the prices) may be set."""

    reads: int | None = None
    writes: int | None = None
    amount: float | None = None
    price_read: float = 0.0
    price_write: float = 0.0


@dataclass(frozen=True, slots=True)
class Usage:
    month: str
    reads: int = 0
    writes: int = 0

    def plus(self, request: Request) -> Usage:
        if request.is_write:
            return replace(self, writes=self.writes + 1)
        return replace(self, reads=self.reads + 1)


@dataclass(frozen=True, slots=True)
class BudgetStatus:
    """What the inbox shows: used, limits, the share of the tightest limit and ok / warning / paused."""

    usage: Usage
    limits: Limits
    amount: float
    share: float
    state: str  # ok | warning | paused


def month_of(moment: datetime) -> str:
    """The budget month of a UTC moment ("2026-11"): X bills per calendar month."""
    return f"{moment.year:04d}-{moment.month:02d}"


def amount_of(usage: Usage, limits: Limits) -> float:
    return usage.reads * limits.price_read + usage.writes * limits.price_write


def status(usage: Usage, limits: Limits) -> BudgetStatus:
    amount = amount_of(usage, limits)
    shares = [1.0 if limit <= 0 else used / limit
              for used, limit in ((usage.reads, limits.reads), (usage.writes, limits.writes), (amount, limits.amount))
              if limit is not None]
    share = max(shares, default=0.0)
    state = "paused" if share >= 1.0 - 1e-9 else "warning" if share >= WARNING_SHARE else "ok"
    return BudgetStatus(usage, limits, round(amount, 6), share, state)


def allows(usage: Usage, limits: Limits, request: Request) -> bool:
    """Whether one more request of this kind stays within every limit."""
    if status(usage, limits).state == "paused":
        return False
    after = usage.plus(request)
    return (limits.reads is None or after.reads <= limits.reads) and \
        (limits.writes is None or after.writes <= limits.writes) and \
        (limits.amount is None or amount_of(after, limits) <= limits.amount + 1e-9)


class Mode(enum.StrEnum):
    DM = "dm"
    PUBLIC = "public"


@dataclass(frozen=True, slots=True)
class Route:
    """How one outbound message leaves on X: a DM to the user, or a public reply to one of their posts."""

    mode: Mode
    user_id: str
    text: str
    in_reply_to: str | None = None  # the resident's post a public reply answers


def choose(has_dm: bool, mention_id: str | None) -> tuple[Mode, str | None] | None:
    """DM when the resident has written us a DM (X lets us answer them there); else a public reply to their
    latest post about the case; None when neither exists."""
    if has_dm:
        return Mode.DM, None
    if mention_id is not None:
        return Mode.PUBLIC, mention_id
    return None


def chunks(text: str, size: int) -> list[str]:
    """A long DM in parts X accepts, cut at a line break or space where one is near."""
    parts: list[str] = []
    rest = text
    while len(rest) > size:
        cut = max(rest.rfind("\n", 0, size), rest.rfind(" ", 0, size))
        cut = cut if cut > size // 2 else size
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    parts.append(rest)
    return parts
