"""The router's CSV contract: route a file of messages and write one decision per row.

IN.csv has at least id,text and may have street,pc4,town (other columns, labels included, are ignored).
OUT.csv has id,kind,category,department,team,area,confidence,triage,reasons, with the configuration's names.
"""

from __future__ import annotations

import csv
from pathlib import Path

from wijkbot.domain.rules import RuleSet
from wijkbot.learning.history import HistoryError, csv_rows, read_text
from wijkbot.learning.router import LearnedRouter

OUT_COLUMNS = ("id", "kind", "category", "department", "team", "area", "confidence", "triage", "reasons")


def route_file(router: LearnedRouter, rules: RuleSet, source: Path, target: Path) -> int:
    """Route every row of `source` into `target`; returns the number of rows."""
    if not target.parent.is_dir():
        raise HistoryError(f"{target.parent}: deze map bestaat niet (voor {target.name})")
    content, _encoding = read_text(source)
    table = csv_rows(content)
    if not {"id", "text"} <= set(table.columns):
        raise HistoryError(f"{source}: de eerste regel moet de kolommen noemen, met minstens id en text "
                           f"(gevonden: {', '.join(sorted(table.columns)) or 'niets'})")
    rows = []
    for _line, row in table.rows:
        decision = router.route(row.get("text") or "", _opt(row, "street"), _opt(row, "pc4"), _opt(row, "town"))
        category = rules.categories.get(decision.category or decision.suggested_category or "")
        department_id = decision.suggested_department or decision.department
        team = rules.team_for(department_id, decision.area.wijk)
        rows.append({
            "id": row.get("id", ""),
            "kind": decision.kind.value,
            "category": category.name if category else "",
            "department": rules.departments[department_id].name,
            "team": team.name if team else "",
            "area": decision.area.wijk or "",
            "confidence": f"{decision.confidence:.3f}",
            "triage": "1" if decision.triage else "0",
            "reasons": "; ".join(decision.reasons),
        })
    temporary = target.with_suffix(target.suffix + ".tmp")
    with temporary.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=OUT_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    temporary.replace(target)
    return len(rows)


def _opt(row: dict[str, str], key: str) -> str | None:
    value = (row.get(key) or "").strip()
    return value or None
