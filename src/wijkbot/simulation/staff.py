"""The simulation's ambtenaren: the demo file when it fits the configuration, otherwise made up from it.

Invariants: the demo file (WIJKBOT_DEMO_OFFICERS_FILE, Utrecht's by default) is used as it is when it can be
read and every team and wijk it names exists in the configuration, and a simulated behandelaar then joins
every team it leaves empty (so Utrecht's figures stay those of its demo ambtenaren); otherwise every team gets
two behandelaars, plus the people the escalation ladder can name (as storage.escalation_rows.person_for finds
them: a teamleider in the team, a wijkregisseur holding the wijk), so any municipality takes the same paths.
A ladder role wijkbot names nobody for (dienstdirecteur) gets nobody: that step is recorded without a name.
Officers are added in the configuration's order, so ids, and thereby assignment, are the same for a seed.
All names are made up; all addresses are at example.org.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from wijkbot.domain.rules import RuleSet
from wijkbot.rulefiles import RuleFileError, load_officers
from wijkbot.storage import repository
from wijkbot.storage.db import Database

BEHANDELAARS_PER_TEAM = 2


@dataclass(frozen=True, slots=True)
class Staff:
    """Who was added: how many from the demo file, how many made up, and why the file was not used."""

    from_file: int
    simulated: int
    demo_file: str  # its name
    not_used: str = ""  # in Dutch; empty when the demo file was used


def demo_officers(rules: RuleSet, path: Path) -> tuple[list[dict[str, Any]], str]:
    """The demo file's ambtenaren when the file fits the configuration; else [] and the reason, in Dutch."""
    try:
        officers = load_officers(path)
    except RuleFileError:
        return [], "niet te lezen of onvolledig"  # e.g. no deploy/ beside an installed wijkbot: go on
    teams, wijken = {t.id for t in rules.teams}, set(rules.wijken)
    for officer in officers:
        for team in officer["teams"]:
            if team not in teams:
                return [], f"onbekend team '{team}'"
        for wijk in officer["wijken"]:
            if wijk not in wijken:
                return [], f"onbekende {rules.municipality.area_label} '{wijk}'"
    return officers, ""


def ladder_roles(rules: RuleSet) -> set[str]:
    """Every role an escalation step goes to: the default ladder and those set per department or category."""
    ladders: list[Any] = [rules.policies.defaults.escalation]
    for overrides in (*rules.policies.departments.values(), *rules.policies.categories.values()):
        ladders.append(overrides.get("escalation", ()))
    return {step.to for ladder in ladders for step in ladder}


def made_up(rules: RuleSet) -> list[dict[str, Any]]:
    """Behandelaars for every team, and the teamleiders and wijkregisseurs the ladder goes to."""
    roles = ladder_roles(rules)
    names = Counter(team.name for team in rules.teams)
    officers: list[dict[str, Any]] = []
    for team in rules.teams:
        label = team.name if names[team.name] == 1 else f"{team.name} ({team.id})"  # Katwijk names two teams alike
        for number in range(1, BEHANDELAARS_PER_TEAM + 1):
            officers.append(_officer(f"Behandelaar {number} van {label}", f"behandelaar-{number}.{team.id}",
                                     "behandelaar", teams=[team.id]))
        if "teamleider" in roles:
            officers.append(_officer(f"Teamleider van {label}", f"teamleider.{team.id}", "teamleider",
                                     teams=[team.id]))
    if "wijkregisseur" in roles:
        for number, wijk in enumerate(rules.wijken, start=1):
            slug = re.sub(r"[^a-z0-9]+", "-", wijk.lower()).strip("-")
            officers.append(_officer(f"Wijkregisseur van {wijk}", f"wijkregisseur-{number}.{slug}", "wijkregisseur",
                                     wijken=[wijk]))
    return officers


def _officer(name: str, mailbox: str, role: str, *, teams: list[str] | None = None,
             wijken: list[str] | None = None) -> dict[str, Any]:
    return {"name": name, "email": f"sim.{mailbox}@example.org", "role": role, "teams": teams or [],
            "wijken": wijken or []}


async def add_staff(db: Database, rules: RuleSet, demo_file: Path, now: datetime) -> Staff:
    """Add the ambtenaren to the (empty) simulation database; see the module docstring for who."""
    officers, not_used = demo_officers(rules, demo_file)
    if not_used:
        simulated = made_up(rules)
    else:  # the demo ambtenaren cover a few teams: a simulated behandelaar for each team left without anyone
        staffed = {team for officer in officers for team in officer["teams"]}
        simulated = [_officer(f"Sim {team.name}", team.id, "behandelaar", teams=[team.id])
                     for team in rules.teams if team.id not in staffed]
    async with db.write() as conn:
        for officer in [*officers, *simulated]:
            await repository.add_officer(conn, name=officer["name"], email=officer["email"], role=officer["role"],
                                         teams=officer["teams"], wijken=officer["wijken"], now=now)
    return Staff(len(officers), len(simulated), demo_file.name, not_used)
