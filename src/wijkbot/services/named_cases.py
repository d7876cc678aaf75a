"""A klacht about one of the resident's own cases, named by its number ("mijn melding UT-2026-000123").

Such a klacht is a case of its own, never a message filed on the case it is about (the team complained about would
read it as one) and never asked "which case?" (the resident said which). It records the case it names and plays
where that case played when its own words name no place, so it reaches that wijk's team instead of a guess.
Invariants: only the resident's own cases count (`NamedCases` holds what storage found for (resident, reference)
pairs); another resident's number changes nothing and reveals nothing; only a klacht is affected.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from wijkbot.domain.model import Area, Kind
from wijkbot.domain.references import references_in
from wijkbot.domain.routing import Decision
from wijkbot.domain.routing_reasons import area_reason

NAMES_CASE = "verwijst naar"  # the klacht's event naming the case it is about

NamedCases = dict[tuple[int, str], dict[str, Any]]  # (resident, reference) -> their case's reference and place


def named_case(named: NamedCases, contact_id: int, text: str, prefix: str) -> dict[str, Any] | None:
    """The first of the resident's own cases the text names, if any."""
    return next((named[(contact_id, ref)] for ref in references_in(text, prefix) if (contact_id, ref) in named),
                None)


def about_named_case(decision: Decision, case: dict[str, Any]) -> Decision:
    """The klacht's decision with the case it names: a reason, and that case's place when it has none itself."""
    reference = str(case["reference"])
    reasons = [*decision.reasons, f"gaat over zaak {reference}"]
    if decision.area.wijk is not None or case["wijk"] is None:
        return replace(decision, reasons=tuple(reasons))
    area = Area(wijk=case["wijk"], buurt=case["buurt"], buurt_code=case["buurt_code"], street=case["street"],
                matched_by=f"zaak {reference}")
    return replace(decision, area=area,
                   reasons=tuple(area_reason(area) if r == area_reason(decision.area) else r for r in reasons))


def is_klacht(decision: Decision | None) -> bool:
    return decision is not None and decision.kind is Kind.KLACHT
