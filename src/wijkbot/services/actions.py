"""What an ambtenaar does with a case: reply, note, hand over, change status, close, reopen.

Invariants: every action is one transaction that checks the workflow table, records who did what in the
case history, and bumps the case version (so a stale form can be detected); a reply goes to the outbox for
the channel the resident used; a hand-over always names the new department and a reason, and the case keeps
exactly one lead department; closing cancels the follow-ups that have become pointless.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.domain import followups as followup_plan
from wijkbot.domain.assignment import assign
from wijkbot.domain.rules import RuleSet
from wijkbot.domain.sanitise import is_blank, storable
from wijkbot.domain.workflow import Status, TransitionError, is_open, transition
from wijkbot.ports import Clock
from wijkbot.services import duplicates
from wijkbot.services.texts import Texts
from wijkbot.storage import outbox, repository
from wijkbot.storage.db import Database


class ActionError(ValueError):
    """An action that cannot be carried out, with a message for the ambtenaar."""


@dataclass(frozen=True, slots=True)
class Actor:
    officer_id: int
    name: str


class Actions:
    """The ambtenaar's use cases."""

    def __init__(self, db: Database, rules: RuleSet, texts: Texts, clock: Clock,
                 notify_outbox: Callable[[], None] = lambda: None,
                 policy: followup_plan.Policy | None = None) -> None:
        self.db = db
        self.policy = policy or followup_plan.Policy()
        self.rules = rules
        self.texts = texts
        self.clock = clock
        self.notify_outbox = notify_outbox

    async def actor(self, email: str) -> Actor:
        async with self.db.read() as conn:
            row = await repository.officer_by_email(conn, email)
        if row is None:
            raise ActionError(f"geen ambtenaar met e-mailadres {email}")
        return Actor(int(row["id"]), str(row["name"]))

    async def reply(self, reference: str, actor: Actor, text: str) -> int:
        """Send a reply to the resident through their own channel; returns the outbox id."""
        if is_blank(text):
            raise ActionError("een antwoord mag niet leeg zijn")
        async with self.db.write() as conn:
            case = await self._case(conn, reference)
            now = self.clock()
            contact_channel = await self._channel(conn, case)
            body = self.texts.with_case("reply.officer", case["locale"], case, text=storable(text).strip(),
                                        officer=actor.name)
            message_id = await repository.add_message(conn, channel=contact_channel, direction="out", body=body,
                                                      now=now, contact_id=case["contact_id"], case_id=case["id"],
                                                      author_id=actor.officer_id)
            outbox_id = await outbox.enqueue(conn, contact_id=case["contact_id"], channel=contact_channel,
                                             purpose="reply", body=body, now=now, case_id=case["id"])
            values: dict[str, Any] = {"last_contact_at": now}
            if case["status"] in (Status.NIEUW.value, Status.TOEGEWEZEN.value, Status.HEROPEND.value):
                values["status"] = Status.IN_BEHANDELING.value
            if case["officer_id"] is None:
                values["officer_id"] = actor.officer_id
            await repository.update_case(conn, case["id"], now, **values)
            await repository.add_event(conn, case["id"], now, str(actor.officer_id), "antwoord",
                                       {"message_id": message_id, "outbox_id": outbox_id})
            await self._replan_update(conn, case, now)
        self.notify_outbox()
        return outbox_id

    async def note(self, reference: str, actor: Actor, text: str) -> None:
        """An internal note: never sent to the resident."""
        if is_blank(text):
            raise ActionError("een notitie mag niet leeg zijn")
        async with self.db.write() as conn:
            case = await self._case(conn, reference)
            now = self.clock()
            await repository.add_message(conn, channel="intern", direction="note", body=storable(text).strip(),
                                         now=now, case_id=case["id"], author_id=actor.officer_id)
            await repository.add_event(conn, case["id"], now, str(actor.officer_id), "notitie", {})

    async def hand_over(self, reference: str, actor: Actor, department: str, reason: str) -> str:
        """Give the case to another department (its team for the case's wijk); returns the new team id."""
        if department not in self.rules.departments:
            raise ActionError(f"onbekende vakdienst '{department}'; kies uit {', '.join(self.rules.departments)}")
        if is_blank(reason):
            raise ActionError("geef een reden voor het overdragen")
        async with self.db.write() as conn:
            case = await self._case(conn, reference)
            if not is_open(Status(case["status"])):
                raise ActionError(f"{reference} is {case['status']}: heropen de zaak eerst")
            if department == case["department"]:
                raise ActionError(f"{reference} ligt al bij {self.texts.department_name(department)}")
            now = self.clock()
            team = self.rules.team_for(department, case["wijk"])
            loads = await repository.officer_loads(conn, team.id if team else "")
            assignment = assign(self.rules, department, case["wijk"], loads)
            status = Status.TOEGEWEZEN if assignment.officer_id else Status.NIEUW
            await repository.update_case(conn, case["id"], now, department=department, team=assignment.team.id,
                                         officer_id=assignment.officer_id, status=status.value, triage=False,
                                         handover_count=case["handover_count"] + 1, last_contact_at=now)
            await repository.add_event(conn, case["id"], now, str(actor.officer_id), "overgedragen", {
                "van": case["department"], "naar": department, "team": assignment.team.id, "reden": reason.strip(),
                "officer_id": assignment.officer_id,
            })
            updated = dict(case) | {"department": department}
            await self._notify(conn, case, "notice.handover", updated)
        self.notify_outbox()
        return assignment.team.id

    async def set_status(self, reference: str, actor: Actor, wanted: Status) -> None:
        async with self.db.write() as conn:
            case = await self._case(conn, reference)
            try:
                new = transition(Status(case["status"]), wanted)
            except TransitionError as error:
                raise ActionError(str(error)) from error
            now = self.clock()
            await repository.update_case(conn, case["id"], now, status=new.value)
            await repository.add_event(conn, case["id"], now, str(actor.officer_id), "status",
                                       {"van": case["status"], "naar": new.value})

    async def close(self, reference: str, actor: Actor, outcome: str) -> None:
        """Close with an outcome the resident reads; pointless follow-ups are cancelled."""
        if is_blank(outcome):
            raise ActionError("beschrijf de uitkomst: de bewoner leest die")
        async with self.db.write() as conn:
            case = await self._case(conn, reference)
            try:
                transition(Status(case["status"]), Status.AFGEHANDELD)
            except TransitionError as error:
                raise ActionError(str(error)) from error
            now = self.clock()
            await repository.update_case(conn, case["id"], now, status=Status.AFGEHANDELD.value, closed_at=now,
                                         outcome=storable(outcome).strip(), last_contact_at=now)
            await repository.cancel_followups(conn, case["id"])
            await repository.add_event(conn, case["id"], now, str(actor.officer_id), "afgehandeld",
                                       {"uitkomst": outcome.strip()})
            await self._notify(conn, case, "notice.closed", dict(case), outcome=storable(outcome).strip())
            for linked in await duplicates.open_linked(conn, case["id"]):  # every reporter hears the outcome
                await repository.update_case(conn, linked["id"], now, status=Status.AFGEHANDELD.value, closed_at=now,
                                             outcome=storable(outcome).strip(), last_contact_at=now)
                await repository.cancel_followups(conn, linked["id"])
                await repository.add_event(conn, linked["id"], now, str(actor.officer_id), "afgehandeld",
                                           {"uitkomst": outcome.strip(), "via": case["reference"]})
                await self._notify(conn, linked, "notice.closed", dict(linked), outcome=storable(outcome).strip())
        self.notify_outbox()

    async def reopen(self, reference: str, actor: Actor, reason: str) -> None:
        async with self.db.write() as conn:
            case = await self._case(conn, reference)
            try:
                transition(Status(case["status"]), Status.HEROPEND)
            except TransitionError as error:
                raise ActionError(str(error)) from error
            now = self.clock()
            await repository.update_case(conn, case["id"], now, status=Status.HEROPEND.value, closed_at=None)
            await repository.add_event(conn, case["id"], now, str(actor.officer_id), "heropend", {"reden": reason})
            await self._replan_update(conn, case, now)
            await self._notify(conn, case, "notice.reopened", dict(case))
        self.notify_outbox()

    async def _case(self, conn: AsyncConnection, reference: str) -> RowMapping:
        case = await repository.case_by_reference(conn, reference)
        if case is None:
            raise ActionError(f"geen zaak met nummer {reference}")
        return case

    async def _channel(self, conn: AsyncConnection, case: RowMapping) -> str:
        return await repository.contact_channel(conn, int(case["contact_id"]))

    async def _notify(self, conn: AsyncConnection, case: RowMapping, key: str, values: dict[str, Any],
                      **extra: Any) -> None:
        now = self.clock()
        body = self.texts.with_case(key, case["locale"], values, **extra)
        await outbox.enqueue(conn, contact_id=case["contact_id"], channel=await self._channel(conn, case),
                             purpose="notice", body=body, now=now, case_id=case["id"])

    async def _replan_update(self, conn: AsyncConnection, case: RowMapping, now: Any) -> None:
        """Contact resets the 'no news' clock: the next periodic update moves forward."""
        await repository.cancel_followups(conn, case["id"], kinds=[followup_plan.FollowUpKind.UPDATE.value])
        due = followup_plan.next_update(now, self.policy, self.rules.municipality.timezone)
        await repository.plan_followups(conn, case["id"], [(followup_plan.FollowUpKind.UPDATE.value, due)])
