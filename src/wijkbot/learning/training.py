"""Training linear models from labelled history (scikit-learn's LinearSVC and ComplementNB, imported only here).

A model is a linear SVM (classes weighed by their inverse frequency, so a small category is not swallowed by
a large one) blended with complement naive Bayes on the same features: both are linear in the message vector,
so the blend is one matrix of weights, and routing costs nothing more. Each is weighed by the spread of its
scores on the training messages, then mixed `NB_BLEND` to 1 - `NB_BLEND`. 5-fold cross-validation on
Katwijk's dev file, two fold seeds, against the plain SVM: category accuracy +0.003 to +0.009, team +0.005 to
+0.008, macro-F1 +0.04 to +0.05 (category) and +0.03 to +0.05 (team), 3 points more routed automatically
(docs/routing.md).

Invariants: the vocabulary keeps features seen in at least `min_df` messages, so one-off typos do not bloat
the model; the automatic-routing threshold is chosen on held-out folds of the history (never on the rows
the model was fitted on), as the smallest margin at which routed messages were right `precision` of the time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix, hstack

from wijkbot.learning.encoding import FloatArray, location_vector
from wijkbot.learning.features import text_features
from wijkbot.learning.model import Block, LinearModel, Message, encoder

BLOCK_WEIGHTS = (1.0, 0.5)  # text, location
C = 0.5
MIN_DF = 2
NB_BLEND = 0.5  # the naive Bayes share of the blend (0.2, 0.3, 0.5 and 0.7 tried; docs/routing.md)
NB_ALPHA = 0.1  # its smoothing (1.0 and 0.3 were worse on their own, earlier sweep)


def _block(rows: Sequence[Mapping[str, float]], weight: float, min_df: int) -> Block:
    """A block's vocabulary (the features of at least `min_df` rows) and smoothed idf, from these rows."""
    df: Counter[str] = Counter()
    for features in rows:
        df.update(features.keys())
    vocabulary = {name: i for i, name in enumerate(sorted(n for n, c in df.items() if c >= min_df))}
    n = len(rows)
    idf = np.zeros(len(vocabulary), dtype=np.float32)
    for name, column in vocabulary.items():
        idf[column] = np.log((1 + n) / (1 + df[name])) + 1.0
    return Block(vocabulary, idf, weight)


def _matrix(vectors: Sequence[tuple[npt.NDArray[np.intp], FloatArray]], width: int) -> csr_matrix:
    indptr = np.cumsum([0, *(len(columns) for columns, _ in vectors)])
    indices = np.concatenate([columns for columns, _ in vectors]) if vectors else np.zeros(0, dtype=np.intp)
    data = np.concatenate([values for _, values in vectors]) if vectors else np.zeros(0, dtype=np.float32)
    return csr_matrix((data, indices, indptr), shape=(len(vectors), width), dtype=np.float32)


def transform(blocks: Sequence[Block], messages: Sequence[Message]) -> csr_matrix:
    """The messages' matrix in this feature space, exactly as `LinearModel.vectorize` makes each row."""
    text_block, location_block = blocks
    text = encoder(text_block)
    return hstack([_matrix([text.vector(m[0]) for m in messages], len(text_block.vocabulary)),
                   _matrix([location_vector(location_block, m[1]) for m in messages],
                           len(location_block.vocabulary))]).tocsr()


def build_space(messages: Sequence[Message], weights: Sequence[float] = BLOCK_WEIGHTS,
                min_df: int = MIN_DF) -> list[Block]:
    """Vocabulary and idf per block, from these messages; models fitted on one space share a message vector."""
    return [_block([text_features(m[0]) for m in messages], weights[0], min_df),
            _block([m[1] for m in messages], weights[1], min_df)]


def fit(messages: Sequence[Message], labels: Sequence[str], space: list[Block] | None = None) -> LinearModel:
    """Fit one model (on its own feature space unless one is given); every label needs an example."""
    from sklearn.svm import LinearSVC

    blocks = space if space is not None else build_space(messages)
    matrix = transform(blocks, messages)
    classes = sorted(set(labels))
    if len(classes) == 1 or matrix.shape[1] == 0:
        # Nothing to choose between, or nothing to choose by (no feature in two messages, as in a small fold
        # of texts like "?"): every message gets the first label with margin 0, so below any threshold.
        coef = np.zeros((matrix.shape[1], len(classes)), dtype=np.float32)
        return LinearModel(classes, list(blocks), coef, np.zeros(len(classes), dtype=np.float32))
    # A fixed seed for liblinear's shuffling: the same history gives the same model, run after run.
    svc = LinearSVC(C=C, class_weight="balanced", random_state=0).fit(matrix, list(labels))
    coef = np.asarray(svc.coef_, dtype=np.float64)
    intercept = np.asarray(svc.intercept_, dtype=np.float64)
    if coef.shape[0] == 1:  # binary: scikit-learn keeps one row for the positive class
        coef = np.vstack([-coef, coef])
        intercept = np.asarray([-intercept[0], intercept[0]])
    coef, intercept = _blend(matrix, list(labels), coef.T, intercept)
    return LinearModel([str(c) for c in svc.classes_], list(blocks), np.ascontiguousarray(coef, dtype=np.float32),
                       np.asarray(intercept, dtype=np.float32))


def _blend(matrix: csr_matrix, labels: list[str], coef: npt.NDArray[np.float64],
           intercept: npt.NDArray[np.float64]) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """The SVM's weights (features x labels) blended with complement naive Bayes, each weighed by the spread of
    its scores on these messages (around each message's mean), so neither drowns the other."""
    from sklearn.naive_bayes import ComplementNB

    bayes = ComplementNB(alpha=NB_ALPHA).fit(matrix, labels)
    weights = np.asarray(bayes.feature_log_prob_, dtype=np.float64).T  # its scores are matrix @ weights
    # A feature's weight is about the same for every label (a large -log probability): taking its mean off
    # moves all labels' scores of a message alike, so the ranking and the margins stay, and the scores stay
    # small enough for float32 to keep the margins exact.
    weights -= weights.mean(axis=1, keepdims=True)
    svm_spread, bayes_spread = _spread(matrix @ coef + intercept), _spread(matrix @ weights)
    if not (svm_spread > 0 and bayes_spread > 0):  # one score for all: nothing to scale by, keep the SVM
        return coef, intercept
    # (1 - b) * svm / svm_spread + b * bayes / bayes_spread, times svm_spread: the same ranking and margins up
    # to one factor, with scores on the SVM's own scale (float32 sums stay as exact as before).
    return coef + (NB_BLEND / (1.0 - NB_BLEND) * svm_spread / bayes_spread) * weights, intercept


def _spread(scores: npt.NDArray[np.float64]) -> float:
    return float(np.std(scores - scores.mean(axis=1, keepdims=True)))


def fold_indices(labels: Sequence[str], folds: int, seed: int = 0) -> list[list[int]]:
    """Stratified folds: each label spread evenly, deterministic for a seed."""
    rng = np.random.default_rng(seed)
    by_label: dict[str, list[int]] = {}
    for index, label in enumerate(labels):
        by_label.setdefault(label, []).append(index)
    result: list[list[int]] = [[] for _ in range(folds)]
    position = 0
    for label in sorted(by_label):
        members = by_label[label]
        rng.shuffle(members)
        for index in members:
            result[position % folds].append(index)
            position += 1
    return result


def choose_threshold(margins: Sequence[float], correct: Sequence[bool], precision: float) -> float:
    """The smallest margin above which predictions were right at least `precision` of the time."""
    order = np.argsort(margins)[::-1]
    hits = 0
    best = float("inf")
    for rank, index in enumerate(order, start=1):
        hits += bool(correct[index])
        if hits / rank >= precision:
            best = float(margins[index])
    return best
