"""The other number of a Dutch search word, table-driven: what a substring search would miss."""

from __future__ import annotations

import pytest

from wijkbot.domain.word_forms import search_forms


@pytest.mark.parametrize(("query", "finds"), [
    ("lantaarnpalen", "lantaarnpaal"),
    ("lantaarnpaal", "lantaarnpalen"),
    ("palen", "paal"),
    ("bomen", "boom"),
    ("straten", "straat"),
    ("brieven", "brief"),
    ("huizen", "huis"),
    ("tegels", "tegel"),
    ("containers", "container"),
    ("lampen", "lamp"),
])
def test_a_form_of_the_query_is_in_the_other_number(query: str, finds: str) -> None:
    assert any(form in finds for form in search_forms(query)), search_forms(query)


@pytest.mark.parametrize("query", ["boom", "gras", "Kanaalstraat 12", "100%_", "UT-2026-000001", "jan@x.nl", ""])
def test_short_words_phrases_and_codes_are_searched_as_written(query: str) -> None:
    assert search_forms(query) == (query,)


def test_the_query_itself_comes_first_and_no_form_is_tiny() -> None:
    for query in ("lantaarnpalen", "bakken", "zakken", "meeuwen"):
        forms = search_forms(query)
        assert forms[0] == query and all(len(f) >= 4 for f in forms)
