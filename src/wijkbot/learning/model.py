"""A trained linear classifier over feature blocks, and its file format.

Each block (text, location) is TF-IDF weighted (sublinear tf, smoothed idf), L2-normalised on its own and
multiplied by its block weight; scores are x . W + b. Invariants: a model file is written to a temporary
name and renamed, so a crash never leaves half a model; `scores` never raises on unseen features (they are
ignored); labels are the configuration's ids.
"""

from __future__ import annotations

import json
import math
import os
import struct
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]
_FLOAT32 = struct.Struct("f")


def _float32(value: float) -> float:
    """A double rounded to float32. The difference of two float32 values is exact in double (or, when their
    exponents are far apart, rounds to the same float32), so this equals numpy's float32 subtraction."""
    return float(_FLOAT32.unpack(_FLOAT32.pack(value))[0])


@dataclass
class Block:
    """One family of features: its vocabulary (feature -> column), idf per column, and its weight."""

    vocabulary: dict[str, int]
    idf: FloatArray
    weight: float


@dataclass
class LinearModel:
    labels: list[str]
    blocks: list[Block]
    coef: FloatArray  # (features of all blocks, labels)
    intercept: FloatArray  # (labels,)
    threshold: float = 0.0  # margin (best - runner-up) above which the prediction is routed automatically
    # The same, apart for predictions the rule router agrees with ("agree") and not ("differ"); may be empty.
    agreement_thresholds: dict[str, float] = field(default_factory=dict)

    def vectorize(self, blocks: Sequence[Mapping[str, float]]) -> tuple[npt.NDArray[np.intp], FloatArray]:
        """The message as (columns, values) in this model's feature space; models that share their blocks
        (the category and department models do) can share one vector."""
        all_columns: list[npt.NDArray[np.intp]] = []
        all_values: list[FloatArray] = []
        offset = 0
        for block, features in zip(self.blocks, blocks, strict=True):
            vocabulary = block.vocabulary
            pairs = [(vocabulary[name], count) for name, count in features.items() if name in vocabulary]
            if pairs:
                columns = np.fromiter((p[0] for p in pairs), dtype=np.intp, count=len(pairs))
                counts = np.fromiter((p[1] for p in pairs), dtype=np.float32, count=len(pairs))
                vector = np.asarray((1.0 + np.log(counts)) * block.idf[columns], dtype=np.float32)
                vector *= block.weight / float(np.linalg.norm(vector))
                all_columns.append(columns + offset)
                all_values.append(vector)
            offset += len(vocabulary)
        if not all_columns:
            return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.float32)
        return np.concatenate(all_columns), np.concatenate(all_values)

    def scores_of(self, columns: npt.NDArray[np.intp], values: FloatArray) -> FloatArray:
        return self.intercept + values @ self.coef.take(columns, axis=0) if len(columns) else self.intercept.copy()

    def scores(self, blocks: Sequence[Mapping[str, float]]) -> FloatArray:
        """Decision values per label for one message."""
        return self.scores_of(*self.vectorize(blocks))

    def predict(self, blocks: Sequence[Mapping[str, float]]) -> tuple[str, float, str | None]:
        """The best label, its margin over the runner-up, and the runner-up."""
        return self.best(self.scores(blocks))

    def best(self, scores: FloatArray) -> tuple[str, float, str | None]:
        """The best label, its margin over the runner-up (in float32, as numpy computes it), the runner-up."""
        return self.best_of(scores.tolist())

    def best_of(self, values: list[float]) -> tuple[str, float, str | None]:
        """`best` for scores given as a list of float32 values: plain Python, cheaper than numpy for a few
        dozen labels. Equal to ranking with `np.argsort(scores)[::-1]`: ties (and NaN) take that very path."""
        if len(values) < 2:
            return self.labels[0], float("inf"), None
        ranked = sorted(values)
        high, second = ranked[-1], ranked[-2]
        if high == second or (len(ranked) > 2 and ranked[-3] == second) or not math.isfinite(high - second):
            return self._best_by_argsort(np.asarray(values, dtype=np.float32))
        first, runner_up = values.index(high), values.index(second)
        return self.labels[first], _float32(high - second), self.labels[runner_up]

    def _best_by_argsort(self, scores: FloatArray) -> tuple[str, float, str | None]:
        order = np.argsort(scores)[::-1]
        return self.labels[int(order[0])], float(scores[order[0]] - scores[order[1]]), self.labels[int(order[1])]

    def save(self, path: Path) -> None:
        """Write atomically: numbers in .npz, names in JSON inside it."""
        meta = {"labels": self.labels, "threshold": self.threshold,
                "blocks": [{"vocabulary": b.vocabulary, "weight": b.weight} for b in self.blocks]}
        arrays = {"coef": self.coef, "intercept": self.intercept,
                  **{f"idf{i}": b.idf for i, b in enumerate(self.blocks)}}
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                np.savez_compressed(out, meta=np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8),
                                    **arrays)  # type: ignore[arg-type]
            Path(temporary).replace(path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(bytes(data["meta"]).decode("utf-8"))
            blocks = [Block({str(k): int(v) for k, v in b["vocabulary"].items()},
                            data[f"idf{i}"].astype(np.float32), float(b["weight"]))
                      for i, b in enumerate(meta["blocks"])]
            return cls(list(meta["labels"]), blocks, data["coef"].astype(np.float32),
                       data["intercept"].astype(np.float32), float(meta["threshold"]))
