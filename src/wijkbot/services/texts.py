"""Composes the texts a resident receives from the routing decision, the case and the locale catalogs.

Invariants: no personal data is ever put into a text (only the reference, department, area and dates);
every sentence comes from locales/, so the wording can change without touching code.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cached_property
from typing import Any

from wijkbot.domain.routing import Decision
from wijkbot.domain.rules import RuleSet
from wijkbot.domain.text import words
from wijkbot.i18n import Translator


class Texts:
    """Resident-facing texts for one municipality."""

    def __init__(self, rules: RuleSet, translator: Translator) -> None:
        self.rules = rules
        self.t = translator

    def department_name(self, department_id: str, team: str | None = None, wijk: str | None = None) -> str:
        """Who handles it, as a resident reads it: the department's name, or for a department `named_by_team` the
        name of its team for this case's `wijk` (the `team` id when that team works there); the department's name
        when the wijk is unknown."""
        department = self.rules.departments.get(department_id)
        if department is None:
            return department_id
        if department.named_by_team and wijk is not None:
            # Only the team of the resident's own area: a team that holds a case of an unknown area until its
            # place is known (rules.team_guess) is not "their" wijkbureau.
            found = next((t for t in self.rules.teams if t.id == team), None) if team else None
            if found is None or wijk not in found.wijken:
                found = self.rules.team_for(department_id, wijk)
            if found is not None and found.department == department_id and wijk in found.wijken:
                return found.name
        return department.name

    def case_department(self, case: Mapping[Any, Any]) -> str:
        """`department_name` for a stored case (its department, team and wijk)."""
        return self.department_name(str(case["department"]), case.get("team"), case.get("wijk"))

    def acknowledgement(self, decision: Decision, reference: str, due: date, lang: str, long: bool,
                        known: bool = False, said: str = "") -> str:
        """The first answer: reference, who handles it, where, and by when the resident hears more. `said`: the
        resident's words, for the advice an acute danger they name gets besides 112 (signals.yaml `advice`)."""
        values: dict[str, Any] = {
            "reference": reference,
            "department": self.department_name(decision.department, wijk=decision.area.wijk),
            "area": self.t.text("ack.area", lang, area=decision.area.label) if decision.area.label else "",
            "due": self.t.date(due, lang),
        }
        if decision.crisis:
            # Someone who may harm themselves: where to get help now, that a person reads it, and nothing
            # else: no date, no question about a street.
            return self.t.text("ack.crisis", lang, reference=reference, who=self.triage_reader(lang))
        parts: list[str] = []
        if decision.urgent:
            parts.append(self.t.text("ack.urgent", lang))
            parts.extend(self.advice(said, lang))
        if decision.out_of_scope:
            department = self.rules.departments[decision.department]
            parts.append(self.t.text("ack.out_of_scope", lang, url=department.redirect_url or "",
                                     phone=self.rules.municipality.phone, **values))
        else:
            if decision.triage:
                parts.append(self.t.text("ack.triage", lang, who=self.triage_reader(lang), **values))
            else:
                parts.append(self.t.text(f"ack.{decision.kind.value}", lang, **values))
            if known:
                parts.append(self.t.text("ack.known", lang))
            if decision.area.wijk is None and decision.kind.needs_place:
                parts.append(self.t.text("ack.ask_location", lang))
        if long:
            parts.append(self.t.text("ack.long", lang))
        return "\n\n".join(parts)

    def advice(self, said: str, lang: str) -> list[str]:
        """What a resident in acute danger is told besides 112, for the danger their words name (signals.yaml
        `advice`: a gas smell hears to open windows and call 0800 9009)."""
        named = set(words(said)) if said else set()
        return [a.in_language(lang) for a in self.rules.signals.advice if a.applies_to(named)]

    @cached_property
    def example_street(self) -> str:
        """A street of this municipality for an example sentence ("De lantaarnpaal in de Voorstraat is kapot"):
        the first "...straat" of its street list, so a resident never reads another town's street."""
        return next((name for name in self.rules.streets if name.endswith("straat")),
                    next(iter(self.rules.streets), "Dorpsstraat"))

    def triage_reader(self, lang: str) -> str:
        """Who reads a case in triage, as the municipality names them ("De wijkregisseur van uw kern")."""
        return self.rules.municipality.triage_reader.get(lang) or self.t.text("ack.triage_who", lang)

    def simple(self, key: str, lang: str, **values: Any) -> str:
        return self.t.text(key, lang, **values)

    def with_case(self, key: str, lang: str, case: Mapping[Any, Any], **values: Any) -> str:
        """A notice about an existing case (reference, department and due date filled in)."""
        return self.t.text(key, lang, reference=case["reference"], department=self.case_department(case),
                           due=self.t.date(case["due_date"], lang), **values)
