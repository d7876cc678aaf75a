"""One batch of inbound messages inside one transaction: dedupe, store, route, assign, acknowledge, plan.

Invariants: statements are set-based (a fixed number per batch); messages are handled in arrival order, so a
resident's second message in the same batch joins the case their first one opened; officer loads are
updated in memory as cases are assigned, so one batch spreads work like one-by-one intake would.

Acute danger (domain.routing: urgent or crisis) opens a case of its own with the 112 (or 113) answer, however
short, also for a resident with open or just-closed cases; only a resident whose open case is acute already
continues that conversation. A resident with open cases: a message that plainly continues one of
them joins it; words the router is sure of that plainly point away from every open case open a case of their
own, whose answer says it is handled apart (domain.conversation.plainly_new); any other message is kept
with the open case its words match best (else the newest; domain.conversation.place) and the answer asks, with
buttons, which case it is about, naming that case first (services.placement);
on a channel without buttons (X) it joins that case, unless the router confidently puts it in a
category none of the open cases has: then it opens a case of its own. A message that is no plain continuation
but says the problem is not solved and points at a case closed in the last two weeks (services.another_look) joins that
closed case as a request to look again instead. A resident who sent /stop and writes again gets messages from us
again, and the answer says so.
Files are kept with the message and its case (services.inbound_media); a photo or location sent before any
words joins the case those words open, if they come within the hour.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.domain import followups as followup_plan
from wijkbot.domain import language_guess
from wijkbot.domain.assignment import OfficerLoad
from wijkbot.domain.attachments import DEFAULT_MAX_BYTES
from wijkbot.domain.conversation import CHOICE, LastSent, OpenCase, Placement, Subject, place, plainly_new
from wijkbot.domain.duplicates import house_number
from wijkbot.domain.greetings import is_greeting, wants_a_person
from wijkbot.domain.model import BUTTONLESS_CHANNELS, InboundMessage
from wijkbot.domain.references import references_in
from wijkbot.domain.routing import Decision, Routes
from wijkbot.domain.rules import RuleSet
from wijkbot.domain.sanitise import has_words, storable
from wijkbot.domain.text import COMMON_WORDS, words
from wijkbot.domain.workflow import Status
from wijkbot.services import another_look, inbound_media, no_case_answers, placement
from wijkbot.services.intake_items import Acknowledgement, BatchCase, BatchItem, IntakeResult
from wijkbot.services.intake_writes import BatchWriter
from wijkbot.services.named_cases import NAMES_CASE, NamedCases, about_named_case, is_klacht, named_case
from wijkbot.services.new_case import new_case_row, team_for
from wijkbot.services.texts import Texts
from wijkbot.storage import conversation_rows, intake_rows

MIN_WORDS_WITHOUT_SUBJECT = 3
CONTEXT_WINDOW = timedelta(hours=1)  # a photo or location without words waits this long for them


class IntakeBatch:
    def __init__(self, conn: AsyncConnection, rules: RuleSet, router: Routes, texts: Texts,
                 policy: followup_plan.Policy, now: datetime, long_chars: int,
                 max_attachment_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.conn = conn
        self.rules = rules
        self.router = router
        self.texts = texts
        self.policy = policy
        self.now = now
        self.long_chars = long_chars
        self.max_attachment_bytes = max_attachment_bytes
        self.tz = rules.municipality.timezone
        self.last_sent: dict[int, LastSent] = {}
        self.sent_rows: dict[int, dict[str, Any]] = {}  # the last outbox row per resident, as read
        self.closed: dict[int, list[BatchCase]] = {}  # per resident who says "nog steeds kapot": recent closings
        self.own_named: NamedCases = {}  # the resident's own cases their messages name by number

    async def run(self, batch: list[InboundMessage]) -> list[IntakeResult]:
        keys = [(m.reply_to.channel, m.external_id) for m in batch]
        stored = await intake_rows.existing_inbound(self.conn, keys)
        wishes: dict[tuple[str, str], str | None] = {}
        for m in batch:
            pair = (m.reply_to.channel, m.reply_to.address)
            # Plainly English words make a new contact English, whatever the page or app says (a trial's English
            # message in the Dutch web chat got Dutch answers throughout); an existing contact keeps its language.
            if wishes.get(pair) is None:  # the first words decide ("Kanaalstraat 12" after English stays English)
                wishes[pair] = language_guess.wish(m.text, m.locale)
        contacts = await intake_rows.contacts_for(self.conn, wishes, self.now)
        await conversation_rows.mark_reachable(self.conn, [c["id"] for c in contacts.values() if c["unreachable"]])
        open_cases = await self._open_cases([c["id"] for c in contacts.values()])
        items: list[BatchItem] = []
        first_seen: dict[tuple[str, str], BatchItem] = {}
        for message, key in zip(batch, keys, strict=True):
            contact = contacts[(message.reply_to.channel, message.reply_to.address)]
            item = BatchItem(message, storable(message.text), contact,
                         inbound_media.sort_media(message, self.max_attachment_bytes))
            if key in stored or key in first_seen:
                item.duplicate_of = stored.get(key) or {"item": first_seen[key]}
            else:
                first_seen[key] = item
            items.append(item)
        fresh = [i for i in items if i.duplicate_of is None]
        self.closed = await another_look.recently_closed(self.conn, self.rules, fresh, self.now)
        await self._end_stops(fresh)
        prefix = self.rules.municipality.reference_prefix
        self.own_named = await conversation_rows.own_cases_by_reference(
            self.conn, [(i.contact["id"], ref) for i in fresh for ref in references_in(i.body, prefix)])
        decisions = {id(i): self._about_own_case(i, self._decide(i, open_cases)) for i in fresh}
        teams = [team_for(self.rules, d) for d in decisions.values() if d]
        loads = await intake_rows.officer_loads_for(self.conn, teams)
        for item in fresh:
            self._handle(item, decisions[id(item)], open_cases, loads)
        await self._gather_context(fresh)
        await self._writer().write(fresh)
        return [i.result() for i in items]

    async def split_off(self, message: InboundMessage, stored_ids: tuple[int, ...],
                        contact: dict[str, Any]) -> IntakeResult:
        """Stored messages the resident says are something new: route them into a new case of their own."""
        item = BatchItem(message, storable(message.text), contact, inbound_media.Media(location=message.location),
                     stored_ids=stored_ids)
        decision = self.router.route(item.body, message.street, message.postcode)
        loads = await intake_rows.officer_loads_for(self.conn, [team_for(self.rules, decision)])
        item.lang = self.texts.t.language(contact["locale"])
        item.asks_words = not has_words(item.body)  # a photo alone: the case is opened, its subject is still unknown
        self._open_new_case(item, decision, loads)
        await self._writer().write([item])
        return item.result()

    def _writer(self) -> BatchWriter:
        return BatchWriter(self.conn, self.rules, self.texts, self.now, self.max_attachment_bytes, self.sent_rows)

    async def _end_stops(self, fresh: list[BatchItem]) -> None:
        """Writing to us again ends a /stop: a resident who asks something now expects the answer to reach them."""
        first: dict[int, BatchItem] = {}
        for item in fresh:  # words, a photo or a location; a button nobody claimed is not "writing again"
            if item.contact["opted_out"] and item.has_content and item.message.choice is None:
                first.setdefault(int(item.contact["id"]), item)
        await conversation_rows.end_stop(self.conn, list(first))
        for item in first.values():
            item.contact["opted_out"] = False
            item.ends_stop = True

    async def _open_cases(self, contact_ids: list[int]) -> dict[int, list[BatchCase]]:
        rows = await conversation_rows.open_cases(self.conn, contact_ids)
        written, self.sent_rows = await placement.facts(self.conn, rows)
        self.last_sent = placement.last_sent(self.sent_rows)
        return {contact_id: [BatchCase(row, new=False, last_written=written.get(row["id"])) for row in case_rows]
                for contact_id, case_rows in rows.items()}

    def _decide(self, item: BatchItem, open_cases: dict[int, list[BatchCase]]) -> Decision | None:
        candidates = open_cases.get(item.contact["id"])
        if candidates and item.has_content:
            # Danger is news, unless the resident is already in an acute conversation with us: then it is part of
            # it (a second "ik wil niet meer leven" belongs with the first, where someone is reading).
            if (has_words(item.body) and self._routed(item).urgent
                    and not any(c.row.get("urgent") for c in candidates)):
                return self._routed(item)  # see _handle
            if self._complains_about_own_case(item):
                return self._routed(item)  # a klacht of its own, linked to the case it names (_about_own_case)
            return self._other_subject(item, candidates)  # joins one, or see _handle
        if not has_words(item.body):
            return None
        decision = self._routed(item)
        if decision.urgent:
            return decision  # "Gasgeur!" or "zelfmoord" is short, and must not get "Sorry, dat begrijpen we niet"
        said = words(item.body)
        if decision.suggested_category is None and (is_greeting(item.body) or wants_a_person(item.body)):
            return None  # "Goedemorgen, is daar iemand?": greeted back and asked how we can help, no case
        if decision.suggested_category is None and (len(said) < MIN_WORDS_WITHOUT_SUBJECT
                                                    or not COMMON_WORDS.intersection(said)):
            return None  # too short to be about anything, or no language ("asdfgh qwerty zxcv"): we ask again
        return decision

    def _complains_about_own_case(self, item: BatchItem) -> bool:
        """A klacht naming one of the resident's own cases (services.named_cases): a case of its own."""
        return has_words(item.body) and is_klacht(self._routed(item)) and named_case(
            self.own_named, item.contact["id"], item.body, self.rules.municipality.reference_prefix) is not None

    def _about_own_case(self, item: BatchItem, decision: Decision | None) -> Decision | None:
        if decision is None or not is_klacht(decision):
            return decision
        case = named_case(self.own_named, item.contact["id"], item.body, self.rules.municipality.reference_prefix)
        if case is None:
            return decision
        item.named_case = str(case["reference"])
        return about_named_case(decision, case)

    def _other_subject(self, item: BatchItem, candidates: list[BatchCase]) -> Decision | None:
        """Words the router confidently puts in a category none of the open cases has may open a case of their own
        (when placement would have asked): where there are no buttons to ask "which case?" (X), always; elsewhere
        when they plainly point away from every open case (domain.conversation.plainly_new)."""
        if not has_words(item.body):
            return None
        decision = self._routed(item)
        if decision.category is None or decision.triage or decision.out_of_scope:
            return None
        if item.message.reply_to.channel in BUTTONLESS_CHANNELS:
            return None if any(c.row["category"] == decision.category for c in candidates) else decision
        subject = self._subject(item)
        keyed = [self._open_case(-n, c) for n, c in enumerate(candidates, start=1)]
        return decision if subject is not None and plainly_new(subject, keyed) else None

    def _routed(self, item: BatchItem) -> Decision:
        """The router's decision on the item's words, once per item (placement and the X rule both ask)."""
        if item.routed is None:
            item.routed = self.router.route(item.body, item.message.street, item.message.postcode)
        return item.routed

    def _handle(self, item: BatchItem, decision: Decision | None, open_cases: dict[int, list[BatchCase]],
                loads: dict[str, list[OfficerLoad]]) -> None:
        item.lang = self.texts.t.language(item.contact["locale"])
        candidates = open_cases.get(item.contact["id"]) or []
        # Acute danger (or a resident in crisis) opens a case of its own, whatever is open or was just closed:
        # joined to an old case or asked "which case?", the resident would not read "bel 112" (or 113) now.
        urgent = decision is not None and decision.urgent
        if not candidates and decision is None and no_case_answers.asks_for_a_person(
                item, self._routed(item) if has_words(item.body) else None):
            # With a case open the words go with it (a person reads them there: a crisis case, a case asking for
            # the street); without one, how to reach a person, not a case asking for a street.
            no_case_answers.answer_person(item, self.rules, self.texts)
            return
        acute = next((c for c in candidates if c.row.get("urgent")), None) if candidates and has_words(item.body) \
            and self._routed(item).urgent else None
        if acute is not None:
            # Acute words while an acute case is open: with that case, where a person is reading, never filed by
            # placement on another open case (a grofvuil case waiting on the resident) or asked "which case?".
            self._join(item, candidates, acute, unclear=False)
            return
        plain = candidates and item.has_content and not urgent and item.named_case is None
        if plain:
            by_key, where = self._placement(item, candidates)
            if not where.ask:
                self._join(item, candidates, by_key[where.case_id], unclear=False)
                return
        if not urgent and another_look.join_closed_case(
                item, self.closed.get(item.contact["id"]), self._routed, self.rules, self.texts, self.now,
                has_open_case=bool(plain)):
            return
        if plain and decision is None:  # not plain: kept with the best match, and asked (or joined on X)
            self._join(item, candidates, by_key[where.case_id], unclear=True)
            return
        if decision is None:
            no_case_answers.answer_without_case(item, self.texts)
            return
        if plain:  # a subject of its own beside open cases (_other_subject): the answer says it goes apart
            item.separate_from = list(candidates)
        self._open_new_case(item, decision, loads)
        if not decision.out_of_scope:
            open_cases.setdefault(item.contact["id"], []).insert(0, item.case)  # type: ignore[arg-type]

    def _placement(self, item: BatchItem, candidates: list[BatchCase]) -> tuple[dict[int, BatchCase], Placement]:
        # Stored cases go by their id (what LastSent names); a case opened in this batch has none yet.
        by_key = {c.row.get("id") or -n: c for n, c in enumerate(candidates, start=1)}
        keyed = [self._open_case(key, c) for key, c in by_key.items()]
        return by_key, place(keyed, self.last_sent.get(item.contact["id"]), self.now, self._subject(item))

    def _open_case(self, key: int, case: BatchCase) -> OpenCase:
        return placement.open_case(key, case.row, case.last_written, self.rules)

    def _subject(self, item: BatchItem) -> Subject | None:
        """What the words are plainly about, to tell a new subject from a follow-up (None without words)."""
        return placement.subject(self.rules, self._routed(item), item.media.any, item.body) \
            if has_words(item.body) else None

    def _join(self, item: BatchItem, candidates: list[BatchCase], case: BatchCase, unclear: bool) -> None:
        item.case = case
        case.row["last_contact_at"] = self.now
        case.last_written = self.now
        if case.row["status"] == Status.WACHT_OP_BEWONER.value:
            case.row["status"] = Status.IN_BEHANDELING.value
            case.resumed = True
            case.events.append(("status", {"van": Status.WACHT_OP_BEWONER.value,
                                           "naar": Status.IN_BEHANDELING.value}))
        case.events.append(("bericht", {"item": id(item)}))
        if unclear and item.message.reply_to.channel not in BUTTONLESS_CHANNELS:  # X cannot show the buttons
            # The case it is kept with comes first: the question names it ("Tot u kiest, ... bij nummer").
            item.ask = [case.row, *(c.row for c in candidates if c is not case)]
            item.purpose = CHOICE
            # The next message of this batch sees the question as asked (placement asks once).
            self.last_sent[item.contact["id"]] = LastSent(case.row.get("id"), CHOICE, self.now)
        elif item.media.location is not None:  # provisional messages keep their location in meta only
            case.row["latitude"], case.row["longitude"] = item.media.location
            case.located = True
        if not unclear and item.routed is not None and placement.takes_place(case.row, item.routed.area):
            case.placed, item.gave_place = item.routed.area, True  # the answer to "in welke straat?"

    def _open_new_case(self, item: BatchItem, decision: Decision, loads: dict[str, list[OfficerLoad]]) -> None:
        row, created = new_case_row(self.rules, decision, item.contact["id"], item.lang, self.now, loads)
        # Only where it serves: telling two places on one street apart, for the kinds that are linked as duplicates
        # (a channel's street field may hold the number: "Kanaalstraat 120").
        linked_kinds = self.rules.municipality.duplicates.kinds
        hint = item.message.street or ""
        row["house_number"] = (house_number(f"{hint}\n{item.body}", decision.area.street)
                               if decision.kind.value in linked_kinds else None)
        item.case = BatchCase(row, new=True, events=[("aangemaakt", created)], last_written=self.now)
        if item.named_case is not None:
            item.case.events.append((NAMES_CASE, {"aan": item.named_case}))
        if item.media.location is not None:
            row["latitude"], row["longitude"] = item.media.location
        item.acknowledgement = Acknowledgement(decision, row["due_date"], item.lang, len(item.body) > self.long_chars)

    async def _gather_context(self, fresh: list[BatchItem]) -> None:
        """A photo or location sent just before the words that opened a case belongs to that case."""
        opened = {i.contact["id"]: i.case for i in reversed(fresh)
                  if i.case is not None and i.case.new and not i.stored_ids and not i.contact.get("created_now")}
        if not opened:
            return
        found = await conversation_rows.unlinked_context(self.conn, opened, self.now - CONTEXT_WINDOW)
        for contact_id, rows in found.items():
            case = opened[contact_id]
            assert case is not None
            case.context = [r["id"] for r in rows]
            for r in rows:
                case.events.append(("bericht", {"message_id": r["id"]}))
                if r["meta"].get("location"):
                    case.row["latitude"], case.row["longitude"] = r["meta"]["location"]
