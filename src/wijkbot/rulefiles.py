"""Reads a municipality's folder in routing_rules/ into a domain RuleSet; the only YAML reader.

Invariants: nothing is silently skipped or switched off; every problem is reported with file, rule id and
key (all problems at once, so a beheerder can fix a file in one go); a RuleSet is returned only when the
whole folder is valid. The format is documented in docs/rules-format.md.
"""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from wijkbot.domain.model import Kind
from wijkbot.domain.routing import Router
from wijkbot.domain.rules import (
    Ambition,
    Buurt,
    Category,
    Department,
    Example,
    Municipality,
    RuleProblem,
    RuleSet,
    Signals,
    Team,
    validate,
)

KINDS = {k.value: k for k in Kind}


class RuleFileError(Exception):
    """A configuration that cannot be used; `problems` lists each one with file, rule id and key."""

    def __init__(self, directory: Path, problems: list[RuleProblem]) -> None:
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in {directory}:\n{lines}")
        self.problems = problems


class _Reader:
    """Collects problems while reading values, so one run reports all of them."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.problems: list[RuleProblem] = []

    def problem(self, file: str, rule: str, key: str, message: str) -> None:
        self.problems.append(RuleProblem(file, rule, key, message))

    def yaml(self, name: str, required: bool = True) -> dict[str, Any]:
        path = self.directory / name
        if not path.exists():
            if required:
                self.problem(name, "-", "-", "file is missing")
            return {}
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            mark = getattr(error, "problem_mark", None)
            where = f"line {mark.line + 1}" if mark is not None else "-"
            self.problem(name, where, "-", f"not valid YAML: {getattr(error, 'problem', error)}")
            return {}
        if data is None:
            return {}
        if not isinstance(data, dict):
            self.problem(name, "-", "-", "the file must be a mapping of keys to values")
            return {}
        return data

    def csv(self, name: str, columns: tuple[str, ...], required: bool = True) -> list[dict[str, str]]:
        path = self.directory / name
        if not path.exists():
            if required:
                self.problem(name, "-", "-", "file is missing")
            return []
        try:
            with path.open(encoding="utf-8", newline="") as handle:
                rows = list(csv.DictReader(handle))
        except (UnicodeDecodeError, csv.Error) as error:
            self.problem(name, "-", "-", f"cannot read CSV: {error}")
            return []
        if rows:
            missing = [c for c in columns if c not in rows[0]]
            if missing:
                self.problem(name, "header", ", ".join(missing), "required column(s) missing")
                return []
        return rows

    def text(self, file: str, rule: str, item: dict[str, Any], key: str, default: str | None = None) -> str:
        value = item.get(key, default)
        if value is None or not isinstance(value, (str, int, float)) or not str(value).strip():
            self.problem(file, rule, key, "a non-empty text is required")
            return ""
        return str(value).strip()

    def number(self, file: str, rule: str, item: dict[str, Any], key: str, default: float,
               low: float, high: float) -> float:
        value = item.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            self.problem(file, rule, key, f"must be a number from {low:g} to {high:g}, got {value!r}")
            return default
        return float(value)

    def words(self, file: str, rule: str, item: dict[str, Any], key: str, required: bool) -> tuple[str, ...]:
        value = item.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) and str(v).strip() for v in value):
            self.problem(file, rule, key, "must be a list of non-empty texts")
            return ()
        if required and not value:
            self.problem(file, rule, key, "needs at least one entry")
        return tuple(str(v).strip() for v in value)

    def items(self, file: str, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = data.get(key, [])
        if not isinstance(value, list):
            self.problem(file, "-", key, "must be a list")
            return []
        good = []
        for index, item in enumerate(value):
            if isinstance(item, dict) and item.get("id"):
                good.append(item)
            else:
                self.problem(file, f"#{index + 1}", "id", "each entry must be a mapping with an id")
        return good


def load_rules(directory: Path | str) -> RuleSet:
    """Read and validate a municipality folder; raise RuleFileError listing every problem."""
    folder = Path(directory)
    if not folder.is_dir():
        raise RuleFileError(folder, [RuleProblem(str(folder), "-", "-", "not a directory")])
    reader = _Reader(folder)
    municipality = _municipality(reader)
    departments = _departments(reader)
    categories = _categories(reader)
    buurten = _buurten(reader)
    teams = _teams(reader)
    streets = {r["street"].strip(): r["buurt_code"].strip()
               for r in reader.csv("streets.csv", ("street", "buurt_code"), required=False) if r.get("street")}
    period, ambitions = _ambitions(reader)
    signals = _signals(reader)
    _check_duplicates(reader, "departments.yaml", [d.id for d in departments])
    _check_duplicates(reader, "categories.yaml", [c.id for c in categories])
    _check_duplicates(reader, "teams.yaml", [t.id for t in teams])
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
    )
    problems = validate(rules)
    if problems:
        raise RuleFileError(folder, problems)
    return rules


def check_examples(rules: RuleSet, router: Router | None = None) -> list[RuleProblem]:
    """Route every example sentence; each mismatch is a problem located at its category."""
    router = router or Router(rules)
    problems: list[RuleProblem] = []
    for category in rules.categories.values():
        for number, example in enumerate(category.examples, start=1):
            decision = router.route(example.text)
            got = decision.category or decision.suggested_category
            key = f"examples[{number}]"
            expectations = [
                ("category", example.category, got),
                ("kind", example.kind.value if example.kind else None, decision.kind.value),
                ("wijk", example.wijk, decision.area.wijk),
                ("buurt", example.buurt, decision.area.buurt),
                ("ambition", example.ambition, decision.ambition),
            ]
            for field, expected, actual in expectations:
                if expected is not None and expected != actual:
                    problems.append(RuleProblem("categories.yaml", category.id, f"{key}.{field}",
                                                f"'{example.text}' routes to {field} '{actual}', "
                                                f"expected '{expected}'"))
    return problems


def _check_duplicates(reader: _Reader, file: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for rule_id in ids:
        if rule_id in seen:
            reader.problem(file, rule_id, "id", "this id is used twice")
        seen.add(rule_id)


def _municipality(reader: _Reader) -> Municipality:
    file = "municipality.yaml"
    data = reader.yaml(file)
    rule = str(data.get("id", "-"))
    triage = data.get("triage") or {}
    if not isinstance(triage, dict):
        reader.problem(file, rule, "triage", "must be a mapping with department and min_confidence")
        triage = {}
    return Municipality(
        id=reader.text(file, rule, data, "id", "-"),
        name=reader.text(file, rule, data, "name"),
        reference_prefix=reader.text(file, rule, data, "reference_prefix"),
        timezone=str(data.get("timezone", "Europe/Amsterdam")),
        phone=str(data.get("phone", "")),
        wijkbureau=str(data.get("wijkbureau", "")),
        website=str(data.get("website", "")),
        privacy_url=str(data.get("privacy_url", "")),
        triage_department=reader.text(file, rule, triage, "department", "wijken"),
        min_confidence=reader.number(file, rule, triage, "min_confidence", 0.45, 0.0, 1.0),
        area_label=str(data.get("area_label", "wijk")),
    )


def _departments(reader: _Reader) -> list[Department]:
    file = "departments.yaml"
    result = []
    for item in reader.items(file, reader.yaml(file), "departments"):
        rule = str(item["id"])
        in_scope = item.get("in_scope", True)
        if not isinstance(in_scope, bool):
            reader.problem(file, rule, "in_scope", "must be true or false")
            in_scope = True
        redirect = item.get("redirect_url")
        if not in_scope and not redirect:
            reader.problem(file, rule, "redirect_url", "an out-of-scope department needs a redirect_url")
        result.append(Department(rule, reader.text(file, rule, item, "name"), str(item.get("description", "")),
                                 in_scope, str(redirect) if redirect else None))
    return result


def _categories(reader: _Reader) -> list[Category]:
    file = "categories.yaml"
    result = []
    for item in reader.items(file, reader.yaml(file), "categories"):
        rule = str(item["id"])
        kind_name = str(item.get("kind", "melding"))
        if kind_name not in KINDS:
            reader.problem(file, rule, "kind", f"must be one of {', '.join(KINDS)}, got '{kind_name}'")
        sla = item.get("sla_days")
        if isinstance(sla, bool) or not isinstance(sla, int) or not 0 <= sla <= 260:
            reader.problem(file, rule, "sla_days", f"must be a whole number of working days (0-260), got {sla!r}")
            sla = 5
        result.append(Category(
            id=rule, name=reader.text(file, rule, item, "name"), department=reader.text(file, rule, item, "department"),
            kind=KINDS.get(kind_name, Kind.MELDING), sla_days=sla,
            keywords=reader.words(file, rule, item, "keywords", required=True),
            weight=reader.number(file, rule, item, "weight", 1.0, 0.0, 10.0),
            exclude=reader.words(file, rule, item, "exclude", required=False),
            examples=_examples(reader, file, rule, item),
        ))
    return result


def _examples(reader: _Reader, file: str, rule: str, item: dict[str, Any]) -> tuple[Example, ...]:
    raw = item.get("examples", [])
    if not isinstance(raw, list):
        reader.problem(file, rule, "examples", "must be a list")
        return ()
    examples = []
    for number, entry in enumerate(raw, start=1):
        key = f"examples[{number}]"
        if isinstance(entry, str):
            entry = {"text": entry}
        if not isinstance(entry, dict) or not str(entry.get("text", "")).strip():
            reader.problem(file, rule, key, "an example needs a text")
            continue
        kind = entry.get("kind")
        if kind is not None and kind not in KINDS:
            reader.problem(file, rule, f"{key}.kind", f"must be one of {', '.join(KINDS)}")
            kind = None
        examples.append(Example(
            text=str(entry["text"]), category=str(entry.get("category", rule)),
            kind=KINDS[kind] if kind else None,
            wijk=_opt(entry, "wijk"), buurt=_opt(entry, "buurt"), ambition=_opt(entry, "ambition"),
        ))
    return tuple(examples)


def _opt(entry: dict[str, Any], key: str) -> str | None:
    value = entry.get(key)
    return None if value is None else str(value)


def _buurten(reader: _Reader) -> list[Buurt]:
    """Rows of areas.csv; a buurt (or kern) with several postcodes has one row per PC4, same buurt_code."""
    file = "areas.csv"
    rows = reader.csv(file, ("wijk", "buurt_code", "buurt", "pc4"))
    merged: dict[str, Buurt] = {}
    for line, row in enumerate(rows, start=2):
        code = (row.get("buurt_code") or "").strip()
        pc4 = (row.get("pc4") or "").strip()
        wijk, name = (row.get("wijk") or "").strip(), (row.get("buurt") or "").strip()
        if not code or not wijk or not name:
            reader.problem(file, f"line {line}", "wijk/buurt_code/buurt", "empty value")
            continue
        if pc4 and not (len(pc4) == 4 and pc4.isdigit()):
            reader.problem(file, code, "pc4", f"a PC4 postcode has four digits, got '{pc4}'")
        inhabitants = (row.get("inhabitants") or "0").strip()
        aliases = tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())
        known = merged.get(code)
        if known is None:
            merged[code] = Buurt(code, name, wijk, (pc4,) if pc4 else (),
                                 int(inhabitants) if inhabitants.isdigit() else 0, aliases)
        elif (known.name, known.wijk) != (name, wijk):
            reader.problem(file, code, "buurt_code", f"line {line} gives this code another buurt or wijk")
        else:
            merged[code] = replace(known, pc4s=(*known.pc4s, pc4) if pc4 else known.pc4s,
                                   aliases=tuple(dict.fromkeys((*known.aliases, *aliases))))
    if not rows and not reader.problems:
        reader.problem(file, "-", "-", "no areas: at least one wijk with one buurt is needed")
    return list(merged.values())


def _teams(reader: _Reader) -> list[Team]:
    file = "teams.yaml"
    result = []
    for item in reader.items(file, reader.yaml(file), "teams"):
        rule = str(item["id"])
        result.append(Team(rule, reader.text(file, rule, item, "name"), reader.text(file, rule, item, "department"),
                           reader.words(file, rule, item, "wijken", required=True)))
    return result


def _ambitions(reader: _Reader) -> tuple[str, dict[str, tuple[Ambition, ...]]]:
    file = "ambitions.yaml"
    data = reader.yaml(file, required=False)
    wijken = data.get("wijken", {}) or {}
    if not isinstance(wijken, dict):
        reader.problem(file, "-", "wijken", "must map each wijk to a list of ambitions")
        return "", {}
    result: dict[str, tuple[Ambition, ...]] = {}
    for wijk, entries in wijken.items():
        if entries is None:
            entries = []
        if not isinstance(entries, list):
            reader.problem(file, str(wijk), "wijken", "must be a list of ambitions (or [] when not filled in)")
            continue
        ambitions = []
        for item in entries:
            if not isinstance(item, dict) or not item.get("id"):
                reader.problem(file, str(wijk), "id", "each ambition needs an id")
                continue
            rule = str(item["id"])
            ambitions.append(Ambition(rule, str(wijk), reader.text(file, rule, item, "title"),
                                      reader.words(file, rule, item, "keywords", required=True)))
        result[str(wijk)] = tuple(ambitions)
    return str(data.get("period", "")), result


def _signals(reader: _Reader) -> Signals:
    file = "signals.yaml"
    data = reader.yaml(file, required=False)
    kinds_raw = data.get("kinds", {}) or {}
    kinds: dict[Kind, tuple[str, ...]] = {}
    if not isinstance(kinds_raw, dict):
        reader.problem(file, "kinds", "kinds", "must map a kind to a list of marker phrases")
    else:
        for name in kinds_raw:
            if name not in KINDS:
                reader.problem(file, str(name), "kinds", f"unknown kind; use one of {', '.join(KINDS)}")
                continue
            kinds[KINDS[name]] = reader.words(file, str(name), kinds_raw, name, required=False)
    return Signals(urgent=reader.words(file, "urgent", data, "urgent", required=False), kinds=kinds)


def load_officers(path: Path) -> list[dict[str, Any]]:
    """Read a list of ambtenaren ({name, email, role, teams, wijken}) for seeding; errors name the entry."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as error:
        raise RuleFileError(path, [RuleProblem(path.name, "-", "-", f"cannot read: {error}")]) from error
    entries = data.get("officers", data) if isinstance(data, dict) else data
    problems = []
    officers = []
    for number, entry in enumerate(entries or [], start=1):
        if not isinstance(entry, dict) or not entry.get("email") or not entry.get("name"):
            problems.append(RuleProblem(path.name, f"#{number}", "name/email",
                                        "each officer needs a name and an email"))
            continue
        officers.append({"name": str(entry["name"]), "email": str(entry["email"]),
                         "role": str(entry.get("role", "behandelaar")),
                         "teams": [str(t) for t in entry.get("teams") or []],
                         "wijken": [str(w) for w in entry.get("wijken") or []]})
    if problems:
        raise RuleFileError(path, problems)
    return officers
