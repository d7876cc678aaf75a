"""Reads a municipality's folder in routing_rules/ into a domain RuleSet; the only reader of rule files.

Invariants: nothing is silently skipped or switched off; every problem is reported with file, rule id and
key, or with file and line for a problem in the text itself (all problems at once); malformed content never
raises anything but RuleFileError; a RuleSet is returned only when the whole folder is valid.
"""

from __future__ import annotations

from pathlib import Path

from wijkbot.domain.model import Kind
from wijkbot.domain.rules import RuleSet, validate
from wijkbot.rulefiles import areas, policies, sections
from wijkbot.rulefiles.examples import check_examples
from wijkbot.rulefiles.officers import load_officers
from wijkbot.rulefiles.reader import Problem, Reader, RuleFileError
from wijkbot.rulefiles.templates import load_templates

__all__ = ["RuleFileError", "check_examples", "load_officers", "load_rules", "load_templates"]


def load_rules(directory: Path | str) -> RuleSet:
    """Read and validate a municipality folder; raise RuleFileError listing every problem."""
    folder = Path(directory)
    if not folder.is_dir():
        why = "is een bestand, geen map met regels" if folder.exists() else "deze map bestaat niet"
        raise RuleFileError(folder, [Problem(str(folder), "-", "-", why)])
    reader = Reader(folder)
    municipality = sections.municipality(reader)
    departments = sections.departments(reader)
    categories = sections.categories(reader)
    buurten = areas.buurten(reader)
    teams = sections.teams(reader)
    streets = areas.streets(reader)
    period, ambitions = sections.ambitions(reader)
    signals = sections.signals(reader)
    service_policies = policies.policies(reader, [d.id for d in departments], [c.id for c in categories])
    sections.check_duplicates(reader, "departments.yaml", [d.id for d in departments])
    sections.check_duplicates(reader, "categories.yaml", [c.id for c in categories])
    sections.check_duplicates(reader, "teams.yaml", [t.id for t in teams])
    sections.check_duplicate_names(reader, "departments.yaml", [(d.id, d.name) for d in departments])
    sections.check_duplicate_names(reader, "categories.yaml", [(c.id, c.name) for c in categories])
    for department in departments:  # one group of people may be a team of two vakdiensten (Katwijk's meeuwen)
        sections.check_duplicate_names(reader, "teams.yaml",
                                       [(t.id, t.name) for t in teams if t.department == department.id])
    if any(ambitions.values()) and not signals.kinds.get(Kind.INITIATIEF) \
            and not any(c.kind is Kind.INITIATIEF for c in categories):
        reader.problem("ambitions.yaml", "-", "wijken", "er zijn wijkambities, maar geen bericht wordt een initiatief: "
                       "zet woorden onder kinds: initiatief: in signals.yaml, of geef een categorie kind: initiatief")
    if reader.problems:
        raise RuleFileError(folder, reader.problems)
    rules = RuleSet(
        municipality=municipality,
        departments={d.id: d for d in departments},
        categories={c.id: c for c in categories},
        teams=tuple(teams),
        buurten=tuple(buurten),
        streets=streets,
        ambitions=ambitions,
        ambition_period=period,
        signals=signals,
        policies=service_policies,
    )
    problems = validate(rules)
    if problems:
        raise RuleFileError(folder, problems)
    return rules
