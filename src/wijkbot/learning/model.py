"""A trained linear classifier over feature blocks, and its file format.

Two blocks: the text (a sum of word vectors) and the location (TF-IDF), each scaled on its own and multiplied
by its block weight (learning/encoding.py says how); scores are x . W + b. Invariants: a model file is
written to a temporary name and renamed, so a crash never leaves half a model; `scores` never raises on
unseen features (they are ignored); labels are the configuration's ids.
"""

from __future__ import annotations

import json
import math
import os
import struct
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from wijkbot.learning.encoding import FloatArray, TextEncoder, location_vector

# A message as the models read it: its text and its location features.
Message = tuple[str, Mapping[str, float]]
_FLOAT32 = struct.Struct("f")


def encoder(block: Block) -> TextEncoder:
    """The text encoder of a block, kept with the block (its word cache serves every model on it, and goes
    when the block goes)."""
    if block.encoder is None:
        block.encoder = TextEncoder(block)
    return block.encoder


def _float32(value: float) -> float:
    """A double rounded to float32. The difference of two float32 values is exact in double (or, when their
    exponents are far apart, rounds to the same float32), so this equals numpy's float32 subtraction."""
    return float(_FLOAT32.unpack(_FLOAT32.pack(value))[0])


@dataclass(eq=False)  # compared by identity: models that share a block share a message vector
class Block:
    """One family of features: its vocabulary (feature -> column), idf per column, and its weight."""

    vocabulary: dict[str, int]
    idf: FloatArray
    weight: float
    encoder: TextEncoder | None = field(default=None, repr=False)  # made when first needed (`encoder()`)


@dataclass
class LinearModel:
    labels: list[str]
    blocks: list[Block]
    coef: FloatArray  # (features of all blocks, labels)
    intercept: FloatArray  # (labels,)
    threshold: float = 0.0  # margin (best - runner-up) above which the prediction is routed automatically
    # The same, apart for predictions the rule router agrees with ("agree") and not ("differ"); may be empty.
    agreement_thresholds: dict[str, float] = field(default_factory=dict)

    def vectorize(self, message: Message) -> tuple[npt.NDArray[np.intp], FloatArray]:
        """The message as (columns, values) in this model's feature space; models that share their blocks
        (the category and department models do) can share one vector."""
        text, location = message
        text_block, location_block = self.blocks
        text_columns, text_values = encoder(text_block).vector(text)
        place_columns, place_values = location_vector(location_block, location)
        return (np.concatenate([text_columns, place_columns + len(text_block.vocabulary)]),
                np.concatenate([text_values, place_values]))

    def scores_of(self, columns: npt.NDArray[np.intp], values: FloatArray) -> FloatArray:
        return self.intercept + values @ self.coef.take(columns, axis=0) if len(columns) else self.intercept.copy()

    def scores(self, message: Message) -> FloatArray:
        """Decision values per label for one message."""
        return self.scores_of(*self.vectorize(message))

    def predict(self, message: Message) -> tuple[str, float, str | None]:
        """The best label, its margin over the runner-up, and the runner-up."""
        return self.best(self.scores(message))

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
