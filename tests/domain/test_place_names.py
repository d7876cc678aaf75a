"""The typo search for place names in a message finds what comparing every word group with every name finds.

`PlaceNames.first_typo_in` skips most word groups with a bound on the letters they lose against each name
(docstring of domain/place_names.py). The bound may only skip groups that cannot reach the cut-off, so the
result must be that of the straightforward search: every group of up to four words, longest first and then
from the start, against every name with its first letter, the closest name first on a tie in the order of
the names by length. Checked for the streets of both municipalities with made-up typos in made-up messages,
and with Hypothesis near the cut-off; for words seen for the first time, the second time and worked out
ahead (the three states a word's misses can be in).
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from tests.routing.sentences import typo
from wijkbot.domain.place_names import FUZZY_NAME_CUTOFF, MAX_GROUP_WORDS, MIN_FUZZY_NAME, PlaceNames
from wijkbot.domain.routing import Router
from wijkbot.domain.rules import RuleSet


def _words(text: str) -> list[str]:
    return text.split()


FILLER = _words("de lantaarnpaal in onze straat is al weken kapot en het is donker bij de speeltuin naast het "
                "kanaal graag snel actie want kinderen lopen hier s avonds langs met de hond")


def _straightforward(tokens: list[str], names: list[str], longest: int) -> str | None:
    by_length = sorted(names, key=len)
    for size in range(longest, 0, -1):
        for start in range(len(tokens) - size + 1):
            group = "".join(tokens[start:start + size])
            if len(group) < MIN_FUZZY_NAME:
                continue
            same_initial = [name for name in by_length if name[0] == group[0]]
            found = process.extractOne(group, same_initial, scorer=fuzz.ratio, score_cutoff=FUZZY_NAME_CUTOFF)
            if found is not None:
                return str(found[0])
    return None


def _three_states(names: PlaceNames[str], tokens: list[str]) -> list[str | None]:
    """First sight (nothing known of the words), second sight (worked out on the way), worked out ahead."""
    first = names.first_typo_in(tokens, MAX_GROUP_WORDS)
    second = names.first_typo_in(tokens, MAX_GROUP_WORDS)
    ahead = PlaceNames(names.keys)
    ahead.learn(tokens, exact=True)
    return [first, second, ahead.first_typo_in(tokens, MAX_GROUP_WORDS)]


def _message_with(street_words: list[str], rng: random.Random) -> list[str]:
    before = rng.sample(FILLER, rng.randrange(0, 12))
    after = rng.sample(FILLER, rng.randrange(0, 12))
    return before + street_words + after


def _misspelt(name: str, rng: random.Random) -> list[str]:
    """A street name as a resident may write it: a slip or two, split in words or not."""
    written = typo(name, rng)
    if rng.random() < 0.4:
        written = typo(written, rng)
    if len(written) > 9 and rng.random() < 0.5:
        cut = rng.randrange(3, len(written) - 3)
        return [written[:cut], written[cut:]]
    return [written]


def test_misspelt_streets_in_messages_are_found_as_the_straightforward_search_finds_them(rules: RuleSet) -> None:
    streets = Router(rules).areas._streets
    names = list(streets.keys)
    rng = random.Random(3)
    found = 0
    for name in rng.sample(names, min(len(names), 120)):
        tokens = _message_with(_misspelt(name, rng), rng)
        expected = _straightforward(tokens, names, MAX_GROUP_WORDS)
        assert _three_states(streets, tokens) == [expected] * 3, tokens
        found += expected is not None
    assert found > 40, "most misspelt streets must still be found, or this test checks little"


def test_messages_without_a_street_find_none(rules: RuleSet) -> None:
    streets = Router(rules).areas._streets
    names = list(streets.keys)
    rng = random.Random(4)
    for _ in range(40):
        tokens = rng.sample(FILLER, rng.randrange(1, len(FILLER)))
        assert _three_states(streets, tokens) == [_straightforward(tokens, names, MAX_GROUP_WORDS)] * 3, tokens


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(alphabet="aeklnorst", min_size=MIN_FUZZY_NAME, max_size=16), min_size=1, max_size=8,
                unique=True),
       st.lists(st.text(alphabet="aeklnorstz", min_size=1, max_size=9), min_size=1, max_size=10))
def test_any_words_against_any_names(names: list[str], tokens: list[str]) -> None:
    """Few letters, so that groups land near the cut-off, on both sides of it."""
    place_names = PlaceNames({name: name for name in names})
    assert _three_states(place_names, tokens) == [_straightforward(tokens, names, MAX_GROUP_WORDS)] * 3


def test_a_name_written_across_words_exactly_at_the_cut_off_is_found() -> None:
    """Three slips in a name of 25 letters, split over three words: a ratio of exactly 88. Each slip is a
    letter the name lacks, so the words' misses against it add up to its whole allowance. One more slip and
    it is not a typo of it."""
    names = PlaceNames({"wethoudervandersteenplein": "x", "wethouderlaan": "y", "westerbaan": "z"})
    at_cut_off = _words("de lamp op het wethoudzr vanqer steenplxin is kapot")
    beyond = _words("de lamp op het wethoudzr vanqer stxenplxin is kapot")
    assert _straightforward(at_cut_off, list(names.keys), MAX_GROUP_WORDS) == "wethoudervandersteenplein"
    assert _three_states(names, at_cut_off) == ["wethoudervandersteenplein"] * 3
    assert _straightforward(beyond, list(names.keys), MAX_GROUP_WORDS) is None
    assert _three_states(PlaceNames(names.keys), beyond) == [None] * 3


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aeklnorst", min_size=MIN_FUZZY_NAME, max_size=24), st.data())
def test_a_name_with_slips_split_in_words_among_other_words(name: str, data: st.DataObject) -> None:
    """Slips of any kind in a name, written over up to four words among others: found as the
    straightforward search finds it, at whatever distance from the cut-off the slips leave it."""
    written = list(name)
    for _ in range(data.draw(st.integers(0, 4))):
        at = data.draw(st.integers(1, len(written) - 1))
        kind = data.draw(st.sampled_from(["drop", "add", "change"]))
        if kind == "drop" and len(written) > 2:
            del written[at]
        elif kind == "add":
            written.insert(at, data.draw(st.sampled_from("aeklnorstz")))
        else:
            written[at] = data.draw(st.sampled_from("aeklnorstz"))
    cuts = sorted(data.draw(st.sets(st.integers(1, len(written) - 1), max_size=MAX_GROUP_WORDS - 1)))
    pieces = ["".join(written[a:b]) for a, b in zip([0, *cuts], [*cuts, len(written)], strict=True)]
    others = data.draw(st.lists(st.text(alphabet="aeklnorst", min_size=1, max_size=6), max_size=4))
    tokens = others[:2] + pieces + others[2:]
    names = [name, *data.draw(st.lists(st.text(alphabet="aeklnorst", min_size=MIN_FUZZY_NAME, max_size=20),
                                       max_size=4))]
    place_names = PlaceNames({n: n for n in names})
    assert _three_states(place_names, tokens) == [_straightforward(tokens, names, MAX_GROUP_WORDS)] * 3


def test_groups_of_more_words_than_the_bound_was_made_for_are_refused() -> None:
    names = PlaceNames({"kanaalstraat": "x"})
    with pytest.raises(ValueError, match="at most"):
        names.first_typo_in(["kanaal", "straat"], MAX_GROUP_WORDS + 1)
