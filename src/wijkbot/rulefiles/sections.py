"""One function per YAML rule file: turn its content into domain values, reporting problems to the reader.

The format is documented in docs/rules-format.md. Every mapping a function reads declares its keys below and
hands them to `Reader.known`, so a key this code does not read (a typo such as `sla_dagen`) is a problem.
Add a key here when the code starts reading it. The CSV files are read in rulefiles/areas.py.
"""

from __future__ import annotations

import re
from typing import Any

from wijkbot.domain.duplicates import DuplicatePolicy
from wijkbot.domain.model import Kind
from wijkbot.domain.rules import Ambition, Category, Department, Example, Municipality, Signals, Team
from wijkbot.rulefiles.advice import advice
from wijkbot.rulefiles.reader import Reader

KINDS = {k.value: k for k in Kind}
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

# The keys of each mapping, as read below (docs/rules-format.md).
MUNICIPALITY_KEYS = ("id", "name", "reference_prefix", "timezone", "phone", "wijkbureau", "wijkbureau_en", "website",
                     "privacy_url", "triage", "area_label", "duplicates")
TRIAGE_KEYS = ("department", "min_confidence", "reader")
DUPLICATES_KEYS = ("window_days", "kinds")
DEPARTMENT_KEYS = ("id", "name", "description", "in_scope", "redirect_url", "named_by_team")
CATEGORY_KEYS = ("id", "name", "department", "kind", "sla_days", "keywords", "weight", "exclude", "examples")
EXAMPLE_KEYS = ("text", "category", "kind", "wijk", "buurt", "ambition")
TEAM_KEYS = ("id", "name", "department", "wijken")
AMBITIONS_KEYS = ("period", "wijken")
AMBITION_KEYS = ("id", "title", "keywords")
SIGNALS_KEYS = ("urgent", "crisis", "urgent_together", "crisis_together", "kinds", "not_solved", "advice")


def municipality(reader: Reader) -> Municipality:
    file = "municipality.yaml"
    data = reader.yaml(file)
    rule = str(data.get("id", "-"))
    reader.known(file, rule, data, MUNICIPALITY_KEYS)
    triage = data.get("triage") or {}
    if not isinstance(triage, dict):
        reader.problem(file, rule, "triage", "moet een blok zijn met department en min_confidence")
        triage = {}
    reader.known(file, rule, triage, TRIAGE_KEYS, "triage")
    slug = reader.text(file, rule, data, "id")  # (in account addresses and the model's name: required)
    if slug and not _SLUG.fullmatch(slug):
        reader.problem(file, rule, "id", "gebruik kleine letters, cijfers en streepjes, zoals 'zeist' of 'den-haag'")
    # Residents read these in answers ("Bel {phone}", "Meer op {website}"): without them a sentence breaks off.
    contact = {key: reader.text(file, rule, data, key) for key in ("phone", "wijkbureau", "website", "privacy_url")}
    for key in ("website", "privacy_url"):
        if contact[key] and not contact[key].startswith(("https://", "http://")):
            reader.problem(file, rule, key,
                           f"moet een webadres zijn dat begint met https://, nu staat er {contact[key]!r}")
    return Municipality(
        id=slug,
        name=reader.text(file, rule, data, "name"),
        reference_prefix=reader.text(file, rule, data, "reference_prefix"),
        timezone=str(data.get("timezone", "Europe/Amsterdam")),
        **contact,
        wijkbureau_en=(reader.text(file, rule, data, "wijkbureau_en")
                       if data.get("wijkbureau_en") not in (None, "") else ""),  # optional; a list or a map is said
        triage_department=reader.text(file, rule, triage, "department", "wijken"),
        min_confidence=reader.number(file, rule, triage, "min_confidence", 0.45, 0.0, 1.0),
        triage_reader=_per_language(reader, file, rule, triage, "reader"),
        area_label=str(data.get("area_label", "wijk")),
        duplicates=_duplicate_policy(reader, file, rule, data.get("duplicates")),
    )


def _per_language(reader: Reader, file: str, rule: str, data: dict[str, Any], key: str) -> dict[str, str]:
    """An optional text per language code: {nl: "...", en: "..."}."""
    value = data.get(key) or {}
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) and v.strip()
                                              for k, v in value.items()):
        reader.problem(file, rule, f"triage.{key}",
                       "moet per taalcode een tekst geven, bijvoorbeeld {nl: ..., en: ...}")
        return {}
    return {k: v.strip() for k, v in value.items()}


def _duplicate_policy(reader: Reader, file: str, rule: str, data: object) -> DuplicatePolicy:
    if data is None:
        return DuplicatePolicy()
    if not isinstance(data, dict):
        reader.problem(file, rule, "duplicates", "moet een blok zijn met window_days en kinds")
        return DuplicatePolicy()
    reader.known(file, rule, data, DUPLICATES_KEYS, "duplicates")
    kinds = data.get("kinds", ["melding"])
    if not isinstance(kinds, list) or any(k not in KINDS for k in kinds):
        reader.problem(file, rule, "duplicates.kinds", f"moet een lijst zijn met soorten uit: {', '.join(KINDS)}")
        kinds = ["melding"]
    days = reader.number(file, rule, data, "window_days", 14, 0, 365)
    return DuplicatePolicy(window_days=int(days), kinds=tuple(str(k) for k in kinds))

def departments(reader: Reader) -> list[Department]:
    file = "departments.yaml"
    result = []
    before = len(reader.problems)
    data = reader.yaml(file)
    reader.known(file, "-", data, ("departments",))
    for item in reader.items(file, data, "departments"):
        rule = str(item["id"])
        reader.known(file, rule, item, DEPARTMENT_KEYS)
        in_scope = item.get("in_scope", True)
        if not isinstance(in_scope, bool):
            reader.problem(file, rule, "in_scope", "moet true of false zijn")
            in_scope = True
        redirect = item.get("redirect_url")
        if not in_scope and not redirect:
            reader.problem(file, rule, "redirect_url", "een vakdienst met in_scope: false heeft een redirect_url nodig")
        named_by_team = item.get("named_by_team", False)
        if not isinstance(named_by_team, bool):
            reader.problem(file, rule, "named_by_team", "moet true of false zijn")
        result.append(Department(rule, reader.text(file, rule, item, "name"), str(item.get("description", "")),
                                 in_scope, str(redirect) if redirect else None, named_by_team is True))
    _refuse_empty(reader, file, before, result, "geen enkele vakdienst; minstens de vakdienst voor triage "
                                                "(triage.department in municipality.yaml) is nodig")
    return result

def categories(reader: Reader) -> list[Category]:
    file = "categories.yaml"
    result = []
    before = len(reader.problems)
    data = reader.yaml(file)
    reader.known(file, "-", data, ("categories",))
    for item in reader.items(file, data, "categories"):
        rule = str(item["id"])
        reader.known(file, rule, item, CATEGORY_KEYS)
        kind_name = str(item.get("kind", "melding"))
        if kind_name not in KINDS:
            reader.problem(file, rule, "kind", f"moet een van deze zijn: {', '.join(KINDS)}; nu staat er '{kind_name}'")
        sla = item.get("sla_days")
        if isinstance(sla, bool) or not isinstance(sla, int) or not 0 <= sla <= 260:
            expected = "een heel aantal werkdagen (0-260)"
            reader.problem(file, rule, "sla_days", f"ontbreekt; vul {expected} in" if sla is None
                           else f"moet {expected} zijn; nu staat er {sla!r}")
            sla = 5
        result.append(Category(
            id=rule, name=reader.text(file, rule, item, "name"), department=reader.text(file, rule, item, "department"),
            kind=KINDS.get(kind_name, Kind.MELDING), sla_days=sla,
            keywords=reader.words(file, rule, item, "keywords", required=True),
            weight=reader.number(file, rule, item, "weight", 1.0, 0.0, 10.0),
            exclude=reader.words(file, rule, item, "exclude", required=False),
            examples=_examples(reader, file, rule, item),
        ))
    _refuse_empty(reader, file, before, result, "geen enkele categorie; zonder categorieën gaat elk bericht naar "
                                                "triage")
    return result

def _examples(reader: Reader, file: str, rule: str, item: dict[str, Any]) -> tuple[Example, ...]:
    raw = item.get("examples", [])
    if not isinstance(raw, list):
        reader.problem(file, rule, "examples", "moet een lijst zijn")
        return ()
    examples = []
    for number, entry in enumerate(raw, start=1):
        key = f"examples[{number}]"
        if isinstance(entry, str):
            entry = {"text": entry}
        if not isinstance(entry, dict) or not str(entry.get("text", "")).strip():
            reader.problem(file, rule, key, "een voorbeeld heeft een tekst nodig")
            continue
        reader.known(file, rule, entry, EXAMPLE_KEYS, key)
        kind = entry.get("kind")
        if kind is not None and kind not in KINDS:
            reader.problem(file, rule, f"{key}.kind", f"moet een van deze zijn: {', '.join(KINDS)}")
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

def teams(reader: Reader) -> list[Team]:
    file = "teams.yaml"
    result = []
    before = len(reader.problems)
    data = reader.yaml(file)
    reader.known(file, "-", data, ("teams",))
    for item in reader.items(file, data, "teams"):
        rule = str(item["id"])
        reader.known(file, rule, item, TEAM_KEYS)
        result.append(Team(rule, reader.text(file, rule, item, "name"), reader.text(file, rule, item, "department"),
                           reader.words(file, rule, item, "wijken", required=True)))
    _refuse_empty(reader, file, before, result, "geen enkel team; elke vakdienst heeft voor elke wijk een team nodig")
    return result


def _refuse_empty(reader: Reader, file: str, before: int, found: list[Any], message: str) -> None:
    """A file the service cannot work without that has no entries: one clear problem, unless it has others."""
    if not found and len(reader.problems) == before:
        reader.problem(file, "-", "-", message)

def ambitions(reader: Reader) -> tuple[str, dict[str, tuple[Ambition, ...]]]:
    file = "ambitions.yaml"
    data = reader.yaml(file, required=False)
    reader.known(file, "-", data, AMBITIONS_KEYS)
    wijken = data.get("wijken", {}) or {}
    if not isinstance(wijken, dict):
        reader.problem(file, "-", "wijken", "moet per wijk een lijst met ambities geven")
        return "", {}
    result: dict[str, tuple[Ambition, ...]] = {}
    for wijk, entries in wijken.items():
        if entries is None:
            entries = []
        if not isinstance(entries, list):
            reader.problem(file, str(wijk), "wijken", "moet een lijst met ambities zijn (of [] als die nog niet "
                                                      "zijn ingevuld)")
            continue
        ambitions = []
        for item in entries:
            if not isinstance(item, dict) or not item.get("id"):
                reader.problem(file, str(wijk), "id", "elke ambitie heeft een id nodig")
                continue
            rule = str(item["id"])
            reader.known(file, rule, item, AMBITION_KEYS)
            ambitions.append(Ambition(rule, str(wijk), reader.text(file, rule, item, "title"),
                                      reader.words(file, rule, item, "keywords", required=True)))
        result[str(wijk)] = tuple(ambitions)
    return str(data.get("period", "")), result

def signals(reader: Reader) -> Signals:
    # Required, with danger and crisis words: without them no message would get "bel 112" or 113's number, and
    # nothing would say so (a new municipality starts from a copy of routing_rules/utrecht/signals.yaml).
    file = "signals.yaml"
    data = reader.yaml(file)
    reader.known(file, "-", data, SIGNALS_KEYS)
    kinds_raw = data.get("kinds", {}) or {}
    kinds: dict[Kind, tuple[str, ...]] = {}
    if not isinstance(kinds_raw, dict):
        reader.problem(file, "kinds", "kinds", "moet per soort een lijst met signaalwoorden geven")
    else:
        for name in kinds_raw:
            if name not in KINDS:
                reader.problem(file, str(name), "kinds", f"onbekende soort; gebruik een van deze: {', '.join(KINDS)}")
                continue
            kinds[KINDS[name]] = reader.words(file, str(name), kinds_raw, name, required=False)
    present = (reader.directory / file).exists()  # (a missing file is one problem: "bestand ontbreekt")
    if present and not data.get("urgent"):
        reader.problem(file, "urgent", "urgent", "woorden voor acuut gevaar zijn nodig (bewoner krijgt 'bel 112'), "
                                                 "zoals [gaslucht, brand, vechtpartij]; "
                                                 "kopieer ze uit routing_rules/utrecht/signals.yaml")
    if present and not data.get("crisis"):
        reader.problem(file, "crisis", "crisis", "woorden van iemand die zichzelf iets wil aandoen zijn nodig "
                                                 "(bewoner krijgt 113), zoals [zelfmoord, 'wil niet meer leven']; "
                                                 "kopieer ze uit routing_rules/utrecht/signals.yaml")
    return Signals(urgent=reader.words(file, "urgent", data, "urgent", required=False),
                   crisis=reader.words(file, "crisis", data, "crisis", required=False), kinds=kinds,
                   urgent_together=_together(reader, file, data, "urgent_together"),
                   crisis_together=_together(reader, file, data, "crisis_together"),
                   not_solved=reader.words(file, "not_solved", data, "not_solved", required=False),
                   advice=advice(reader, file, data))

def _together(reader: Reader, file: str, data: dict[str, Any], key: str) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """Rules of words that belong together (domain.together): each a list of at least two groups, each group a
    list of words or phrases."""
    raw = data.get(key) or []
    if not isinstance(raw, list):
        reader.problem(file, key, key, "moet een lijst met regels zijn, zoals - [[gas, gasmeter], [ruik, ruikt]]")
        return ()
    rules = []
    for number, rule in enumerate(raw, start=1):
        groups = rule if isinstance(rule, list) else None
        if (groups is None or len(groups) < 2 or not all(
                isinstance(g, list) and g and all(isinstance(w, str) and w.strip(" *") for w in g) for g in groups)):
            reader.problem(file, f"{key}[{number}]", key, "een regel is een lijst van minstens twee groepen woorden, "
                                                          "zoals [[gas, gasmeter], [ruik, ruikt, stinkt]]")
            continue
        rules.append(tuple(tuple(str(w).strip() for w in g) for g in groups))
    return tuple(rules)


def check_duplicates(reader: Reader, file: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for rule_id in ids:
        if rule_id in seen:
            reader.problem(file, rule_id, "id", "dit id wordt twee keer gebruikt")
        seen.add(rule_id)


def check_duplicate_names(reader: Reader, file: str, named: list[tuple[str, str]]) -> None:
    """Two items with one name (different ids) cannot be told apart in the inbox's lists and filters."""
    first: dict[str, str] = {}
    for rule_id, name in named:
        key = " ".join(name.casefold().split())
        if key in first and first[key] != rule_id:
            reader.problem(file, rule_id, "name", f"de naam {name!r} staat ook bij '{first[key]}'; ambtenaren "
                                                  "kunnen ze in lijsten en filters niet uit elkaar houden")
        first.setdefault(key, rule_id)
