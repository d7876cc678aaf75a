"""Building LearnedModels from a History: features, both models, the held-out threshold, the PC4 prior.

Invariants: the same features as at routing time (the rule router resolves the area first); the threshold
comes from folds the model did not see; progress is reported through a callback, so the CLI can show a bar.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from wijkbot.domain.routing import Router
from wijkbot.domain.text import words
from wijkbot.learning.features import MAX_CHARS, location_features, text_features
from wijkbot.learning.history import Example, History
from wijkbot.learning.router import LearnedModels
from wijkbot.learning.training import MIN_DF, build_space, choose_threshold, fit, fold_indices

Progress = Callable[[str, int, int], None]
TARGET_PRECISION = 0.90
THRESHOLD_FOLDS = 3


def _quiet(_step: str, _done: int, _total: int) -> None:
    return None


def area_prior(history: Sequence[Example], router: Router) -> dict[str, str]:
    """PC4 -> the area most messages with that postcode were located in (for messages that name no street)."""
    counts: dict[str, Counter[str]] = {}
    for example in history:
        if example.pc4:
            area = router.areas.locate("", example.street, None, example.town).wijk
            if area:
                counts.setdefault(example.pc4[:4], Counter())[area] += 1
    return {pc4: c.most_common(1)[0][0] for pc4, c in counts.items()}


def history_words(history: Sequence[Example], min_df: int = MIN_DF) -> tuple[str, ...]:
    """The words of at least `min_df` messages (normalised, sorted): kept with the model to warm caches."""
    df: Counter[str] = Counter()
    for example in history:
        df.update(set(words(example.text[:MAX_CHARS])))
    return tuple(sorted(w for w, count in df.items() if count >= min_df))


def featurise(examples: Sequence[Example], router: Router, prior: dict[str, str],
              progress: Progress = _quiet) -> list[list[Counter[str]]]:
    rows = []
    for done, example in enumerate(examples, start=1):
        area = router.areas.locate(example.text, example.street, example.pc4, example.town).wijk
        area = area or prior.get((example.pc4 or "")[:4])
        rows.append([text_features(example.text), location_features(example.street, example.pc4, example.town, area)])
        if done % 250 == 0 or done == len(examples):
            progress("kenmerken", done, len(examples))
    return rows


def train_models(history: History, router: Router, progress: Progress = _quiet,
                 precision: float = TARGET_PRECISION) -> LearnedModels:
    examples = history.examples
    router.prepare(e.text for e in examples)  # typo matches for the municipality's own vocabulary, once
    prior = area_prior(examples, router)
    features = featurise(examples, router, prior, progress)
    models = LearnedModels(area_by_pc4=prior, words=history_words(examples))
    space = build_space(features)  # one space for both models: a message is turned into numbers once
    labelled = [i for i, e in enumerate(examples) if e.category]
    if labelled:
        labels = [str(examples[i].category) for i in labelled]
        rows = [features[i] for i in labelled]
        models.category = fit(rows, labels, space)
        models.category.threshold = _held_out_threshold(rows, labels, precision, progress)
        models.counts["category"] = Counter(labels)
    with_department = [i for i, e in enumerate(examples) if e.department]
    if with_department:
        departments = [str(examples[i].department) for i in with_department]
        models.department = fit([features[i] for i in with_department], departments, space)
        models.counts["department"] = Counter(departments)
    progress("klaar", 1, 1)
    return models


def _held_out_threshold(rows: Sequence[Sequence[Counter[str]]], labels: Sequence[str], precision: float,
                        progress: Progress) -> float:
    folds = fold_indices(labels, THRESHOLD_FOLDS)
    margins: list[float] = []
    correct: list[bool] = []
    for number, held_out in enumerate(folds, start=1):
        held = set(held_out)
        train = [i for i in range(len(rows)) if i not in held]
        if len({labels[i] for i in train}) < 2 or not held_out:
            continue
        model = fit([rows[i] for i in train], [labels[i] for i in train])
        for i in held_out:
            label, margin, _ = model.predict(rows[i])
            margins.append(margin)
            correct.append(label == labels[i])
        progress("drempel", number, len(folds))
    threshold = choose_threshold(margins, correct, precision) if margins else 0.5
    return threshold if threshold != float("inf") else max(margins, default=0.5)
