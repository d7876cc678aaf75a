"""What a resident can ask of the bot itself, in any channel: /start, /help, /status [nummer], /taal en|nl,
/stop, /privacy and /verwijder (a request to remove their data).

Invariants: a command is stored first (messages, deduplicated) and answered through the outbox, like every
message; a resident only ever sees their own cases (another resident's reference is "not found", never
"not yours"); after /stop (contacts.opted_out) we send nothing we start ourselves, an ambtenaar's reply
included, except the final outcome when the resident asks for it (a button, or /uitkomst where there are no
buttons); what the resident writes still gets its immediate answer, and writing to us again ends the /stop
(services.intake_batch); a request to remove data is never carried out silently: it becomes a case for a
person, due within the AVG term of one month, and the resident is told so with its reference; it goes to the
wijkbureau (triage department) of the wijk of the resident's most recent case, and its first internal note
lists the references of the resident's other cases (references only, never contact data).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.domain import commands
from wijkbot.domain.assignment import assign
from wijkbot.domain.commands import Command
from wijkbot.domain.followups import FollowUpKind, next_allowed_moment
from wijkbot.domain.model import BUTTONLESS_CHANNELS, MEDIA_CHANNELS, Channel, InboundMessage, Kind
from wijkbot.domain.rules import RuleSet
from wijkbot.domain.workflow import Status, is_open
from wijkbot.ports import Clock
from wijkbot.services import inbound_rows
from wijkbot.services.intake_items import IntakeResult
from wijkbot.services.texts import Texts
from wijkbot.storage import intake_rows, outbox, repository
from wijkbot.storage.db import Database
from wijkbot.storage.repository import OPEN
from wijkbot.storage.tables import cases, contacts

ERASURE = "verwijderverzoek"
STOP_OUTCOME_YES = "stop:outcome:ja"  # after /stop: still send the final outcome of my cases
STOP_OUTCOME_NO = "stop:outcome:nee"
STOP_ANSWER_WINDOW = timedelta(days=1)  # a typed ja/nee answers the question after /stop for this long
# /privacy names what each channel keeps as the resident's address.
_PRIVACY_KEYS = {Channel.TELEGRAM.value: "notice.privacy", Channel.X.value: "notice.privacy_x"}
_PRIVACY_DEFAULT = "notice.privacy_webchat"


@dataclass(frozen=True, slots=True)
class _Answer:
    text: str
    case_id: int | None = None
    reference: str | None = None
    actions: tuple[tuple[str, str], ...] = ()


class ResidentCommands:
    def __init__(self, db: Database, rules: RuleSet, texts: Texts, clock: Clock,
                 notify_outbox: Callable[[], None] = lambda: None) -> None:
        self.db = db
        self.rules = rules
        self.texts = texts
        self.clock = clock
        self.notify_outbox = notify_outbox

    async def handle(self, message: InboundMessage) -> IntakeResult:
        """A slash command (message.command), or the erase button under the /privacy answer."""
        command = Command.ERASE if message.choice == commands.ERASE_CHOICE else commands.resolve(message.command)
        async with self.db.write() as conn:
            duplicate = await inbound_rows.already_stored(conn, message)
            if duplicate is not None:
                return duplicate
            now = self.clock()
            contact = await inbound_rows.contact_of(conn, message, now)
            answer = await self._answer(conn, command, message, contact, now)
            meta: dict[str, Any] = {"command": command.value if command else (message.command or "")[:40]}
            if message.choice:
                meta["choice"] = message.choice
            message_id = await inbound_rows.store(conn, message, contact, now, answer.case_id, meta)
            await outbox.enqueue(conn, contact_id=contact["id"], channel=message.reply_to.channel,
                                 purpose="notice", body=answer.text, now=now, case_id=answer.case_id,
                                 actions=answer.actions)
        self.notify_outbox()
        return IntakeResult(message_id, answer.reference)

    async def typed_stop_answer(self, message: InboundMessage) -> IntakeResult | None:
        """"ja" or "nee" typed in answer to the question after /stop ("Wilt u wel nog de uitkomst horen?") is that
        answer, as if the button was pressed; not "writing to us again", which would end the /stop. None: not such
        an answer (intake's turn). Only a short yes or no reaches the database here."""
        if message.command is not None or message.choice is not None:
            return None
        answer = commands.yes_or_no(message.text)
        if answer is None:
            return None
        async with self.db.read() as conn:
            asked = await outbox.last_asked(conn, message.reply_to.channel, message.reply_to.address,
                                            STOP_OUTCOME_YES, self.clock() - STOP_ANSWER_WINDOW)
        if not asked:
            return None
        return await self.stop_choice(replace(message, choice=STOP_OUTCOME_YES if answer else STOP_OUTCOME_NO))

    async def stop_choice(self, message: InboundMessage) -> IntakeResult:
        """The answer to "still want the outcome?" under /stop: stored on the contact (contacts.wants_outcome)."""
        async with self.db.write() as conn:
            duplicate = await inbound_rows.already_stored(conn, message)
            if duplicate is not None:
                return duplicate
            now = self.clock()
            contact = await inbound_rows.contact_of(conn, message, now)
            lang = self.texts.t.language(contact["locale"])
            wants = message.choice == STOP_OUTCOME_YES
            if contact["opted_out"]:
                await self._set_contact(conn, contact["id"], wants_outcome=wants)
            key = "notice.stop_outcome_saved" if wants and contact["opted_out"] else "notice.stop_outcome_none"
            message_id = await inbound_rows.store(conn, message, contact, now, None, {"choice": message.choice})
            await outbox.enqueue(conn, contact_id=contact["id"], channel=message.reply_to.channel,
                                 purpose="notice", body=self.texts.simple(key, lang), now=now)
        self.notify_outbox()
        return IntakeResult(message_id, None)

    async def _answer(self, conn: AsyncConnection, command: Command | None, message: InboundMessage,
                      contact: dict[str, Any], now: datetime) -> _Answer:
        args = message.command_args
        lang = self.texts.t.language(contact["locale"])
        m = self.rules.municipality
        media = message.reply_to.channel in MEDIA_CHANNELS
        if command is Command.START:
            welcome = "notice.welcome" if media else "notice.welcome_text_only"
            text = self.texts.simple(welcome, lang, municipality=m.name, phone=m.phone,
                                     wijkbureau=m.wijkbureau_in(lang), privacy_url=m.privacy_url)
            if contact["opted_out"]:
                await self._set_contact(conn, contact["id"], opted_out=False)
                text += "\n\n" + self.texts.simple("notice.resumed", lang)
            return _Answer(text)
        if command is Command.STATUS:
            return await self._status(conn, contact, args, lang)
        if command is Command.LANGUAGE:
            return await self._language(conn, contact, args, lang)
        if command is Command.STOP:
            await self._set_contact(conn, contact["id"], opted_out=True, wants_outcome=False)
            own = await repository.cases_of_contact(conn, contact["id"])
            if not any(is_open(Status(c["status"])) for c in own):  # no melding to hear the outcome of
                return _Answer(self.texts.simple("notice.stopped_no_cases", lang))
            text = self.texts.simple("notice.stopped", lang) + "\n\n"
            if message.reply_to.channel in BUTTONLESS_CHANNELS:
                return _Answer(text + self.texts.simple("notice.stop_outcome_question_typed", lang))
            return _Answer(text + self.texts.simple("notice.stop_outcome_question", lang),
                           actions=((self.texts.simple("notice.stop_outcome_yes", lang), STOP_OUTCOME_YES),
                                    (self.texts.simple("notice.stop_outcome_no", lang), STOP_OUTCOME_NO)))
        if command is Command.OUTCOME:
            if not contact["opted_out"]:
                return _Answer(self.texts.simple("notice.outcome_not_stopped", lang))
            await self._set_contact(conn, contact["id"], wants_outcome=True)
            return _Answer(self.texts.simple("notice.stop_outcome_saved", lang))
        if command is Command.PRIVACY:
            button = (self.texts.simple("notice.privacy_erase_button", lang), commands.ERASE_CHOICE)
            key = _PRIVACY_KEYS.get(message.reply_to.channel, _PRIVACY_DEFAULT)
            return _Answer(self.texts.simple(key, lang, privacy_url=m.privacy_url, phone=m.phone),
                           actions=(button,))
        if command is Command.ERASE:
            return await self._erasure(conn, contact, lang, now)
        if command is Command.HELP:
            key = "notice.help" if media else "notice.help_text_only"
        else:
            key = "notice.unknown_command"
        return _Answer(self.texts.simple(key, lang, phone=m.phone))

    async def _status(self, conn: AsyncConnection, contact: dict[str, Any], args: str, lang: str) -> _Answer:
        own = await repository.cases_of_contact(conn, contact["id"])
        wanted = args.strip().split()[0].upper()[:40] if args.strip() else ""
        if wanted:
            found = [c for c in own if c["reference"] == wanted]
            if not found:
                return _Answer(self.texts.simple("notice.status_unknown", lang, reference=wanted))
            return _Answer(self._line(found[0], lang), found[0]["id"], found[0]["reference"])
        open_cases = [c for c in own if is_open(Status(c["status"]))]
        if not open_cases:
            return _Answer(self.texts.simple("status.none", lang))
        return _Answer("\n".join(self._line(c, lang) for c in open_cases))

    def _line(self, case: Any, lang: str) -> str:
        status = self.texts.simple(f"status.{case['status']}", lang)
        # What it is about, so two cases of one vakdienst can be told apart (a trial's /status read
        # "UT-2026-000002: bij een medewerker, Stadswerken" twice).
        category = self.rules.categories.get(case["category"] or case["suggested_category"] or "")
        subject = f" ({category.name})" if category is not None else ""
        if is_open(Status(case["status"])):
            return self.texts.with_case("status.line", lang, case, status=status, subject=subject)
        # A closed case has no due date to keep: its outcome is what the resident wants to see again.
        outcome = (case["outcome"] or "").strip()
        return self.texts.with_case("status.line_closed", lang, case, status=status, subject=subject,
                                    outcome=f" {outcome}" if outcome else "")

    async def _language(self, conn: AsyncConnection, contact: dict[str, Any], args: str, lang: str) -> _Answer:
        wanted = commands.language(args)
        if wanted is None:
            return _Answer(self.texts.simple("notice.language_help", lang))
        await self._set_contact(conn, contact["id"], locale=wanted)
        # Answers on open cases (replies, updates) follow the case's language: switch those too.
        await conn.execute(update(cases).where(cases.c.contact_id == contact["id"], cases.c.status.in_(OPEN))
                           .values(locale=wanted))
        return _Answer(self.texts.simple("notice.language_set", wanted))

    async def _erasure_note(self, conn: AsyncConnection, case_id: int, references: list[str], due: date,
                            now: datetime) -> None:
        """The first internal note: which cases are the resident's, by reference only (no contact data), so the
        ambtenaar knows what the request is about."""
        if references:
            text = self.texts.simple("notice.erasure_note", "nl", references=", ".join(references),
                                     due=self.texts.t.date(due, "nl"))
        else:
            text = self.texts.simple("notice.erasure_note_none", "nl", due=self.texts.t.date(due, "nl"))
        await repository.add_message(conn, channel="intern", direction="note", body=text, now=now, case_id=case_id,
                                     meta={"mentions": [], "zaken": references})

    async def _set_contact(self, conn: AsyncConnection, contact_id: int, **values: Any) -> None:
        await conn.execute(update(contacts).where(contacts.c.id == contact_id).values(**values))

    async def _erasure(self, conn: AsyncConnection, contact: dict[str, Any], lang: str, now: datetime) -> _Answer:
        """A case for a person: the municipality must answer within a month (AVG art. 12(3))."""
        for case in await repository.cases_of_contact(conn, contact["id"]):
            if (case["routing"] or {}).get("request") == ERASURE and is_open(Status(case["status"])):
                pending = self.texts.with_case("notice.erasure_pending", lang, case)
                return _Answer(pending, case["id"], case["reference"])
        zone = ZoneInfo(self.rules.municipality.timezone)
        today = now.astimezone(zone).date()
        due = commands.erasure_due(today)
        others = [c for c in await repository.cases_of_contact(conn, contact["id"])
                  if (c["routing"] or {}).get("request") != ERASURE]
        # The wijkbureau (triage department) of the wijk the resident's most recent case plays in: they know
        # the resident's cases; a resident without one goes to the department's city-wide or first team.
        wijk = next((c["wijk"] for c in reversed(others) if c["wijk"]), None)
        department = self.rules.municipality.triage_department
        team = self.rules.team_for(department, wijk)
        loads = await intake_rows.officer_loads_for(conn, [team.id if team else ""])
        assignment = assign(self.rules, department, wijk, loads.get(team.id if team else "", []))
        status = Status.TOEGEWEZEN if assignment.officer_id else Status.NIEUW
        row = {
            "reference": f"new-erasure-{now.timestamp()}", "kind": Kind.VRAAG.value, "status": status.value,
            "department": department, "team": assignment.team.id, "officer_id": assignment.officer_id,
            "wijk": wijk,
            "confidence": 1.0, "contact_id": contact["id"], "locale": lang, "sla_days": (due - today).days,
            "due_date": due, "created_at": now, "updated_at": now, "last_contact_at": now,
            "routing": {"request": ERASURE, "reasons": [
                "De bewoner vraagt om verwijdering van zijn gegevens (AVG artikel 17). "
                "Antwoord binnen een maand (AVG artikel 12, lid 3)."], "matched_terms": []},
        }
        case_id = (await intake_rows.insert_returning_ids(conn, cases, [row]))[0]
        reference = (await intake_rows.set_references(conn, self.rules.municipality.reference_prefix,
                                                      [(case_id, now)]))[0]
        await repository.add_event(conn, case_id, now, "bewoner", ERASURE, {"uiterlijk": due.isoformat()})
        await self._erasure_note(conn, case_id, [c["reference"] for c in others], due, now)
        remind = next_allowed_moment(datetime.combine(due - timedelta(days=7), time(9, 0), tzinfo=zone), str(zone))
        await repository.plan_followups(conn, case_id, [(FollowUpKind.REMINDER.value, remind)])
        return _Answer(self.texts.simple("notice.erasure_requested", lang, reference=reference,
                                         due=self.texts.t.date(due, lang)), case_id, reference)
