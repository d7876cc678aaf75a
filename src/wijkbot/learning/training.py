"""Training linear models from labelled history (scikit-learn's LinearSVC, imported only here).

Invariants: the vocabulary keeps features seen in at least `min_df` messages, so one-off typos do not bloat
the model; the automatic-routing threshold is chosen on held-out folds of the history (never on the rows
the model was fitted on), as the smallest margin at which routed messages were right `precision` of the time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np
from scipy.sparse import csr_matrix, hstack

from wijkbot.learning.model import Block, LinearModel

BLOCK_WEIGHTS = (1.0, 0.5)  # text, location
C = 0.5
MIN_DF = 2


def _block(rows: Sequence[Mapping[str, float]], weight: float, min_df: int) -> tuple[Block, csr_matrix]:
    df: Counter[str] = Counter()
    for features in rows:
        df.update(features.keys())
    vocabulary = {name: i for i, name in enumerate(sorted(n for n, c in df.items() if c >= min_df))}
    n = len(rows)
    idf = np.zeros(len(vocabulary), dtype=np.float32)
    for name, column in vocabulary.items():
        idf[column] = np.log((1 + n) / (1 + df[name])) + 1.0
    block = Block(vocabulary, idf, weight)
    return block, transform(block, rows)


def transform(block: Block, rows: Sequence[Mapping[str, float]]) -> csr_matrix:
    """The TF-IDF matrix of a block, exactly as LinearModel.scores computes it per message."""
    data: list[float] = []
    indices: list[int] = []
    indptr = [0]
    for features in rows:
        columns = [(block.vocabulary[name], count) for name, count in features.items() if name in block.vocabulary]
        values = np.asarray([(1.0 + np.log(count)) * block.idf[c] for c, count in columns], dtype=np.float32)
        if len(values):
            values *= block.weight / float(np.linalg.norm(values))
        data.extend(values.tolist())
        indices.extend(c for c, _ in columns)
        indptr.append(len(indices))
    return csr_matrix((data, indices, indptr), shape=(len(rows), len(block.vocabulary)), dtype=np.float32)


def build_space(blocks_per_row: Sequence[Sequence[Mapping[str, float]]], weights: Sequence[float] = BLOCK_WEIGHTS,
                min_df: int = MIN_DF) -> list[Block]:
    """Vocabulary and idf per block, from these rows; models fitted on one space share a message vector."""
    return [_block([row[i] for row in blocks_per_row], weights[i], min_df)[0] for i in range(len(weights))]


def fit(blocks_per_row: Sequence[Sequence[Mapping[str, float]]], labels: Sequence[str],
        space: list[Block] | None = None) -> LinearModel:
    """Fit one model (on its own feature space unless one is given); every label needs an example."""
    from sklearn.svm import LinearSVC

    blocks = space if space is not None else build_space(blocks_per_row)
    built = [(block, transform(block, [row[i] for row in blocks_per_row])) for i, block in enumerate(blocks)]
    matrix = hstack([m for _, m in built]).tocsr()
    classes = sorted(set(labels))
    if len(classes) == 1:  # nothing to choose between: every message gets the one label
        coef = np.zeros((matrix.shape[1], 1), dtype=np.float32)
        return LinearModel(classes, [b for b, _ in built], coef, np.zeros(1, dtype=np.float32))
    svc = LinearSVC(C=C).fit(matrix, list(labels))
    coef = np.asarray(svc.coef_, dtype=np.float32)
    intercept = np.asarray(svc.intercept_, dtype=np.float32)
    if coef.shape[0] == 1:  # binary: scikit-learn keeps one row for the positive class
        coef = np.vstack([-coef, coef])
        intercept = np.asarray([-intercept[0], intercept[0]], dtype=np.float32)
    return LinearModel([str(c) for c in svc.classes_], [b for b, _ in built], np.ascontiguousarray(coef.T),
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
