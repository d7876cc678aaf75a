"""Reading a rule YAML text: PyYAML's safe loader, plus a duplicate key check and syntax errors on the right line.

Invariants: only safe YAML is constructed (a SafeLoader subclass); a key given twice in one mapping is
reported with both lines (PyYAML would silently keep the last); a syntax error is reported at the line a
beheerder has to fix, which is not always where PyYAML stopped reading (its marks count from 0, and for an
unclosed bracket or quote or a key without ': ' it stops on a later line). Never raises on malformed text.
PyYAML's own wording is put in Dutch for the mistakes a beheerder makes most (see `dutch`); a rarer one is
shown as PyYAML words it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from typing import Any

import yaml

Report = Callable[[int, str], None]  # (line number, message)

MERGE = "tag:yaml.org,2002:merge"  # `<<: *anchor` may be followed by keys that override the merged ones

# What PyYAML was reading when it gave up ("while scanning ..."), said from where it started.
OPENINGS = {
    "while scanning a quoted scalar": "een tekst tussen aanhalingstekens begint hier en wordt niet afgesloten",
    "while parsing a flow sequence": "een lijst met [ begint hier en wordt niet goed afgesloten met ]",
    "while parsing a flow mapping": "een blok met { begint hier en wordt niet goed afgesloten met }",
    "while scanning a simple key": "hier staat een sleutel zonder ': '",
}
# PyYAML's problems, as (pattern, Dutch text); the groups of a pattern fill the text's {0}, {1}.
PROBLEMS = (
    (r"mapping values are not allowed here", "hier mag geen ': ' staan (zet een tekst met ': ' tussen "
                                             "aanhalingstekens)"),
    (r"found character '\\t' that cannot start any token", "een tab mag niet; spring in met spaties"),
    (r"found character '(.+)' that cannot start any token", "het teken '{0}' mag hier niet staan (zet de tekst "
                                                            "tussen aanhalingstekens)"),
    (r"expected <block end>, but found .*", "deze regel springt anders in dan de regels erboven"),
    (r"could not find expected ':'", "':' ontbreekt"),
    (r"found unexpected end of stream", "het bestand houdt op"),
    (r"expected (.+), but (?:got|found) (.+)", "{0} verwacht, maar {1} gevonden"),
    (r"found undefined alias '(.+)'", "onbekende verwijzing *{0}"),
)


class UniqueKeyLoader(yaml.SafeLoader):
    """A SafeLoader that notes every key given twice in the same mapping: (line, first line, key)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[int, int, str]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == MERGE:
                continue
            key = self.construct_object(key_node)
            line = key_node.start_mark.line + 1
            if key in seen:
                self.duplicates.append((line, seen[key], str(key)))
            else:
                seen[key] = line
        return super().construct_mapping(node, deep)


def load(text: str, report: Report) -> tuple[object, bool]:
    """The document in `text` and whether it could be read; every problem goes to `report`."""
    loader = UniqueKeyLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as error:
        line, message = locate(error, text)
        report(line, f"geen geldige YAML: {message}")
        return None, False
    finally:
        loader.dispose()
    for line, first, key in loader.duplicates:
        report(line, f"sleutel '{key}' staat twee keer in hetzelfde blok (eerst op regel {first}); houd er één")
    return data, True


def locate(error: yaml.YAMLError, text: str) -> tuple[int, str]:
    """The line (counted from 1) a beheerder should look at, and what is wrong there (in Dutch)."""
    mark = getattr(error, "problem_mark", None)
    problem = str(getattr(error, "problem", None) or error)
    if mark is None:
        return 1, dutch(problem)
    context, context_mark = getattr(error, "context", None), getattr(error, "context_mark", None)
    if context and context_mark is not None and context_mark.line < mark.line \
            and context.startswith(("while scanning", "while parsing a flow")):
        # an unclosed quote or bracket: PyYAML reads on until it gives up, the mistake is where it opened
        opening = OPENINGS.get(context, f"{context}: begint hier")
        return context_mark.line + 1, f"{opening}; op regel {mark.line + 1}: {dutch(problem)}"
    lines = text.splitlines()
    if problem == "mapping values are not allowed here" and mark.line < len(lines) \
            and ":" not in lines[mark.line][:mark.column]:
        # the ':' of an ordinary "key: value" line: the line before runs on into it (a key without ': ',
        # or an indentation that does not match)
        before = _previous_content_line(lines, mark.line)
        if before is not None:
            return before + 1, (f"deze regel loopt door in regel {mark.line + 1} "
                                f"(een sleutel zonder ': ', of anders ingesprongen dan de regels eromheen?)")
    return mark.line + 1, dutch(problem)


def dutch(problem: str) -> str:
    """PyYAML's description of a problem in Dutch, when it is a common one; otherwise as PyYAML words it."""
    for pattern, text in PROBLEMS:
        found = re.fullmatch(pattern, problem)
        if found:
            return text.format(*(_token(group) for group in found.groups()))
    return problem


def _token(text: str) -> str:
    """A token as PyYAML names it ("',' or ']'", "'<stream end>'") in Dutch."""
    return (text.replace(" or ", " of ").replace("'<stream end>'", "het einde van het bestand")
            .replace("<stream end>", "het einde van het bestand"))


def _previous_content_line(lines: list[str], index: int) -> int | None:
    for before in range(index - 1, -1, -1):
        content = lines[before].strip()
        if content and not content.startswith("#"):
            return before
    return None
