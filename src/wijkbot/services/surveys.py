"""The resident's verdict after closing: a score 1-5, "is het opgelost?", and an optional why.

Invariants: asked once per closed case (every linked duplicate too) in the resident's own channel: buttons in
channels that have them, a short typed question on X; held at night and not sent after /stop; every answer
is stored first like any message; an answer is taken only while the token is valid (14 days) and only from
the resident whose case it is; an expired token gets a polite answer and nothing is recorded; the verdict is
one "tevredenheid" event {"score", "opgelost", "toelichting"} (the digest reads it); "not solved" or a low
score writes "heropenverzoek" with the reason and puts the case in its ambtenaar's mentions queue — an
ambtenaar decides whether to reopen, never the bot; the optional why is the next message within a day of the
verdict (later words are a new message, not a why).
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.domain import survey
from wijkbot.domain.model import BUTTONLESS_CHANNELS, InboundMessage, Kind
from wijkbot.domain.references import references_in
from wijkbot.domain.reopen import REOPEN_REQUEST
from wijkbot.domain.rules import RuleSet
from wijkbot.domain.sanitise import is_blank, storable
from wijkbot.ports import Clock
from wijkbot.services import inbound_rows, started_messages
from wijkbot.services.intake_items import IntakeResult
from wijkbot.services.texts import Texts
from wijkbot.storage import casefile, outbox, repository, survey_rows
from wijkbot.storage.db import Database

MAX_WHY = 2000
WHY_WINDOW = timedelta(days=1)  # the optional why: what the resident writes within a day of the verdict


class Surveys:
    def __init__(self, db: Database, rules: RuleSet, texts: Texts, clock: Clock,
                 notify_outbox: Callable[[], None] = lambda: None) -> None:
        self.db = db
        self.rules = rules
        self.texts = texts
        self.clock = clock
        self.notify_outbox = notify_outbox
        self._lookups: list[tuple[tuple[str, str], asyncio.Future[dict[str, Any] | None]]] = []
        self._lookup_task: asyncio.Task[None] | None = None

    async def ask(self, conn: AsyncConnection, case: Any, now: datetime) -> None:
        """Inside the closing transaction: a new token and the first question. Not for a resident in crisis: "how
        satisfied are you?" is no question to end that conversation with."""
        if (case["routing"] or {}).get("crisis"):
            return
        token = secrets.token_urlsafe(12)
        await survey_rows.add(conn, token, int(case["id"]), now)
        channel = await repository.contact_channel(conn, int(case["contact_id"]))
        lang = str(case["locale"])
        actions: tuple[tuple[str, str], ...] = ()
        if channel in BUTTONLESS_CHANNELS:  # the resident types a digit and ja/nee
            key = "survey.question_typed" if _about_a_problem(case) else "survey.question_helped_typed"
            body = self.texts.with_case(key, lang, case)
        else:
            key = "survey.question" if _about_a_problem(case) else "survey.question_helped"
            body = self.texts.with_case(key, lang, case)
            actions = tuple((str(n), survey.score_value(token, n)) for n in range(1, 6))
        await started_messages.send(conn, case, purpose="survey", body=body, now=now,
                                    tz=self.rules.municipality.timezone, actions=actions)

    async def handle_choice(self, message: InboundMessage) -> IntakeResult:
        """A pressed survey button ("survey:<token>:score:4", "survey:<token>:solved:nee")."""
        async with self.db.write() as conn:
            duplicate = await inbound_rows.already_stored(conn, message)
            if duplicate is not None:
                return duplicate
            now = self.clock()
            contact = await inbound_rows.contact_of(conn, message, now)
            lang = self.texts.t.language(contact["locale"])
            answer = survey.parse_choice(message.choice or "")
            found = await survey_rows.of_contact(conn, answer.token, contact["id"]) if answer else None
            if answer is None or found is None:
                result = await self._reply(conn, message, contact, None, self.texts.simple("survey.unknown", lang))
            else:
                result = await self._apply(conn, message, contact, found, answer, now)
        self.notify_outbox()
        return result

    async def handle_text(self, message: InboundMessage) -> IntakeResult | None:
        """A typed message that answers an open survey (X, or the why); None: not for us, intake takes it."""
        if message.command is not None or message.choice is not None or is_blank(message.text):
            return None
        now = self.clock()
        found = await self._open_survey((message.reply_to.channel, message.reply_to.address), now)
        if found is None:
            return None
        answer = survey.parse_text(found["token"], message.text) if found["answered_at"] is None else None
        if found["answered_at"] is None and answer is None:
            return None  # not an answer (a new melding, a question): the normal way
        if found["answered_at"] is not None and now - found["answered_at"] > WHY_WINDOW:
            return None  # the why is what they write right after the verdict, not a new melding days later
        named = references_in(message.text, self.rules.municipality.reference_prefix)
        if found["answered_at"] is not None and any(r != found["reference"] for r in named):
            # About another case by its number ("kunnen jullie UT-2026-000003 stoppen?"): no why for this one, but
            # words for that case (a trial's request was filed as the why of the survey before it).
            return None
        async with self.db.write() as conn:
            duplicate = await inbound_rows.already_stored(conn, message)
            if duplicate is not None:
                return duplicate
            contact = await inbound_rows.contact_of(conn, message, now)
            if answer is not None:
                result = await self._apply(conn, message, contact, found, answer, now)
            else:
                result = await self._why(conn, message, contact, found, now)
        self.notify_outbox()
        return result

    async def _open_survey(self, pair: tuple[str, str], now: datetime) -> dict[str, Any] | None:
        """One query for all messages arriving together (like intake's group commit), so a burst of messages
        still reaches intake together instead of one by one."""
        waiting: asyncio.Future[dict[str, Any] | None] = asyncio.get_running_loop().create_future()
        self._lookups.append((pair, waiting))
        if self._lookup_task is None or self._lookup_task.done():
            self._lookup_task = asyncio.create_task(self._look_up(now), name="survey-lookup")
        return await waiting

    async def _look_up(self, now: datetime) -> None:
        while self._lookups:
            batch, self._lookups = self._lookups, []
            try:
                async with self.db.read() as conn:
                    found = await survey_rows.latest_open(conn, [p for p, _f in batch], now - survey.VALID_FOR)
            except Exception as error:  # never strand a caller
                for _pair, future in batch:
                    if not future.done():
                        future.set_exception(error)
                continue
            for pair, future in batch:
                if not future.done():
                    future.set_result(found.get(pair))

    async def _apply(self, conn: AsyncConnection, message: InboundMessage, contact: dict[str, Any],
                     found: dict[str, Any], answer: survey.SurveyAnswer, now: datetime) -> IntakeResult:
        lang = str(found["locale"])
        if not survey.is_valid(found["created_at"], now):
            return await self._reply(conn, message, contact, found, self.texts.simple("survey.expired", lang))
        if found["answered_at"] is not None:
            return await self._reply(conn, message, contact, found, self.texts.simple("survey.already", lang))
        score = answer.score if answer.score is not None else found["score"]
        solved = answer.solved if answer.solved is not None else found["solved"]
        await survey_rows.record(conn, found["token"], score=score, solved=solved)
        # Buttons wherever the channel shows them, also after a typed answer ("5" in the web chat); on X the
        # question says what to type.
        token, typed = found["token"], message.reply_to.channel in BUTTONLESS_CHANNELS
        if score is None:
            actions = () if typed else tuple((str(n), survey.score_value(token, n)) for n in range(1, 6))
            return await self._reply(conn, message, contact, found, self.texts.simple("survey.ask_score", lang),
                                     actions)
        if solved is None:
            actions = () if typed else ((self.texts.simple("survey.yes", lang), survey.solved_value(token, True)),
                                        (self.texts.simple("survey.no", lang), survey.solved_value(token, False)))
            key = ("survey.ask_solved" if _about_a_problem(found) else "survey.ask_helped") + ("_typed" * typed)
            return await self._reply(conn, message, contact, found, self.texts.simple(key, lang), actions)
        await survey_rows.record(conn, token, answered_at=now)
        await repository.add_event(conn, found["case_id"], now, "bewoner", "tevredenheid",
                                   {"score": score, "opgelost": solved, "toelichting": ""})
        unhappy = survey.needs_another_look(score, solved)
        if unhappy:
            await self._reopen_request(conn, found, score, solved, now)
        key = "survey.ask_why_unhappy" if unhappy else "survey.ask_why"
        return await self._reply(conn, message, contact, found, self._with_case(key, lang, found))

    async def _why(self, conn: AsyncConnection, message: InboundMessage, contact: dict[str, Any],
                   found: dict[str, Any], now: datetime) -> IntakeResult:
        why = storable(message.text).strip()[:MAX_WHY]
        await survey_rows.record(conn, found["token"], why=why)
        await survey_rows.set_verdict_why(conn, found["case_id"], why)
        unhappy = survey.needs_another_look(found["score"], found["solved"])
        if unhappy:
            note = self.texts.simple("escalation.reopen_why", "nl", why=why)
            await casefile.note_to_officer(conn, int(found["case_id"]), found["officer_id"], note, now)
        key = "survey.thanks_unhappy" if unhappy else "survey.thanks"
        return await self._reply(conn, message, contact, found, self._with_case(key, str(found["locale"]), found))

    def _with_case(self, key: str, lang: str, found: dict[str, Any]) -> str:
        department = self.texts.case_department(found)
        return self.texts.simple(key, lang, reference=found["reference"], department=department)

    async def _reopen_request(self, conn: AsyncConnection, found: dict[str, Any], score: int, solved: bool,
                              now: datetime) -> None:
        reason = self.texts.simple("escalation.reopen_reason_unsolved" if not solved else
                                   "escalation.reopen_reason_score", "nl", score=score)
        await repository.add_event(conn, found["case_id"], now, "bewoner", REOPEN_REQUEST,
                                   {"reden": reason, "score": score, "opgelost": solved})
        await casefile.note_to_officer(conn, int(found["case_id"]), found["officer_id"],
                                       self.texts.simple("escalation.reopen_note", "nl", reason=reason), now)

    async def _reply(self, conn: AsyncConnection, message: InboundMessage, contact: dict[str, Any],
                     found: dict[str, Any] | None, text: str,
                     actions: tuple[tuple[str, str], ...] = ()) -> IntakeResult:
        """Store the resident's message with the case and answer it at once (an answer, not held at night)."""
        now = self.clock()
        case_id = int(found["case_id"]) if found else None
        meta = {"survey": True} | ({"choice": message.choice} if message.choice else {})
        message_id = await inbound_rows.store(conn, message, contact, now, case_id, meta)
        await outbox.enqueue(conn, contact_id=contact["id"], channel=message.reply_to.channel, purpose="notice",
                             body=text, now=now, case_id=case_id, actions=actions)
        return IntakeResult(message_id, found["reference"] if found else None)


def _about_a_problem(case: Any) -> bool:
    """A melding or a complaint is "opgelost" or not; a question or an initiative is helped or not."""
    return Kind(case["kind"]).gets_solved
