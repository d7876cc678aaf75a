"""The learned router: the rules' decision, refined by models trained on the municipality's history.

Invariants: without a model it is exactly the rule router; the rules keep the last word on what they are
sure of by nature (urgent danger, out-of-scope subjects, the area, except for a street name that lies in two
areas, where the postcode and the history decide); the learned category decides triage by its margin against
thresholds chosen on held-out history (apart for when the rules agree and when they differ); a category the
model never learned (the rules name it) or one the rules no longer have (its best) is the rules' to decide, so
a small history or a changed rule file never silences the rules or stops intake; reasons say what
was learned from how many earlier meldingen, in an ambtenaar's words.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from wijkbot.domain.model import Area
from wijkbot.domain.routing import Decision, Judgement, Router
from wijkbot.domain.routing_reasons import area_reason, triage_reason
from wijkbot.domain.text import normalise
from wijkbot.learning.encoding import FloatArray
from wijkbot.learning.fastpath import MessageScores
from wijkbot.learning.features import location_features
from wijkbot.learning.model import LinearModel

MODEL_NAMES = ("category", "department", "team")
PLACE_CACHE_SIZE = 50_000


@dataclass
class LearnedModels:
    category: LinearModel | None = None
    department: LinearModel | None = None
    team: LinearModel | None = None
    counts: dict[str, Counter[str]] = field(default_factory=dict)  # model -> label -> examples learned from
    area_by_pc4: dict[str, str] = field(default_factory=dict)  # PC4 -> the area most of its history lies in
    # The history's words (those of at least two messages, like the model's features): what the routers work
    # out per word is worked out for these at start-up, so a resident's message meets warm caches.
    words: tuple[str, ...] = ()
    # "street|pc4" -> the area whose team handled that place's meldingen, where the history is clear on it
    area_by_place: dict[str, str] = field(default_factory=dict)


def place_key(street: str, postcode: str) -> str:
    """A street and postcode as one key: "kerkstraat|2231"."""
    return f"{normalise(street)}|{postcode.strip()[:4]}"


class LearnedRouter:
    def __init__(self, router: Router, models: LearnedModels | None = None, warm: bool = True) -> None:
        """`warm`: work out per word what routing needs for the history's words now, at start-up (a fraction
        of a second for a year of meldingen), instead of on the messages of the first residents."""
        self.router = router
        self.rules = router.rules
        self.models = models or LearnedModels()
        category, department = self.models.category, self.models.department
        # One sum per message serves both models when they share their feature space (they do when trained
        # together); a department model of its own is scored apart.
        self._together = department is not None and category is not None and _same_blocks(category, department)
        self._scores: MessageScores | None = None
        if category is not None:
            together = [category, department] if department is not None and self._together else [category]
            self._scores = MessageScores(together, self.models.words if warm else ())
        if warm:
            router.warm(self.models.words)
        self._places: dict[tuple[str | None, ...], tuple[FloatArray, str | None]] = {}
        # What the model learned, against what the rules have now: a rule file changed since it was trained (a
        # category renamed or removed, one added) must never break intake or silence the rules (see `route`).
        self._learned = frozenset(category.labels) if category is not None else frozenset()

    def _place(self, street: str | None, postcode: str | None, town: str | None,
               area: str | None) -> tuple[FloatArray, str | None]:
        """The place's share of the scores, and the area the history gives its street and postcode (None when
        it gives none); kept per place as the channel gives it: the same streets and postcodes come back all
        day."""
        key = (street, postcode, town, area)
        found = self._places.get(key)
        if found is None:
            assert self._scores is not None
            if len(self._places) >= PLACE_CACHE_SIZE:
                self._places.clear()
            learned = self.models.area_by_place.get(place_key(street, postcode)) if street and postcode else None
            found = self._places[key] = (
                self._scores.place(location_features(street, postcode, town, area)), learned)
        return found

    def route(self, text: str, street: str | None = None, postcode: str | None = None,
              town: str | None = None) -> Decision:
        models = self.models
        if models.category is None:
            return self.router.route(text, street, postcode, town)
        judged = self.router.judge(text, street, postcode, town)
        if judged.out_of_scope:
            return self.router.decide(judged)
        area = judged.area.wijk or models.area_by_pc4.get((postcode or "")[:4])
        assert self._scores is not None
        place, learned_area = self._place(street, postcode, town, area)
        scores = self._scores.with_place(text, place)
        split = self._scores.splits[0]
        category, margin, _ = models.category.best_of(scores[:split])
        suggested = judged.category.id if judged.category is not None else None
        if category not in self.rules.categories or (suggested is not None and suggested not in self._learned):
            return self._rules_decide(judged, suggested if suggested not in self._learned else category)
        threshold = models.category.agreement_thresholds.get(
            "agree" if category == suggested else "differ", models.category.threshold)
        threshold = threshold if threshold > 0 else 0.5
        confidence = round(min(1.0, margin / (2 * threshold)), 3)  # 0.5 at the threshold
        # Triage below the threshold chosen for the promised precision, below the configuration's own minimum
        # when that is stricter, and for acute danger (as the rules do).
        triage = margin < threshold or confidence < self.rules.municipality.min_confidence or judged.urgent
        department = self.rules.categories[category].department
        if models.department is not None:
            department_scores = (scores[split:] if self._together
                                 else models.department.scores(
                                     (text, location_features(street, postcode, town, area))).tolist())
            department, _, _ = models.department.best_of(department_scores)
            if department not in self.rules.departments:  # a vakdienst the rules no longer have
                department = self.rules.categories[category].department
        learned = models.counts.get("category")
        said = self.router.reasons(judged)
        located, where = judged.area, said.area
        if learned_area is not None and learned_area != located.wijk:
            # A street name that lies in two areas: its postcode and the history say which one.
            located = Area(learned_area, None, None, located.street,
                           f"straat {street} met postcode {postcode[:4] if postcode else ''} (geschiedenis)")
            where = area_reason(located)
        elif located.wijk is None and area is not None:
            # (The reason keeps "geen plaats gevonden": the rules found none; the area is the history's guess.)
            located = Area(area, located.buurt, located.buurt_code, located.street,
                           f"postcode {postcode} (geschiedenis)")
        reasons = (
            said.category,
            f"geleerd van {learned[category] if learned else 0} eerdere meldingen: "
            + (f"lijkt het meest op {self.rules.categories[category].name}, maar het model is niet zeker genoeg"
               if margin < threshold else self.rules.categories[category].name),
            where,
            *said.more,
            f"zekerheid {confidence:.2f}",
            *([triage_reason(judged.urgent)] if triage else []),
        )
        # Built in one go (dataclasses.replace costs more than the rest of this method).
        return Decision(
            kind=judged.kind,
            category=None if triage else category,
            department=self.rules.municipality.triage_department if triage else department,
            area=located,
            confidence=confidence,
            triage=triage,
            urgent=judged.urgent,
            crisis=judged.crisis,
            out_of_scope=False,
            suggested_category=category,
            suggested_department=department,
            ambition=judged.ambition,
            matched_terms=judged.terms,
            reasons=reasons,
        )


    def _rules_decide(self, judged: Judgement, unknown: str | None) -> Decision:
        """The rules' decision, for a message the model cannot speak for: the rules name a category it never
        learned (added since, or missing from a small history), or its best category is one the rules no
        longer have. Said in the reasons, so the ambtenaar knows why the history had no say."""
        decided = self.router.decide(judged)
        known = self.rules.categories.get(unknown or "")
        said = (f"het geleerde model kent {known.name} niet: de regels beslissen" if known is not None
                else "het geleerde model past niet meer bij de regels: de regels beslissen")
        return replace(decided, reasons=(*decided.reasons, said))


def _same_blocks(a: LinearModel, b: LinearModel) -> bool:
    """Models trained on one feature space can share one message vector."""
    return len(a.blocks) == len(b.blocks) and all(x is y for x, y in zip(a.blocks, b.blocks, strict=True))
