"""A case's history in an ambtenaar's words, for the inbox's case page and for `wijkbot show`.

Invariants: an event is labelled from the inbox catalog (`inbox.event.<type>`), and a type without a text (from a
newer feature) shows as it is stored; its details are the ones the case page lists after the label (reason,
from → to by name, the linked case, ...), as plain text; who acted reads as a name ("bewoner", "systeem", or the
ambtenaar's name), never an id; nothing here reads the database or knows HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from wijkbot.domain.routing import AMBITION_NOT_SET, NO_AMBITION
from wijkbot.domain.routing_reasons import no_ambitions_for_area, no_area_for_ambition
from wijkbot.domain.rules import RuleSet

Text = Callable[..., str]  # a catalog text in the reader's language: text(key, **values)


def event_label(text: Text, kind: str) -> str:
    """What happened, e.g. "overgedragen" or "zaak aangemaakt"."""
    key = "inbox.event." + kind.replace(" ", "_")
    label = text(key)
    return kind if label == key else label  # an event type from a newer feature shows as it is stored


def actor_name(actor: str, names: Mapping[int, str]) -> str:
    """Who acted: an ambtenaar's name for an officer id, else the actor as stored ("bewoner", "systeem")."""
    if actor.isdigit():
        return names.get(int(actor), f"ambtenaar {actor}")
    return "beheerder (opdrachtregel)" if actor == "cli" else actor


class Namer:
    """Department, category and team ids by their configured names (an unknown id shows as it is)."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self._teams = rules.team_labels()

    def department(self, department_id: str | None) -> str:
        department = self.rules.departments.get(department_id or "")
        return department.name if department else department_id or ""

    def category(self, category_id: str | None) -> str:
        category = self.rules.categories.get(category_id or "")
        return str(category.name) if category else ""

    def team(self, team_id: str | None) -> str:
        return str(self._teams.get(team_id or "", team_id or ""))


def event_details(event: Mapping[Any, Any], text: Text, names: Namer, when: Callable[[datetime], str]) -> list[str]:
    """The details the case page shows after an event's label, as plain texts (a linked case by its number)."""
    kind, data, actor = event["type"], event["data"] or {}, event["actor"]
    automatic_link = kind == "gekoppeld" and actor == "systeem"
    parts: list[str] = []
    if data.get("reden") and not automatic_link:
        parts.append(text("inbox.event.reason", reason=data["reden"]))
    if kind == "overgedragen" and data.get("van") == data.get("naar") and data.get("van_team"):
        parts.append(f"{names.team(data['van_team'])} → {names.team(data.get('team'))}")  # within one vakdienst
    elif kind == "overgedragen":
        parts.append(f"{names.department(data.get('van'))} → {names.department(data.get('naar'))}")
    if kind == "categorie gewijzigd":
        parts.append(f"{names.category(data.get('van')) or '-'} → {names.category(data.get('naar'))}")
    if kind == "status":
        parts.append(f"{data.get('van')} → {data.get('naar')}")
        if data.get("vraag"):
            parts.append(text("inbox.event.question", question=data["vraag"]))
    if kind == "antwoord" and data.get("gaat_weg_om"):
        parts.append(text("inbox.event.held_until", moment=when(datetime.fromisoformat(data["gaat_weg_om"]))))
    if kind == "plaats aangevuld":
        seen: set[str] = set()
        place = []
        for value in (data.get("straat"), data.get("buurt"), data.get("wijk")):
            if value and str(value).lower() not in seen:  # as Jinja's `unique`: the first of each, any case
                seen.add(str(value).lower())
                place.append(str(value))
        if place:
            parts.append(", ".join(place))
        if data.get("team"):
            parts.append(f"{names.team(data['team']['van'])} → {names.team(data['team']['naar'])}")
    if kind == "afgehandeld" and data.get("uitkomst"):
        parts.append(str(data["uitkomst"]))  # (after a reopen, the history is where the old outcome stays)
    if kind == "gepland" and data.get("datum"):
        parts.append(str(data["datum"]))
    if kind == "termijn verschoven":
        parts.extend((f"+{data.get('werkdagen')}", str(data.get("termijn"))))
    if kind in ("gekoppeld", "ontkoppeld", "meldingen doorgegeven", "verwijst naar") \
            and (data.get("aan") or data.get("van")):
        parts.append(str(data.get("aan") or data.get("van")))
    if automatic_link:
        parts.append(text("inbox.event.linked_automatically"))
    if kind == "geëscaleerd" and data.get("stap"):  # which step, to whom: the digest names them too
        parts.append(text("inbox.event.escalated_to_person" if data.get("naam") else "inbox.event.escalated_to",
                          step=data["stap"], role=data.get("naar") or "?", name=data.get("naam") or ""))
    if kind == "herinnering" and data.get("termijn"):
        parts.append(text("inbox.event.reminder_term", date=data["termijn"]))
    if kind == "dubbele gekoppeld" and data.get("zaak"):
        parts.append(str(data["zaak"]))
    return parts


def ambition_label(rules: RuleSet, ambition: str | None, wijk: str | None) -> str:
    """Which wijkambitie an initiative serves: its title, or why there is none."""
    found = next((a for ambitions in rules.ambitions.values() for a in ambitions if a.id == ambition), None)
    if found is not None:
        return found.title
    if ambition == NO_AMBITION:
        return "past bij geen wijkambitie"
    if ambition not in (None, AMBITION_NOT_SET):
        return ambition  # an ambition no longer in the configuration
    if wijk is None:
        return no_area_for_ambition(rules.municipality.area_label)
    return no_ambitions_for_area(rules.municipality.area_label)
