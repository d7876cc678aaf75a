"""How an answer to a resident on X leaves: a DM with the full text, or a short public reply with nothing but
fixed text and the case reference. Delivery asks this (through the adapter) for every X message; the inbox
asks the same question before an ambtenaar sends, so what they see is what happens.

Invariants: the public text is composed here from the catalog (`x.public.*`), the reference and a time stamp;
nothing of the outbox body (the ambtenaar's words, department, street, names) can reach it. The choice is made
at sending time from what is stored: once a resident has written us a DM, everything goes by DM.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from babel.dates import format_datetime, get_timezone

from wijkbot.domain.model import OutboundMessage
from wijkbot.domain.x import Mode, Route, choose
from wijkbot.ports import Clock, PermanentFailure
from wijkbot.services.texts import Texts
from wijkbot.storage import x_rows
from wijkbot.storage.db import Database

PUBLIC_LIMIT = 280  # characters in a post
PUBLIC_TEXTS = {"ack": "x.public.ack", "question": "x.public.question"}
PUBLIC_OTHER = "x.public.update"
PREVIEW_TEXTS = {Mode.DM: "x.reply.dm", Mode.PUBLIC: "x.reply.public"}


class Alarm(Enum):
    """Why a first public answer on X points to an emergency number: acute danger (112) or a crisis (113)."""

    DANGER = "urgent"
    CRISIS = "crisis"


@dataclass(frozen=True, slots=True)
class ReplyPreview:
    """For the inbox, before sending: "dm", or "public" with the exact text that would be posted."""

    mode: Mode
    public_text: str | None
    explanation: str  # one sentence for the ambtenaar, in their language


class XReplies:
    def __init__(self, db: Database, texts: Texts, clock: Clock) -> None:
        self.db = db
        self.texts = texts
        self.clock = clock

    async def route(self, message: OutboundMessage) -> Route:
        """The adapter's question for one outbox row (raises PermanentFailure if there is nowhere to answer)."""
        async with self.db.read() as conn:
            row = await x_rows.outbox_row(conn, message.outbox_id)
            if row is None:
                raise PermanentFailure("X: bericht niet (meer) in de uitgaande berichten")
            has_dm, post = await x_rows.conversation(conn, row["contact_id"], row["case_id"])
        choice = choose(has_dm, post)
        if choice is None:
            raise PermanentFailure("X: geen DM-gesprek en geen bericht om op te antwoorden")
        mode, in_reply_to = choice
        if mode is Mode.DM:
            return Route(Mode.DM, message.reply_to.address, message.text)
        lang = row["case_locale"] or row["contact_locale"]
        routing = row["routing"] or {}
        alarm = Alarm.CRISIS if routing.get("crisis") else Alarm.DANGER if row["urgent"] else None
        text = self.public_text(row["purpose"], row["reference"], lang, row["created_at"], alarm,
                                row["first_words"] or "")
        return Route(Mode.PUBLIC, message.reply_to.address, text, in_reply_to)

    def public_text(self, purpose: str, reference: str | None, lang: str, at: datetime,
                    alarm: Alarm | None = None, said: str = "") -> str:
        """Fixed text, the reference and the moment (X refuses a post identical to an earlier one). The answer to
        acute danger points to 112, with the advice for the danger the words name when it fits in the post, and to a
        crisis 113 as well: those are no personal data, and the DM the usual answer asks for is no help now. (A
        trial's gas smell was answered in public "Denkt u aan zelfdoding?".)"""
        key = "x.public.question" if reference is None else PUBLIC_TEXTS.get(purpose, PUBLIC_OTHER)
        advice = ""
        if alarm is not None and purpose == "ack":
            key = f"x.public.{alarm.value}"
            advice = " ".join(self.texts.advice(said, lang)) if alarm is Alarm.DANGER else ""
        moment = format_datetime(at, "d-M HH:mm", tzinfo=get_timezone(self.texts.rules.municipality.timezone),
                                 locale=self.texts.t.language(lang))
        text = self._filled(key, lang, reference, moment, advice)
        if len(text) > PUBLIC_LIMIT and advice:  # the reference and 112 matter more than the advice
            text = self._filled(key, lang, reference, moment, "")
        return text[:PUBLIC_LIMIT]

    def _filled(self, key: str, lang: str, reference: str | None, moment: str, advice: str) -> str:
        text = self.texts.simple(key, lang, reference=reference or "", moment=moment, advice=advice)
        return re.sub(r" {2,}", " ", text)  # an empty {advice} leaves no double space

    async def preview(self, reference: str, lang: str = "nl") -> ReplyPreview | None:
        """How a reply to this case will leave, for the inbox; None when the case is not an X case."""
        async with self.db.read() as conn:
            case = await x_rows.case_with_contact(conn, reference)
            if case is None or case["channel"] != x_rows.CHANNEL:
                return None
            has_dm, post = await x_rows.conversation(conn, case["contact_id"], case["id"])
        choice = choose(has_dm, post)
        mode = choice[0] if choice else Mode.DM
        public = self.public_text("reply", case["reference"], case["locale"], self.clock()) \
            if mode is Mode.PUBLIC else None
        return ReplyPreview(mode, public, self.texts.simple(PREVIEW_TEXTS[mode], lang, text=public or ""))
