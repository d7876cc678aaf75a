"""An escalation step runs: an overdue case goes up the line, visibly, once per step.

Invariants: a step only acts when, at the moment it runs, the case is still open, not waiting on the resident,
its term has run out (the due date is today or past) and no higher or equal step ran before
(cases.escalation_level); it writes the event "geëscaleerd" {"stap", "naar" (a role), "naam" when a person
holds that role for the case's team or wijk} — the digest reads these names — and raises escalation_level,
which the overdue queue shows. The resident is not told: this is internal pressure, not news.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.domain import case_plan
from wijkbot.domain.rules import RuleSet
from wijkbot.domain.workflow import Status, is_open
from wijkbot.services.case_terms import case_policy
from wijkbot.storage import escalation_rows, repository


async def escalate(conn: AsyncConnection, rules: RuleSet, case: Any, kind: str, now: datetime) -> bool:
    """Run the step named by `kind` for `case`; False (and nothing written) when it no longer applies."""
    step = case_plan.escalation_step(kind)
    role = case_plan.escalation_target(kind, case_policy(rules, case))
    status = Status(case["status"])
    if step is None or role is None or not is_open(status) or status is Status.WACHT_OP_BEWONER:
        return False
    if int(case["escalation_level"] or 0) >= step:
        return False
    if not case_plan.is_overdue_on(case["due_date"], now, rules.municipality.timezone):
        return False
    data: dict[str, Any] = {"stap": step, "naar": role}
    name = await escalation_rows.person_for(conn, role, case["team"], case["wijk"])
    if name:
        data["naam"] = name
    await repository.update_case(conn, case["id"], now, escalation_level=step)
    await repository.add_event(conn, case["id"], now, "systeem", "geëscaleerd", data)
    return True
