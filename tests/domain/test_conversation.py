"""Which open case a new message belongs to (pure), and the button values of the which-case question."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from wijkbot.domain.conversation import (
    CaseChoice,
    LastSent,
    OpenCase,
    Placement,
    Subject,
    case_buttons,
    choice_value,
    parse_choice,
    place,
    plainly_new,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
NEWEST, OLDER = 2, 1


def ago(**delta: float) -> datetime:
    return NOW - timedelta(**delta)


@pytest.mark.parametrize(
    ("cases", "last_sent", "expected"),
    [
        # the resident wrote on it a few minutes ago: just go on
        ([OpenCase(NEWEST, False, ago(minutes=10))], None, Placement(NEWEST, ask=False)),
        ([OpenCase(NEWEST, False, ago(minutes=31))], None, Placement(NEWEST, ask=True)),
        # of two recent ones, the one written on last
        ([OpenCase(NEWEST, False, ago(minutes=20)), OpenCase(OLDER, False, ago(minutes=5))], None,
         Placement(OLDER, ask=False)),
        # the case waits on the resident's answer, even days later
        ([OpenCase(NEWEST, False, ago(days=3)), OpenCase(OLDER, True, ago(days=9))], None,
         Placement(OLDER, ask=False)),
        # an ambtenaar's answer about a case was the last thing sent: the resident answers it
        ([OpenCase(NEWEST, False, ago(days=2)), OpenCase(OLDER, False, ago(days=5))],
         LastSent(OLDER, "reply", ago(hours=4)), Placement(OLDER, ask=False)),
        ([OpenCase(NEWEST, False, ago(days=9))], LastSent(NEWEST, "reply", ago(days=4)), Placement(NEWEST, ask=True)),
        # the acknowledgement asked for a street: an answer to that
        ([OpenCase(NEWEST, False, ago(hours=2), needs_location=True)], LastSent(NEWEST, "ack", ago(hours=2)),
         Placement(NEWEST, ask=False)),
        ([OpenCase(NEWEST, False, ago(hours=2))], LastSent(NEWEST, "ack", ago(hours=2)), Placement(NEWEST, ask=True)),
        # a progress message invites no answer; nothing known: ask, keeping it with the newest
        ([OpenCase(NEWEST, False, ago(days=6))], LastSent(NEWEST, "update", ago(hours=1)), Placement(NEWEST, ask=True)),
        ([OpenCase(NEWEST, False, None), OpenCase(OLDER, False, None)], None, Placement(NEWEST, ask=True)),
    ],
)
def test_place(cases: list[OpenCase], last_sent: LastSent | None, expected: Placement) -> None:
    assert place(cases, last_sent, NOW) == expected


LAMP = OpenCase(NEWEST, False, ago(minutes=10), category="straatverlichting", street="Kanaalstraat")


@pytest.mark.parametrize(
    ("subject", "ask"),
    [
        (None, False),  # no words (a photo): a follow-up
        (Subject(None, None), False),  # words the router is not sure of ("hij doet het nog steeds niet")
        (Subject("straatverlichting", "Kanaalstraat"), False),  # the same lamp, once more
        (Subject("straatverlichting", None), False),
        (Subject(None, "kanaalstraat"), False),  # the same street, however written
        (Subject("grofvuil", None), True),  # plainly another subject, minutes later: ask
        (Subject(None, "Damstraat"), True),  # another street: ask
        (Subject("verkeer", "Kanaalstraat"), False),  # another category's word, same street: a follow-up
    ],
)
def test_a_new_subject_minutes_later_is_asked_about(subject: Subject | None, ask: bool) -> None:
    assert place([LAMP], None, NOW, subject) == Placement(NEWEST, ask=ask)


PIT = OpenCase(NEWEST, False, ago(minutes=1), category="wegdek", street="Biltstraat", department="stadswerken")


@pytest.mark.parametrize(
    ("subject", "ask"),
    [
        (Subject("ongedierte", "Biltstraat", "gggd"), True),  # rats by the bins there: another vakdienst, ask
        (Subject("straatverlichting", "Biltstraat", "stadswerken"), False),  # same vakdienst, same street
        (Subject("ongedierte", "Biltstraat", None), False),  # vakdienst unknown: no difference
        (Subject(None, "Biltstraat", "gggd"), False),  # no subject the router is sure of
        (Subject(None, None, None, "gggd"), True),  # only a guess, but of another vakdienst: ask
        (Subject(None, None, None, "stadswerken"), False),  # a guess of the case's own vakdienst: a follow-up
        # a photo's caption describes the photo: another category's word of the same vakdienst is no new subject
        (Subject("zwerfafval", None, "stadswerken", captions_media=True), False),
        (Subject("ongedierte", None, "gggd", captions_media=True), True),  # but another vakdienst is
        (Subject("zwerfafval", "Damstraat", "stadswerken", captions_media=True), True),  # and so is another street
        (Subject("zwerfafval", None, "stadswerken"), True),  # words alone, without a street: asked
    ],
)
def test_on_the_same_street_another_vakdiensts_subject_is_asked_about(subject: Subject, ask: bool) -> None:
    assert place([PIT], None, NOW, subject) == Placement(NEWEST, ask=ask)


def test_while_the_which_case_question_is_fresh_the_next_words_do_not_ask_again() -> None:
    asked = LastSent(NEWEST, "choice", ago(minutes=2))
    assert place([LAMP], asked, NOW, Subject("grofvuil", None)) == Placement(NEWEST, ask=False)
    stale = LastSent(NEWEST, "choice", ago(minutes=40))
    assert place([LAMP], stale, NOW, Subject("grofvuil", None)) == Placement(NEWEST, ask=True)


def test_an_unknown_on_the_case_is_no_difference() -> None:
    triaged = OpenCase(NEWEST, False, ago(minutes=10))  # no category, no street
    assert place([triaged], None, NOW, Subject("grofvuil", "Damstraat")) == Placement(NEWEST, ask=False)
    assert place([triaged], None, NOW, Subject(None, "Damstraat", None, "afval")) == Placement(NEWEST, ask=False)


def test_place_needs_an_open_case() -> None:
    with pytest.raises(ValueError, match="at least one"):
        place([], None, NOW)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("case:UT-2026-000012:345", CaseChoice(345, "UT-2026-000012")),
        ("case:new:7", CaseChoice(7, None)),
        (" case:new:7 ", CaseChoice(7, None)),
        ("case:new:", None),
        ("case:ut-2026-1:7", None),  # references are upper case
        ("case:UT-2026-000012:7; DROP TABLE", None),
        ("survey:good", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_choice(value: str | None, expected: CaseChoice | None) -> None:
    assert parse_choice(value) == expected


def test_buttons_round_trip_and_fit_telegram() -> None:
    buttons = case_buttons(123456789, [("UT-2026-000003", "Grofvuil"), ("UT-2026-000002", ""),
                                       ("UT-2026-000001", "Hondenpoep"), ("UT-2025-000009", "Graffiti")], "Iets nieuws")
    assert [label for label, _ in buttons] == ["UT-2026-000003 · Grofvuil", "UT-2026-000002",
                                               "UT-2026-000001 · Hondenpoep", "Iets nieuws"]
    assert all(len(value.encode()) <= 64 for _, value in buttons)
    assert [parse_choice(value) for _, value in buttons] == [
        CaseChoice(123456789, "UT-2026-000003"), CaseChoice(123456789, "UT-2026-000002"),
        CaseChoice(123456789, "UT-2026-000001"), CaseChoice(123456789, None)]
    assert choice_value(5, None) == "case:new:5"


def test_a_street_given_for_the_case_that_asked_stays_with_it() -> None:
    """"Kanaalstraat 5", the answer to "in welke straat?", belongs to the lamp case that asked, also when the
    resident's grofvuil case lies in that street."""
    asked = OpenCase(2, False, None, needs_location=True, category="straatverlichting", department="stadswerken")
    same_street = OpenCase(1, False, None, category="grofvuil", street="Kanaalstraat", department="stadswerken")
    answer = Subject(None, "Kanaalstraat", None)
    assert place([asked, same_street], LastSent(2, "ack", ago(minutes=40)), NOW, answer) == Placement(2, ask=False)
    recent = OpenCase(2, False, ago(minutes=5), needs_location=True, category="straatverlichting")
    assert place([recent, same_street], None, NOW, answer) == Placement(2, ask=False)


def test_words_that_match_no_case_are_kept_with_one_they_do_not_contradict() -> None:
    elsewhere = OpenCase(3, False, None, category="grofvuil", street="Dorpsstraat")
    neutral = OpenCase(4, False, None, category="straatverlichting")
    words = Subject(None, "Stationsweg", None)
    assert place([elsewhere, neutral], None, NOW, words) == Placement(4, ask=True)


LAMP_CASE = OpenCase(1, False, None, category="straatverlichting", street="Kanaalstraat", department="stadswerken")
NOISE_CASE = OpenCase(2, False, None, category="burenoverlast", street=None, department="veiligheid")
UNKNOWN_CASE = OpenCase(3, False, None)  # waiting in triage without a suggestion or a street


@pytest.mark.parametrize(("subject", "cases", "expected"), [
    # another street and another category: new
    (Subject("grofvuil", "Biltstraat", "stadswerken"), [LAMP_CASE], True),
    # another vakdienst, also on the same street: new
    (Subject("ongedierte", "Kanaalstraat", "ggd"), [LAMP_CASE], True),
    # the same category: may be the case itself
    (Subject("straatverlichting", "Biltstraat", "stadswerken"), [LAMP_CASE], False),
    # the same vakdienst and no street: may be about the case
    (Subject("bestrating", None, "stadswerken"), [LAMP_CASE], False),
    # another vakdienst but no street of its own: "er zitten nu ook ratten bij het grofvuil" may be about it
    (Subject("ongedierte", None, "ggd"), [LAMP_CASE], False),
    # the router is not sure of the words' category: never new by itself
    (Subject(None, "Biltstraat", None, guessed_department="stadswerken"), [LAMP_CASE], False),
    # one open case says nothing against the words: they may explain it
    (Subject("grofvuil", "Biltstraat", "stadswerken"), [LAMP_CASE, UNKNOWN_CASE], False),
    # against every open case: new
    (Subject("grofvuil", "Biltstraat", "stadswerken"), [LAMP_CASE, NOISE_CASE], True),
    (Subject("grofvuil", "Biltstraat", "stadswerken"), [], False),
])
def test_plainly_new(subject: Subject, cases: list[OpenCase], expected: bool) -> None:
    assert plainly_new(subject, cases) is expected
