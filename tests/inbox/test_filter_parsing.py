"""The case-list filters as the inbox reads them from a link or a form: table-driven.

A valid filter narrows; a value that cannot be valid (unknown id, a buurt by name, a negative number, text too
long) keeps the filter and empties the list, never falls back to an unfiltered one; a malformed week and an
unknown parameter name are reported in words. Weeks are ISO weeks in Europe/Amsterdam local time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from multidict import MultiDict

from wijkbot.domain.access import Person, Role
from wijkbot.services import case_filters
from wijkbot.services.queues import Queues
from wijkbot.storage.case_filters import NOT_SET, Filters, Window
from wijkbot.testing import FrozenClock


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


W15 = Window(utc(2026, 4, 5, 22), utc(2026, 4, 12, 22), date(2026, 4, 12))  # CEST: Monday 00:00 is 22:00 UTC
W13_END = utc(2026, 3, 29, 22)  # the clocks went forward on Sunday 29 March: W13 lasted 167 hours

VALID: list[tuple[dict[str, Any], dict[str, Any]]] = [
    ({}, {}),
    ({"week": "2026-W15"}, {"created_in": W15}),
    ({"week": " 2026w15 "}, {"created_in": W15}),
    ({"inbound": "2026-W15"}, {"inbound_in": W15}),
    ({"until": "2026-W13"}, {"created_until": W13_END}),
    ({"open": "2026-W13"}, {"open_at": W13_END}),
    ({"overdue": "2026-W15"}, {"overdue_at": W15}),
    ({"active": "2026-W15"}, {"active_in": W15}),
    ({"escalated": "2026-W15", "closed": "2026-W15", "answered": "2026-W15", "rated": "2026-W15"},
     {"escalated_in": W15, "closed_in": W15, "answered_in": W15, "rated_in": W15}),
    ({"handovers": "2"}, {"handovers": 2}),
    ({"handovers": "0"}, {"handovers": 0}),
    ({"category": "grofvuil"}, {"category": ("grofvuil",)}),
    ({"category": ["grofvuil", "straatverlichting", "grofvuil"]}, {"category": ("grofvuil", "straatverlichting")}),
    ({"category": "none"}, {"category": (NOT_SET,)}),
    ({"buurt": "BU03440321"}, {"buurt": ("BU03440321",)}),
    ({"buurt": "none"}, {"buurt": (NOT_SET,)}),
    ({"status": "wacht op bewoner", "kind": "melding"}, {"status": ("wacht op bewoner",), "kind": ("melding",)}),
    ({"department": "vth", "wijk": "Overvecht", "channel": "x"},
     {"department": ("vth",), "wijk": ("Overvecht",), "channel": ("x",)}),
    ({"ambition": "not-set"}, {"ambition": ("not-set",)}),
    ({"ambition": "none"}, {"ambition": ("none",)}),
    ({"street": "Zamenhofdreef"}, {"street": "Zamenhofdreef"}),
    ({"cluster": "UT-2026-000010", "case": "UT-2026-000001"},
     {"cluster": "UT-2026-000010", "reference": "UT-2026-000001"}),
    ({"week": "2026-W15", "remove": "week"}, {}),  # the "remove" button of one filter
    ({"week": "", "category": ""}, {}),  # an empty field of the form means "any"
]

EMPTY: list[tuple[str, dict[str, Any], str | None]] = [
    ("unknown category", {"category": "bestaat-niet"}, None),
    ("one bad among good values", {"category": ["grofvuil", "bestaat-niet"]}, None),
    ("a buurt by name, not code", {"buurt": "Zamenhofdreef en omgeving"}, None),
    ("unknown status", {"status": "bestaat niet"}, None),
    ("unknown wijk", {"wijk": "Atlantis"}, None),
    ("unknown channel", {"channel": "fax"}, None),
    ("unknown ambition", {"ambition": "betere-buurt"}, None),
    ("negative hand-overs", {"handovers": "-1"}, None),
    ("hand-overs not a number", {"handovers": "twee"}, None),
    ("absurd hand-overs", {"handovers": "99999"}, None),
    ("street too long", {"street": "x" * 201}, None),
    ("reference too long", {"case": "UT-" + "1" * 60}, None),
    ("two streets", {"street": ["Zamenhofdreef", "Taagdreef"]}, None),
    ("week without W", {"week": "2026-15"}, "inbox.filter.bad_week"),
    ("week 54", {"overdue": "2026-W54"}, "inbox.filter.bad_week"),
    ("not a week at all", {"closed": "vorige week"}, "inbox.filter.bad_week"),
    ("two weeks", {"open": ["2026-W14", "2026-W15"]}, "inbox.filter.one_week"),
    ("an old Dutch name", {"achterstallig": "1"}, "inbox.filter.unknown"),
    ("a made-up parameter", {"wijk": "Overvecht", "nonsense": "x"}, "inbox.filter.unknown"),
]


@pytest.mark.parametrize(("params", "expected"), VALID)
def test_valid_filters(utrecht_rules: Any, params: dict[str, Any], expected: dict[str, Any]) -> None:
    parsed = case_filters.parse(params, utrecht_rules)
    assert parsed.problems == ()
    assert parsed.filters == Filters(**expected)
    assert all(a.valid for a in parsed.active)


@pytest.mark.parametrize(("why", "params", "problem"), EMPTY, ids=[e[0] for e in EMPTY])
def test_bad_values_give_an_empty_list(utrecht_rules: Any, why: str, params: dict[str, Any],
                                       problem: str | None) -> None:
    parsed = case_filters.parse(params, utrecht_rules)
    assert parsed.filters.nothing, why
    assert [key for key, _ in parsed.problems] == ([problem] if problem else [])
    if problem is None:  # the bad filter stays visible, marked, so the ambtenaar sees why the list is empty
        assert [a.valid for a in parsed.active] == [False]


def test_a_bad_week_names_what_was_written(utrecht_rules: Any) -> None:
    parsed = case_filters.parse({"week": "2026-47"}, utrecht_rules)
    assert parsed.problems == (("inbox.filter.bad_week", {"value": "2026-47"}),)


def test_repeated_values_from_a_real_query_string(utrecht_rules: Any) -> None:
    params = MultiDict([("category", "grofvuil"), ("category", "none"), ("queue", "all")])
    parsed = case_filters.parse(params, utrecht_rules)
    assert parsed.filters.category == ("grofvuil", NOT_SET) and not parsed.filters.nothing


@pytest.mark.parametrize(("age", "nothing"), [("day", False), ("older", False), ("", False), ("gisteren", True)])
def test_the_age_filter_is_strict_too(utrecht_rules: Any, age: str, nothing: bool) -> None:
    queues = Queues(None, utrecht_rules, FrozenClock())  # type: ignore[arg-type]  # parsing reads no database
    person = Person(1, "Sanne", frozenset({Role.WIJKREGISSEUR}), frozenset(), frozenset({"Overvecht"}))
    query = queues.parse(person, {"queue": "all", "age": age})
    assert query.queue == "all" and query.filters.nothing is nothing
