"""When a message after closing is a request to look again (domain.reopen): phrases, subject, window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from wijkbot.domain.reopen import (
    REOPEN_WINDOW,
    ClosedCase,
    Said,
    about_other_subject,
    asks_another_look,
    says_not_solved,
)

PHRASES = ("nog steeds", "niet opgehaald", "still broken")
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
CLOSED = ClosedCase(NOW - timedelta(days=2), "grofvuil", "afval", "Kanaalstraat")
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


@pytest.mark.parametrize(("said", "other"), [
    (UNSURE, False),
    (Said("grofvuil", "afval", "Kanaalstraat"), False),
    (Said("grofvuil", "afval", "kanaalstraat"), False),  # case aside
    (Said("zwerfafval", "afval", None), False),  # overlapping categories of one vakdienst
    (Said(None, None, "Biltstraat"), True),  # another street
    (Said("straatverlichting", "stadswerken", None), True),  # another subject, another vakdienst
    (Said("straatverlichting", "stadswerken", "Kanaalstraat"), True),
])
def test_about_other_subject(said: Said, other: bool) -> None:
    assert about_other_subject(said, CLOSED) is other


@pytest.mark.parametrize(("closed_ago", "text", "expected"), [
    (timedelta(days=2), "ligt er nog steeds", True),
    (REOPEN_WINDOW, "ligt er nog steeds", True),
    (REOPEN_WINDOW + timedelta(minutes=1), "ligt er nog steeds", False),
    (timedelta(days=2), "er ligt weer een matras", False),
])
def test_asks_another_look(closed_ago: timedelta, text: str, expected: bool) -> None:
    case = ClosedCase(NOW - closed_ago, "grofvuil", "afval", "Kanaalstraat")
    assert asks_another_look(text, PHRASES, case, UNSURE, NOW) is expected


def test_no_closed_case_no_request() -> None:
    assert asks_another_look("nog steeds", PHRASES, None, UNSURE, NOW) is False
