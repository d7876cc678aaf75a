"""Reading a municipality's export of past meldingen: labelled examples for the learned router.

Invariants: the file is read as UTF-8 (with or without BOM) or, failing that, cp1252 (what Excel on Windows
writes); labels are matched to the configuration by name or id; a row that cannot be used is reported with
its line number and skipped, never silently; an unusable file raises HistoryError and yields no model.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from wijkbot.domain.rules import RuleSet
from wijkbot.domain.text import normalise

ENCODINGS = ("utf-8-sig", "cp1252")
# A resident's message may be a megabyte; the csv module refuses fields over 128 KB by default.
csv.field_size_limit(16 * 1024 * 1024)


class HistoryError(ValueError):
    """A history file that cannot be used at all."""


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    street: str | None
    pc4: str | None
    town: str | None
    category: str | None  # a category id of the configuration
    department: str | None  # a department id, from the team that handled it
    team: str | None  # a team id
    line: int = 0  # where it came from in the imported file (0: not from a file)


@dataclass
class History:
    examples: list[Example] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    encoding: str = "utf-8"


def read_text(path: Path) -> tuple[str, str]:
    raw = path.read_bytes()
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise HistoryError(f"{path}: neither UTF-8 nor cp1252")  # cp1252 decodes almost anything; kept for clarity


def _lookup(rules: RuleSet) -> tuple[dict[str, str], dict[str, list[str]]]:
    categories = {normalise(c.name): c.id for c in rules.categories.values()}
    categories.update({normalise(c.id): c.id for c in rules.categories.values()})
    teams: dict[str, list[str]] = {}
    for team in rules.teams:  # one name may belong to several teams (a kern team that also has a town-wide duty)
        for key in (normalise(team.name), normalise(team.id)):
            teams.setdefault(key, []).append(team.id)
    return categories, teams


def _team(candidates: list[str], category: str | None, rules: RuleSet) -> str | None:
    """The team a name means for this row: the one of the category's department, else a kern team."""
    if not candidates:
        return None
    if len(candidates) == 1:
        return candidates[0]
    by_id = {t.id: t for t in rules.teams}
    department = rules.categories[category].department if category in rules.categories else None
    for team_id in candidates:
        if by_id[team_id].department == department:
            return team_id
    local = [t for t in candidates if "*" not in by_id[t].wijken]
    return (local or candidates)[0]


def load_history(path: Path, rules: RuleSet) -> History:
    """Parse a CSV export; needs a `text` column and at least one of `category` and `team`."""
    if not path.is_file():
        raise HistoryError(f"{path}: no such file")
    content, encoding = read_text(path)
    reader = csv.DictReader(io.StringIO(content, newline=""))
    columns = set(reader.fieldnames or [])
    if "text" not in columns:
        raise HistoryError(f"{path}: the first line must name the columns, with at least 'text' "
                           f"(found: {', '.join(sorted(columns)) or 'nothing'})")
    if not columns & {"category", "team"}:
        raise HistoryError(f"{path}: needs a 'category' or a 'team' column to learn from")
    history = parse_rows(reader, columns, rules)
    history.encoding = encoding
    if not history.examples:
        raise HistoryError(f"{path}: no usable rows ({len(history.problems)} skipped)")
    return history


def parse_rows(rows: Iterable[dict[str, str]], columns: set[str], rules: RuleSet) -> History:
    """Examples from CSV rows (line numbers count the header as line 1)."""
    categories, teams = _lookup(rules)
    team_department = {t.id: t.department for t in rules.teams}
    history = History()
    for line, row in enumerate(rows, start=2):
        text = (row.get("text") or "").strip()
        if not text:
            history.problems.append(f"line {line}: empty text, skipped")
            continue
        category = categories.get(normalise(row.get("category") or ""))
        team = _team(teams.get(normalise(row.get("team") or ""), []), category, rules)
        unknown = [f"{key} '{row.get(key)}'" for key, found in (("category", category), ("team", team))
                   if key in columns and (row.get(key) or "").strip() and found is None]
        if unknown:
            history.problems.append(f"line {line}: unknown {' and '.join(unknown)} in this configuration, skipped")
            continue
        if category is None and team is None:
            history.problems.append(f"line {line}: no label, skipped")
            continue
        history.examples.append(Example(
            text=text, street=(row.get("street") or "").strip() or None, pc4=(row.get("pc4") or "").strip() or None,
            town=(row.get("town") or "").strip() or None, category=category,
            department=team_department.get(team) if team else None, team=team, line=line,
        ))
    return history
