"""Seams between the core and the outside world, as typing.Protocols and the errors they may raise.

Invariants: a channel adapter either delivers a message, or raises TemporaryFailure (try again later,
possibly after `retry_after`) or PermanentFailure (the address can never be reached); it never decides
anything about cases. The clock is injected everywhere, so tests and simulations control time.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Protocol

from wijkbot.domain.model import InboundMessage, OutboundMessage


class TemporaryFailure(Exception):
    """The channel could not deliver now (429, 5xx, network); retry later.

    `parts_sent` says how many parts of a split message did go out before the failure, so the retry sends
    only the rest (the message comes back with `OutboundMessage.parts_sent`).
    """

    def __init__(self, reason: str, retry_after: float | None = None, parts_sent: int = 0) -> None:
        super().__init__(reason)
        self.retry_after = retry_after
        self.parts_sent = parts_sent


class PermanentFailure(Exception):
    """The address cannot be reached (the resident blocked the bot, the account is gone)."""


class ChannelAdapter(Protocol):
    """A thin, symmetrical adapter: wire format in -> InboundMessage, OutboundMessage -> wire format out."""

    name: str

    async def send(self, message: OutboundMessage) -> str | None:
        """Deliver one message; return the channel's id for it, if any."""
        ...


OnMessage = Callable[[InboundMessage], Awaitable[object]]
Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The real time, in UTC."""
    return datetime.now(UTC)
