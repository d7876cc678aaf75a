"""Splitting long texts for a channel's limit, and slash commands (pure)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wijkbot.domain import attachments, commands
from wijkbot.domain.commands import Command, asks_for_status
from wijkbot.domain.split import split_text

PARAGRAPH = "Dit is een zin over de straat. " * 5


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("kort", 10, ["kort"]),
        ("", 10, [""]),
        ("een twee drie vier", 10, ["een twee", "drie vier"]),  # at a space, not in a word
        ("Eerste zin. Tweede zin is langer.", 20, ["Eerste zin.", "Tweede zin is", "langer."]),
        ("alinea een\n\nalinea twee", 15, ["alinea een", "alinea twee"]),  # a paragraph break first
        ("regel een\nregel twee", 12, ["regel een", "regel twee"]),
        ("abcdefghij", 4, ["abcd", "efgh", "ij"]),  # no break at all: cut
        ("😀😀😀", 4, ["😀😀", "😀"]),  # emoji count two UTF-16 units, and are never cut in half
    ],
)
def test_split_text(text: str, limit: int, expected: list[str]) -> None:
    assert split_text(text, limit) == expected


def test_split_prefers_paragraphs_and_fills_parts() -> None:
    text = "\n\n".join([PARAGRAPH.strip()] * 60)
    parts = split_text(text, 4096)
    assert all(utf16(p) <= 4096 for p in parts)
    assert all(p.endswith("straat.") for p in parts)  # every cut at the end of a paragraph
    assert all(utf16(p) > 2048 for p in parts[:-1])
    assert "\n\n".join(parts) == text


@given(st.text(max_size=3000), st.integers(min_value=2, max_value=300))
def test_split_fits_keeps_order_and_loses_only_whitespace(text: str, limit: int) -> None:
    parts = split_text(text, limit)
    assert all(utf16(p) <= limit or len(p) == 1 for p in parts)
    assert "".join("".join(parts).split()) == "".join(text.split())
    assert split_text(text, limit) == parts  # deterministic: a retry skips exactly the parts delivered


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/status", ("status", "")),
        ("/status UT-2026-000012", ("status", "UT-2026-000012")),
        ("/Taal   en ", ("taal", "en")),
        ("/start@wijkbot_bot", ("start", "")),
        ("/verwijder\nalstublieft", ("verwijder", "alstublieft")),
        ("/ Kanaalstraat", None),
        ("1/2 van de straat", None),
        ("status", None),
        ("/status?", None),
    ],
)
def test_parse(text: str, expected: tuple[str, str] | None) -> None:
    assert commands.parse(text) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [("start", Command.START), ("HULP", Command.HELP), ("language", Command.LANGUAGE), ("delete", Command.ERASE),
     ("status@wijkbot_bot", Command.STATUS), ("fietsenrek", None), ("", None), (None, None)],
)
def test_resolve(name: str | None, expected: Command | None) -> None:
    assert commands.resolve(name) == expected


@pytest.mark.parametrize(("args", "expected"), [("en", "en"), ("English", "en"), ("nl", "nl"),
                                                 ("Nederlands graag", "nl"), ("fr", None), ("", None)])
def test_language(args: str, expected: str | None) -> None:
    assert commands.language(args) == expected


@pytest.mark.parametrize(
    ("requested", "due"),
    [(date(2026, 11, 23), date(2026, 12, 23)), (date(2026, 12, 15), date(2027, 1, 15)),
     (date(2027, 1, 31), date(2027, 2, 28)), (date(2028, 1, 31), date(2028, 2, 29))],
)
def test_erasure_due_is_one_month(requested: date, due: date) -> None:
    assert commands.erasure_due(requested) == due


@pytest.mark.parametrize(
    ("content_type", "size", "received", "expected"),
    [
        ("image/jpeg", 1000, 1000, None),
        ("application/pdf", 0, 5000, None),
        ("IMAGE/PNG; charset=binary", 10, 10, None),
        ("image/jpeg", 11 * 1024 * 1024, 0, attachments.Refusal.TOO_LARGE),
        ("image/jpeg", 100, 11 * 1024 * 1024, attachments.Refusal.TOO_LARGE),
        ("audio/ogg", 100, 0, attachments.Refusal.KIND),
        ("application/x-msdownload", 100, 100, attachments.Refusal.KIND),
        ("image/jpeg", 1000, 0, attachments.Refusal.NOT_RECEIVED),
    ],
)
def test_attachment_refusal(content_type: str, size: int, received: int,
                            expected: attachments.Refusal | None) -> None:
    assert attachments.refusal(content_type, size, received, attachments.DEFAULT_MAX_BYTES) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("hoe staat het met mijn melding", True),
    ("Hoe staat het met mijn melding?", True),
    ("Is er al nieuws?", True),
    ("What is the status of my report?", True),
    ("hoe staat het ervoor met UT-2026-000003", True),
    # more than a status question: it goes to its case
    ("hoe staat het met mijn melding over de lantaarnpaal, het is nog steeds donker en ik val bijna", False),
    ("De lantaarnpaal in de Kanaalstraat is kapot", False),
    ("er is nieuws: de lamp doet het weer", False),
    ("Is er al nieuws? Ik ruik weer gas", False),  # more than a status question: danger goes its own way
    ("wat is de status? er ligt nu ook grofvuil", False),
    ("", False),
])
def test_a_status_question_in_own_words(text: str, expected: bool) -> None:
    assert asks_for_status(text) is expected
