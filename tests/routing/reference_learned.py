"""The learned router's per-message path as it was before the speed work (issue 3), for timing only.

Verbatim but for the class names and the old feature functions copied in; it routes with
tests.routing.reference_rules.ReferenceRouter. Since the text became a sum of word vectors (model format 2) its
numbers are no longer the model's: `benchmarks/routing.py --compare` times it as the path before, nothing
checks its decisions.
"""

# ruff: noqa
# mypy: ignore-errors
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from tests.routing.reference_rules import ReferenceRouter, normalise, stem
from wijkbot.domain.routing import Decision
from functools import lru_cache

from wijkbot.learning.features import MAX_CHARS, location_features

CHAR_SIZES = (3, 4, 5)


def text_features(text: str) -> Counter[str]:
    words = normalise(text[:MAX_CHARS]).split()
    stems = [stem(w) for w in words]
    features: Counter[str] = Counter("w:" + s for s in stems)
    features.update("b:" + a + "_" + b for a, b in pairwise(stems))
    for word in words:
        features.update(char_grams(word))
    return features


@lru_cache(maxsize=100_000)
def char_grams(word: str) -> tuple[str, ...]:
    padded = f" {word} "
    return tuple("c:" + padded[i:i + size] for size in CHAR_SIZES for i in range(len(padded) - size + 1))
from wijkbot.learning.model import FloatArray, LinearModel
from wijkbot.learning.router import LearnedModels

CACHE_SIZE = 100_000
_EMPTY = np.zeros(0, dtype=np.intp)


class ReferenceMessageVectors:
    def __init__(self) -> None:
        self._model: LinearModel | None = None
        self._words: dict[str, npt.NDArray[np.intp]] = {}

    def of(self, model: LinearModel, text: str,
           location: Mapping[str, float]) -> tuple[npt.NDArray[np.intp], FloatArray]:
        if model is not self._model:
            self._model, self._words = model, {}
        text_block, location_block = model.blocks
        vocabulary = text_block.vocabulary
        words = normalise(text[:MAX_CHARS]).split()
        stems = [stem(w) for w in words]
        parts = [self._word_columns(w, vocabulary) for w in words]
        singles = [vocabulary.get("w:" + s) for s in stems]
        singles.extend(vocabulary.get("b:" + a + "_" + b) for a, b in pairwise(stems))
        parts.append(np.fromiter((c for c in singles if c is not None), dtype=np.intp))
        joined = np.concatenate(parts) if parts else _EMPTY
        all_columns: list[npt.NDArray[np.intp]] = []
        all_values: list[FloatArray] = []
        if len(joined):
            columns, counts = np.unique(joined, return_counts=True)
            vector = np.asarray((1.0 + np.log(counts.astype(np.float32))) * text_block.idf[columns], dtype=np.float32)
            vector *= text_block.weight / float(np.linalg.norm(vector))
            all_columns.append(columns)
            all_values.append(vector)
        places = [location_block.vocabulary[name] for name in location if name in location_block.vocabulary]
        if places:  # location features are 0/1, so each weighs idf, normalised within the block
            columns = np.asarray(places, dtype=np.intp)
            vector = np.asarray(location_block.idf[columns], dtype=np.float32)
            vector *= location_block.weight / float(np.linalg.norm(vector))
            all_columns.append(columns + len(vocabulary))
            all_values.append(vector)
        if not all_columns:
            return _EMPTY, np.zeros(0, dtype=np.float32)
        return np.concatenate(all_columns), np.concatenate(all_values)

    def _word_columns(self, word: str, vocabulary: Mapping[str, int]) -> npt.NDArray[np.intp]:
        cached = self._words.get(word)
        if cached is None:
            cached = np.fromiter((vocabulary[g] for g in char_grams(word) if g in vocabulary), dtype=np.intp)
            if len(self._words) >= CACHE_SIZE:
                self._words.clear()
            self._words[word] = cached
        return cached


class ReferenceLearnedRouter:
    def __init__(self, router: ReferenceRouter, models: LearnedModels | None = None) -> None:
        self.router = router
        self.rules = router.rules
        self.models = models or LearnedModels()
        self._vectors = ReferenceMessageVectors()
        self._joint = _joint(self.models)

    def route(self, text: str, street: str | None = None, postcode: str | None = None,
              town: str | None = None) -> Decision:
        base = self.router.route(text, street, postcode, town)
        models = self.models
        if models.category is None or base.out_of_scope:
            return base
        area = base.area.wijk or models.area_by_pc4.get((postcode or "")[:4])
        location = location_features(street, postcode, town, area)
        columns, values = self._vectors.of(models.category, text, location)
        department_scores = None
        if self._joint is not None:  # one gather of weight rows serves both models
            coef, intercept, split = self._joint
            both = intercept + values @ coef[columns] if len(columns) else intercept.copy()
            category_scores, department_scores = both[:split], both[split:]
        else:
            category_scores = models.category.scores_of(columns, values)
        category, margin, _ = models.category.best(category_scores)
        threshold = models.category.threshold if models.category.threshold > 0 else 0.5
        triage = margin < threshold
        confidence = round(min(1.0, margin / (2 * threshold)), 3)  # 0.5 at the threshold
        department = self.rules.categories[category].department
        if models.department is not None:
            scores = (department_scores if department_scores is not None
                      else models.department.scores([text_features(text), location]))
            department, _, _ = models.department.best(scores)
        reasons = (
            *base.reasons[:1],
            f"geleerd van {models.counts.get('category', Counter())[category]} eerdere meldingen: "
            f"{self.rules.categories[category].name}",
            *(r for r in base.reasons[1:] if not r.startswith("zekerheid") and not r.startswith("te onzeker")),
            f"zekerheid {confidence:.2f}",
            *(["te onzeker: naar triage van het wijkbureau"] if triage else []),
        )
        if base.area.wijk is None and area is not None:
            base = replace(base, area=replace(base.area, wijk=area, matched_by=f"postcode {postcode} (geschiedenis)"))
        return replace(
            base,
            category=None if triage else category,
            suggested_category=category,
            department=self.rules.municipality.triage_department if triage else department,
            confidence=confidence,
            triage=triage,
            reasons=tuple(reasons),
            suggested_department=department,
        )


def _same_blocks(a: LinearModel, b: LinearModel) -> bool:
    """Models trained on one feature space can share one message vector."""
    return len(a.blocks) == len(b.blocks) and all(x is y for x, y in zip(a.blocks, b.blocks, strict=True))


def _joint(models: LearnedModels) -> tuple[FloatArray, FloatArray, int] | None:
    """Category and department weights side by side, when both models share their feature space."""
    if models.category is None or models.department is None or not _same_blocks(models.department, models.category):
        return None
    coef = np.ascontiguousarray(np.hstack([models.category.coef, models.department.coef]))
    intercept = np.concatenate([models.category.intercept, models.department.intercept])
    return coef, intercept, len(models.category.labels)
