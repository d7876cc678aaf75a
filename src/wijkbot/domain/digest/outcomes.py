"""What is stuck at the end of the week, and how residents were served during it.

Stuck: open cases past their term (due date before the week's Monday after; how late in working days of the
Algemene termijnenwet), escalations made this week, open cases handed over two times or more, open cases
waiting on the resident. Served: per department, the median and 90th percentile time to the first human answer
(for first answers given this week) and to closing (for cases closed this week, referrals out of scope left
out), the share closed within the term (closed on or before the due date, local time), and the survey answers
received this week (average score 1-5, share solved, response rate = answers / cases closed this week).
Invariants: pure; lists are complete (renderers cut them, totals count all); quotes are scrubbed or left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from wijkbot.domain.digest.facts import CaseFact, DigestFacts, EventFact
from wijkbot.domain.digest.figures import CaseLine, Escalation, Quote, Service, Stuck
from wijkbot.domain.digest.stats import median, percentile
from wijkbot.domain.quotes import quotable
from wijkbot.domain.scrub import scrub
from wijkbot.domain.workdays import working_days_between

ESCALATED = "geëscaleerd"
SURVEY = "tevredenheid"
WAITING = "wacht op bewoner"


def line(case: CaseFact, end: datetime, *, new: bool = False, late: int = 0) -> CaseLine:
    return CaseLine(case.reference, case.kind, case.category, case.department, case.buurt, case.status,
                    max(0, (end - case.created_at).days), late, case.handover_count, case.ambition, new)


def stuck(facts: DigestFacts) -> Stuck:
    end, last_due = facts.cut
    overdue = sorted(
        (line(c, end, late=working_days_between(c.due_date, last_due)) for c in facts.open_at_end
         if c.due_date <= last_due),
        key=lambda c: (-c.working_days_late, -c.age_days, c.reference))
    handed = sorted((line(c, end) for c in facts.open_at_end if c.handover_count >= 2),
                    key=lambda c: (-c.handovers, -c.age_days, c.reference))
    waiting = sorted((line(c, end) for c in facts.open_at_end if c.status == WAITING),
                     key=lambda c: (-c.age_days, c.reference))
    escalations = tuple(Escalation(line(e.case, end), _int(e.data.get("stap")), scrub(str(e.data.get("naar", ""))))
                        for e in sorted(facts.events, key=lambda e: e.at) if e.type == ESCALATED)
    return Stuck(tuple(overdue), escalations, tuple(handed), tuple(waiting))


def _int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError):
        return None


def _surveys(events: Iterable[EventFact]) -> list[EventFact]:
    return [e for e in events if e.type == SURVEY and _int(e.data.get("score")) is not None]


def service(facts: DigestFacts) -> tuple[Service, ...]:
    """The wijk as a whole (department ""), then each department with anything to measure, by name."""
    zone = ZoneInfo(facts.timezone)
    closed = [c for c in facts.closed if not c.out_of_scope and c.closed_at is not None]
    surveys = _surveys(facts.events)
    departments = sorted({c.department for c in (*facts.answered, *closed)} | {e.case.department for e in surveys})
    result = []
    for department in ("", *departments):
        def mine(case: CaseFact, department: str = department) -> bool:
            return not department or case.department == department
        answers = [c.first_answer_at - c.created_at for c in facts.answered if mine(c) and c.first_answer_at]
        closing = [c.closed_at - c.created_at for c in closed if mine(c) and c.closed_at]
        within = sum(1 for c in closed if mine(c) and c.closed_at and c.closed_at.astimezone(zone).date() <= c.due_date)
        scores = [s for s in (_int(e.data.get("score")) for e in surveys if mine(e.case)) if s is not None]
        solved = sum(1 for e in surveys if mine(e.case) and e.data.get("opgelost") is True)
        result.append(Service(
            department, len(answers), median(answers), percentile(answers), len(closing), median(closing),
            percentile(closing), within, len(scores), sum(scores) / len(scores) if scores else None, solved))
    return tuple(result)


def quotes(facts: DigestFacts, limit: int, known_names: Iterable[str]) -> tuple[Quote, ...]:
    """A few residents' own words from this week's survey answers, unhappiest first, personal data removed."""
    known = tuple(known_names)
    found = []
    for event in sorted(_surveys(facts.events), key=lambda e: (_int(e.data.get("score")) or 0, e.at)):
        text = quotable(str(event.data.get("toelichting") or ""), known)
        if text is None:
            continue
        solved = event.data.get("opgelost")
        found.append(Quote(text, _int(event.data.get("score")), solved if isinstance(solved, bool) else None,
                           event.case.department))
        if len(found) >= limit:
            break
    return tuple(found)
