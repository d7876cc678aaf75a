"""What a new case looks like: term and due date (its ServicePolicy), lead department, team, named ambtenaar,
first status.

Invariants: a new case always has a lead department and a team (assignment never returns neither); an
out-of-scope message becomes a case that is closed at once with a pointer, so it is still on record; the
officer loads passed in are updated, so the next case of the same batch goes to the next ambtenaar.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from wijkbot.domain import followups as followup_plan
from wijkbot.domain.assignment import OfficerLoad, assign
from wijkbot.domain.routing import Decision
from wijkbot.domain.rules import RuleSet
from wijkbot.domain.workflow import Status
from wijkbot.services.case_terms import policy_of


def team_for(rules: RuleSet, decision: Decision) -> str:
    team = rules.team_for(decision.department, decision.area.wijk)
    return team.id if team else ""


def new_case_row(rules: RuleSet, decision: Decision, contact_id: int, lang: str, now: datetime,
                 loads: dict[str, list[OfficerLoad]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The case row and the data of its "aangemaakt" event."""
    sla = policy_of(rules, decision.suggested_category, decision.department, decision.triage,
                    decision.urgent).answer_days
    due = followup_plan.due_date(now, sla, rules.municipality.timezone)
    department = decision.department  # out of scope: the category's own department, for the pointer
    team_loads = loads.setdefault(team_for(rules, decision), [])
    assignment = assign(rules, department, decision.area.wijk, team_loads)
    if assignment.officer_id is not None:  # count the new case, so the next one goes to someone else
        loads[assignment.team.id] = [
            OfficerLoad(o.officer_id, o.available, o.open_cases + (o.officer_id == assignment.officer_id))
            for o in team_loads
        ]
    status = Status.AFGEHANDELD if decision.out_of_scope else (
        Status.TOEGEWEZEN if assignment.officer_id else Status.NIEUW)
    reasons = list(decision.reasons)
    guess = None if decision.out_of_scope else rules.team_guess(department, decision.area.wijk)
    if guess is not None:
        reasons.append(guess)
    row: dict[str, Any] = {
        "kind": decision.kind.value, "status": status.value, "category": decision.category,
        "suggested_category": decision.suggested_category, "department": department,
        "team": assignment.team.id, "officer_id": assignment.officer_id, "wijk": decision.area.wijk,
        "buurt": decision.area.buurt, "buurt_code": decision.area.buurt_code, "street": decision.area.street,
        "confidence": decision.confidence, "triage": decision.triage, "urgent": decision.urgent,
        "out_of_scope": decision.out_of_scope, "ambition": decision.ambition, "contact_id": contact_id,
        "locale": lang, "sla_days": sla, "due_date": due, "created_at": now, "updated_at": now,
        "last_contact_at": now, "closed_at": now if decision.out_of_scope else None,
        "outcome": "Doorverwezen" if decision.out_of_scope else None,
        "routing": {"reasons": reasons, "matched_terms": list(decision.matched_terms),
                    "area_matched_by": decision.area.matched_by, "crisis": decision.crisis},
    }
    event = {"reasons": reasons, "department": department, "team": assignment.team.id,
             "officer_id": assignment.officer_id, "status": status.value}
    return row, event
