"""Editing a copy of a configuration the way a beheerder breaks it: lines found by how they start."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

UTRECHT = Path(__file__).resolve().parents[2] / "routing_rules" / "utrecht"
Check = Callable[[Path], list[str]]  # the check_rules fixture: folder -> the problem lines printed


def insert_after(path: Path, anchor: str | None, *new: str) -> int:
    """Put `new` lines after the first line starting with `anchor` (None: at the end); the first one's number."""
    lines = path.read_text(encoding="utf-8").splitlines()
    index = len(lines) - 1 if anchor is None else next(i for i, line in enumerate(lines) if line.startswith(anchor))
    lines[index + 1:index + 1] = new
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return index + 2


def line_of(path: Path, start: str) -> int:
    """The number of the first line starting with `start`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines) if line.startswith(start)) + 1


def replace_line(path: Path, start: str, new: str) -> int:
    """Replace the first line starting with `start` by `new`; its number."""
    number = line_of(path, start)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[number - 1] = new
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return number


# The smallest configuration that passes check-rules, without its areas.csv (each test gives its own): no
# policies, templates or streets that name a category.
MINIMAL_RULES = {
    "municipality.yaml": "id: test\nname: Test\nreference_prefix: TE\ntriage: {department: wijken}\n"
                         "phone: '14 000'\nwijkbureau: het gemeentehuis\nwebsite: https://test.example\n"
                         "privacy_url: https://test.example/privacy\n",
    "signals.yaml": "urgent: [gaslucht]\ncrisis: [zelfmoord]\n",
    "departments.yaml": "departments:\n  - {id: wijken, name: Wijken}\n",
    "categories.yaml": "categories:\n  - {id: overig, name: Overig, department: wijken, sla_days: 5, "
                       "keywords: [vraag]}\n",
    "teams.yaml": "teams:\n  - {id: wijken, name: Wijken, department: wijken, wijken: ['*']}\n",
}
