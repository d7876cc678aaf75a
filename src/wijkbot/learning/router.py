"""The learned router: the rules' decision, refined by models trained on the municipality's history.

Invariants: without a model it is exactly the rule router; the rules keep the last word on what they are
sure of by nature (urgent danger, out-of-scope subjects, the area); the learned category decides triage by
its margin against a threshold chosen on held-out history; reasons say what was learned from how many
earlier meldingen, in an ambtenaar's words.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

import numpy as np

from wijkbot.domain.routing import Decision, Router
from wijkbot.learning.fastpath import MessageVectors
from wijkbot.learning.features import location_features, text_features
from wijkbot.learning.model import FloatArray, LinearModel

MODEL_NAMES = ("category", "department", "team")


@dataclass
class LearnedModels:
    category: LinearModel | None = None
    department: LinearModel | None = None
    team: LinearModel | None = None
    counts: dict[str, Counter[str]] = field(default_factory=dict)  # model -> label -> examples learned from
    area_by_pc4: dict[str, str] = field(default_factory=dict)  # PC4 -> the area most of its history lies in


class LearnedRouter:
    def __init__(self, router: Router, models: LearnedModels | None = None) -> None:
        self.router = router
        self.rules = router.rules
        self.models = models or LearnedModels()
        self._vectors = MessageVectors()
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
