import pytest

from wijkbot.domain.matching import Keyword, KeywordIndex
from wijkbot.domain.text import normalise, split_compound

INDEX = KeywordIndex([
    Keyword("grofvuil", "afval"),
    Keyword("naast de container", "afval"),
    Keyword("lantaarnpaal", "licht"),
    Keyword("gft", "afval"),
    Keyword("heg", "groen"),
    Keyword("geluidsoverlast", "geluid"),
    Keyword("brand", "urgent", fuzzy=False),
])


def found(text: str) -> set[tuple[str, bool]]:
    return {(h.keyword.phrase, h.exact) for h in INDEX.find(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Er ligt grofvuil", {("grofvuil", True)}),
        ("Er ligt grofvuul", {("grofvuil", False)}),  # a typo in a long word is tolerated
        ("GROFVUIL!!!", {("grofvuil", True)}),
        ("vuilniszak naast de container", {("naast de container", True)}),
        ("de container staat naast de deur", set()),  # the phrase must appear in order
        ("De lantaarpaal is stuk", {("lantaarnpaal", False)}),
        ("lantaarnpalen kapot", {("lantaarnpaal", True)}),  # the stem matches the plural
        ("geluids overlast van de buren", {("geluidsoverlast", True)}),  # joined neighbours
        ("lantaarn palen kapot", {("lantaarnpaal", True)}),  # joined, and the stem matches the plural
        ("grof vuil op straat", {("grofvuil", True)}),
        ("gft bak vol", {("gft", True)}),
        ("hegemonie", set()),  # short keywords never match inside a longer word
        ("de lamp brandt niet", set()),  # fuzzy off: "brandt" is not "brand"
        ("er is brand", {("brand", True)}),
        ("", set()),
        ("\x00\x01<script>alert(1)</script>", set()),
        ("🙂🙂🙂", set()),
    ],
)
def test_keyword_index_finds(text: str, expected: set[tuple[str, bool]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Café Één", "cafe een"), ("  a--b  ", "a b"), ("Straat 12A", "straat 12a"), ("\u200b", "")],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize(
    ("word", "parts"),
    [("lantaarnpaal", ("lantaarn", "paal")), ("geluidsoverlast", ("geluid", "overlast")), ("paal", ("paal",))],
)
def test_split_compound(word: str, parts: tuple[str, ...]) -> None:
    assert split_compound(word) == parts


def test_neighbours_are_joined_only_after_the_start_of_a_keyword() -> None:
    """"grof vuil" is the keyword written apart, and the explanation shows it as the resident wrote it; after a
    word that is a whole keyword already ("grofvuil en"), nothing is joined: the word itself is the hit."""
    assert [h.found for h in INDEX.find("er ligt grof vuil")] == ["grof vuil"]
    assert [h.found for h in INDEX.find("grofvuil en meer")] == ["grofvuil"]
