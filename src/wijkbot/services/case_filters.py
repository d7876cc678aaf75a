"""The inbox's case-list filters as request parameters: their names, validation and conversion to SQL filters.

The weekly digest links every figure to `/inbox/zaken` with these names (digest/links.py PARAMETERS lists the
same names in the same order; a test keeps them aligned), e.g. `?queue=all&wijk=Overvecht&overdue=2026-W15`.
Invariants: a value that cannot be valid narrows the list to nothing, never to an unfiltered list; a malformed
week and an unknown parameter are also reported (`problems`, catalog keys); weeks are ISO weeks in the
municipality's local time (domain/weeks.py); a buurt is named by its CBS code everywhere (`buurt_name` is the
one conversion to the name people read); repeating a list filter means "any of these"; a filter only adds a
condition, so it never widens what a person may see.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from wijkbot.domain.model import Channel, Kind
from wijkbot.domain.routing import AMBITION_NOT_SET, NO_AMBITION
from wijkbot.domain.rules import RuleSet
from wijkbot.domain.weeks import IsoWeek, WeekError
from wijkbot.domain.workflow import Status
from wijkbot.storage.case_filters import NOT_SET as NOT_SET
from wijkbot.storage.case_filters import Filters, Window

# Every filter, in the order it appears in a URL and in the list of active filters.
LIST_FILTERS = ("wijk", "kind", "category", "department", "buurt", "channel", "status", "ambition", "officer")
WEEK_FILTERS = ("week", "until", "inbound", "open", "overdue", "active", "escalated", "closed", "answered", "rated")
FILTERS = ("wijk", "week", "until", "inbound", "kind", "category", "department", "buurt", "street", "channel",
           "status", "open", "overdue", "active", "handovers", "escalated", "closed", "answered", "rated",
           "ambition", "cluster", "case", "officer")
# the queue form's selects
FORM_FILTERS = ("status", "kind", "department", "category", "wijk", "buurt", "channel", "officer")
OTHER_PARAMETERS = ("queue", "q", "age", "page", "csrf", "remove")
MAX_TEXT = {"street": 200, "cluster": 40, "case": 40}
MAX_VALUES = 200
OFFICER_ID = re.compile(r"[0-9]{1,9}")  # ASCII digits only ("²" is a digit to str.isdigit), within an int32
MAX_HANDOVERS = 1000
# which Filters field a week parameter sets
_WINDOWS = {"week": "created_in", "inbound": "inbound_in", "overdue": "overdue_at", "active": "active_in",
            "escalated": "escalated_in", "closed": "closed_in", "answered": "answered_in", "rated": "rated_in"}


@dataclass(frozen=True, slots=True)
class Active:
    """One filter in use, as given: shown to the ambtenaar and carried along when they change the list."""

    key: str
    values: tuple[str, ...]
    valid: bool = True


@dataclass(frozen=True, slots=True)
class Parsed:
    filters: Filters
    active: tuple[Active, ...] = ()
    problems: tuple[tuple[str, dict[str, str]], ...] = field(default_factory=tuple)  # (catalog key, values)


def known_values(rules: RuleSet) -> dict[str, set[str]]:
    """What each list filter accepts (NOT_SET: "not filled in", where a case may leave the field empty)."""
    ambitions = {a.id for ambitions in rules.ambitions.values() for a in ambitions}
    return {
        "status": {s.value for s in Status}, "kind": {k.value for k in Kind},
        "department": set(rules.departments), "category": {*rules.categories, NOT_SET},
        "wijk": set(rules.wijken), "buurt": {*(b.code for b in rules.buurten), NOT_SET},
        "channel": {c.value for c in Channel}, "ambition": {*ambitions, NO_AMBITION, AMBITION_NOT_SET},
    }


def buurt_name(rules: RuleSet, code: str) -> str:
    """The buurt's name for its CBS code (the code itself when the configuration does not know it)."""
    return next((b.name for b in rules.buurten if b.code == code), code)


def values_of(params: Mapping[str, Any], key: str) -> tuple[str, ...]:
    """The non-empty values of a parameter (a multidict, a dict of lists or a dict of strings)."""
    getall = getattr(params, "getall", None)
    found = getall(key, []) if getall is not None else params.get(key, ())
    if isinstance(found, str):
        found = (found,)
    return tuple(str(v).strip() for v in found if str(v).strip())


def parse(params: Mapping[str, Any], rules: RuleSet, *, text: str = "", now: datetime | None = None) -> Parsed:
    """The filters in `params` (the request's query or form); `remove` names one filter to drop."""
    tz = rules.municipality.timezone
    removed = set(values_of(params, "remove"))
    known = known_values(rules)
    changes: dict[str, Any] = {"text": text}
    active: list[Active] = []
    problems: list[tuple[str, dict[str, str]]] = []
    for name in sorted(set(params) - {*FILTERS, *OTHER_PARAMETERS}):
        problems.append(("inbox.filter.unknown", {"name": name[:40]}))
    for key in FILTERS:
        values = values_of(params, key)
        if not values or key in removed:
            continue
        if len(values) > MAX_VALUES:
            values = values[:MAX_VALUES]
            ok = False
        elif key == "officer":  # an ambtenaar by id (who exists is the database's to say), or NOT_SET: nobody
            ok = all(v == NOT_SET or OFFICER_ID.fullmatch(v) is not None for v in values)
            changes[key] = tuple(dict.fromkeys(values))
        elif key in LIST_FILTERS:
            ok = all(v in known[key] for v in values)
            changes[key] = tuple(dict.fromkeys(values))
        elif key in WEEK_FILTERS:
            ok = _week(key, values, tz, changes, problems, now)
        elif key == "handovers":
            ok = len(values) == 1 and values[0].isdigit() and int(values[0]) <= MAX_HANDOVERS
            if ok:
                changes["handovers"] = int(values[0])
        else:  # street, cluster, case: one text
            ok = len(values) == 1 and len(values[0]) <= MAX_TEXT[key]
            changes["reference" if key == "case" else key] = values[0]
        active.append(Active(key, values, ok))
    nothing = bool(problems) or not all(a.valid for a in active)
    return Parsed(replace(Filters(), **changes, nothing=nothing), tuple(active), tuple(problems))


def _week(key: str, values: tuple[str, ...], tz: str, changes: dict[str, Any],
          problems: list[tuple[str, dict[str, str]]], now: datetime | None) -> bool:
    if len(values) > 1:
        problems.append(("inbox.filter.one_week", {"name": key}))
        return False
    try:
        week = IsoWeek.parse(values[0])
    except WeekError:
        problems.append(("inbox.filter.bad_week", {"value": values[0][:40]}))
        return False
    if key == "until":
        changes["created_until"] = week.end(tz)
    elif key == "open":
        changes["open_at"] = week.end(tz)
    elif key == "overdue":  # as the digest counts it: for the running week, as of now (IsoWeek.as_of)
        changes["overdue_at"] = Window(week.start(tz), *week.as_of(now, tz))
    else:
        changes[_WINDOWS[key]] = Window(week.start(tz), week.end(tz), week.sunday)
    return True
