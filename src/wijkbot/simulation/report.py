"""The simulation's report: measured from what residents received (with the fake delivery time) and the database.

Invariants: every figure is computed from observations (channel deliveries, case rows and events), never from
the simulation's own plans; silences are counted in working days (`working_days_between` on local dates);
"at night" means delivered between 21:00 and 08:00 local time and not an answer to something the resident
wrote within the 5 seconds before (acknowledgements and answers to buttons go at once by design).
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
EVENTS = ["geëscaleerd", "tevredenheid", "heropenverzoek", "overgedragen"]
STEP = timedelta(minutes=15)  # an escalation is on time when it ran within one simulation step of its moment


@dataclass
class Report:
    meldingen: int = 0
    cases: int = 0
    acknowledged_within_5s: float = 0.0
    longest_silence_days: int = 0
    cases_silent_too_long: int = 0
    overdue_share: float = 0.0
    escalations_per_step: dict[str, int] = field(default_factory=dict)
    escalations_missed_or_late: int = 0
    escalations_twice: int = 0
    handovers_per_case: float = 0.0
    surveys_sent: int = 0
    survey_response_rate: float = 0.0
    reopen_request_rate: float = 0.0
    sent_twice: int = 0
    sent_at_night: int = 0
    officer_actions_failed: int = 0
    failures: dict[str, int] = field(default_factory=dict)

    def meets_targets(self) -> bool:
        return (self.acknowledged_within_5s == 1.0 and self.cases_silent_too_long == 0
                and self.escalations_missed_or_late == 0 and self.escalations_twice == 0
                and self.sent_twice == 0 and self.sent_at_night == 0)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "targets_met": self.meets_targets()}


async def measure(bot: Wijkbot, sent: list[tuple[datetime, OutboundMessage]], sent_at: dict[str, datetime],
                  start: datetime, end: datetime, failed_actions: int,
                  failures: dict[str, int]) -> Report:
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
    report = Report(meldingen=len(sent_at), cases=len(cases), officer_actions_failed=failed_actions,
                    failures=failures)
    acked = sum(1 for address, at in sent_at.items()
                if any(at <= moment <= at + ACK_WITHIN for moment in received.get(address, [])))
    report.acknowledged_within_5s = acked / len(sent_at) if sent_at else 1.0

    escalated: dict[int, dict[int, list[datetime]]] = {}
    for event in events:
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
        silence = max(working_days_between(a.astimezone(zone).date(), b.astimezone(zone).date())
                      for a, b in itertools.pairwise(moments))
        report.longest_silence_days = max(report.longest_silence_days, silence)
        report.cases_silent_too_long += silence > policy.update_every_days
        steps = escalated.get(case["id"], {})
        for number, runs in steps.items():
            per_step[f"stap {number}"] += len(runs)
            report.escalations_twice += len(runs) > 1
        was_overdue = False
        for number, _step, moment in escalation_moments(opened, policy, tz, case["paused_days"]):
            if moment + STEP > end or (closed is not None and closed <= moment):
                continue
            was_overdue = True
            runs = steps.get(number, [])
            report.escalations_missed_or_late += not any(moment <= at < moment + STEP for at in runs)
        overdue += was_overdue
    report.overdue_share = overdue / len(cases) if cases else 0.0
    report.escalations_per_step = dict(sorted(per_step.items()))
    handovers = sum(1 for e in events if e["type"] == "overgedragen")
    report.handovers_per_case = handovers / len(cases) if cases else 0.0
    answered = sum(1 for e in events if e["type"] == "tevredenheid")
    report.surveys_sent = surveys
    report.survey_response_rate = answered / surveys if surveys else 0.0
    reopen = sum(1 for e in events if e["type"] == "heropenverzoek")
    report.reopen_request_rate = reopen / answered if answered else 0.0

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
    return report


def _percent(share: float) -> str:
    return f"{share * 100:.1f} %"


def format_report(report: Report, days: int, residents: int, seed: int) -> str:
    steps = ", ".join(f"{step}: {count}" for step, count in report.escalations_per_step.items()) or "geen"
    lines = [
        f"Simulatie: {days} dagen, {residents} bewoners, seed {seed}",
        f"  meldingen verstuurd:                 {report.meldingen}",
        f"  zaken:                               {report.cases}",
        f"  ontvangstbevestiging binnen 5 s:     {_percent(report.acknowledged_within_5s)}",
        f"  langste stilte (werkdagen):          {report.longest_silence_days}",
        f"  zaken langer stil dan de termijn:    {report.cases_silent_too_long}",
        f"  zaken over de termijn:               {_percent(report.overdue_share)}",
        f"  escalaties per stap:                 {steps}",
        f"  escalaties gemist of te laat:        {report.escalations_missed_or_late}",
        f"  escalaties dubbel:                   {report.escalations_twice}",
        f"  overdrachten per zaak:               {report.handovers_per_case:.2f}",
        f"  tevredenheidsvragen verstuurd:       {report.surveys_sent}",
        f"  respons tevredenheid:                {_percent(report.survey_response_rate)}",
        f"  verzoeken om heropenen:              {_percent(report.reopen_request_rate)}",
        f"  berichten dubbel verstuurd:          {report.sent_twice}",
        f"  's nachts verstuurd (21:00-08:00):   {report.sent_at_night}",
        f"  acties van ambtenaren mislukt:       {report.officer_actions_failed}",
        *(f"    {reason}: {count}" for reason, count in sorted(report.failures.items())),
        f"  doelen gehaald:                      {'ja' if report.meets_targets() else 'nee'}",
    ]
    return "\n".join(lines)


def to_json(report: Report) -> str:
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2)
