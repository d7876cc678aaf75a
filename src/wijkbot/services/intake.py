"""Intake: store first, then route, assign, acknowledge and plan follow-ups, all in one transaction.

Invariants: an inbound message is stored before anything is decided about it, and deduplicated on
(channel, external id): a redelivered message creates nothing new and returns the first result; every
resident gets an answer in the outbox (a question back for an empty or unreadable message); a message from a
resident with an open case is added to that case (re-routing is an officer action, never a side effect);
a new case always has a lead department and a team.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.domain import followups as followup_plan
from wijkbot.domain.assignment import assign
from wijkbot.domain.model import InboundMessage
from wijkbot.domain.routing import Decision, Router
from wijkbot.domain.rules import RuleSet
from wijkbot.domain.sanitise import has_words, is_blank, storable
from wijkbot.domain.text import words
from wijkbot.domain.workflow import Status
from wijkbot.ports import Clock
from wijkbot.services.texts import Texts
from wijkbot.storage import outbox, repository
from wijkbot.storage.db import Database

DEFAULT_SLA_DAYS = 5
MIN_WORDS_WITHOUT_SUBJECT = 3


@dataclass(frozen=True, slots=True)
class IntakeResult:
    message_id: int
    reference: str | None
    duplicate: bool = False
    new_case: bool = False


class Intake:
    """Receives resident messages from every channel."""

    def __init__(self, db: Database, rules: RuleSet, router: Router, texts: Texts, clock: Clock,
                 policy: followup_plan.Policy, notify_outbox: Callable[[], None] = lambda: None,
                 long_message_chars: int = 5000) -> None:
        self.db = db
        self.rules = rules
        self.router = router
        self.texts = texts
        self.clock = clock
        self.policy = policy
        self.notify_outbox = notify_outbox
        self.long_message_chars = long_message_chars

    async def receive(self, message: InboundMessage) -> IntakeResult:
        """Store, decide and answer one inbound message."""
        try:
            async with self.db.write() as conn:
                result = await self._receive(conn, message)
        except IntegrityError:
            # A concurrent delivery of the same message won the race on the unique key (PostgreSQL).
            async with self.db.read() as conn:
                existing = await repository.inbound_exists(conn, message.reply_to.channel, message.external_id)
                if existing is None:
                    raise
                return await self._duplicate(conn, existing)
        if not result.duplicate:
            self.notify_outbox()
        return result

    async def _receive(self, conn: AsyncConnection, message: InboundMessage) -> IntakeResult:
        channel = message.reply_to.channel
        existing = await repository.inbound_exists(conn, channel, message.external_id)
        if existing is not None:
            return await self._duplicate(conn, existing)
        now = self.clock()
        contact = await repository.contact_for(conn, channel, message.reply_to.address, message.locale, now)
        lang = self.texts.t.language(contact["locale"])
        body = storable(message.text)
        meta: dict[str, object] = {k: v for k, v in (("street", message.street), ("postcode", message.postcode)) if v}
        if message.attachments:
            meta["attachments"] = list(message.attachments)
        message_id = await repository.add_message(
            conn, channel=channel, direction="in", body=body, now=now, contact_id=contact["id"],
            external_id=message.external_id, meta=meta,
        )
        open_case = await repository.open_case_of_contact(conn, contact["id"])
        if open_case is not None and not is_blank(body):
            return await self._append(conn, open_case, message_id, channel, lang, now)
        decision = self.router.route(body, message.street, message.postcode) if has_words(body) else None
        if decision is None or (decision.suggested_category is None and len(words(body)) < MIN_WORDS_WITHOUT_SUBJECT):
            key = "ack.empty" if is_blank(body) else "ack.nonsense"
            await outbox.enqueue(conn, contact_id=contact["id"], channel=channel, purpose="question",
                                 body=self.texts.simple(key, lang), now=now)
            return IntakeResult(message_id, None)
        long = len(body) > self.long_message_chars
        case = await self._open_case(conn, decision, contact["id"], channel, lang, now, long)
        await repository.attach_message(conn, message_id, case["id"])
        return IntakeResult(message_id, case["reference"], new_case=True)

    async def _duplicate(self, conn: AsyncConnection, existing: object) -> IntakeResult:
        row = dict(existing)  # type: ignore[call-overload]
        case = await repository.case_by_id(conn, row["case_id"]) if row["case_id"] else None
        return IntakeResult(row["id"], case["reference"] if case else None, duplicate=True)

    async def _append(self, conn: AsyncConnection, case: object, message_id: int, channel: str, lang: str,
                      now: datetime) -> IntakeResult:
        row = dict(case)  # type: ignore[call-overload]
        await repository.attach_message(conn, message_id, row["id"])
        await repository.add_event(conn, row["id"], now, "bewoner", "bericht", {"message_id": message_id})
        values: dict[str, object] = {"last_contact_at": now}
        if row["status"] == Status.WACHT_OP_BEWONER.value:
            values["status"] = Status.IN_BEHANDELING.value
        await repository.update_case(conn, row["id"], now, **values)
        await outbox.enqueue(conn, contact_id=row["contact_id"], channel=channel, purpose="ack",
                             body=self.texts.with_case("ack.added", lang, row), now=now, case_id=row["id"])
        return IntakeResult(message_id, row["reference"])

    async def _open_case(self, conn: AsyncConnection, decision: Decision, contact_id: int, channel: str,
                         lang: str, now: datetime, long: bool) -> dict[str, Any]:
        category = self.rules.categories.get(decision.suggested_category or "")
        sla = category.sla_days if category and not decision.triage else DEFAULT_SLA_DAYS
        tz = self.rules.municipality.timezone
        due = followup_plan.due_date(now, sla, tz)
        team_department = category.department if decision.out_of_scope and category else decision.department
        loads = await repository.officer_loads(conn, self._team_id(team_department, decision.area.wijk))
        assignment = assign(self.rules, team_department, decision.area.wijk, loads)
        status = Status.AFGEHANDELD if decision.out_of_scope else (
            Status.TOEGEWEZEN if assignment.officer_id else Status.NIEUW)
        case = await repository.create_case(conn, self.rules.municipality.reference_prefix, {
            "kind": decision.kind.value, "status": status.value, "category": decision.category,
            "suggested_category": decision.suggested_category, "department": team_department,
            "team": assignment.team.id, "officer_id": assignment.officer_id, "wijk": decision.area.wijk,
            "buurt": decision.area.buurt, "buurt_code": decision.area.buurt_code, "street": decision.area.street,
            "confidence": decision.confidence, "triage": decision.triage, "urgent": decision.urgent,
            "out_of_scope": decision.out_of_scope, "ambition": decision.ambition, "contact_id": contact_id,
            "locale": lang, "sla_days": sla, "due_date": due, "created_at": now, "updated_at": now,
            "last_contact_at": now, "closed_at": now if decision.out_of_scope else None,
            "outcome": "Doorverwezen" if decision.out_of_scope else None,
            "routing": {"reasons": list(decision.reasons),
                        "matched_terms": list(decision.matched_terms), "area_matched_by": decision.area.matched_by},
        })
        await repository.add_event(conn, int(case["id"]), now, "systeem", "aangemaakt", {
            "reasons": list(decision.reasons), "department": team_department, "team": assignment.team.id,
            "officer_id": assignment.officer_id, "status": status.value,
        })
        await outbox.enqueue(conn, contact_id=contact_id, channel=channel, purpose="ack", now=now,
                             case_id=int(case["id"]),
                             body=self.texts.acknowledgement(decision, str(case["reference"]), due, lang, long))
        if not decision.out_of_scope:
            planned = followup_plan.plan(now, sla, self.policy, tz)
            await repository.plan_followups(conn, int(case["id"]), [(p.kind.value, p.due_at) for p in planned])
        return dict(case)

    def _team_id(self, department: str, wijk: str | None) -> str:
        team = self.rules.team_for(department, wijk)
        return team.id if team else ""
