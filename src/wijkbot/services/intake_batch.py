"""One batch of inbound messages inside one transaction: dedupe, store, route, assign, acknowledge, plan.

Invariants: statements are set-based (a fixed number per batch); messages are handled in arrival order, so a
resident's second message in the same batch joins the case their first one opened; officer loads are
updated in memory as cases are assigned, so one batch spreads work like one-by-one intake would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.domain import followups as followup_plan
from wijkbot.domain.assignment import OfficerLoad, assign
from wijkbot.domain.model import InboundMessage
from wijkbot.domain.routing import Decision, Routes
from wijkbot.domain.rules import RuleSet
from wijkbot.domain.sanitise import has_words, is_blank, storable
from wijkbot.domain.text import words
from wijkbot.domain.workflow import Status
from wijkbot.services.duplicates import LEAD_EVENT, link_duplicates
from wijkbot.services.texts import Texts
from wijkbot.storage import intake_rows
from wijkbot.storage.tables import case_events, cases, followups, messages, outbox

DEFAULT_SLA_DAYS = 5
MIN_WORDS_WITHOUT_SUBJECT = 3


@dataclass(frozen=True, slots=True)
class IntakeResult:
    message_id: int
    reference: str | None
    duplicate: bool = False
    new_case: bool = False


@dataclass
class _Case:
    """A case this batch touches: an existing open one (id known) or a new one (id after insert)."""

    row: dict[str, Any]
    new: bool
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Acknowledgement:
    """What the first answer to a new case needs; written once the case has its reference."""

    decision: Decision
    due: date
    lang: str
    long: bool


@dataclass
class _Item:
    message: InboundMessage
    body: str
    contact: dict[str, Any]
    case: _Case | None = None
    duplicate_of: dict[str, Any] | None = None  # a stored message, or {"item": the first one in this batch}
    answer: str = ""
    acknowledgement: _Acknowledgement | None = None
    purpose: str = "ack"
    message_id: int = 0
    lang: str = "nl"


class IntakeBatch:
    def __init__(self, conn: AsyncConnection, rules: RuleSet, router: Routes, texts: Texts,
                 policy: followup_plan.Policy, now: datetime, long_chars: int) -> None:
        self.conn = conn
        self.rules = rules
        self.router = router
        self.texts = texts
        self.policy = policy
        self.now = now
        self.long_chars = long_chars
        self.tz = rules.municipality.timezone

    async def run(self, batch: list[InboundMessage]) -> list[IntakeResult]:
        keys = [(m.reply_to.channel, m.external_id) for m in batch]
        stored = await intake_rows.existing_inbound(self.conn, keys)
        wishes: dict[tuple[str, str], str | None] = {}
        for m in batch:
            pair = (m.reply_to.channel, m.reply_to.address)
            wishes[pair] = m.locale or wishes.get(pair)
        contacts = await intake_rows.contacts_for(self.conn, wishes, self.now)
        open_cases = {cid: _Case(row, new=False) for cid, row in
                      (await intake_rows.open_cases_of(self.conn, [c["id"] for c in contacts.values()])).items()}
        items: list[_Item] = []
        first_seen: dict[tuple[str, str], _Item] = {}
        for message, key in zip(batch, keys, strict=True):
            contact = contacts[(message.reply_to.channel, message.reply_to.address)]
            item = _Item(message, storable(message.text), contact)
            if key in stored or key in first_seen:
                item.duplicate_of = stored.get(key) or {"item": first_seen[key]}
            else:
                first_seen[key] = item
            items.append(item)
        fresh = [i for i in items if i.duplicate_of is None]
        decisions = {id(i): self._decide(i, open_cases) for i in fresh}
        loads = await intake_rows.officer_loads_for(self.conn, [self._team_for(d) for d in decisions.values() if d])
        for item in fresh:
            self._handle(item, decisions[id(item)], open_cases, loads)
        await self._write(fresh, open_cases)
        return [self._result(i) for i in items]

    def _decide(self, item: _Item, open_cases: dict[int, _Case]) -> Decision | None:
        if item.contact["id"] in open_cases and not is_blank(item.body):
            return None  # joins the open case; decided in _handle
        if not has_words(item.body):
            return None
        decision = self.router.route(item.body, item.message.street, item.message.postcode)
        if decision.suggested_category is None and len(words(item.body)) < MIN_WORDS_WITHOUT_SUBJECT:
            return None
        return decision

    def _team_for(self, decision: Decision) -> str:
        team = self.rules.team_for(decision.department, decision.area.wijk)
        return team.id if team else ""

    def _handle(self, item: _Item, decision: Decision | None, open_cases: dict[int, _Case],
                loads: dict[str, list[OfficerLoad]]) -> None:
        lang = self.texts.t.language(item.contact["locale"])
        existing = open_cases.get(item.contact["id"])
        if existing is not None and not is_blank(item.body):
            item.case = existing
            existing.row["last_contact_at"] = self.now
            if existing.row["status"] == Status.WACHT_OP_BEWONER.value:
                existing.row["status"] = Status.IN_BEHANDELING.value
            existing.events.append(("bericht", {"item": id(item)}))
            item.lang = lang  # "added to <reference>" is written once every case has its reference
            return
        if decision is None:
            item.answer = self.texts.simple("ack.empty" if is_blank(item.body) else "ack.nonsense", lang)
            item.purpose = "question"
            return
        item.case = self._new_case(item, decision, lang, loads)
        item.acknowledgement = _Acknowledgement(decision, item.case.row["due_date"], lang,
                                                len(item.body) > self.long_chars)
        if not decision.out_of_scope:
            open_cases[item.contact["id"]] = item.case

    def _new_case(self, item: _Item, decision: Decision, lang: str, loads: dict[str, list[OfficerLoad]]) -> _Case:
        category = self.rules.categories.get(decision.suggested_category or "")
        sla = category.sla_days if category and not decision.triage else DEFAULT_SLA_DAYS
        due = followup_plan.due_date(self.now, sla, self.tz)
        department = decision.department  # out of scope: the category's own department, for the pointer
        team_loads = loads.setdefault(self._team_for(decision), [])
        assignment = assign(self.rules, department, decision.area.wijk, team_loads)
        if assignment.officer_id is not None:  # count the new case, so the next one goes to someone else
            loads[assignment.team.id] = [
                OfficerLoad(o.officer_id, o.available, o.open_cases + (o.officer_id == assignment.officer_id))
                for o in team_loads
            ]
        status = Status.AFGEHANDELD if decision.out_of_scope else (
            Status.TOEGEWEZEN if assignment.officer_id else Status.NIEUW)
        row: dict[str, Any] = {
            "kind": decision.kind.value, "status": status.value, "category": decision.category,
            "suggested_category": decision.suggested_category, "department": department,
            "team": assignment.team.id, "officer_id": assignment.officer_id, "wijk": decision.area.wijk,
            "buurt": decision.area.buurt, "buurt_code": decision.area.buurt_code, "street": decision.area.street,
            "confidence": decision.confidence, "triage": decision.triage, "urgent": decision.urgent,
            "out_of_scope": decision.out_of_scope, "ambition": decision.ambition, "contact_id": item.contact["id"],
            "locale": lang, "sla_days": sla, "due_date": due, "created_at": self.now, "updated_at": self.now,
            "last_contact_at": self.now, "closed_at": self.now if decision.out_of_scope else None,
            "outcome": "Doorverwezen" if decision.out_of_scope else None,
            "routing": {"reasons": list(decision.reasons), "matched_terms": list(decision.matched_terms),
                        "area_matched_by": decision.area.matched_by},
        }
        case = _Case(row, new=True)
        case.events.append(("aangemaakt", {
            "reasons": list(decision.reasons), "department": department, "team": assignment.team.id,
            "officer_id": assignment.officer_id, "status": status.value,
        }))
        return case

    async def _write(self, fresh: list[_Item], open_cases: dict[int, _Case]) -> None:
        touched = {id(i.case): i.case for i in fresh if i.case is not None}
        new_cases = [c for c in touched.values() if c.new]
        lead_events = await link_duplicates(self.conn, self.rules.municipality.duplicates, new_cases, self.now)
        ids = await intake_rows.insert_returning_ids(self.conn, cases, [
            c.row | {"reference": f"new-{n}-{self.now.timestamp()}"}  # replaced by the id-based one below
            for n, c in enumerate(new_cases)
        ])
        references = await intake_rows.set_references(self.conn, self.rules.municipality.reference_prefix,
                                                      [(case_id, self.now) for case_id in ids])
        for case, case_id, reference in zip(new_cases, ids, references, strict=True):
            case.row["id"], case.row["reference"] = case_id, reference
        lead_event_rows = [{"case_id": lead_id, "at": self.now, "actor": "systeem", "type": LEAD_EVENT,
                            "data": {"zaak": case.row["reference"]}} for lead_id, case in lead_events]
        for item in fresh:
            ack = item.acknowledgement
            if ack is not None and item.case is not None:
                item.answer = self.texts.acknowledgement(ack.decision, item.case.row["reference"], ack.due, ack.lang,
                                                         ack.long, known=item.case.row.get("duplicate_of") is not None)
            elif item.case is not None:
                item.answer = self.texts.with_case("ack.added", item.lang, item.case.row)
        message_ids = await intake_rows.insert_returning_ids(self.conn, messages, [self._message_row(i) for i in fresh])
        by_item = {id(i): mid for i, mid in zip(fresh, message_ids, strict=True)}
        for item, message_id in zip(fresh, message_ids, strict=True):
            item.message_id = message_id
        await intake_rows.insert_rows(self.conn, case_events, [
            {"case_id": c.row["id"], "at": self.now, "actor": "bewoner" if kind == "bericht" else "systeem",
             "type": kind, "data": {"message_id": by_item[data.pop("item")]} if "item" in data else data}
            for c in touched.values() for kind, data in c.events
        ] + lead_event_rows)
        await intake_rows.touch_cases(self.conn, [
            {"b_id": c.row["id"], "b_at": self.now, "b_status": c.row["status"]} for c in touched.values() if not c.new
        ])
        await intake_rows.insert_rows(self.conn, outbox, [
            {"contact_id": i.contact["id"], "channel": i.message.reply_to.channel, "purpose": i.purpose,
             "body": i.answer, "case_id": i.case.row["id"] if i.case else None, "actions": [], "status": "pending",
             "attempts": 0, "next_attempt_at": self.now, "created_at": self.now}
            for i in fresh
        ])
        await intake_rows.insert_rows(self.conn, followups, [
            {"case_id": c.row["id"], "kind": p.kind.value, "due_at": p.due_at, "status": "planned"}
            for c in new_cases if not c.row["out_of_scope"]
            for p in followup_plan.plan(self.now, c.row["sla_days"], self.policy, self.tz)
        ])

    def _message_row(self, item: _Item) -> dict[str, Any]:
        meta: dict[str, Any] = {k: v for k, v in (("street", item.message.street),
                                                  ("postcode", item.message.postcode)) if v}
        if item.message.attachments:
            meta["attachments"] = list(item.message.attachments)
        return {"channel": item.message.reply_to.channel, "direction": "in", "body": item.body,
                "created_at": self.now, "contact_id": item.contact["id"],
                "case_id": item.case.row["id"] if item.case else None,
                "external_id": item.message.external_id, "meta": meta}

    def _result(self, item: _Item) -> IntakeResult:
        if item.duplicate_of is not None:
            original = item.duplicate_of.get("item")
            if isinstance(original, _Item):
                return IntakeResult(original.message_id, original.case.row["reference"] if original.case else None,
                                    duplicate=True)
            return IntakeResult(item.duplicate_of["id"], item.duplicate_of["reference"], duplicate=True)
        reference = item.case.row["reference"] if item.case else None
        return IntakeResult(item.message_id, reference, new_case=bool(item.case and item.case.new))
