"""policies.yaml: answer terms, updates, reminders and the escalation ladder, per department or category.

The file is optional (the defaults in domain/policies.py apply). Every problem names the rule and key. `acute`
overrides the term of a case the router found acute; without it an acute case is answered by the next working day
(domain.policies.ACUTE_DEFAULT); `acute: {}` gives acute cases the term of their category.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rapidfuzz import fuzz, process

from wijkbot.domain.access import Role
from wijkbot.domain.policies import ACUTE_DEFAULT, EscalationStep, Policies, ServicePolicy
from wijkbot.rulefiles.reader import Reader

FILE = "policies.yaml"
_DAYS = {"answer_days": (1, 365), "update_every_days": (1, 60), "remind_before_days": (0, 60),
         "waiting_close_days": (1, 365)}


def policies(reader: Reader, departments: Iterable[str], categories: Iterable[str]) -> Policies:
    data = reader.yaml(FILE, required=False)
    if not data:
        return Policies()
    unknown = set(data) - {"defaults", "departments", "categories", "acute"}
    for key in sorted(unknown):
        reader.problem(FILE, "-", key, "onbekend deel; gebruik defaults, departments, categories of acute")
    defaults = ServicePolicy(**_settings(reader, "defaults", data.get("defaults") or {}))
    by_department = _overrides(reader, "departments", data.get("departments") or {}, set(departments))
    by_category = _overrides(reader, "categories", data.get("categories") or {}, set(categories))
    acute = _settings(reader, "acute", data["acute"] or {}) if "acute" in data else dict(ACUTE_DEFAULT)
    return Policies(defaults, by_department, by_category, acute)


def _overrides(reader: Reader, section: str, data: Any, known: set[str]) -> dict[str, dict[str, Any]]:
    if not isinstance(data, dict):
        reader.problem(FILE, section, "-", "moet per id de instellingen geven")
        return {}
    result = {}
    for rule, settings in data.items():
        if str(rule) not in known:
            what = "onbekende vakdienst" if section == "departments" else "onbekende categorie"
            reader.problem(FILE, str(rule), section, f"{what} '{rule}'; gebruik een id uit {section}.yaml")
            continue
        result[str(rule)] = _settings(reader, str(rule), settings or {})
    return result


def _settings(reader: Reader, rule: str, data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        reader.problem(FILE, rule, "-", "moet een blok met instellingen zijn")
        return {}
    result: dict[str, Any] = {}
    for key, value in data.items():
        if key in _DAYS:
            low, high = _DAYS[key]
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                reader.problem(FILE, rule, key, f"moet een heel aantal werkdagen zijn, van {low} tot en met {high}")
                continue
            result[key] = value
        elif key == "escalation":
            ladder = _ladder(reader, rule, value)
            if ladder is not None:
                result[key] = ladder
        else:
            reader.problem(FILE, rule, str(key), f"onbekende instelling; gebruik {', '.join([*_DAYS, 'escalation'])}")
    return result


def _ladder(reader: Reader, rule: str, value: Any) -> tuple[EscalationStep, ...] | None:
    if not isinstance(value, list):
        reader.problem(FILE, rule, "escalation", "moet een lijst met stappen zijn, elk met 'at' en 'to'")
        return None
    steps = []
    for number, step in enumerate(value, start=1):
        at = step.get("at") if isinstance(step, dict) else None
        to = step.get("to") if isinstance(step, dict) else None
        if isinstance(at, bool) or not isinstance(at, (int, float)) or not 0 < at <= 20 or not isinstance(to, str) \
                or not to.strip():
            reader.problem(FILE, rule, f"escalation stap {number}",
                           "heeft 'at' nodig (een veelvoud van de antwoordtermijn, bijvoorbeeld 1 of 2.5) "
                           "en 'to' (een rol)")
            return None
        reader.known(FILE, rule, step, ("at", "to"), f"escalation stap {number}")
        meant = _meant_role(to.strip())
        if meant is not None:
            reader.problem(FILE, rule, f"escalation stap {number}",
                           f"'{to.strip()}' lijkt een tikfout: bedoelt u '{meant}'? (rollen met een naam in de "
                           f"inbox: {', '.join(r.value for r in Role)}; een andere rol, zoals dienstdirecteur, "
                           f"mag ook)")
        steps.append(EscalationStep(float(at), to.strip()))
    return tuple(sorted(steps, key=lambda s: s.at))


def _meant_role(to: str) -> str | None:
    """The inbox role `to` is a typo of ("wijkregiseur"), if any. Other roles (a dienstdirecteur, outside the
    inbox) are allowed: the step is then recorded without a name, so only a near miss of a known role is wrong."""
    if to in {r.value for r in Role}:
        return None
    found = process.extractOne(to.casefold(), [r.value for r in Role], scorer=fuzz.ratio, score_cutoff=80)
    return str(found[0]) if found is not None else None
