"""Assignment: department x wijk -> team, then the available officer with the fewest open cases.

Invariants: a case always gets a team when the rule set is valid (validate() guarantees coverage); the
officer choice is deterministic (ties go to the lowest id) so tests and replays agree; an unavailable
officer is never chosen; no officer available leaves the case with the team, never with nobody.
"""

from __future__ import annotations

from dataclasses import dataclass

from wijkbot.domain.rules import RuleSet, Team


@dataclass(frozen=True, slots=True)
class OfficerLoad:
    """An officer of a team as assignment sees them: who, whether available, how many open cases."""

    officer_id: int
    available: bool
    open_cases: int


@dataclass(frozen=True, slots=True)
class Assignment:
    team: Team
    officer_id: int | None


def choose_team(rules: RuleSet, department: str, wijk: str | None) -> Team:
    """The team of the department for the wijk; raises LookupError only for an invalid rule set."""
    team = rules.team_for(department, wijk)
    if team is None:
        raise LookupError(f"department '{department}' has no team at all")
    return team


def choose_officer(candidates: list[OfficerLoad]) -> int | None:
    """The available officer with the fewest open cases, lowest id first; None when nobody is available."""
    available = [c for c in candidates if c.available]
    if not available:
        return None
    return min(available, key=lambda c: (c.open_cases, c.officer_id)).officer_id


def assign(rules: RuleSet, department: str, wijk: str | None, loads: list[OfficerLoad]) -> Assignment:
    """Team and officer for a new case."""
    return Assignment(choose_team(rules, department, wijk), choose_officer(loads))
