"""The working data of one intake batch: the result a caller gets, and the cases and items the batch builds up
in memory before writing them set-based (services.intake_batch).

Invariants: plain data, no I/O; an item belongs to exactly one resident message (or, when split off, to
messages already stored); a case is either an existing open one (its id known) or a new one (id after insert).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from wijkbot.domain.model import Area, InboundMessage
from wijkbot.domain.routing import Decision
from wijkbot.domain.sanitise import is_blank
from wijkbot.services import inbound_media


@dataclass(frozen=True, slots=True)
class IntakeResult:
    message_id: int
    reference: str | None
    duplicate: bool = False
    new_case: bool = False
    # For the operator's log line of a new case: its channel, kind, category (or triage) and team; no personal data
    summary: str = ""


@dataclass
class BatchCase:
    """A case this batch touches: an existing open one (id known) or a new one (id after insert)."""

    row: dict[str, Any]
    new: bool
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    last_written: datetime | None = None  # when the resident last wrote on it
    located: bool = False  # a location the resident shared was set on it in this batch
    context: list[int] = field(default_factory=list)  # earlier messages (photo, location) that join it
    resumed: bool = False  # it waited on the resident, who answered: the term runs again
    reopen_request: bool = False  # closed, and the resident asks to look again (domain.reopen): note its ambtenaar
    placed: Area | None = None  # it had no place, and the resident's answer named one (street, postcode, buurt)


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    """What the first answer to a new case needs; written once the case has its reference."""

    decision: Decision
    due: date
    lang: str
    long: bool


@dataclass
class BatchItem:
    message: InboundMessage
    body: str
    contact: dict[str, Any]
    media: inbound_media.Media = field(default_factory=inbound_media.Media)
    case: BatchCase | None = None
    duplicate_of: dict[str, Any] | None = None  # a stored message, or {"item": the first one in this batch}
    answer: str = ""
    added_only: bool = False  # the answer only says the message joined its case (left out in a burst)
    acknowledgement: Acknowledgement | None = None
    purpose: str = "ack"
    message_id: int = 0
    lang: str = "nl"
    ask: list[dict[str, Any]] | None = None  # the open cases to ask about (the one it is kept with first)
    actions: tuple[tuple[str, str], ...] = ()
    separate_from: list[BatchCase] = field(default_factory=list)  # open cases a plainly new subject is not about
    stored_ids: tuple[int, ...] = ()  # split off: already stored messages that move into a new case
    ends_stop: bool = False  # the first message since the resident's /stop: the answer says they hear from us again
    routed: Decision | None = None  # the router's decision on the words, worked out once (IntakeBatch._routed)
    another_look: bool = False  # joins a closed case as a request to look again (domain.reopen)
    gave_place: bool = False  # its words gave its case the place the case lacked
    asks_words: bool = False  # a new case without words (a photo the resident said is something new): ask for them
    named_case: str | None = None  # a klacht about one of the resident's own cases, by its reference

    @property
    def has_content(self) -> bool:
        return not is_blank(self.body) or self.media.any

    def message_row(self, now: datetime) -> dict[str, Any]:
        """The stored inbound message (its case id known once new cases are inserted)."""
        meta: dict[str, Any] = {k: v for k, v in (("street", self.message.street),
                                                  ("postcode", self.message.postcode)) if v}
        meta.update(inbound_media.meta(self.media))
        if self.ask:
            meta["provisional"] = True  # the resident was asked whether it belongs to this case
        return {"channel": self.message.reply_to.channel, "direction": "in", "body": self.body,
                "created_at": now, "contact_id": self.contact["id"],
                "case_id": self.case.row["id"] if self.case else None,
                "external_id": self.message.external_id, "meta": meta}

    def result(self) -> IntakeResult:
        """What the caller gets: the stored message and its case; for a redelivery, those of the first copy."""
        if self.duplicate_of is not None:
            original = self.duplicate_of.get("item")
            if isinstance(original, BatchItem):
                return IntakeResult(original.message_id, original.case.row["reference"] if original.case else None,
                                    duplicate=True)
            return IntakeResult(self.duplicate_of["id"], self.duplicate_of["reference"], duplicate=True)
        reference = self.case.row["reference"] if self.case else None
        new = bool(self.case and self.case.new)
        summary = ""
        if new and self.case is not None:
            row = self.case.row
            summary = (f"{self.message.reply_to.channel}, {row['kind']}, {row['category'] or 'triage'}, team "
                       f"{row['team']}{', acuut' if row.get('urgent') else ''}")
        return IntakeResult(self.message_id, reference, new_case=new, summary=summary)
