"""The router's CSV contract: route a file of messages and write one decision per row.

IN.csv has at least id,text and may have street,pc4,town (other columns, labels included, are ignored; column
names in any capitals, spaces around them allowed). OUT.csv has id,kind,category,department,team,area,confidence,
triage,reasons, with the configuration's names.

Invariants: OUT.csv is checked before anything is read (never the input file itself, under any spelling or
link; never a folder); it is written through a temporary file next to it and replaced in one step, and a
failure names OUT.csv as the user gave it, never the temporary file.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import os
from pathlib import Path

from wijkbot.domain.rules import RuleSet
from wijkbot.learning.history import HistoryError, csv_rows, read_text
from wijkbot.learning.router import LearnedRouter

OUT_COLUMNS = ("id", "kind", "category", "department", "team", "area", "confidence", "triage", "reasons")


class OutputError(OSError):
    """OUT.csv cannot be written; `filename` is the path the user gave (not the temporary file)."""


def same_file(first: Path, second: Path) -> bool:
    """Whether two paths name one file: the same path spelt differently, a symbolic link or a hard link."""
    try:
        if first.exists() and second.exists():
            return first.samefile(second)
        return first.resolve() == second.resolve()
    except (OSError, RuntimeError):  # a loop of links: not a file to write anyway, said when it is opened
        return False


def check_output(source: Path, target: Path) -> None:
    """Refuse an OUT.csv that would overwrite IN.csv, is a folder, or lies in a folder that does not exist:
    before anything is read or learned."""
    if same_file(source, target):
        raise HistoryError(f"kies een ander uitvoerbestand: {target} is het invoerbestand; er is niets gerouteerd")
    if target.is_dir():
        raise OutputError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
    if not target.parent.is_dir():
        raise HistoryError(f"{target.parent}: deze map bestaat niet (voor {target.name})")


def route_file(router: LearnedRouter, rules: RuleSet, source: Path, target: Path,
               problems: list[str] | None = None) -> int:
    """Route every row of `source` into `target`; returns the number of rows. Rows that are routed but look
    wrong (no id, an id seen before, no text) are named in `problems` by their line: every row still gets its
    output row, so OUT.csv keeps one row per input row; an empty text is decided as nothing (triage), not
    guessed."""
    problems = [] if problems is None else problems
    check_output(source, target)
    content, _encoding = read_text(source)
    table = csv_rows(content)
    if not {"id", "text"} <= set(table.columns):
        raise HistoryError(f"{source}: de eerste regel moet de kolommen noemen, met minstens id en text "
                           f"(gevonden: {table.found()})")
    rows = []
    seen: dict[str, int] = {}
    for line, row in table.rows:
        row_id = (row.get("id") or "").strip()
        if not row_id:
            problems.append(f"regel {line}: geen id")
        elif row_id in seen:
            problems.append(f"regel {line}: id {row_id!r} staat ook op regel {seen[row_id]}")
        else:
            seen[row_id] = line
        if not (row.get("text") or "").strip():
            problems.append(f"regel {line}: lege tekst (naar triage, zonder beslissing)")
            rows.append(_empty_row(rules, row.get("id", "")))
            continue
        decision = router.route(row.get("text") or "", _opt(row, "street"), _opt(row, "pc4"), _opt(row, "town"))
        category = rules.categories.get(decision.category or decision.suggested_category or "")
        department_id = decision.suggested_department or decision.department
        team = rules.team_for(department_id, decision.area.wijk)
        guess = rules.team_guess(department_id, decision.area.wijk)
        rows.append({
            "id": row.get("id", ""),
            "kind": decision.kind.value,
            "category": category.name if category else "",
            "department": rules.departments[department_id].name,
            "team": team.name if team else "",
            "area": decision.area.wijk or "",
            "confidence": f"{decision.confidence:.3f}",
            "triage": "1" if decision.triage else "0",
            "reasons": "; ".join((*decision.reasons, guess) if guess else decision.reasons),
        })
    temporary = target.with_suffix(target.suffix + ".tmp")
    try:
        with temporary.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=OUT_COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
        temporary.replace(target)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise OutputError(error.errno, error.strerror, str(target)) from error
    return len(rows)


def _empty_row(rules: RuleSet, row_id: str) -> dict[str, str]:
    """An empty message: nothing to decide, so the triage department and no category."""
    triage = rules.municipality.triage_department
    team = rules.team_for(triage, None)
    return {"id": row_id, "kind": "melding", "category": "", "department": rules.departments[triage].name,
            "team": team.name if team else "", "area": "", "confidence": "0.000", "triage": "1",
            "reasons": "lege tekst: geen beslissing, naar triage"}


def _opt(row: dict[str, str], key: str) -> str | None:
    value = (row.get(key) or "").strip()
    return value or None
