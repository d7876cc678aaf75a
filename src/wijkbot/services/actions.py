"""What an ambtenaar does with a case: reply, note, change status, cancel, plan, close, reopen (and, through the mixins,
claim, assign, invite, link duplicates, hand over, change the category and send again what was not delivered).

Invariants: every action is one transaction that locks the case, checks the actor's access on the server,
checks the workflow table and the form's version, records who did what in the case history, and bumps the
case version (a note only adds, so it checks but does not bump); a reply goes to the outbox for the channel
the resident used, and is refused while the resident has sent /stop (they asked for no messages); closing
and cancelling cancel the follow-ups that have become pointless and tell the resident (an outcome, a reason);
work is planned only on a working day.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date

from wijkbot.domain.access import Access
from wijkbot.domain.followups import waking_moment
from wijkbot.domain.mentions import handle_of, handles
from wijkbot.domain.model import Kind
from wijkbot.domain.sanitise import storable
from wijkbot.domain.workdays import holiday_name, is_working_day
from wijkbot.domain.workflow import Status, TransitionError, is_open, transition
from wijkbot.services import case_terms, duplicates, waiting_question
from wijkbot.services.action_base import ActionError, Actor, AlreadyAnswered, NotAllowed, StaleCase
from wijkbot.services.handover import HandOverActions
from wijkbot.services.officer_texts import check_filled_in, check_text
from wijkbot.services.resend import ResendActions
from wijkbot.services.teamwork import TeamworkActions
from wijkbot.storage import casefile, outbox, people, repository
from wijkbot.storage.case_sets import ANSWER_EVENT

__all__ = ["ActionError", "Actions", "Actor", "AlreadyAnswered", "NotAllowed", "StaleCase"]
PLAN_AHEAD = timedelta(days=366)  # a planned date further away is almost certainly a typing error


class Actions(HandOverActions, TeamworkActions, ResendActions):
    """The ambtenaar's use cases."""

    async def reply(self, reference: str, actor: Actor, text: str, *, expected_version: int | None = None,
                    confirmed: bool = True) -> datetime | None:
        """Send a reply to the resident through their own channel; returns when it leaves if that is later
        (21:00-08:00 it waits for the morning), None when it leaves at once.

        With confirmed=False a reply to a resident message that was already answered is refused
        (AlreadyAnswered), so the inbox can ask "send another one?".
        """
        check_text(text, "een antwoord mag niet leeg zijn")
        check_filled_in(text)
        async with self.db.write() as conn:
            case = await self._case(conn, reference, actor, Access.HANDLE, expected_version)
            if await casefile.stop_state(conn, int(case["id"])) is not None:
                raise ActionError("de bewoner heeft /stop gestuurd en wil geen berichten meer van ons: uw antwoord "
                                  "is niet verstuurd. Bewaar het als notitie; schrijft de bewoner weer, dan kunt u "
                                  "antwoorden")
            if not confirmed:
                exchange = await casefile.last_exchange(conn, int(case["id"]), actor.officer_id)
                if exchange["answered_by"]:
                    raise AlreadyAnswered(exchange["answered_by"], exchange["answered_at"])
            now = self.clock()
            contact_channel = await self._channel(conn, case)
            body = self.texts.with_case("reply.officer", case["locale"], case, text=storable(text).strip(),
                                        officer=actor.name)
            message_id = await repository.add_message(conn, channel=contact_channel, direction="out", body=body,
                                                      now=now, contact_id=case["contact_id"], case_id=case["id"],
                                                      author_id=actor.officer_id)
            # At night a reply waits for the morning (services.started_messages); the case history says so.
            leaves = waking_moment(now, self.rules.municipality.timezone)
            outbox_id = await outbox.enqueue(conn, contact_id=case["contact_id"], channel=contact_channel,
                                             purpose="reply", body=body, now=now, case_id=case["id"], send_at=leaves)
            await repository.update_case(conn, case["id"], now, **_taken_up(case, actor, now, told=True))
            held = {"gaat_weg_om": leaves.isoformat()} if leaves > now else {}
            await repository.add_event(conn, case["id"], now, str(actor.officer_id), ANSWER_EVENT,
                                       {"message_id": message_id, "outbox_id": outbox_id} | held)
            await self._replan_update(conn, case, now)
        self.notify_outbox()
        return leaves if leaves > now else None

    async def note(self, reference: str, actor: Actor, text: str, *, expected_version: int | None = None) -> list[str]:
        """An internal note, never sent to the resident; returns the names of the colleagues it @mentions.

        A mentioned colleague must be able to see the case (invite them first otherwise).
        """
        check_text(text, "een notitie mag niet leeg zijn")
        async with self.db.write() as conn:
            case = await self._case(conn, reference, actor, Access.HELP, expected_version)
            mentioned = await self._mentioned(conn, case, text)
            now = self.clock()
            message_id = await repository.add_message(conn, channel="intern", direction="note",
                                                      body=storable(text).strip(), now=now, case_id=case["id"],
                                                      author_id=actor.officer_id,
                                                      meta={"mentions": sorted(mentioned),
                                                            "version": int(case["version"]) + 1})
            await casefile.add_mentions(conn, message_id, int(case["id"]), mentioned, now)
            await repository.add_event(conn, case["id"], now, str(actor.officer_id), "notitie",
                                       {"mentions": sorted(mentioned)} if mentioned else {})
            # A form a colleague opened before this note is stale: a reply from it would pass over "niet
            # antwoorden, ik bel zelf". They get the case with the note and keep what they typed.
            await repository.bump_version(conn, case["id"])
        return sorted(mentioned.values())

    async def set_status(self, reference: str, actor: Actor, wanted: Status, *, reason: str = "", question: str = "",
                         expected_version: int | None = None) -> None:
        """Move the case along the workflow; cancelling ("geannuleerd") needs a reason (see `cancel`). Waiting on
        the resident needs something to wait for: the `question` the resident is sent with the notice, or a reply
        of ours after their last message (the notice then points to it). A trial's resident was told "lees ons
        vorige bericht" when that was the welcome text."""
        if wanted in (Status.AFGEHANDELD, Status.HEROPEND):
            raise ActionError("afhandelen en heropenen gaan met een uitkomst of een reden: gebruik die knoppen")
        if wanted is Status.GEANNULEERD:
            await self.cancel(reference, actor, reason, expected_version=expected_version)
            return
        async with self.db.write() as conn:
            case = await self._case(conn, reference, actor, Access.HANDLE, expected_version)
            new = _allowed(case, wanted)
            now = self.clock()
            asked = storable(question).strip()
            starts_waiting = new is Status.WACHT_OP_BEWONER and case["status"] != new.value
            if asked and not starts_waiting:
                raise ActionError("een vraag aan de bewoner gaat mee met 'wacht op bewoner': kies die status, of "
                                  "stuur uw vraag als antwoord")
            if starts_waiting:
                await waiting_question.check(conn, case, asked)
            await repository.add_event(conn, case["id"], now, str(actor.officer_id), "status",
                                       {"van": case["status"], "naar": new.value} | ({"vraag": asked} if asked else {}))
            if case["status"] == Status.WACHT_OP_BEWONER.value and new is not Status.WACHT_OP_BEWONER:
                await case_terms.resume(conn, self.rules, case, now, status=new.value)
            else:
                await repository.update_case(conn, case["id"], now, status=new.value)
            if starts_waiting:
                await case_terms.pause(conn, self.rules, case, now)
                days = case_terms.case_policy(self.rules, case).waiting_close_days
                told = await (self._notify(conn, case, "notice.waiting_question", dict(case), days=days, question=asked)
                              if asked else self._notify(conn, case, "notice.waiting", dict(case), days=days))
                if told is not None:  # the question was just asked: the reminder counts from here
                    await repository.update_case(conn, case["id"], now, last_contact_at=now)
                    await self._replan_update(conn, case, now)
        self.notify_outbox()

    async def cancel(self, reference: str, actor: Actor, reason: str, *, expected_version: int | None = None) -> None:
        """Stop the case ("geannuleerd") with a reason the resident reads, as closing does with an outcome: the
        resident is told why and what they can do, pointless follow-ups are cancelled, and the history keeps
        the reason (the "status" event's "reden"). No survey: nothing was solved to judge.

        A lead's duplicates are not cancelled with it: they are released as a cluster of their own under the
        oldest open one (`duplicates.hand_on_cluster`), each going on with its own handling. The rule in the
        documents is that every reporter hears the *outcome* of the problem they share; a cancellation is a
        decision about this one report (withdrawn, a mistake, a test, abuse) and not an outcome of the problem,
        which may well still be there for the others. Stopping their reports on someone else's reason would
        leave them with a problem that nobody owns any more ("a case is never without an owner"). When the
        problem itself is settled for everyone (not ours, already repaired), "afhandelen" with that outcome on
        the lead tells every reporter at once.
        """
        check_text(reason, "geef een reden om de zaak te annuleren: de bewoner leest die")
        check_filled_in(reason)
        why = storable(reason).strip()
        async with self.db.write() as conn:
            case = await self._case(conn, reference, actor, Access.HANDLE, expected_version)
            _allowed(case, Status.GEANNULEERD)
            now = self.clock()
            await self._end(conn, case, now, Status.GEANNULEERD, why)
            await repository.add_event(conn, case["id"], now, str(actor.officer_id), "status",
                                       {"van": case["status"], "naar": Status.GEANNULEERD.value, "reden": why})
            await self._notify(conn, case, "notice.cancelled", dict(case), final=True, reason=why)
            if case["duplicate_of"] is None:
                await duplicates.hand_on_cluster(conn, case, str(actor.officer_id), now,
                                                 f"de hoofdzaak {case['reference']} is geannuleerd")
        self.notify_outbox()

    async def plan(self, reference: str, actor: Actor, day: date, *, expected_version: int | None = None) -> bool:
        """The work is planned for `day`: the resident hears the date (a status message), the history keeps it.
        Returns whether the resident was told (not after /stop)."""
        async with self.db.write() as conn:
            case = await self._case(conn, reference, actor, Access.HANDLE, expected_version)
            if not is_open(Status(case["status"])):
                raise ActionError(f"een zaak met status '{case['status']}' kan niet meer worden ingepland")
            now = self.clock()
            tz = self.rules.municipality.timezone
            today = now.astimezone(ZoneInfo(tz)).date()
            if day < today:
                raise ActionError("kies een datum vanaf vandaag")
            if day < waking_moment(now, tz).astimezone(ZoneInfo(tz)).date():  # 21:00 or later: sent tomorrow
                raise ActionError("het bericht gaat pas morgenochtend weg: kies een datum vanaf morgen")
            if day > today + PLAN_AHEAD:
                raise ActionError("kies een datum binnen een jaar")
            _check_working_day(day)
            told = await self._notify(conn, case, "notice.planned", dict(case),
                                      day=self.texts.t.date(day, str(case["locale"])))
            # told is None when /stop held the message back: then it was no contact.
            await repository.update_case(conn, case["id"], now, **_taken_up(case, actor, now, told=told is not None))
            await repository.add_event(conn, case["id"], now, str(actor.officer_id), "gepland",
                                       {"datum": day.isoformat()})
            if told is not None:
                await self._replan_update(conn, case, now)
            for linked in await duplicates.open_linked(conn, case["id"]):  # every reporter of the cluster hears it
                linked_told = await self._notify(conn, linked, "notice.planned", dict(linked),
                                                 day=self.texts.t.date(day, str(linked["locale"])))
                await repository.add_event(conn, linked["id"], now, str(actor.officer_id), "gepland",
                                           {"datum": day.isoformat(), "via": case["reference"]})
                # a form opened on the linked case before this sees the change (its version moves on)
                await repository.update_case(conn, linked["id"], now,
                                             **({"last_contact_at": now} if linked_told is not None else {}))
                if linked_told is not None:
                    await self._replan_update(conn, linked, now)
        self.notify_outbox()
        return told is not None

    async def close(self, reference: str, actor: Actor, outcome: str, *, expected_version: int | None = None) -> None:
        """Close with an outcome the resident reads; pointless follow-ups are cancelled."""
        check_text(outcome, "beschrijf de uitkomst: de bewoner leest die")
        check_filled_in(outcome)
        async with self.db.write() as conn:
            case = await self._case(conn, reference, actor, Access.HANDLE, expected_version)
            _allowed(case, Status.AFGEHANDELD)
            now = self.clock()
            text = storable(outcome).strip()
            await self._end(conn, case, now, Status.AFGEHANDELD, text)
            await repository.add_event(conn, case["id"], now, str(actor.officer_id), "afgehandeld",
                                       {"uitkomst": outcome.strip()})
            await self._notify(conn, case, _closed_notice(case), dict(case), final=True, outcome=text)
            await self.surveys.ask(conn, case, now)
            for linked in await duplicates.open_linked(conn, case["id"]):  # every reporter hears the outcome
                await self._end(conn, linked, now, Status.AFGEHANDELD, text)
                await repository.add_event(conn, linked["id"], now, str(actor.officer_id), "afgehandeld",
                                           {"uitkomst": outcome.strip(), "via": case["reference"]})
                await self._notify(conn, linked, _closed_notice(linked), dict(linked), final=True, outcome=text)
                await self.surveys.ask(conn, linked, now)
        self.notify_outbox()

    async def _end(self, conn: Any, case: Any, now: datetime, status: Status, outcome: str) -> None:
        """A case is closed or cancelled: its outcome (what the resident reads, and /status shows later) is kept
        and the follow-ups that have become pointless are cancelled. The caller records the event and tells."""
        await repository.update_case(conn, case["id"], now, status=status.value, closed_at=now, outcome=outcome,
                                     last_contact_at=now)
        await repository.cancel_followups(conn, case["id"])

    async def reopen(self, reference: str, actor: Actor, reason: str, *, expected_version: int | None = None) -> None:
        async with self.db.write() as conn:
            case = await self._case(conn, reference, actor, Access.HANDLE, expected_version)
            _allowed(case, Status.HEROPEND)
            now = self.clock()
            # A reopened case starts a new term and has no outcome yet: the old ones stay in its history (the
            # "afgehandeld" event), not on the case as if they still held.
            await repository.update_case(conn, case["id"], now, status=Status.HEROPEND.value, closed_at=None,
                                         outcome=None)
            await case_terms.new_term(conn, self.rules, case, now)
            await repository.add_event(conn, case["id"], now, str(actor.officer_id), "heropend", {"reden": reason})
            await self._notify(conn, case, "notice.reopened", dict(case))
        self.notify_outbox()

    async def _mentioned(self, conn: Any, case: Any, text: str) -> dict[int, str]:
        wanted = handles(text)
        if not wanted:
            return {}
        everyone = await people.profiles(conn)
        by_handle = {handle_of(str(p["email"])): p for p in everyone.values()}
        unknown = [h for h in wanted if h not in by_handle]
        if unknown:
            raise ActionError(f"onbekende collega: @{', @'.join(unknown)}")
        found: dict[int, str] = {}
        for handle in wanted:
            officer = by_handle[handle]
            colleague = Actor(int(officer["id"]), str(officer["name"]))
            try:
                await self._authorise(conn, case, colleague, Access.HELP)
            except NotAllowed:
                raise ActionError(f"{officer['name']} kan deze zaak niet zien: nodig hem of haar eerst uit") from None
            found[int(officer["id"])] = str(officer["name"])
        return found


def _taken_up(case: Any, actor: Actor, now: datetime, *, told: bool) -> dict[str, Any]:
    """The case fields that change when an ambtenaar acts on it for the resident (a reply, a planned date): it
    is in behandeling from then on, theirs if it had nobody, and it counts as contact when the resident was told."""
    values: dict[str, Any] = {"last_contact_at": now} if told else {}
    if case["status"] in (Status.NIEUW.value, Status.TOEGEWEZEN.value, Status.HEROPEND.value):
        values["status"] = Status.IN_BEHANDELING.value
    if case["officer_id"] is None:
        values["officer_id"] = actor.officer_id
    return values


def _check_working_day(day: date) -> None:
    """Work is planned on a working day: no weekend day, no Dutch public holiday (the same calendar as the
    terms, domain.workdays). Nothing in the rules or documents plans work for residents on a Saturday."""
    if is_working_day(day):
        return
    written = format_date(day, "d MMMM y", locale="nl")
    holiday = holiday_name(day)
    if holiday is not None:
        raise ActionError(f"{written} is een feestdag ({holiday}); kies een werkdag")
    raise ActionError(f"{written} is een {format_date(day, 'EEEE', locale='nl')}; kies een werkdag")


def _closed_notice(case: Any) -> str:
    """The closing notice invites "niet opgelost?" for a melding or complaint; a question or initiative gets an
    invitation to write again instead."""
    return "notice.closed" if Kind(case["kind"]).gets_solved else "notice.closed_other"


def _allowed(case: Any, wanted: Status) -> Status:
    """The status the case goes to (domain.workflow), or an ActionError in the ambtenaar's words."""
    try:
        return transition(Status(case["status"]), wanted)
    except TransitionError as error:
        raise ActionError(f"een zaak met status '{error.current}' kan niet naar '{error.wanted}'") from error
