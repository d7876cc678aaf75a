"""The case page: everything an ambtenaar sees about one case, presence, and audited contact details.

Invariants: a case is only shown to someone with access (domain.access, checked here on the server); the
resident's contact address is never part of the page model: it is read only through `reveal_contact`, which
writes an audit row (who, when, which case, why) in the same transaction, and whoever does not handle the case
(a beheerder, an invited colleague) must give a reason; phone numbers and e-mail addresses a resident typed
into a message are masked in the page model for everyone but the case's officer and team
(`domain.access.reads_contact_in_texts`), unless the page is the answer to that audited reveal; presence is a
timestamp per (case, officer), refreshed by the page, and others count as "here" for PRESENT_FOR after their
last sign of life; every reply on the page carries the state of its outbox row (klaargezet, nog niet bezorgd,
bezorgd, niet bezorgd with its cause, niet verstuurd after /stop), so a reply never looks sent when it was not,
and other messages to the resident that were given up are listed too (`undelivered`); what wijkbot itself told
the resident (the acknowledgement, questions, notices, the outcome) stands in the conversation where it was
said, with its state, so an ambtenaar reads what the resident read (a trial saw only the resident's side).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from wijkbot.domain.access import Access, CaseReach, Person, access, needs_reason_for_contact, reads_contact_in_texts
from wijkbot.domain.model import SECRET_ADDRESS_CHANNELS
from wijkbot.domain.quotes import mask_contact
from wijkbot.domain.rules import RuleSet
from wijkbot.domain.sanitise import is_blank
from wijkbot.domain.scrub import PLACEHOLDER
from wijkbot.domain.workflow import TRANSITIONS, Status
from wijkbot.ports import Clock
from wijkbot.services.action_base import ActionError, NotAllowed
from wijkbot.services.delivery import CAUSES, CHANNEL_DOWN, cause_of
from wijkbot.services.people import ACCOUNT_ACTIONS, account_subject
from wijkbot.services.resend import may_resend
from wijkbot.storage import attachments, audit, casefile, outbox, people, repository
from wijkbot.storage.case_sets import ANSWER_EVENT
from wijkbot.storage.db import Database

PRESENT_FOR = timedelta(minutes=2)


@dataclass(frozen=True, slots=True)
class CaseView:
    """The case page's data (plain values; the template decides how they look)."""

    case: dict[str, Any]
    access: Access
    messages: list[dict[str, Any]]
    events: list[dict[str, Any]]
    cluster: list[dict[str, Any]]
    helpers: list[dict[str, Any]]
    viewers: list[dict[str, Any]]
    attachments: list[dict[str, Any]]
    location: dict[str, Any] | None
    channel: str
    exchange: dict[str, Any]
    team_members: list[dict[str, Any]] = field(default_factory=list)
    colleagues: list[dict[str, Any]] = field(default_factory=list)
    next_statuses: list[str] = field(default_factory=list)
    stopped: str | None = None  # the resident sent /stop (storage.casefile.STOPPED / OUTCOME_ONLY): no replies
    masked: bool = False  # phone numbers and e-mail addresses in messages and file names show as the marker
    # message id (or "auto-<outbox id>" for what wijkbot said by itself) -> its outbox row's state
    deliveries: dict[int | str, dict[str, Any]] = field(default_factory=dict)
    undelivered: list[dict[str, Any]] = field(default_factory=list)  # other messages to the resident given up


class CaseFile:
    def __init__(self, db: Database, rules: RuleSet, clock: Clock) -> None:
        self.db = db
        self.rules = rules
        self.clock = clock

    async def open(self, person: Person, reference: str, *, revealed: bool = False,
                   marker: str = PLACEHOLDER) -> CaseView:
        """The case page for `person`; records that they have it open.

        Contact data in the texts (`mask_contact`) shows as `marker` unless `person` handles the case as its
        officer or team, or `revealed` says this page answers their `reveal_contact`, which wrote the audit row.
        """
        now = self.clock()
        async with self.db.write() as conn:  # presence is a write; the rest reads in the same transaction
            case = await repository.case_by_reference(conn, reference)
            level = await self._level(conn, person, case)
            assert case is not None
            case_id = int(case["id"])
            masked = not revealed and not reads_contact_in_texts(person, await self._reach(conn, case))

            def text(value: Any) -> Any:
                return mask_contact(value, marker) if masked and isinstance(value, str) else value

            await casefile.touch_view(conn, case_id, person.officer_id, now, now - PRESENT_FOR)
            messages = [dict(m) for m in await repository.messages_of(conn, case_id)]
            events = [dict(e) for e in await repository.events_of(conn, case_id)]
            helper_ids = await casefile.helpers_of(conn, case_id)
            names = await casefile.officer_names(conn)
            stopped = await casefile.stop_state(conn, case_id)
            deliveries, undelivered, automatic = _deliveries(events, await outbox.rows_of_case(conn, case_id),
                                                             stopped)
            said = [m | {"author": names.get(m["author_id"] or 0), "body": text(m["body"])} for m in messages]
            for row in automatic:
                deliveries[f"auto-{row['outbox_id']}"] = row
                said.append({"id": f"auto-{row['outbox_id']}", "direction": "out", "author": None, "author_id": None,
                             "body": text(row["body"]), "created_at": row["created_at"], "meta": None,
                             "automatic": True})
            # In the order the resident read it: by time, and at one instant a resident's message before what we
            # said (the acknowledgement is queued with it), and what we said in the order it was queued.
            said.sort(key=lambda m: (m["created_at"], (deliveries.get(m["id"]) or {}).get("outbox_id", -1)))
            view = CaseView(
                case=dict(case) | {"officer_name": names.get(case["officer_id"] or 0),
                                   "outcome": text(case["outcome"])},
                access=level,
                messages=said,
                # (an ambtenaar's reason may hold a number too: "bel 06-...")
                events=[e | {"actor_name": _actor_name(e["actor"], names),
                             "data": {k: text(v) for k, v in (e["data"] or {}).items()}} for e in events],
                cluster=await casefile.cluster(conn, case),
                helpers=[{"officer_id": h, "name": names.get(h, "?")} for h in helper_ids],
                viewers=[v for v in await casefile.viewers(conn, case_id, now - PRESENT_FOR)
                         if v["officer_id"] != person.officer_id],
                attachments=[a | {"caption": text(a["caption"])} for a in await casefile.attachments_of(conn, case_id)],
                location=await casefile.location_of(conn, case_id),
                channel=await casefile.channel_of(conn, case_id),
                exchange=await casefile.last_exchange(conn, case_id, person.officer_id),
                stopped=stopped,
                masked=masked,
                deliveries=deliveries,
                undelivered=[u | {"body": text(u["body"])} for u in undelivered],
            )
            if level >= Access.HANDLE:
                profiles = await people.profiles(conn)
                loads = await repository.officer_loads(conn, str(case["team"]))
                available = {o.officer_id for o in loads if o.available}
                view.team_members.extend({"officer_id": i, "name": names[i]}
                                         for i in sorted(available, key=lambda i: names.get(i, "")))
                view.colleagues.extend(
                    {"officer_id": p["id"], "name": p["name"], "teams": p["teams"]} for p in profiles.values()
                    if p["account_active"] and p["id"] not in available and p["id"] not in helper_ids)
                view.next_statuses.extend(s.value for s in Status if s in TRANSITIONS[Status(case["status"])]
                                          and s not in (Status.AFGEHANDELD, Status.HEROPEND))
        return view

    async def presence(self, person: Person, reference: str) -> dict[str, Any]:
        """A sign of life from an open case page: who else is here, and the case's current version."""
        now = self.clock()
        async with self.db.write() as conn:
            case = await repository.case_by_reference(conn, reference)
            await self._level(conn, person, case)
            assert case is not None
            await casefile.touch_view(conn, int(case["id"]), person.officer_id, now, now - PRESENT_FOR)
            others = [v for v in await casefile.viewers(conn, int(case["id"]), now - PRESENT_FOR)
                      if v["officer_id"] != person.officer_id]
        return {"version": int(case["version"]), "viewers": others}

    async def reveal_contact(self, person: Person, reference: str, reason: str) -> dict[str, Any]:
        """The resident's contact data, written to the audit log first (with the reason given).

        Whoever does not handle the case (a beheerder, an invited colleague) must give a reason.
        """
        async with self.db.write() as conn:
            case = await repository.case_by_reference(conn, reference)
            level = await self._level(conn, person, case)
            assert case is not None
            if needs_reason_for_contact(level) and is_blank(reason):
                who = "beheerder" if person.is_beheerder and level == Access.READ else "genodigde collega"
                raise ActionError(f"geef een reden: als {who} ziet u contactgegevens alleen met een reden")
            await audit.write(conn, self.clock(), str(person.officer_id), "contactgegevens bekeken",
                              case_id=int(case["id"]), reason=reason.strip()[:1000] or None)
            contact = await casefile.contact_of(conn, int(case["id"]))
        if contact["channel"] in SECRET_ADDRESS_CHANNELS:
            contact["address"] = None  # the template says why it is not shown
        return contact

    async def attachment(self, person: Person, attachment_id: int) -> tuple[dict[str, Any], bytes]:
        """A resident's photo or file, for someone who may read its case; the audit log records the opening."""
        async with self.db.write() as conn:
            found = await attachments.content(conn, attachment_id)
            case = await repository.case_by_id(conn, int(found[0]["case_id"])) if found and found[0]["case_id"] \
                else None
            await self._level(conn, person, case)  # no case, or out of reach: "does not exist"
            opened = await attachments.read_by(conn, attachment_id, str(person.officer_id), self.clock())
        assert opened is not None
        return opened

    async def audit_log(self, person: Person, page: int = 1) -> list[dict[str, Any]]:
        """The newest audit rows; each says whom it concerns (`subject`): the case reference for a case row,
        the officer's name for an account row (the e-mail address when the officer is unknown)."""
        if not person.is_beheerder:
            raise NotAllowed("alleen een beheerder leest het auditlog")
        async with self.db.read() as conn:
            rows = await audit.latest(conn, limit=100, offset=(page - 1) * 100)
            names = await casefile.officer_names(conn)
            accounts = {int(r["id"]): account_subject(r["reason"]) for r in rows if r["action"] in ACCOUNT_ACTIONS}
            by_email = await people.officer_ids_by_email(conn, [e for _, e, _ in accounts.values() if e])
        shown = []
        for r in rows:
            row = dict(r) | {"actor_name": _actor_name(str(r["actor"]), names), "subject": r["reference"]}
            if int(r["id"]) in accounts:
                officer_id, email, detail = accounts[int(r["id"])]
                if officer_id is None and email is not None:
                    officer_id = by_email.get(email)
                name = names.get(officer_id) if officer_id is not None else None
                row |= {"reference": None, "reason": detail,
                        "subject": name or email or (f"ambtenaar {officer_id}" if officer_id is not None else None)}
            shown.append(row)
        return shown

    async def _level(self, conn: Any, person: Person, case: Any) -> Access:
        if case is None:
            raise NotAllowed("deze zaak bestaat niet", visible=False)
        level = access(person, await self._reach(conn, case))
        if level == Access.NONE:
            raise NotAllowed(f"geen zaak met nummer {case['reference']} (of u heeft er geen toegang toe)",
                             visible=False)
        return level

    @staticmethod
    async def _reach(conn: Any, case: Any) -> CaseReach:
        return CaseReach(str(case["team"]), case["wijk"], case["officer_id"],
                         frozenset(await casefile.helpers_of(conn, int(case["id"]))))


def _deliveries(events: list[dict[str, Any]], rows: list[Any], stopped: str | None
                ) -> tuple[dict[int | str, dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """The state of each reply's outbox row (by message id: the `antwoord` event links them), the other
    messages to the resident on this case that were given up (an acknowledgement, a notice, the outcome), and
    the other messages wijkbot sent or is sending by itself (with their state, body, purpose and time).
    A given-up message is `resendable` unless the resident's /stop refuses it (the page offers no button
    that can only be refused)."""
    message_of: dict[int, int] = {}
    failures: dict[int, dict[str, Any]] = {}  # outbox id -> its latest `bezorging mislukt` event's data
    for event in events:
        data = event["data"] or {}
        if event["type"] == ANSWER_EVENT and data.get("outbox_id") and data.get("message_id"):
            message_of[int(data["outbox_id"])] = int(data["message_id"])
        elif event["type"] == "bezorging mislukt" and data.get("outbox_id"):
            failures[int(data["outbox_id"])] = data
    deliveries: dict[int | str, dict[str, Any]] = {}
    undelivered: list[dict[str, Any]] = []
    automatic: list[dict[str, Any]] = []
    for row in rows:
        state = delivery_state(row, failures.get(int(row["id"])))
        if state["state"] == "failed":
            state["resendable"] = may_resend(row["purpose"], stopped)
        if int(row["id"]) in message_of:
            deliveries[message_of[int(row["id"])]] = state
        elif row["status"] == "failed":
            undelivered.append(state | {"body": row["body"], "purpose": row["purpose"],
                                        "created_at": row["created_at"]})
        else:
            automatic.append(state | {"body": row["body"], "purpose": row["purpose"],
                                      "created_at": row["created_at"]})
    return deliveries, undelivered, automatic


def delivery_state(row: Any, failure: dict[str, Any] | None = None) -> dict[str, Any]:
    """One outbox row as the inbox shows it. `state`: pending (queued, or being sent), retrying (a try failed,
    the channel did not take it yet: we keep trying), sent, failed (given up: `cause` one of delivery.CAUSES,
    `hours` how long it was tried when the channel was down), withheld (not sent after /stop)."""
    status = str(row["status"])
    state = status
    if status == "pending" and row["last_error"]:  # a row being sent right now has an attempt, but no error
        state = "retrying"
    found: dict[str, Any] = {"outbox_id": int(row["id"]), "state": state, "channel": row["channel"],
                             "sent_at": row["sent_at"], "next_attempt_at": row["next_attempt_at"]}
    if status == "failed":
        cause = (failure or {}).get("oorzaak")
        if cause not in CAUSES:  # given up before causes were recorded: read the stored reason
            cause = cause_of(str(row["last_error"] or ""))
        hours = (failure or {}).get("uren") if cause == CHANNEL_DOWN else None
        found |= {"cause": cause, "hours": hours, "cause_key": f"inbox.delivery.cause.{cause}"
                  + ("_long" if cause == CHANNEL_DOWN and not hours else "")}
    return found


def _actor_name(actor: str, names: dict[int, str]) -> str:
    return names.get(int(actor), actor) if actor.isdigit() else actor
