"""The fast rule router takes exactly the decisions of the straightforward path it replaced (issue 3).

The reference is the old code, kept verbatim in tests/routing/reference_rules.py. Every field of every
Decision must be equal (category, department, area, kind, triage, confidence, reasons, ...), for both
municipalities, on a first sight of a message (cold caches) and again (warm caches). Messages longer than
MAX_TEXT are the one documented difference: they are judged by their start. (The learned model's message
vector changed on purpose in model format 2; tests/learning/test_fast_scores.py holds the fast path to it.)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from tests.routing.reference_rules import ReferenceRouter
from tests.routing.sentences import Message, example_rows, messages
from wijkbot.domain.routing import MAX_TEXT, Decision, Router
from wijkbot.domain.rules import RuleSet
from wijkbot.domain.text import clip
from wijkbot.learning.build import train_models
from wijkbot.learning.history import parse_rows
from wijkbot.learning.persist import from_bytes, to_bytes
from wijkbot.learning.router import LearnedRouter


@pytest.fixture(scope="module")
def stored_model(rules: RuleSet) -> bytes:
    """A model trained on a made-up history: the rule files' examples and misspelt copies, with their labels."""
    rows = example_rows(rules, seed=5)
    history = parse_rows(rows, {"text", "category", "team"}, rules)
    return to_bytes(train_models(history, Router(rules)))


def _pairs(rules: RuleSet) -> Iterator[Message]:
    yield from messages(rules, seed=11, count=400)


def _route(router: Router | LearnedRouter | ReferenceRouter, m: Message) -> Decision:
    return router.route(m.text, m.street, m.postcode, m.town)


def test_rule_router_decides_as_before(rules: RuleSet) -> None:
    fast, reference = Router(rules), ReferenceRouter(rules)
    sample = list(_pairs(rules))
    for attempt in ("first sight", "again, warm caches"):
        for message in sample:
            assert _route(fast, message) == _route(reference, message), (attempt, message)


def test_keyword_hits_come_in_the_same_order(rules: RuleSet) -> None:
    """The order of the hits decides in which order a category's evidence is summed: it must not change."""
    fast, reference = Router(rules), ReferenceRouter(rules)
    for message in _pairs(rules):
        assert fast._index.find(message.text) == reference._index.find(message.text), message


def test_places_are_found_as_before(rules: RuleSet) -> None:
    fast, reference = Router(rules), ReferenceRouter(rules)
    for message in _pairs(rules):
        for hints in ((message.street, message.postcode, message.town), (None, None, None)):
            assert fast.areas.locate(message.text, *hints) == reference.areas.locate(message.text, *hints), message


def test_a_very_long_message_is_judged_by_its_start(rules: RuleSet, stored_model: bytes) -> None:
    """A megabyte of text gets the decision its first MAX_TEXT characters get (and no wait of seconds), cut
    before a word the bound would split: no half word ("lantaa") among the words found."""
    text = "Hoi " + "Er ligt grofvuil naast de container en de lantaarnpaal is kapot. " * 16_000
    assert text[MAX_TEXT - 1] != " " and text[MAX_TEXT] != " "  # the bound falls inside "lantaarnpaal"
    start = clip(text, MAX_TEXT)
    assert start == text[:MAX_TEXT].rsplit(" ", 1)[0] and start.endswith(" de")
    for router in (Router(rules), LearnedRouter(Router(rules), from_bytes(stored_model))):
        assert router.route(text) == router.route(start)
    reference = ReferenceRouter(rules)
    assert Router(rules).route(start) == reference.route(start)
    assert all(term in text.split() or " " in term for term in Router(rules).route(text).matched_terms)


def test_the_learned_router_builds_every_field_of_a_decision() -> None:
    """LearnedRouter.route builds its Decision field by field (dataclasses.replace is slow): a field added to
    Decision must be added there too, or the learned router would silently drop it."""
    assert [f.name for f in dataclasses.fields(Decision)] == [
        "kind", "category", "department", "area", "confidence", "triage", "urgent", "crisis", "out_of_scope",
        "suggested_category", "suggested_department", "ambition", "matched_terms", "reasons",
    ]
