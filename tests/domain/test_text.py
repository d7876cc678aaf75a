"""Text helpers: clipping a long message never leaves half a word."""

from __future__ import annotations

import pytest

from wijkbot.domain.model import Area
from wijkbot.domain.text import clip


@pytest.mark.parametrize(("text", "limit", "expected"), [
    ("lamp kapot", 20, "lamp kapot"),  # short enough: unchanged
    ("lamp kapot", 10, "lamp kapot"),  # exactly the limit
    ("lamp kapot", 7, "lamp"),  # the limit falls in "kapot"
    ("lamp kapot", 5, "lamp"),  # the limit falls on the space
    ("lamp kapot", 4, "lamp"),  # the limit falls just after "lamp"
    ("lamp\nkapot", 7, "lamp"),  # a line break is a word boundary too
    ("lantaarnpaal", 5, "lanta"),  # one word longer than the limit: cut, there is no better place
])
def test_clip(text: str, limit: int, expected: str) -> None:
    assert clip(text, limit) == expected


@pytest.mark.parametrize(("area", "label"), [
    (Area("West", "Lombok-West", "BU1", None, ""), "Lombok-West, West"),
    (Area("Katwijk aan Zee", "Katwijk aan Zee", "K1", None, ""), "Katwijk aan Zee"),  # a kern is both
    (Area("West", None, None, None, ""), "West"),
    (Area(None, None, None, None, ""), ""),
    # a buurt named as a list (CBS): its wijk in brackets, or "... Janskerkhof, Binnenstad" reads as one list
    (Area("Binnenstad", "Domplein, Neude, Janskerkhof", "BU2", None, ""), "Domplein, Neude, Janskerkhof (Binnenstad)"),
])
def test_area_label_names_each_place_once(area: Area, label: str) -> None:
    assert area.label == label
