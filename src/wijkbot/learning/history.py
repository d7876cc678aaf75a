"""Reading a municipality's export of past meldingen: labelled examples for the learned router.

Invariants: the file is read as UTF-8 (with or without BOM) or, failing that, cp1252 (what Excel on Windows
writes), separated by commas, or by semicolons or tabs when its first line is (Excel in a Dutch locale writes
semicolons); column names are matched without regard to capitals or surrounding spaces ("Text ", "TEXT");
labels are matched to the configuration by name or id; a row that cannot be used is reported
with the line of the file it starts on (a quoted text may span lines) and skipped, never silently; an
unusable file raises HistoryError, which carries the skipped rows, and yields no model. What a beheerder
reads here is Dutch.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from wijkbot.domain.rules import RuleSet
from wijkbot.domain.text import normalise

ENCODINGS = ("utf-8-sig", "cp1252")
# A resident's message may be a megabyte; the csv module refuses fields over 128 KB by default.
csv.field_size_limit(16 * 1024 * 1024)


class HistoryError(ValueError):
    """A history file that cannot be used at all; `problems`: the rows skipped on the way, to show too."""

    def __init__(self, message: str, problems: Iterable[str] = (), unknown: Counter[str] | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems)
        self.unknown = unknown if unknown is not None else Counter()


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
    unknown: Counter[str] = field(default_factory=Counter)  # labels this configuration does not know, how often


def read_text(path: Path) -> tuple[str, str]:
    raw = path.read_bytes()
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode-tekst" (tab-separated)
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise HistoryError(f"{path}: begint als UTF-16, maar is geen geldige UTF-16-tekst") from None
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise HistoryError(f"{path}: geen UTF-8 en geen cp1252")  # cp1252 decodes almost anything; kept for clarity


@dataclass
class CsvRows:
    """A CSV text's column names (its first line that is not empty) and its rows, each with the line of the
    file it starts on (a quoted field may hold line breaks; empty lines are skipped but counted). `columns`
    are the names as the rows are keyed, in small letters without surrounding spaces ("Text " is "text");
    `header` is the first line as written, for messages."""

    columns: list[str]
    rows: Iterator[tuple[int, dict[str, str]]]
    header: list[str] = field(default_factory=list)

    def found(self) -> str:
        """The column names as the file writes them, for a message: "Text, Category" (or "niets")."""
        return ", ".join(name.strip() for name in self.header if name.strip()) or "niets"


def column_key(name: str) -> str:
    """A column name as rows are keyed: "Text " and "TEXT" are "text"."""
    return name.strip().lower()


def csv_rows(content: str) -> CsvRows:
    """Read a CSV text separated by what its first line uses most: commas, semicolons or tabs."""
    header_line = content.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=header_line.count)  # a tie (none of them) keeps the comma
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    header = next((row for row in reader if row), [])
    columns = [column_key(name) for name in header]

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        previous = reader.line_num
        for row in reader:
            start, previous = previous + 1, reader.line_num
            if row:
                yield start, {name: row[i] if i < len(row) else "" for i, name in enumerate(columns)}

    return CsvRows(columns, rows(), header)


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
    """Parse a CSV export; needs a `text` and a `category` column (`team`, `street`, `pc4`, `town` when there)."""
    if path.is_dir():
        raise HistoryError(f"{path}: dit is een map, geen bestand")
    if not path.exists():
        raise HistoryError(f"{path}: dit bestand bestaat niet")
    if not path.is_file():
        raise HistoryError(f"{path}: dit is geen gewoon bestand; geef een CSV-bestand")
    content, encoding = read_text(path)
    table = csv_rows(content)
    columns = set(table.columns)
    if "text" not in columns:
        raise HistoryError(f"{path}: de eerste regel moet de kolommen noemen, met minstens 'text' en 'category' "
                           f"(gevonden: {table.found()})")
    if "category" not in columns:
        # The router learns the category; the department and team follow from it and from the place.
        raise HistoryError(f"{path}: een kolom 'category' is nodig om van te leren ('team' erbij als die er is)")
    history = parse_numbered(table.rows, columns, rules)
    history.encoding = encoding
    if not history.examples:
        # Every label unknown: most likely the export of another municipality, or the wrong --rules.
        hint = ("; geen enkele categorie of team is bekend in deze configuratie: hoort dit bestand bij een andere "
                "gemeente? Kies de regels met --rules" if history.unknown else "")
        raise HistoryError(f"{path}: geen bruikbare regels ({len(history.problems)} overgeslagen){hint}",
                           history.problems, history.unknown)
    return history


def parse_rows(rows: Iterable[dict[str, str]], columns: set[str], rules: RuleSet) -> History:
    """Examples from CSV rows of one line each (the header counts as line 1)."""
    return parse_numbered(enumerate(rows, start=2), columns, rules)


def parse_numbered(rows: Iterable[tuple[int, dict[str, str]]], columns: set[str], rules: RuleSet) -> History:
    """Examples from CSV rows, each with the line it starts on."""
    categories, teams = _lookup(rules)
    team_department = {t.id: t.department for t in rules.teams}
    history = History()
    for line, row in rows:
        text = (row.get("text") or "").strip()
        if not text:
            history.problems.append(f"regel {line}: lege tekst, overgeslagen")
            continue
        category = categories.get(normalise(row.get("category") or ""))
        team = _team(teams.get(normalise(row.get("team") or ""), []), category, rules)
        unknown = [f"{label} '{row.get(key)}'" for key, label, found in (("category", "onbekende categorie", category),
                                                                          ("team", "onbekend team", team))
                   if key in columns and (row.get(key) or "").strip() and found is None]
        if unknown:
            history.problems.append(f"regel {line}: {' en '.join(unknown)} in deze configuratie, overgeslagen")
            history.unknown.update(unknown)
            continue
        if category is None and team is None:
            history.problems.append(f"regel {line}: geen categorie en geen team, overgeslagen")
            continue
        history.examples.append(Example(
            text=text, street=(row.get("street") or "").strip() or None, pc4=(row.get("pc4") or "").strip() or None,
            town=(row.get("town") or "").strip() or None, category=category,
            department=team_department.get(team) if team else None, team=team, line=line,
        ))
    return history
