"""The answer to "which case is this about?": a pressed button keeps, moves or splits off a message.

Invariants: a button only ever acts on the resident's own message and their own cases (a tampered value is
answered, never obeyed); the press is stored first and is idempotent (a redelivered press, or pressing twice,
changes nothing more); "something new" takes the normal intake path (routed, assigned, acknowledged, follow-ups
planned) for the message and whatever the resident added to it since; every move is in both cases' history.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.domain import followups as followup_plan
from wijkbot.domain.conversation import CaseChoice, parse_choice
from wijkbot.domain.model import InboundMessage
from wijkbot.domain.routing import Routes
from wijkbot.domain.rules import RuleSet
from wijkbot.domain.workflow import Status, is_open
from wijkbot.ports import Clock
from wijkbot.services import inbound_rows
from wijkbot.services.intake_batch import IntakeBatch
from wijkbot.services.intake_items import IntakeResult
from wijkbot.services.texts import Texts
from wijkbot.storage import conversation_rows, outbox, repository
from wijkbot.storage.db import Database
from wijkbot.storage.tables import messages


class CaseChoices:
    def __init__(self, db: Database, rules: RuleSet, router: Routes, texts: Texts, clock: Clock,
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

    async def handle(self, message: InboundMessage) -> IntakeResult:
        async with self.db.write() as conn:
            duplicate = await inbound_rows.already_stored(conn, message)
            if duplicate is not None:
                return duplicate
            result = await self._handle(conn, message)
        self.notify_outbox()
        return result

    async def _handle(self, conn: AsyncConnection, message: InboundMessage) -> IntakeResult:
        now = self.clock()
        contact = await inbound_rows.contact_of(conn, message, now)
        lang = self.texts.t.language(contact["locale"])
        choice = parse_choice(message.choice)
        about = await self._about(conn, choice, contact)
        if choice is None or about is None:
            return await self._answer(conn, message, contact, None, self.texts.simple("notice.choice_unknown", lang))
        current = await repository.case_by_id(conn, about["case_id"])
        assert current is not None
        if about["meta"].get("chosen"):
            return await self._answer(conn, message, contact, dict(current),
                                      self.texts.with_case("notice.choice_done", lang, current))
        chosen = None if choice.new else await repository.case_by_reference(conn, choice.reference or "")
        if chosen is None or chosen["contact_id"] != contact["id"] or not is_open(Status(chosen["status"])):
            return await self._split_off(conn, message, contact, about, dict(current))
        moved = await self._followers(conn, about, contact)
        if chosen["id"] != current["id"]:
            await conversation_rows.move_messages(conn, [(m["id"], chosen["id"]) for m in moved])
            await self._moved_event(conn, current["id"], moved, chosen["reference"])
            await repository.add_event(conn, chosen["id"], now, "bewoner", "bericht", {"message_id": about["id"]})
        location = next((m["meta"]["location"] for m in reversed(moved) if m["meta"].get("location")), None)
        if location:
            await conversation_rows.set_locations(conn, [(chosen["id"], location[0], location[1])])
        await self._mark_chosen(conn, about, chosen["reference"])
        return await self._answer(conn, message, contact, dict(chosen),
                                  self.texts.with_case("notice.choice_kept", lang, chosen))

    async def _about(self, conn: AsyncConnection, choice: CaseChoice | None,
                     contact: dict[str, Any]) -> dict[str, Any] | None:
        """The resident's own stored message the button is about, if it is still on a case."""
        if choice is None:
            return None
        row = (await conn.execute(select(messages.c.id, messages.c.case_id, messages.c.meta, messages.c.body)
                                  .where(messages.c.id == choice.message_id, messages.c.contact_id == contact["id"],
                                         messages.c.direction == "in"))).mappings().first()
        return dict(row) if row is not None and row["case_id"] is not None else None

    async def _followers(self, conn: AsyncConnection, about: dict[str, Any],
                         contact: dict[str, Any]) -> list[dict[str, Any]]:
        """The message and what the resident added to the same case after it (while the question was open)."""
        rows = (await conn.execute(
            select(messages.c.id, messages.c.body, messages.c.meta)
            .where(messages.c.case_id == about["case_id"], messages.c.contact_id == contact["id"],
                   messages.c.direction == "in", messages.c.id >= about["id"]).order_by(messages.c.id)
        )).mappings()
        return [dict(r) for r in rows if not (r["meta"] or {}).get("choice")]

    async def _split_off(self, conn: AsyncConnection, message: InboundMessage, contact: dict[str, Any],
                         about: dict[str, Any], current: dict[str, Any]) -> IntakeResult:
        moved = await self._followers(conn, about, contact)
        first = moved[0]["meta"]
        location = next((m["meta"]["location"] for m in reversed(moved) if m["meta"].get("location")), None)
        routed = InboundMessage(
            message.reply_to, message.external_id, "\n".join(m["body"] for m in moved if m["body"].strip()),
            message.received_at, street=first.get("street"), postcode=first.get("postcode"),
            location=(float(location[0]), float(location[1])) if location else None,
        )
        work = IntakeBatch(conn, self.rules, self.router, self.texts, self.policy, self.clock(),
                           self.long_message_chars)
        result = await work.split_off(routed, tuple(m["id"] for m in moved), contact)
        await self._moved_event(conn, current["id"], moved, result.reference or "")
        await self._mark_chosen(conn, about, result.reference or "")
        new_case = await repository.case_by_reference(conn, result.reference or "")
        message_id = await inbound_rows.store(conn, message, contact, self.clock(),
                                              new_case["id"] if new_case else None, {"choice": message.choice})
        return IntakeResult(message_id, result.reference, new_case=True)

    async def _moved_event(self, conn: AsyncConnection, case_id: int, moved: list[dict[str, Any]],
                           reference: str) -> None:
        await repository.add_event(conn, case_id, self.clock(), "bewoner", "bericht verplaatst",
                                   {"message_ids": [m["id"] for m in moved], "naar": reference})

    async def _mark_chosen(self, conn: AsyncConnection, about: dict[str, Any], reference: str) -> None:
        meta = {k: v for k, v in about["meta"].items() if k != "provisional"} | {"chosen": reference}
        await conn.execute(update(messages).where(messages.c.id == about["id"]).values(meta=meta))

    async def _answer(self, conn: AsyncConnection, message: InboundMessage, contact: dict[str, Any],
                      case: dict[str, Any] | None, text: str) -> IntakeResult:
        now = self.clock()
        case_id = case["id"] if case else None
        message_id = await inbound_rows.store(conn, message, contact, now, case_id, {"choice": message.choice})
        await outbox.enqueue(conn, contact_id=contact["id"], channel=message.reply_to.channel, purpose="notice",
                             body=text, now=now, case_id=case_id)
        return IntakeResult(message_id, case["reference"] if case else None)
