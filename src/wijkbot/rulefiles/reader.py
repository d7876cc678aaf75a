"""Reading rule files with located problems: every error names the file, the rule id and the key.

Invariants: nothing is silently skipped; a reader collects all problems of a folder, so a beheerder can fix
everything in one go.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import yaml

from wijkbot.domain.rules import RuleProblem


class RuleFileError(Exception):
    """A configuration that cannot be used; `problems` lists each one with file, rule id and key."""

    def __init__(self, directory: Path, problems: list[RuleProblem]) -> None:
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in {directory}:\n{lines}")
        self.problems = problems


class Reader:
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
