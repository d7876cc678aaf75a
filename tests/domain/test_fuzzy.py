"""Typo matching against the keyword vocabulary finds exactly what rapidfuzz finds against every name.

The letters-and-lengths filter in `Vocabulary` only rules out names that cannot reach the cut-off, so the
matches, their order and their ties must be those of `process.extract` over the whole list: for the
vocabularies of both municipalities, for made-up typos of their own words (a letter dropped, added, swapped
or changed) and for unrelated words.
"""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from wijkbot.domain.fuzzy import Vocabulary, letters
from wijkbot.domain.routing import Router
from wijkbot.domain.rules import RuleSet

CUTOFF = 85.0


def _extract(query: str, names: list[str]) -> tuple[str, ...]:
    return tuple(m for m, _s, _i in process.extract(query, names, scorer=fuzz.ratio, score_cutoff=CUTOFF, limit=None))


def _typos(word: str, rng: random.Random) -> list[str]:
    letters_ = "abcdefghijklmnopqrstuvwxyz"
    i = rng.randrange(len(word))
    return [
        word[:i] + word[i + 1:],  # dropped
        word[:i] + rng.choice(letters_) + word[i:],  # added
        word[:i] + rng.choice(letters_) + word[i + 1:],  # changed
        word[:i] + word[i + 1:i + 2] + word[i:i + 1] + word[i + 2:],  # swapped
        word + "en",
        word[: max(1, len(word) // 2)],
    ]


def test_the_vocabulary_finds_what_rapidfuzz_finds_for_typos_of_its_own_words(rules: RuleSet) -> None:
    names = Router(rules)._index._fuzzy_vocab
    vocabulary = Vocabulary(names, CUTOFF)
    rng = random.Random(7)
    queries = [typo for name in names for typo in _typos(name, rng)]
    queries += ["lantaarnpaal", "xyzzyxyzzy", "parkeerplaats", "aaaaaaaaaa", "12345", "straatverlichting"]
    found = vocabulary.matches(queries)
    assert any(found), "some typos must match"
    for query, matches in zip(queries, found, strict=True):
        assert matches == _extract(query, names), query


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="aeiourstnlkdpbg", min_size=5, max_size=12), min_size=1, max_size=6),
       st.text(alphabet="aeiourstnlkdpbgz0", min_size=1, max_size=16))
def test_any_word_against_any_names(names: list[str], query: str) -> None:
    assert Vocabulary(names, CUTOFF).matches([query]) == [_extract(query, names)]


def test_letters_are_a_set_of_bits() -> None:
    assert letters("abba") == letters("ab") == letters("ba")
    assert letters("a") != letters("b")
    assert letters("") == 0
