"""Reading a list of ambtenaren for seeding (the demo file): name, e-mail, role, teams, wijken.

Invariants: an unreadable file or an incomplete entry raises RuleFileError naming the entry.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from wijkbot.domain.rules import RuleProblem
from wijkbot.rulefiles.reader import READ_ERRORS, LineProblem, Problem, RuleFileError
from wijkbot.rulefiles.yamlfile import locate


def load_officers(path: Path) -> list[dict[str, Any]]:
    """Read a list of ambtenaren ({name, email, role, teams, wijken}) for seeding; errors name the entry."""
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except FileNotFoundError as error:
        raise RuleFileError(path, [Problem(path.name, "-", "-", "bestand ontbreekt")]) from error
    except OSError as error:
        reason = READ_ERRORS.get(error.errno or 0, error.strerror or str(error))
        raise RuleFileError(path, [Problem(path.name, "-", "-", f"het bestand is niet te lezen: {reason}")]) from error
    except UnicodeDecodeError as error:
        raise RuleFileError(path, [Problem(path.name, "-", "-", "geen UTF-8-tekst; sla het bestand op als UTF-8")]) \
            from error
    except yaml.YAMLError as error:
        line, message = locate(error, text)
        raise RuleFileError(path, [LineProblem(path.name, line, f"geen geldige YAML: {message}")]) from error
    entries = data.get("officers", data) if isinstance(data, dict) else data
    problems: list[RuleProblem] = []
    officers = []
    for number, entry in enumerate(entries or [], start=1):
        if not isinstance(entry, dict) or not entry.get("email") or not entry.get("name"):
            problems.append(Problem(path.name, f"#{number}", "name/email",
                                    "elke ambtenaar heeft een naam en een e-mailadres nodig"))
            continue
        officers.append({"name": str(entry["name"]), "email": str(entry["email"]),
                         "role": str(entry.get("role", "behandelaar")),
                         "teams": [str(t) for t in entry.get("teams") or []],
                         "wijken": [str(w) for w in entry.get("wijken") or []]})
    if problems:
        raise RuleFileError(path, problems)
    return officers
