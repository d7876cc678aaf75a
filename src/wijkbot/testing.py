"""Test helpers shipped with the package: a settable clock, a recording channel and a conversation harness.

The Harness makes a test read like a conversation: `await h.say("Er ligt grofvuil ...")` returns what the
resident received. It drives the real services (intake, delivery, actions) on a real database; nothing of
our own is mocked.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from wijkbot.domain.model import InboundMessage, OutboundMessage, ReplyAddress

if TYPE_CHECKING:
    from wijkbot.app import Wijkbot
    from wijkbot.services.intake import IntakeResult


class FrozenClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now

    def set(self, moment: datetime) -> None:
        self.now = moment


@dataclass
class RecordingChannel:
    """A channel that records what it was asked to send (for the console, or a channel under test)."""

    name: str = "test"
    sent: list[OutboundMessage] = field(default_factory=list)

    async def send(self, message: OutboundMessage) -> str | None:
        self.sent.append(message)
        return f"{self.name}-{len(self.sent)}"

    def texts_to(self, address: str) -> list[str]:
        return [m.text for m in self.sent if m.reply_to.address == address]


class Harness:
    """One resident talking to the real service over the recording channel `test`."""

    def __init__(self, bot: Wijkbot, channel: RecordingChannel, address: str | None = None,
                 locale: str | None = None) -> None:
        self.bot = bot
        self.channel = channel
        self.address = address or f"resident-{uuid.uuid4().hex[:8]}"
        self.locale = locale
        self._seen = 0
        self.last: IntakeResult | None = None

    async def say(self, text: str, external_id: str | None = None, **hints: str) -> list[str]:
        """Send a message as the resident; return the texts they received since the last call."""
        self.last = await self.bot.inbound.receive(InboundMessage(
            ReplyAddress(self.channel.name, self.address), external_id or uuid.uuid4().hex, text,
            self.bot.clock(), locale=self.locale, street=hints.get("street"), postcode=hints.get("postcode"),
        ))
        return await self.received()

    async def choose(self, value: str, label: str = "", external_id: str | None = None) -> list[str]:
        """Press a button (its value); return the texts received since the last call."""
        self.last = await self.bot.inbound.receive(InboundMessage(
            ReplyAddress(self.channel.name, self.address), external_id or uuid.uuid4().hex, label or value,
            self.bot.clock(), choice=value,
        ))
        return await self.received()

    async def command(self, name: str, args: str = "") -> list[str]:
        """Type a slash command (/status, /taal en, ...); return the texts received since the last call."""
        self.last = await self.bot.inbound.receive(InboundMessage(
            ReplyAddress(self.channel.name, self.address), uuid.uuid4().hex, f"/{name} {args}".strip(),
            self.bot.clock(), command=name, command_args=args,
        ))
        return await self.received()

    def buttons(self) -> tuple[tuple[str, str], ...]:
        """The buttons (label, value) under the last message this resident received."""
        mine = [m for m in self.channel.sent if m.reply_to.address == self.address]
        return mine[-1].actions if mine else ()

    async def received(self) -> list[str]:
        """Deliver what is due and return what this resident got that the test has not seen yet."""
        await self.bot.delivery.drain()
        mine = self.channel.texts_to(self.address)
        new, self._seen = mine[self._seen:], len(mine)
        return new

    @property
    def reference(self) -> str:
        assert self.last is not None and self.last.reference is not None, "no case was opened"
        return self.last.reference
