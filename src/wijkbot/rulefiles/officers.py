"""Reading a list of ambtenaren for seeding (the demo file): name, e-mail, role, teams, wijken.

Invariants: an unreadable file or an incomplete entry raises RuleFileError naming the entry.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from wijkbot.domain.rules import RuleProblem
from wijkbot.rulefiles.reader import RuleFileError


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
