"""The anchor the routing issue compares with: Signalen's classifier recipe, rebuilt for the benchmark only.

What Signalen's `Amsterdam/classification` service does (docs/research/anchor-signalen.md): lower-case,
strip non-word characters, tokenise, Dutch Snowball stem; term frequencies (`CountVectorizer`, then
`TfidfTransformer(use_idf=False)`, l2); one-vs-rest L1 logistic regression (liblinear); a message is
routed automatically when the best probability is at least 0.41. As ../shared/eval/README.md describes the
anchor, the team model also gets the town and postcode as a token.

Differences, none of which favours wijkbot: a plain `\\w+` tokeniser instead of NLTK's (same words for
this kind of text), no NLTK stop-word list (NLTK is no dependency of ours), and one fixed configuration
(unigrams, no class weights) instead of Signalen's grid search. It lives in benchmarks/, never in the
product: it is what we measure ourselves against, in the same run, on the same machine.
"""

from __future__ import annotations

import re

import numpy as np
import sklearn
import Stemmer
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import Pipeline

MINIMUM_CERTAINTY = 0.41  # Signalen's frontend: below it a person classifies the melding
_WORD = re.compile(r"\w+")
_STEMMER = Stemmer.Stemmer("dutch")


def _analyse(text: str) -> list[str]:
    return [str(s) for s in _STEMMER.stemWords(_WORD.findall(text.lower()))]


class _Model:
    """Term frequencies, then L1 logistic regression one-vs-rest, with probabilities as liblinear's one-vs-rest
    gives them (each class's sigmoid, normalised to sum to 1), computed in one matrix product per message as
    scikit-learn did before 1.5 (`OneVsRestClassifier.predict_proba` loops over the classes in Python, which
    would make the anchor slower than Signalen's own service)."""

    def __init__(self, texts: list[str], labels: list[str]) -> None:
        # scikit-learn 1.8 spells an L1 penalty `l1_ratio=1` (`penalty` is deprecated there); older ones `penalty`.
        newer = tuple(int(part) for part in sklearn.__version__.split(".")[:2]) >= (1, 8)
        l1 = {"l1_ratio": 1.0} if newer else {"penalty": "l1"}
        self.features = Pipeline([("counts", CountVectorizer(analyzer=_analyse)),
                                  ("tf", TfidfTransformer(use_idf=False))])
        fitted = OneVsRestClassifier(LogisticRegression(solver="liblinear", max_iter=300, **l1)).fit(
            self.features.fit_transform(texts), labels)
        self.classes = [str(c) for c in fitted.classes_]
        self.weights = np.vstack([e.coef_ for e in fitted.estimators_]).T
        self.intercepts = np.concatenate([e.intercept_ for e in fitted.estimators_])

    def best(self, text: str) -> tuple[str, float]:
        """The most probable class and its probability."""
        scores = np.asarray(self.features.transform([text]) @ self.weights)[0] + self.intercepts
        probabilities = 1.0 / (1.0 + np.exp(-scores))
        probabilities /= probabilities.sum()
        best = int(probabilities.argmax())
        return self.classes[best], float(probabilities[best])


def _with_place(row: dict[str, str]) -> str:
    """The text with the town and postcode as tokens, for the team model."""
    town = re.sub(r"\W+", "", (row.get("town") or "").lower())
    return f"{row['text']} plaats{town} pc{(row.get('pc4') or '').strip()[:4]}"


class Anchor:
    """Signalen's two models (category, team), trained on labelled rows (columns text, category, team)."""

    def __init__(self, rows: list[dict[str, str]]) -> None:
        self.category = _Model([r["text"] for r in rows], [r["category"] for r in rows])
        self.team = _Model([_with_place(r) for r in rows], [r["team"] for r in rows])

    def route(self, row: dict[str, str]) -> tuple[str, str, bool]:
        """Category, team, and whether it routes automatically (category probability >= 0.41)."""
        category, probability = self.category.best(row["text"])
        team, _ = self.team.best(_with_place(row))
        return category, team, probability >= MINIMUM_CERTAINTY
