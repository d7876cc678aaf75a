"""The simulation's report: measured from what residents received (with the fake delivery time) and the database.

Invariants: every figure is computed from observations (channel deliveries, case rows and events), never from
the simulation's own plans; silences are counted in working days (`working_days_between` on local dates);
"at night" means delivered between 21:00 and 08:00 local time and not an answer to something the resident
wrote within the 5 seconds before (acknowledgements and answers to buttons go at once by design); a silence
is not counted while the resident's /stop is in force (they asked for it); an escalation step is expected
at its ladder moment, pushed back by the working days of every pause on the resident that began before it
(status events into and out of "wacht op bewoner", with the "termijn verschoven" days), and not at all while
the case waits, or closed waiting; "after
/stop" means delivered after the resident's /stop and before they wrote again, not such an answer, and not
the closing notice they asked for. The header and the "ambtenaren" line say which municipality and whose
ambtenaren (the demo file's, or made up: simulation.staff); a share of nothing (no survey sent, no answer)
reads "–", not 0.0 %; "doelen gehaald" is `meets_targets`: what wijkbot itself does, not how fast the
simulated ambtenaren close (that is "zaken over de termijn").
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from wijkbot.domain.policies import escalation_moments
from wijkbot.domain.workdays import working_days_between
from wijkbot.services.case_terms import case_policy
from wijkbot.storage import tables

if TYPE_CHECKING:
    from wijkbot.app import Wijkbot
    from wijkbot.domain.model import OutboundMessage

ACK_WITHIN = timedelta(seconds=5)
EVENTS = ["geëscaleerd", "tevredenheid", "heropenverzoek", "overgedragen", "status", "gepland", "afgehandeld",
          "termijn verschoven"]
WAITING = "wacht op bewoner"
NO_ANSWER = "geen reactie van de bewoner"  # services.waiting_close.REASON
STEP = timedelta(minutes=15)  # an escalation is on time when it ran within one simulation step of its moment


@dataclass
class Observed:
    """What the simulation saw its people do, beyond what the database holds."""

    stopped: dict[str, tuple[datetime, bool]] = field(default_factory=dict)  # address -> (/stop at, wants outcome)
    resumed: dict[str, datetime] = field(default_factory=dict)  # address -> first words after /stop
    replies_held_by_stop: int = 0
    typed_survey_answers: int = 0
    failed_actions: int = 0
    failures: Counter[str] = field(default_factory=Counter)


@dataclass
class Report:
    municipality: str = ""
    meldingen: int = 0
    cases: int = 0
    officers_from_file: int = 0  # the demo ambtenaren (simulation.staff)
    officers_simulated: int = 0  # made up by the simulation
    officers_file: str = ""  # the demo file's name
    officers_file_not_used: str = ""  # why it was not used (it does not fit the configuration); empty when used
    acknowledged_within_5s: float = 0.0
    longest_silence_days: int = 0
    cases_silent_too_long: int = 0
    overdue_share: float = 0.0
    escalations_per_step: dict[str, int] = field(default_factory=dict)
    escalations_missed_or_late: int = 0
    escalations_twice: int = 0
    handovers_per_case: float = 0.0
    surveys_sent: int = 0
    survey_answers: int = 0
    survey_response_rate: float = 0.0
    reopen_request_rate: float = 0.0
    typed_survey_answers: int = 0
    cases_waiting_on_resident: int = 0
    closed_for_no_answer: int = 0
    cases_planned: int = 0
    residents_stopped: int = 0
    replies_held_by_stop: int = 0
    sent_after_stop: int = 0
    sent_twice: int = 0
    sent_at_night: int = 0
    officer_actions_failed: int = 0
    failures: dict[str, int] = field(default_factory=dict)

    def meets_targets(self) -> bool:
        return (self.acknowledged_within_5s == 1.0 and self.cases_silent_too_long == 0
                and self.escalations_missed_or_late == 0 and self.escalations_twice == 0
                and self.sent_twice == 0 and self.sent_at_night == 0 and self.sent_after_stop == 0)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "targets_met": self.meets_targets()}


async def measure(bot: Wijkbot, sent: list[tuple[datetime, OutboundMessage]], sent_at: dict[str, datetime],
                  start: datetime, end: datetime, observed: Observed) -> Report:
    tz = bot.rules.municipality.timezone
    zone = ZoneInfo(tz)
    received: dict[str, list[datetime]] = {}
    for moment, message in sent:
        received.setdefault(message.reply_to.address, []).append(moment)
    async with bot.db.read() as conn:
        cases = (await conn.execute(select(tables.cases, tables.contacts.c.address).join(
            tables.contacts, tables.contacts.c.id == tables.cases.c.contact_id))).mappings().all()
        events = (await conn.execute(select(tables.case_events).where(
            tables.case_events.c.type.in_(EVENTS)))).mappings().all()
        inbound = (await conn.execute(select(tables.messages.c.created_at, tables.contacts.c.address).join(
            tables.contacts, tables.contacts.c.id == tables.messages.c.contact_id).where(
            tables.messages.c.direction == "in"))).all()
        surveys = int((await conn.execute(select(func.count()).select_from(tables.surveys))).scalar_one())
        purposes = {r.id: (r.purpose, r.case_id, r.created_at) for r in await conn.execute(
            select(tables.outbox.c.id, tables.outbox.c.purpose, tables.outbox.c.case_id, tables.outbox.c.created_at))}
    report = Report(meldingen=len(sent_at), cases=len(cases), officer_actions_failed=observed.failed_actions,
                    failures=dict(observed.failures), typed_survey_answers=observed.typed_survey_answers,
                    residents_stopped=len(observed.stopped), replies_held_by_stop=observed.replies_held_by_stop)
    acked = sum(1 for address, at in sent_at.items()
                if any(at <= moment <= at + ACK_WITHIN for moment in received.get(address, [])))
    report.acknowledged_within_5s = acked / len(sent_at) if sent_at else 1.0

    escalated: dict[int, dict[int, list[datetime]]] = {}
    history: dict[int, list[Any]] = {}
    for event in events:
        history.setdefault(event["case_id"], []).append(event)
        if event["type"] == "geëscaleerd":
            escalated.setdefault(event["case_id"], {}).setdefault(int(event["data"]["stap"]), []).append(event["at"])
    per_step: Counter[str] = Counter()
    overdue = 0
    for case in cases:
        policy = case_policy(bot.rules, case)
        closed = case["closed_at"]
        opened = case["created_at"]
        until = closed or end
        moments = [opened, *(m for m in received.get(case["address"], []) if opened <= m <= until), until]
        stop = observed.stopped.get(case["address"])
        quiet_from, quiet_until = (stop[0], observed.resumed.get(case["address"], end)) if stop else (end, end)
        silence = max((working_days_between(a.astimezone(zone).date(), b.astimezone(zone).date())
                       for a, b in itertools.pairwise(moments) if not (a >= quiet_from and b <= quiet_until)),
                      default=0)
        report.longest_silence_days = max(report.longest_silence_days, silence)
        report.cases_silent_too_long += silence > policy.update_every_days
        steps = escalated.get(case["id"], {})
        for number, runs in steps.items():
            per_step[f"stap {number}"] += len(runs)
            report.escalations_twice += len(runs) > 1
        was_overdue = False
        pauses = _pauses(history.get(case["id"], []))
        for number, _step, planned in escalation_moments(opened, policy, tz):
            due_at = _expected(planned, pauses, opened, policy, tz, number)
            if due_at is None or due_at + STEP > end or (closed is not None and closed <= due_at):
                continue
            was_overdue = True
            runs = steps.get(number, [])
            report.escalations_missed_or_late += not any(due_at <= at < due_at + STEP for at in runs)
        overdue += was_overdue
    report.overdue_share = overdue / len(cases) if cases else 0.0
    report.escalations_per_step = dict(sorted(per_step.items()))
    handovers = sum(1 for e in events if e["type"] == "overgedragen")
    report.handovers_per_case = handovers / len(cases) if cases else 0.0
    answered = sum(1 for e in events if e["type"] == "tevredenheid")
    report.surveys_sent, report.survey_answers = surveys, answered
    report.survey_response_rate = answered / surveys if surveys else 0.0
    reopen = sum(1 for e in events if e["type"] == "heropenverzoek")
    report.reopen_request_rate = reopen / answered if answered else 0.0

    waiting = {e["case_id"] for e in events if e["type"] == "status" and e["data"].get("naar") == "wacht op bewoner"}
    report.cases_waiting_on_resident = len(waiting)
    report.closed_for_no_answer = sum(1 for e in events if e["type"] == "afgehandeld"
                                      and e["data"].get("reden") == NO_ANSWER)
    report.cases_planned = len({e["case_id"] for e in events if e["type"] == "gepland"})
    closed_at = {case["id"]: case["closed_at"] for case in cases}

    ids = Counter(message.outbox_id for _moment, message in sent)
    report.sent_twice = sum(1 for count in ids.values() if count > 1)
    written: dict[str, list[datetime]] = {}
    for at, address in inbound:
        written.setdefault(str(address), []).append(at)
    for moment, message in sent:
        local = moment.astimezone(zone).time()
        if time(8, 0) <= local < time(21, 0):
            continue
        answers = written.get(message.reply_to.address, [])
        report.sent_at_night += not any(at <= moment <= at + ACK_WITHIN for at in answers)
    for moment, message in sent:
        address = message.reply_to.address
        if address not in observed.stopped:
            continue
        stopped_at, wants_outcome = observed.stopped[address]
        if not stopped_at < moment < observed.resumed.get(address, end):
            continue
        if any(at <= moment <= at + ACK_WITHIN for at in written.get(address, [])):
            continue  # the answer to what they just wrote (the /stop answer itself, a button)
        purpose, case_id, created = purposes[message.outbox_id]
        report.sent_after_stop += not (wants_outcome and purpose == "outcome" and created == closed_at.get(case_id))
    return report


def _pauses(events: list[Any]) -> list[tuple[datetime, datetime | None, int]]:
    """(start, end or None while it lasts, working days it moved the term) of each wait on the resident."""
    moved = {e["at"]: int(e["data"]["werkdagen"]) for e in events if e["type"] == "termijn verschoven"}
    found: list[tuple[datetime, datetime | None, int]] = []
    start: datetime | None = None
    for event in sorted(events, key=lambda e: (e["at"], e["id"])):
        if event["type"] != "status":
            continue
        if event["data"].get("naar") == WAITING and start is None:
            start = event["at"]
        elif event["data"].get("van") == WAITING and start is not None:
            found.append((start, event["at"], moved.get(event["at"], 0)))
            start = None
    if start is not None:
        found.append((start, None, 0))
    return found


def _expected(moment: datetime, pauses: list[tuple[datetime, datetime | None, int]], opened: datetime,
              policy: Any, tz: str, number: int) -> datetime | None:
    """When step `number` should run, given the pauses: each pause that began before it pushes it back (as
    the service re-plans the remaining steps on resuming); None while a pause that began before it lasts."""
    paused = 0
    for start, stop, days in pauses:
        if moment <= start:
            break
        if stop is None:
            return None
        paused += days
        moment = escalation_moments(opened, policy, tz, paused)[number - 1][2]
    return moment


def _percent(share: float) -> str:
    return f"{share * 100:.1f} %"


def _count(number: int, one: str, more: str) -> str:
    return f"{number} {one if number == 1 else more}"


def _officers(report: Report) -> str:
    if report.officers_file_not_used:
        return (f"{report.officers_simulated} gesimuleerd uit de configuratie "
                f"({report.officers_file}: {report.officers_file_not_used})")
    return f"{report.officers_from_file} uit {report.officers_file}, {report.officers_simulated} gesimuleerd"


def format_report(report: Report, days: int, residents: int, seed: int) -> str:
    steps = ", ".join(f"{step}: {count}" for step, count in report.escalations_per_step.items()) or "geen"
    response = _percent(report.survey_response_rate) if report.surveys_sent else "–"
    reopen = f"{_percent(report.reopen_request_rate)} van de reacties" if report.survey_answers else "–"
    lines = [
        f"Simulatie{' ' + report.municipality if report.municipality else ''}: {_count(days, 'dag', 'dagen')}, "
        f"{_count(residents, 'bewoner', 'bewoners')}, seed {seed}",
        f"  ambtenaren:                          {_officers(report)}",
        f"  meldingen verstuurd:                 {report.meldingen}",
        f"  zaken:                               {report.cases}",
        f"  ontvangstbevestiging binnen 5 s:     {_percent(report.acknowledged_within_5s)}",
        f"  langste stilte (werkdagen):          {report.longest_silence_days}",
        f"  zaken langer stil dan de termijn:    {report.cases_silent_too_long}",
        f"  zaken over de termijn:               {_percent(report.overdue_share)} (tempo van de ambtenaren)",
        f"  escalaties per stap:                 {steps}",
        f"  escalaties gemist of te laat:        {report.escalations_missed_or_late}",
        f"  escalaties dubbel:                   {report.escalations_twice}",
        f"  overdrachten per zaak:               {report.handovers_per_case:.2f}",
        f"  tevredenheidsvragen verstuurd:       {report.surveys_sent}",
        f"  respons tevredenheid:                {response}",
        f"  verzoeken om heropenen:              {reopen}",
        f"  getypte antwoorden op de vraag:      {report.typed_survey_answers}",
        f"  zaken wacht op bewoner:              {report.cases_waiting_on_resident}",
        f"  gesloten zonder reactie bewoner:     {report.closed_for_no_answer}",
        f"  zaken ingepland:                     {report.cases_planned}",
        f"  bewoners met /stop:                  {report.residents_stopped}",
        f"  antwoorden tegengehouden door /stop: {report.replies_held_by_stop}",
        f"  na /stop toch verstuurd:             {report.sent_after_stop}",
        f"  berichten dubbel verstuurd:          {report.sent_twice}",
        f"  's nachts verstuurd (21:00-08:00):   {report.sent_at_night}",
        f"  acties van ambtenaren mislukt:       {report.officer_actions_failed}",
        *(f"    {reason}: {count}" for reason, count in sorted(report.failures.items())),
        f"  doelen gehaald:                      {'ja' if report.meets_targets() else 'nee'}",
        "    (wat wijkbot zelf doet: alles bevestigd, niemand te lang zonder bericht, elke escalatie op tijd",
        "    en één keer, niets dubbel, 's nachts of na /stop verstuurd; niet hoe snel ambtenaren afhandelen)",
    ]
    return "\n".join(lines)


def to_json(report: Report) -> str:
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2)
