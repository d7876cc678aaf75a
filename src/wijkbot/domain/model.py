"""Domain values shared by every layer: kinds, channels, addresses, messages.

Invariants: values are immutable; a ReplyAddress always names the channel the resident used, so a reply
leaves through that same channel; text is kept exactly as received (no trimming) next to its clean form.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime


class Kind(enum.StrEnum):
    """What a message is."""

    VRAAG = "vraag"
    MELDING = "melding"
    KLACHT = "klacht"
    INITIATIEF = "initiatief"


class Channel(enum.StrEnum):
    """Where a resident wrote from."""

    WEBCHAT = "webchat"
    TELEGRAM = "telegram"
    X = "x"
    CONSOLE = "console"


@dataclass(frozen=True, slots=True)
class ReplyAddress:
    """Where the answer to a resident goes: a channel and an address within it (chat id, session id)."""

    channel: str
    address: str


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """A resident's message as a channel adapter hands it over, before anything is decided about it."""

    reply_to: ReplyAddress
    external_id: str
    text: str
    received_at: datetime
    locale: str | None = None
    street: str | None = None
    postcode: str | None = None
    attachments: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OutboundMessage:
    """A message to a resident, as the outbox hands it to a channel adapter."""

    outbox_id: int
    reply_to: ReplyAddress
    text: str
    case_reference: str | None = None
    actions: tuple[tuple[str, str], ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Area:
    """Where a case plays. Any part may be unknown; wijk is derived, never asked of the resident."""

    wijk: str | None = None
    buurt: str | None = None
    buurt_code: str | None = None
    street: str | None = None
    matched_by: str | None = None  # "postcode 3531", "straat Kanaalstraat", "buurt Lombok"

    @property
    def label(self) -> str:
        """The area as one readable phrase, most specific first ("Lombok, West")."""
        parts = [p for p in (self.buurt, self.wijk) if p]
        return ", ".join(parts)
