"""LearnedModels as bytes, for the routing_models table: one compressed npz, no pickle.

Invariants: loading never executes stored code (allow_pickle=False; names travel as JSON inside the npz);
blocks shared between models are stored once and shared again after loading, so one message vector still
serves every model; a format version is checked, so an old service refuses a model it cannot read instead of
routing with it.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from typing import Any

import numpy as np

from wijkbot.learning.model import Block, LinearModel
from wijkbot.learning.router import MODEL_NAMES, LearnedModels

FORMAT = 2  # 2: the text as a sum of word vectors (learning/encoding.py); 1 is refused: train again


class ModelFormatError(ValueError):
    """Stored bytes that are not a model this version can use."""


def to_bytes(models: LearnedModels) -> bytes:
    blocks: list[Block] = []
    meta: dict[str, Any] = {"format": FORMAT, "models": {}, "counts": {}, "area_by_pc4": models.area_by_pc4,
                            "blocks": [], "words": list(models.words), "area_by_place": models.area_by_place}
    arrays: dict[str, np.ndarray[Any, Any]] = {}
    for name in MODEL_NAMES:
        model: LinearModel | None = getattr(models, name)
        if model is None:
            continue
        block_ids = []
        for block in model.blocks:
            found = next((i for i, b in enumerate(blocks) if b is block), None)
            if found is None:
                blocks.append(block)
                found = len(blocks) - 1
            block_ids.append(found)
        meta["models"][name] = {"labels": model.labels, "threshold": model.threshold, "blocks": block_ids,
                                "agreement_thresholds": model.agreement_thresholds}
        arrays[f"coef_{name}"] = model.coef
        arrays[f"intercept_{name}"] = model.intercept
        meta["counts"][name] = dict(models.counts.get(name, Counter()))
    for i, block in enumerate(blocks):
        meta["blocks"].append({"vocabulary": block.vocabulary, "weight": block.weight})
        arrays[f"idf{i}"] = block.idf
    out = io.BytesIO()
    np.savez_compressed(out, meta=np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8),
                        **arrays)  # type: ignore[arg-type]
    return out.getvalue()


def from_bytes(data: bytes) -> LearnedModels:
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as stored:
            meta = json.loads(bytes(stored["meta"]).decode("utf-8"))
            if meta.get("format") != FORMAT:
                raise ModelFormatError(f"model format {meta.get('format')} is not {FORMAT}: train it again")
            blocks = [Block({str(k): int(v) for k, v in b["vocabulary"].items()},
                            stored[f"idf{i}"].astype(np.float32), float(b["weight"]))
                      for i, b in enumerate(meta["blocks"])]
            models = LearnedModels(area_by_pc4={str(k): str(v) for k, v in meta["area_by_pc4"].items()},
                                   words=tuple(str(w) for w in meta.get("words", ())),  # older models: none
                                   area_by_place={str(k): str(v) for k, v in meta.get("area_by_place", {}).items()})
            for name, info in meta["models"].items():
                if name not in MODEL_NAMES:
                    continue
                setattr(models, name, LinearModel(
                    list(info["labels"]), [blocks[i] for i in info["blocks"]],
                    np.ascontiguousarray(stored[f"coef_{name}"].astype(np.float32)),
                    stored[f"intercept_{name}"].astype(np.float32), float(info["threshold"]),
                    {str(k): float(v) for k, v in info.get("agreement_thresholds", {}).items()}))
                models.counts[name] = Counter({str(k): int(v) for k, v in meta["counts"].get(name, {}).items()})
            return models
    except (OSError, ValueError, KeyError, json.JSONDecodeError) as error:
        if isinstance(error, ModelFormatError):
            raise
        raise ModelFormatError(f"not a stored routing model: {error}") from error
