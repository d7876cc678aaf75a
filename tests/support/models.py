"""Stored routing models as an older wijkbot wrote them, for tests of what happens to them after an upgrade."""

from __future__ import annotations

import io
import json

import numpy as np


def with_format(data: bytes, number: int) -> bytes:
    """The same stored model bytes, labelled with another format number."""
    with np.load(io.BytesIO(data), allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    meta = json.loads(bytes(arrays["meta"]).decode("utf-8"))
    meta["format"] = number
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8)
    out = io.BytesIO()
    np.savez_compressed(out, **arrays)  # type: ignore[arg-type]
    return out.getvalue()
