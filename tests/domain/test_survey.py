"""The resident's verdict: button values, typed answers, validity and when it asks for another look."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from wijkbot.domain.survey import (
    SurveyAnswer,
    is_valid,
    needs_another_look,
    parse_choice,
    parse_text,
    score_value,
    solved_value,
)


@pytest.mark.parametrize(("value", "expected"), [
    (score_value("t1", 4), SurveyAnswer("t1", score=4)),
    (solved_value("t1", False), SurveyAnswer("t1", solved=False)),
    (solved_value("t1", True), SurveyAnswer("t1", solved=True)),
    ("survey:t1:score:6", None),
    ("survey:t1:score:0", None),
    ("survey::score:3", None),
    ("survey:t1:solved:misschien", None),
    ("case:UT-2026-000001", None),
    ("", None),
])
def test_button_values(value: str, expected: SurveyAnswer | None) -> None:
    assert parse_choice(value) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("4", SurveyAnswer("t", score=4)),
    (" 5! ", SurveyAnswer("t", score=5)),
    ("2 nee", SurveyAnswer("t", score=2, solved=False)),
    ("Ja", SurveyAnswer("t", solved=True)),
    ("nee.", SurveyAnswer("t", solved=False)),
    ("6", None),
    ("de lamp is weer kapot", None),  # a new message, not an answer
    ("", None),
])
def test_typed_answers(text: str, expected: SurveyAnswer | None) -> None:
    assert parse_text("t", text) == expected


@pytest.mark.parametrize(("days", "valid"), [(0, True), (13.9, True), (14, True), (14.01, False)])
def test_valid_for_fourteen_days(days: float, valid: bool) -> None:
    closed = datetime(2026, 11, 2, 10, tzinfo=UTC)
    assert is_valid(closed, closed + timedelta(days=days)) is valid


@pytest.mark.parametrize(("score", "solved", "look"), [
    (5, True, False), (3, None, False), (2, True, True), (1, None, True), (4, False, True), (None, False, True),
    (None, True, False), (None, None, False),
])
def test_when_an_ambtenaar_looks_again(score: int | None, solved: bool | None, look: bool) -> None:
    assert needs_another_look(score, solved) is look
