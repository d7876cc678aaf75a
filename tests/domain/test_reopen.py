"""When a message after closing is a request to look again (domain.reopen): phrases, which case, window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from wijkbot.domain.reopen import (
    REOPEN_WINDOW,
    ClosedCase,
    Said,
    case_to_look_at,
    own_words,
    points_at,
    says_not_solved,
)

PHRASES = ("nog steeds", "niet opgehaald", "still broken")
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
GROFVUIL = ClosedCase(NOW - timedelta(days=2), "grofvuil", "afval", "Kanaalstraat")
LAMP = ClosedCase(NOW - timedelta(days=1), "straatverlichting", "stadswerken", "Biltstraat")
STADSWERKEN_LAMP = ClosedCase(NOW - timedelta(days=1), "straatverlichting", "afval", "Kanaalstraat")  # same vakdienst
UNSURE = Said(None, None, None)


@pytest.mark.parametrize(("text", "expected"), [
    ("De matras ligt er NOG STEEDS!", True),
    ("nog   steeds", True),
    ("Het is niet opgehaald.", True),
    ("It is still broken", True),
    ("nog steedsniet", False),  # word for word, not inside a word
    ("steeds nog", False),
    ("Er ligt grofvuil", False),
    ("", False),
    ("!!!", False),
    ("x " * 2000 + "nog steeds", False),  # only the opening counts
])
def test_says_not_solved(text: str, expected: bool) -> None:
    assert says_not_solved(text, PHRASES) is expected


@pytest.mark.parametrize(("said", "points"), [
    (UNSURE, None),  # says nothing either way
    (Said("grofvuil", "afval", "Kanaalstraat"), True),
    (Said(None, None, "kanaalstraat"), True),  # its street, case aside
    (Said("zwerfafval", "afval", None), True),  # overlapping categories of one vakdienst
    (Said(None, None, "Biltstraat"), False),  # another street
    (Said("overlast", "vth", None), False),  # another vakdienst's subject
    (Said("straatverlichting", "stadswerken", "Kanaalstraat"), False),  # another subject on the same street
])
def test_points_at(said: Said, points: bool | None) -> None:
    assert points_at(said, GROFVUIL) is points


@pytest.mark.parametrize(("text", "closed", "said", "has_open", "expected"), [
    ("ligt er nog steeds", [GROFVUIL], UNSURE, False, 0),  # no subject of its own: the invitation it answers
    ("ligt er nog steeds", [GROFVUIL], UNSURE, True, None),  # could be the open case: placement asks
    ("grofvuil nog steeds", [GROFVUIL], Said("grofvuil", "afval", None), True, 0),  # plainly the closed one
    ("het grofvuil ligt er nog steeds", [LAMP, GROFVUIL], Said("grofvuil", "afval", None), False, 1),  # not the last
    ("het grofvuil ligt er nog steeds", [STADSWERKEN_LAMP, GROFVUIL], Said("grofvuil", "afval", None), False, 1),
    ("herrie, nog steeds", [GROFVUIL], Said("overlast", "vth", None), False, None),  # a new subject
    ("nog steeds kapot", [GROFVUIL], Said(None, None, "Biltstraat"), False, None),  # another street
    ("er ligt weer een matras", [GROFVUIL], UNSURE, False, None),  # does not say it is not solved
    ("ligt er nog steeds", [], UNSURE, False, None),
    ("de buren maken nog steeds elke nacht herrie", [GROFVUIL], UNSURE, False, None),  # a subject of its own
])
def test_case_to_look_at(text: str, closed: list[ClosedCase], said: Said, has_open: bool,
                         expected: int | None) -> None:
    assert case_to_look_at(text, PHRASES, closed, said, NOW, has_open_case=has_open) == expected


@pytest.mark.parametrize(("closed_ago", "expected"), [
    (timedelta(days=2), 0),
    (REOPEN_WINDOW, 0),
    (REOPEN_WINDOW + timedelta(minutes=1), None),
])
def test_the_window(closed_ago: timedelta, expected: int | None) -> None:
    case = ClosedCase(NOW - closed_ago, "grofvuil", "afval", "Kanaalstraat")
    assert case_to_look_at("ligt er nog steeds", PHRASES, [case], UNSURE, NOW, has_open_case=False) == expected


@pytest.mark.parametrize(("text", "count"), [
    ("Het ligt er nog steeds", 1),
    ("Echt, nog steeds niet opgehaald!", 0),  # "echt" is no subject; the phrases count for nothing
    ("De buren maken nog steeds elke nacht herrie", 4),
    ("It is still broken, really", 0),
])
def test_own_words(text: str, count: int) -> None:
    assert own_words(text, PHRASES) == count
