"""A case's term under its policy: which ServicePolicy applies, and the pause while it waits on the resident.

Invariants: the policy comes from rules.policies (category over department over defaults; a category's
sla_days is its term unless policies.yaml sets one; a triage case has the default term; an acute case the
`acute` term, by default the next working day); waiting on the
resident stops the clock: leaving "wacht op bewoner" moves the due date, the reminder and the remaining
escalation steps by the working days spent waiting, and re-plans the periodic update; entering it plans the
"waiting-close" follow-up, which is cancelled when the wait ends; a reopened case starts a new term (`new_term`):
a due date from now, the reminder and the whole escalation ladder planned again from now.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.domain import case_plan
from wijkbot.domain.followups import FollowUpKind, due_date
from wijkbot.domain.policies import ServicePolicy
from wijkbot.domain.rules import RuleSet
from wijkbot.domain.workdays import add_working_days
from wijkbot.storage import repository

TERM_KINDS = [FollowUpKind.REMINDER.value, FollowUpKind.UPDATE.value, case_plan.WAITING_CLOSE]


def policy_of(rules: RuleSet, category: str | None, department: str | None, triage: bool = False,
              acute: bool = False) -> ServicePolicy:
    known = rules.categories.get(category or "")
    return rules.policies.for_case(category, department, known.sla_days if known and not triage else None, acute)


def case_policy(rules: RuleSet, case: Any) -> ServicePolicy:
    return policy_of(rules, case["category"], case["department"], bool(case["triage"]), bool(case.get("urgent")))


async def pause(conn: AsyncConnection, rules: RuleSet, case: Any, now: datetime) -> None:
    """The case now waits on the resident: remember since when, and plan the close for no answer."""
    tz = rules.municipality.timezone
    await repository.update_case(conn, case["id"], now, waiting_since=now)
    await repository.cancel_followups(conn, case["id"], kinds=[case_plan.WAITING_CLOSE])
    moment = case_plan.waiting_close_moment(now, case_policy(rules, case), tz)
    await repository.plan_followups(conn, case["id"], [(case_plan.WAITING_CLOSE, moment)])


async def resume(conn: AsyncConnection, rules: RuleSet, case: Any, now: datetime, **values: Any) -> None:
    """The wait is over: the term moves on by the working days it stood still (`values`: more case fields)."""
    tz = rules.municipality.timezone
    policy = case_policy(rules, case)
    since = case["waiting_since"]
    paused = case_plan.paused_working_days(since, now, tz) if since is not None else 0
    due = add_working_days(case["due_date"], paused)
    total = int(case["paused_days"] or 0) + paused
    await repository.update_case(conn, case["id"], now, waiting_since=None, paused_days=total, due_date=due,
                                 **values)
    if paused:  # in the history, so the ambtenaar (and the simulation's report) can see why the term moved
        await repository.add_event(conn, case["id"], now, "systeem", "termijn verschoven",
                                   {"werkdagen": paused, "termijn": due.isoformat()})
    escalations = [case_plan.escalation_kind(n) for n in range(1, len(policy.escalation) + 1)]
    await repository.cancel_followups(conn, case["id"], kinds=TERM_KINDS + escalations)
    planned = case_plan.term_plan(case["created_at"], due, policy, tz, total, int(case["escalation_level"] or 0))
    planned = [(kind, moment) for kind, moment in planned if kind != FollowUpKind.REMINDER.value or moment > now]
    planned.append((FollowUpKind.UPDATE.value, case_plan.next_update(now, policy, tz)))
    await repository.plan_followups(conn, case["id"], planned)


async def new_term(conn: AsyncConnection, rules: RuleSet, case: Any, now: datetime) -> None:
    """A reopened case: the policy's term from now, the pause and the escalation ladder from the start, the
    reminder, the escalation steps and the periodic update planned again (closing cancelled them)."""
    tz = rules.municipality.timezone
    policy = case_policy(rules, case)
    due = due_date(now, policy.answer_days, tz)
    await repository.update_case(conn, case["id"], now, due_date=due, paused_days=0, escalation_level=0,
                                 waiting_since=None)
    escalations = [case_plan.escalation_kind(n) for n in range(1, len(policy.escalation) + 1)]
    await repository.cancel_followups(conn, case["id"], kinds=TERM_KINDS + escalations)
    update = (FollowUpKind.UPDATE.value, case_plan.next_update(now, policy, tz))
    await repository.plan_followups(conn, case["id"], [*case_plan.term_plan(now, due, policy, tz), update])
