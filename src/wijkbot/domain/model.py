"""Domain values shared by every layer: kinds, channels, addresses, messages.

Invariants: values are immutable; a ReplyAddress always names the channel the resident used, so a reply
leaves through that same channel; text is kept exactly as received (no trimming) next to its clean form.
Everything an adapter may add beyond the text (a pressed button, a slash command, a shared location, files) is
optional with a neutral default, so a channel that has none of it keeps working unchanged.
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

    @property
    def needs_place(self) -> bool:
        """A melding or an initiative plays somewhere; a question or a complaint (about how we worked) does not."""
        return self in (Kind.MELDING, Kind.INITIATIEF)

    @property
    def gets_solved(self) -> bool:
        """A melding or a complaint is solved or not; a question or an initiative is helped or not."""
        return self in (Kind.MELDING, Kind.KLACHT)


class Channel(enum.StrEnum):
    """Where a resident wrote from."""

    WEBCHAT = "webchat"
    TELEGRAM = "telegram"
    X = "x"
    CONSOLE = "console"


# Channels that cannot show buttons (X DMs): the resident types the answer instead, so every question we ask
# there says what to type, and nothing waits on a button press.
BUTTONLESS_CHANNELS = frozenset({Channel.X.value})
# Only Telegram carries photos and locations; the others take text, so /start and /help there do not offer them.
MEDIA_CHANNELS = frozenset({Channel.TELEGRAM.value})
# A web chat session id is the resident's key to the conversation (whoever knows it reads it and writes as the
# resident), not a way to reach them: never shown, not even as contact data.
SECRET_ADDRESS_CHANNELS = frozenset({Channel.WEBCHAT.value})


@dataclass(frozen=True, slots=True)
class ReplyAddress:
    """Where the answer to a resident goes: a channel and an address within it (chat id, session id)."""

    channel: str
    address: str


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file a resident sent (a photo, a document), as the channel fetched it.

    `content` is empty when the channel did not fetch the file (too large, a kind we do not keep, or the
    download failed); `size` is then what the channel announced, so the answer can say why.
    """

    content_type: str
    file_name: str
    content: bytes = field(default=b"", repr=False)
    size: int = 0

    @property
    def byte_size(self) -> int:
        return len(self.content) if self.content else self.size


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """A resident's message as a channel adapter hands it over, before anything is decided about it.

    `choice` is the value of a button the resident pressed (the text is then the button's label);
    `command` is a slash command without the slash ("status"), with `command_args` after it; `location` is
    a shared (latitude, longitude) in WGS84; `public` marks a message everyone can read (an X mention): it
    is taken only as words, never as a command or an answer to something we asked privately.
    """

    reply_to: ReplyAddress
    external_id: str
    text: str
    received_at: datetime
    locale: str | None = None
    street: str | None = None
    postcode: str | None = None
    attachments: tuple[Attachment, ...] = ()
    location: tuple[float, float] | None = None
    choice: str | None = None
    command: str | None = None
    command_args: str = ""
    public: bool = False


@dataclass(frozen=True, slots=True)
class OutboundMessage:
    """A message to a resident, as the outbox hands it to a channel adapter."""

    outbox_id: int
    reply_to: ReplyAddress
    text: str
    case_reference: str | None = None
    actions: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    parts_sent: int = 0  # a channel that splits long texts already delivered this many parts (do not resend)


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
        """The area as one readable phrase, most specific first ("Lombok, West"); once where the buurt is the
        wijk itself (a kern of Katwijk is both); a buurt whose own name is a list ("Domplein, Neude, Janskerkhof",
        as CBS names it) gets its wijk in brackets, so the phrase does not read as one longer list."""
        if self.buurt and self.wijk and "," in self.buurt and self.buurt != self.wijk:
            return f"{self.buurt} ({self.wijk})"
        parts = [p for p in (self.buurt, self.wijk) if p]
        return ", ".join(dict.fromkeys(parts))
