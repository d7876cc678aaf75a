"""The learned router's fast scores are the model's own scores (model format 2: the text as a sum of words).

`MessageScores` keeps every word's share of the scores as a row and sums rows per message; the definition is
`LinearModel.scores((text, location))` through `learning/encoding.py`, which training uses too. The two must
agree to float rounding on any message, first seen or again, with the word rows warmed at start-up or not,
and after the word rows fill up and start again; and the learned router must pick the label the definition
picks. Messages are made up from the rule files' example sentences (tests/routing/sentences.py).
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.routing.sentences import example_rows, messages
from tests.support.models import with_format
from wijkbot.domain.routing import Router
from wijkbot.domain.rules import RuleSet
from wijkbot.learning import fastpath
from wijkbot.learning.build import train_models
from wijkbot.learning.fastpath import MessageScores
from wijkbot.learning.features import location_features
from wijkbot.learning.history import parse_rows
from wijkbot.learning.persist import ModelFormatError, from_bytes, to_bytes
from wijkbot.learning.router import LearnedModels, LearnedRouter


@pytest.fixture(scope="module")
def models(rules: RuleSet) -> LearnedModels:
    """Trained on a made-up history: the rule files' examples and misspelt copies, with their labels."""
    rows = example_rows(rules, seed=5)
    for row in rows[3::4]:  # every fourth with a street, so the location block has something to learn
        row["street"] = next(iter(rules.streets), "")
    history = parse_rows(rows, {"text", "category", "team", "street"}, rules)
    return from_bytes(to_bytes(train_models(history, Router(rules))))  # as the service gets it: stored, loaded


def _definition(models: LearnedModels, text: str, location: dict[str, float]) -> np.ndarray:
    assert models.category is not None and models.department is not None
    return np.concatenate([models.category.scores((text, location)), models.department.scores((text, location))])


def _location(rules: RuleSet, street: str | None, postcode: str | None, town: str | None) -> dict[str, float]:
    area = Router(rules).areas.locate("", street, postcode, town).wijk
    return dict(location_features(street, postcode, town, area))


@pytest.mark.parametrize("warm", [True, False])
def test_fast_scores_equal_the_models_scores(rules: RuleSet, models: LearnedModels, warm: bool) -> None:
    assert models.category is not None and models.department is not None
    fast = MessageScores([models.category, models.department], models.words if warm else ())
    sample = messages(rules, seed=21, count=300)
    for attempt in ("first sight", "again"):
        for message in sample:
            location = _location(rules, message.street, message.postcode, message.town)
            got = np.asarray(fast.of(message.text, location))
            assert np.allclose(got, _definition(models, message.text, location), rtol=1e-5, atol=1e-5), (
                attempt, message)


@pytest.mark.parametrize("warm", [True, False])
def test_fast_scores_equal_the_models_scores_for_words_with_an_ngram_twice(rules: RuleSet, models: LearnedModels,
                                                                          warm: bool) -> None:
    """A word like "afvalafval" holds a known n-gram twice: it weighs 1 + ln 2, not 2, so it is no plain sum of
    its n-grams' rows (the fast path keeps such a word in a row of its own)."""
    assert models.category is not None and models.department is not None
    fast = MessageScores([models.category, models.department], models.words if warm else ())
    grams = sorted(name[2:].strip() for name in models.category.blocks[0].vocabulary if name.startswith("c:"))
    doubled = [gram * 3 for gram in grams if len(gram) == 4][:40]  # every 4-gram of "abcdabcdabcd" comes twice
    assert doubled
    for attempt in ("first sight", "again"):
        for number, word in enumerate(doubled):
            text = f"{word} {doubled[number - 1]} bij de stoep"
            location = _location(rules, None, None, None)
            got = np.asarray(fast.of(text, location))
            assert np.allclose(got, _definition(models, text, location), rtol=1e-5, atol=1e-5), (attempt, text)


def test_fast_scores_stay_right_when_the_word_rows_start_again(rules: RuleSet, models: LearnedModels,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fastpath, "CACHE_SIZE", 7)
    assert models.category is not None and models.department is not None
    fast = MessageScores([models.category, models.department], models.words)
    for message in messages(rules, seed=22, count=80):
        location = _location(rules, message.street, message.postcode, message.town)
        got = np.asarray(fast.of(message.text, location))
        assert np.allclose(got, _definition(models, message.text, location), rtol=1e-5, atol=1e-5), message
    # bounded: the words (and their rows) were dropped and made again (a message in progress adds its own)
    assert len(fast._words) < 7 + 60 and fast._used - fast._first_word < 7 + 60


def test_the_learned_router_picks_what_the_model_scores_highest(rules: RuleSet, models: LearnedModels) -> None:
    assert models.category is not None and models.department is not None
    router = LearnedRouter(Router(rules), models)
    split = len(models.category.labels)
    checked = 0
    for message in messages(rules, seed=23, count=300):
        decision = router.route(message.text, message.street, message.postcode, message.town)
        if not any(r.startswith("geleerd van") for r in decision.reasons):
            continue  # out of scope: the rules decide
        base = Router(rules).route(message.text, message.street, message.postcode, message.town)
        area = base.area.wijk or models.area_by_pc4.get((message.postcode or "")[:4])
        location = dict(location_features(message.street, message.postcode, message.town, area))
        scores = _definition(models, message.text, location)
        category, department = scores[:split], scores[split:]
        top = np.sort(category)[-2:]
        if top[1] - top[0] > 1e-4:  # a near tie may fall either way with the sums in another order
            assert decision.suggested_category == models.category.labels[int(np.argmax(category))], message
            checked += 1
        if np.ptp(np.sort(department)[-2:]) > 1e-4:
            assert decision.suggested_department == models.department.labels[int(np.argmax(department))]
    assert checked > 200


def test_warming_the_word_rows_changes_no_decision(rules: RuleSet, models: LearnedModels) -> None:
    warm = LearnedRouter(Router(rules), models, warm=True)
    cold = LearnedRouter(Router(rules), models, warm=False)
    for message in messages(rules, seed=24, count=200):
        args = (message.text, message.street, message.postcode, message.town)
        assert warm.route(*args) == cold.route(*args), message


def test_a_model_of_the_old_format_is_refused_with_a_reason(models: LearnedModels) -> None:
    """Format 1 read the text as one TF-IDF vector: its weights mean something else now, so it must be
    trained again rather than used."""
    with pytest.raises(ModelFormatError, match="train it again"):
        from_bytes(with_format(to_bytes(models), 1))
