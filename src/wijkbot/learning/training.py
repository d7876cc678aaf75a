"""Training linear models from labelled history (scikit-learn's LinearSVC, imported only here).

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
    svc = LinearSVC(C=C).fit(matrix, list(labels))
    coef = np.asarray(svc.coef_, dtype=np.float32)
    intercept = np.asarray(svc.intercept_, dtype=np.float32)
    if coef.shape[0] == 1:  # binary: scikit-learn keeps one row for the positive class
        coef = np.vstack([-coef, coef])
        intercept = np.asarray([-intercept[0], intercept[0]], dtype=np.float32)
    return LinearModel([str(c) for c in svc.classes_], list(blocks), np.ascontiguousarray(coef.T),
                       intercept)


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
