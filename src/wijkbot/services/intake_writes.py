"""The writes of one intake batch, set-based, and the answers, composed once every case has its reference.

Invariants: a fixed number of statements per batch whatever its size (rare steps go one case at a time: a
resumed term, a request to look again at a closed case, a place the resident gave later); new cases get their
id-based reference before any answer is composed, so an answer never names a placeholder; everything runs in
the caller's transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.domain import case_plan
from wijkbot.domain.assignment import choose_officer
from wijkbot.domain.followups import FollowUpKind
from wijkbot.domain.model import Area
from wijkbot.domain.reopen import REOPEN_REQUEST
from wijkbot.domain.rules import RuleSet
from wijkbot.domain.workflow import Status
from wijkbot.services import case_terms, inbound_media, placement
from wijkbot.services.case_terms import case_policy
from wijkbot.services.duplicates import LEAD_EVENT, link_duplicates
from wijkbot.services.intake_items import BatchCase, BatchItem
from wijkbot.services.texts import Texts
from wijkbot.storage import attachments, casefile, conversation_rows, intake_rows, repository
from wijkbot.storage.tables import case_events, cases, followups, messages, outbox

PLACE_ADDED = "plaats aangevuld"
# A resident who sends a burst of messages to one case hears "toegevoegd aan nummer ..." once: the same words
# again within this time are left out (anything else we say is always sent).
QUIET_AFTER = timedelta(minutes=2)
RESIDENT_EVENTS = frozenset({"bericht", REOPEN_REQUEST, PLACE_ADDED})  # events the resident's message is the actor of


class BatchWriter:
    """Writes what one batch decided: new cases, messages, attachments, events, answers, follow-ups."""

    def __init__(self, conn: AsyncConnection, rules: RuleSet, texts: Texts, now: datetime,
                 max_attachment_bytes: int, sent_rows: dict[int, dict[str, Any]] | None = None) -> None:
        self.conn = conn
        self.sent_rows = sent_rows or {}  # the last outbox row per resident, as the batch read it
        self.rules = rules
        self.texts = texts
        self.now = now
        self.max_attachment_bytes = max_attachment_bytes

    async def write(self, fresh: list[BatchItem]) -> None:
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
        for c in touched.values():
            if c.placed is not None and not c.new:  # rare: one case at a time
                await self._place(c, c.placed)
        lead_event_rows = [{"case_id": lead_id, "at": self.now, "actor": "systeem", "type": LEAD_EVENT,
                            "data": {"zaak": case.row["reference"]}} for lead_id, case in lead_events]
        inserted = [i for i in fresh if not i.stored_ids]
        message_ids = await intake_rows.insert_returning_ids(self.conn, messages,
                                                             [i.message_row(self.now) for i in inserted])
        for item, message_id in zip(inserted, message_ids, strict=True):
            item.message_id = message_id
        await conversation_rows.move_messages(self.conn, [
            (mid, i.case.row["id"]) for i in fresh if i.stored_ids and i.case for mid in i.stored_ids
        ] + [(mid, c.row["id"]) for c in new_cases for mid in c.context])
        # (Only what is on its way or went out: an answer that failed must not keep the next one back.)
        said = {contact_id: (row["case_id"], row["body"], row["created_at"])
                for contact_id, row in self.sent_rows.items() if row["status"] in ("pending", "sent")}
        for item in fresh:
            if item.stored_ids:
                item.message_id = item.stored_ids[0]
            self._compose(item)
            if item.answer and item.case is not None:
                said_before = said.get(item.contact["id"])
                if item.added_only and said_before is not None and said_before[:2] == (
                        item.case.row["id"], item.answer) and self.now - said_before[2] <= QUIET_AFTER:
                    item.answer = ""  # said a moment ago: not again for every message of a burst
                else:
                    said[item.contact["id"]] = (item.case.row["id"], item.answer, self.now)
        by_item = {id(i): i.message_id for i in fresh}
        await attachments.add_many(self.conn, [
            attachments.row(i.message_id, i.case.row["id"] if i.case else None, a.content_type, a.file_name,
                            a.content, self.now)
            for i in inserted for a in i.media.kept
        ])
        await intake_rows.insert_rows(self.conn, case_events, [
            {"case_id": c.row["id"], "at": self.now, "actor": "bewoner" if kind in RESIDENT_EVENTS else "systeem",
             "type": kind, "data": {"message_id": by_item[data["item"]]} if "item" in data else data}
            for c in touched.values() for kind, data in c.events
        ] + lead_event_rows)
        await intake_rows.touch_cases(self.conn, [
            {"b_id": c.row["id"], "b_at": self.now, "b_status": c.row["status"]} for c in touched.values() if not c.new
        ])
        await conversation_rows.set_locations(self.conn, [
            (c.row["id"], c.row["latitude"], c.row["longitude"]) for c in touched.values() if c.located and not c.new
        ])
        await intake_rows.insert_rows(self.conn, outbox, [
            {"contact_id": i.contact["id"], "channel": i.message.reply_to.channel, "purpose": i.purpose,
             "body": i.answer, "case_id": i.case.row["id"] if i.case else None,
             "actions": [list(a) for a in i.actions], "status": "pending",
             "attempts": 0, "next_attempt_at": self.now, "created_at": self.now}
            for i in fresh if i.answer
        ])
        await intake_rows.insert_rows(self.conn, followups, [
            {"case_id": c.row["id"], "kind": kind, "due_at": due_at, "status": "planned"}
            for c in new_cases if not c.row["out_of_scope"]
            for kind, due_at in case_plan.plan_case(self.now, c.row["due_date"], case_policy(self.rules, c.row),
                                                    self.rules.municipality.timezone)
            # A resident in crisis was promised no date: no automatic "U hoort uiterlijk ..." (a person answers;
            # the reminder and escalation for the ambtenaren stay).
            if not (kind == FollowUpKind.UPDATE.value and (c.row.get("routing") or {}).get("crisis"))
        ])
        for c in touched.values():  # both rare, so one case at a time
            if c.resumed:
                await case_terms.resume(self.conn, self.rules, c.row, self.now)
            if c.reopen_request:
                reason = self.texts.simple("escalation.reopen_reason_message", "nl")
                note = self.texts.simple("escalation.reopen_note", "nl", reason=reason)
                await casefile.note_to_officer(self.conn, c.row["id"], c.row["officer_id"], note, self.now)

    async def _place(self, case: BatchCase, area: Area) -> None:
        """A case without a place gets the one the resident gave; while nobody has taken it up yet, it also moves
        to the department's team for that wijk (it had gone to the department's first team)."""
        row = case.row
        values: dict[str, Any] = {"street": area.street, "wijk": area.wijk, "buurt": area.buurt,
                                  "buurt_code": area.buurt_code}
        data: dict[str, Any] = {"straat": area.street, "wijk": area.wijk, "buurt": area.buurt}
        team = self.rules.team_for(row["department"], area.wijk)
        if team is not None and team.id != row["team"] and await self._untouched(row):
            loads = await intake_rows.officer_loads_for(self.conn, [team.id])
            officer = choose_officer(loads.get(team.id, []))
            status = Status.TOEGEWEZEN if officer is not None else Status.NIEUW
            values |= {"team": team.id, "officer_id": officer, "status": status.value}
            data |= {"team": {"van": row["team"], "naar": team.id}}
        row.update(values)
        await repository.update_case(self.conn, row["id"], self.now, **values)
        case.events.append((PLACE_ADDED, data))

    async def _untouched(self, row: dict[str, Any]) -> bool:
        """Nobody has taken the case up: as intake made it (a hand assignment or any other act of an ambtenaar
        keeps it where they put it)."""
        if row["status"] not in (Status.NIEUW.value, Status.TOEGEWEZEN.value) or row.get("handover_count"):
            return False
        return not await repository.officer_acted(self.conn, int(row["id"]))

    def _compose(self, item: BatchItem) -> None:
        """The answer, now that every case has its reference and every message its id."""
        ack = item.acknowledgement
        case = item.case
        if ack is not None and case is not None:
            item.answer = self.texts.acknowledgement(ack.decision, case.row["reference"], ack.due, ack.lang,
                                                     ack.long, known=case.row.get("duplicate_of") is not None,
                                                     said=item.body)
        elif case is not None:
            self._compose_for_open_case(item, case)
        extra = inbound_media.notes(item.media, self.texts, item.lang, self.max_attachment_bytes)
        apart = [str(c.row["reference"]) for c in item.separate_from if c.row.get("reference")]
        if apart and ack is not None and not ack.decision.out_of_scope:
            extra.insert(0, self.texts.simple("ack.separate" if len(apart) == 1 else "ack.separate_many", item.lang,
                                              references=self.texts.t.join(apart, item.lang)))
        if item.asks_words:
            extra.append(self.texts.simple("notice.new_case_needs_words", item.lang))
        if item.ends_stop:
            extra.append(self.texts.simple("notice.resumed_by_writing", item.lang))
        if extra and item.case is None and item.media.refused and not item.media.kept:
            # Only a file we could not keep (a voice message): first what happened to it, then what to send.
            item.answer = "\n\n".join([*extra, item.answer])
            item.added_only = False
        elif extra:
            item.answer = "\n\n".join([item.answer, *extra])
            item.added_only = False

    def _compose_for_open_case(self, item: BatchItem, case: BatchCase) -> None:
        """The answer to a message that joined an open case. A resident in crisis (words of self-harm now, or acute
        words in a crisis case) reads where to turn and who reads it, in whatever branch, and never a date: someone
        in distress is promised no date. Danger (112) comes first in any answer. A crisis case is answered without
        a date also when the words themselves are calm (a street given, a location)."""
        routed = item.routed
        acute = routed is not None and routed.urgent
        crisis_case = bool((case.row.get("routing") or {}).get("crisis"))
        in_distress = acute and (crisis_case or (routed is not None and routed.crisis))
        if in_distress:  # (this answer names 113 and 112 itself)
            item.answer = self.texts.with_case("ack.added_crisis", item.lang, case.row, who=self._reader(item, case))
            item.added_only = True  # said again for each new message, but not for every one of a burst
        elif item.gave_place and not crisis_case:
            placed = case.placed
            area = ", ".join(p for p in (placed.street, placed.label) if p) if placed else ""
            item.answer = self.texts.with_case("ack.place_added", item.lang, case.row, area=area)
        elif item.another_look:
            item.answer = self.texts.with_case("notice.reopen_requested", item.lang, case.row)
        elif item.ask:
            item.answer, item.actions = placement.question(self.rules, self.texts, item.lang, item.message_id,
                                                           item.ask)
        elif item.media.location is not None and not crisis_case:
            item.answer = inbound_media.location_saved(case.row, self.texts, item.lang)
        else:
            item.answer = self.texts.with_case("ack.added", item.lang, case.row)
            item.added_only = True  # (the quiet rule leaves out the same words within QUIET_AFTER)
        if acute and not in_distress:  # (not by looking for "112": a case number may hold those digits)
            item.answer = "\n\n".join((self.texts.simple("ack.urgent", item.lang), item.answer))

    def _reader(self, item: BatchItem, case: BatchCase) -> str:
        """Who reads the case now: the triage reader while it is in triage, else the team's vakdienst."""
        if case.row.get("triage"):
            return self.texts.triage_reader(item.lang)
        return self.texts.case_department(case.row)

