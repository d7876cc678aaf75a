"""Reading rule files with located problems: every error names the file, the rule id and the key.

Invariants: nothing is silently skipped; a reader collects all problems of a folder, so a beheerder can fix
everything in one go. A problem in the text itself (not UTF-8, not valid YAML, a key given twice, a malformed
CSV row) names the line instead of a rule and key; once a file cannot be read at all, the problems that would
follow from its missing content are not reported on top. A mapping's keys are checked against the keys its
section knows (`known`), so a typo is a problem rather than a silently ignored setting. Everything a beheerder
reads is Dutch (B1): the frame `file: onderdeel 'rule', sleutel 'key': message` (`regel N` for a line) and the
messages; identifiers (file names, keys, values) are shown as written.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from wijkbot.domain.rules import RuleProblem
from wijkbot.rulefiles import csvfile, yamlfile

# Why a file cannot be read, in a beheerder's words (the system's own text for any other reason).
READ_ERRORS = {errno.EACCES: "geen toegang", errno.EPERM: "geen toegang", errno.EISDIR: "dit is een map"}


def describe(problem: RuleProblem) -> str:
    """A problem in the beheerder's words: `file: onderdeel 'rule', sleutel 'key': message` (or `regel N`)."""
    if isinstance(problem, LineProblem):
        return f"{problem.file}: regel {problem.line}: {problem.message}"
    if problem.rule == "-" and problem.key == "-":  # about the whole file ("bestand ontbreekt")
        return f"{problem.file}: {problem.message}"
    where = [f"onderdeel '{problem.rule}'"] if problem.rule != "-" else []
    where += [f"sleutel '{problem.key}'"] if problem.key != "-" else []
    return f"{problem.file}: {', '.join(where)}: {problem.message}"


class RuleFileError(Exception):
    """A configuration that cannot be used; `problems` lists each one with file, rule id and key."""

    def __init__(self, directory: Path, problems: list[RuleProblem]) -> None:
        lines = "\n".join(f"  - {describe(p)}" for p in problems)
        count = "1 probleem" if len(problems) == 1 else f"{len(problems)} problemen"
        super().__init__(f"{count} in {directory}:\n{lines}")
        self.problems = problems


class Problem(RuleProblem):
    """A RuleProblem whose text is the Dutch frame: `file: onderdeel 'rule', sleutel 'key': message`."""

    def __init__(self, file: str, rule: str, key: str, message: str) -> None:
        super().__init__(file, rule, key, message)
        self.args = (describe(self),)


class LineProblem(RuleProblem):
    """A problem located by a line of the file rather than by a rule and key: `file: regel N: message`."""

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(file, f"regel {line}", "-", message)
        self.line = line
        self.args = (describe(self),)


class Reader:
    """Collects problems while reading values, so one run reports all of them."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.problems: list[RuleProblem] = []
        self._unreadable: set[str] = set()

    def problem(self, file: str, rule: str, key: str, message: str) -> None:
        if file not in self._unreadable:
            self.problems.append(Problem(file, rule, key, message))

    def at_line(self, file: str, line: int, message: str) -> None:
        self.problems.append(LineProblem(file, line, message))

    def known(self, file: str, rule: str, mapping: dict[Any, Any], keys: Iterable[str], where: str = "") -> None:
        """Report every key of `mapping` that is not one of `keys` (a section's declared keys)."""
        allowed = tuple(keys)
        for key in mapping:
            if key not in allowed:
                self.problem(file, rule, f"{where}.{key}" if where else str(key),
                             f"onbekende sleutel '{key}' (bekend: {', '.join(sorted(allowed))})")

    def yaml(self, name: str, required: bool = True) -> dict[str, Any]:
        text = self._text(name, required, hint="")
        if text is None:
            return {}
        data, readable = yamlfile.load(text, lambda line, message: self.at_line(name, line, message))
        if not readable:
            self._unreadable.add(name)
            return {}
        if data is None:
            return {}
        if not isinstance(data, dict):
            self.problem(name, "-", "-", "het bestand moet sleutels met een waarde bevatten, zoals 'name: ...'")
            self._unreadable.add(name)
            return {}
        return data

    def csv(self, name: str, columns: tuple[str, ...], optional: tuple[str, ...] = (),
            required: bool = True) -> list[csvfile.Row]:
        """The rows of a CSV file as (line number, column -> stripped value); problems name the line."""
        text = self._text(name, required, hint=" (in Excel: CSV UTF-8)")
        if text is None:
            return []
        return csvfile.parse(text, columns, optional, lambda line, message: self.at_line(name, line, message))

    def _text(self, name: str, required: bool, hint: str) -> str | None:
        path = self.directory / name
        if not path.exists():
            if required:
                self.problem(name, "-", "-", "bestand ontbreekt")
            return None
        try:
            raw = path.read_bytes()
        except OSError as error:
            reason = READ_ERRORS.get(error.errno or 0, error.strerror or str(error))
            self.problem(name, "-", "-", f"het bestand is niet te lezen: {reason}")
            self._unreadable.add(name)
            return None
        try:
            return raw.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a byte order mark
        except UnicodeDecodeError as error:
            line = raw.count(b"\n", 0, error.start) + 1
            self.at_line(name, line, f"geen UTF-8-tekst (byte 0x{raw[error.start]:02x}); "
                                     f"sla het bestand op als UTF-8{hint}")
            self._unreadable.add(name)
            return None

    def text(self, file: str, rule: str, item: dict[str, Any], key: str, default: str | None = None) -> str:
        value = item.get(key, default)
        if value is None or not isinstance(value, (str, int, float)) or not str(value).strip():
            self.problem(file, rule, key, "een tekst is nodig")
            return ""
        return str(value).strip()

    def number(self, file: str, rule: str, item: dict[str, Any], key: str, default: float,
               low: float, high: float) -> float:
        value = item.get(key, default)
        if value is None:
            self.problem(file, rule, key, f"leeg; vul een getal in van {low:g} tot en met {high:g}")
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            self.problem(file, rule, key, f"moet een getal zijn van {low:g} tot en met {high:g}, "
                                          f"nu staat er {value!r}")
            return default
        return float(value)

    def words(self, file: str, rule: str, item: dict[str, Any], key: str, required: bool) -> tuple[str, ...]:
        value = item.get(key, [])
        if not isinstance(value, list):
            self.problem(file, rule, key, "moet een lijst met teksten zijn, zoals [lantaarnpaal, straatlamp]")
            return ()
        if not all(isinstance(v, (str, int)) and str(v).strip() for v in value):
            self.problem(file, rule, key, "moet een lijst met teksten zijn; een lege tekst mag niet")
            return ()
        if required and not value:
            self.problem(file, rule, key, "minstens één waarde is nodig")
        return tuple(str(v).strip() for v in value)

    def items(self, file: str, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = data.get(key, [])
        if not isinstance(value, list):
            self.problem(file, "-", key, "moet een lijst zijn")
            return []
        good = []
        for index, item in enumerate(value):
            if isinstance(item, dict) and item.get("id"):
                good.append(item)
            else:
                self.problem(file, f"#{index + 1}", "id", "elk item in de lijst heeft een id nodig, zoals '- id: ...'")
        return good
