"""Seams between the core and the outside world, as typing.Protocols and the errors they may raise.

Invariants: a channel adapter either delivers a message, or raises TemporaryFailure (try again later,
possibly after `retry_after`) or PermanentFailure (the address can never be reached); it never decides
anything about cases. The clock is injected everywhere, so tests and simulations control time.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Protocol

from wijkbot.domain.model import InboundMessage, OutboundMessage
from wijkbot.domain.x import Cursor, Page, Request, Stream


class TemporaryFailure(Exception):
    """The channel could not deliver now (429, 5xx, network); retry later.

    `parts_sent` says how many parts of a split message did go out before the failure, so the retry sends
    only the rest (the message comes back with `OutboundMessage.parts_sent`).
    """

    def __init__(self, reason: str, retry_after: float | None = None, parts_sent: int = 0) -> None:
        super().__init__(reason)
        self.retry_after = retry_after
        self.parts_sent = parts_sent


class ChannelPaused(TemporaryFailure):
    """The channel holds its messages for now (budget used up, credentials refused). Delivery keeps the row
    pending without spending one of its attempts and looks again after `retry_after`."""


class PermanentFailure(Exception):
    """The address cannot be reached (the resident blocked the bot, the account is gone)."""


class ChannelAdapter(Protocol):
    """A thin, symmetrical adapter: wire format in -> InboundMessage, OutboundMessage -> wire format out."""

    name: str

    async def send(self, message: OutboundMessage) -> str | None:
        """Deliver one message; return the channel's id for it, if any."""
        ...


class XGate(Protocol):
    """What the X adapter asks before every request, and tells when X refuses its credentials."""

    async def before(self, request: Request) -> None:
        """Count the request against the budget, or raise ChannelPaused (then no request is made)."""
        ...

    async def refused(self, reason: str) -> None:
        """X refused the credentials (401/403): stop the channel, keep the service running."""
        ...


class XReader(Protocol):
    """The reading half of the X adapter, as the polling service sees it."""

    async def me(self) -> str:
        """The id of the account the credentials belong to."""
        ...

    async def read(self, stream: Stream, cursor: Cursor, max_results: int) -> Page:
        """One page of a stream after the cursor. Raises TemporaryFailure (429 with retry_after, 5xx,
        network), ChannelPaused, or InvalidCursor when X no longer accepts the pagination token."""
        ...


class InvalidCursor(Exception):
    """X refused the pagination token (expired): start the poll again from the stored since_id."""


OnMessage = Callable[[InboundMessage], Awaitable[object]]
Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The real time, in UTC."""
    return datetime.now(UTC)


class MailFailure(Exception):
    """The mail server did not accept a message (refused, unreachable, login failed); the reason is safe to log."""


class Mailer(Protocol):
    """Sends one e-mail (the weekly digest); raises MailFailure when the server does not take it."""

    async def send(self, message: EmailMessage) -> None:
        """Hand the message to the mail server."""
        ...
