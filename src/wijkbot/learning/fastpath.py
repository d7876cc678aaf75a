"""The message vector of a model, made fast for one message at a time (what a chat bot does).

`LinearModel.vectorize(text_features(text), ...)` looks up every character n-gram of every word in the
vocabulary, some 300 dictionary lookups for a short message. Residents reuse their words, so the columns of a
word's n-grams are cached per word as a small array, and the counts of a message are summed with numpy.

Invariant: the result equals `model.vectorize([text_features(text), location])` exactly (a test checks it);
the cache belongs to one model (its vocabulary) and is bounded.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from wijkbot.domain.text import normalise, stem
from wijkbot.learning.features import MAX_CHARS, char_grams
from wijkbot.learning.model import FloatArray, LinearModel

CACHE_SIZE = 100_000
_EMPTY = np.zeros(0, dtype=np.intp)


class MessageVectors:
    def __init__(self) -> None:
        self._model: LinearModel | None = None
        self._words: dict[str, npt.NDArray[np.intp]] = {}

    def of(self, model: LinearModel, text: str,
           location: Mapping[str, float]) -> tuple[npt.NDArray[np.intp], FloatArray]:
        if model is not self._model:
            self._model, self._words = model, {}
        text_block, location_block = model.blocks
        vocabulary = text_block.vocabulary
        words = normalise(text[:MAX_CHARS]).split()
        stems = [stem(w) for w in words]
        parts = [self._word_columns(w, vocabulary) for w in words]
        singles = [vocabulary.get("w:" + s) for s in stems]
        singles.extend(vocabulary.get("b:" + a + "_" + b) for a, b in pairwise(stems))
        parts.append(np.fromiter((c for c in singles if c is not None), dtype=np.intp))
        joined = np.concatenate(parts) if parts else _EMPTY
        all_columns: list[npt.NDArray[np.intp]] = []
        all_values: list[FloatArray] = []
        if len(joined):
            columns, counts = np.unique(joined, return_counts=True)
            vector = np.asarray((1.0 + np.log(counts.astype(np.float32))) * text_block.idf[columns], dtype=np.float32)
            vector *= text_block.weight / float(np.linalg.norm(vector))
            all_columns.append(columns)
            all_values.append(vector)
        places = [location_block.vocabulary[name] for name in location if name in location_block.vocabulary]
        if places:  # location features are 0/1, so each weighs idf, normalised within the block
            columns = np.asarray(places, dtype=np.intp)
            vector = np.asarray(location_block.idf[columns], dtype=np.float32)
            vector *= location_block.weight / float(np.linalg.norm(vector))
            all_columns.append(columns + len(vocabulary))
            all_values.append(vector)
        if not all_columns:
            return _EMPTY, np.zeros(0, dtype=np.float32)
        return np.concatenate(all_columns), np.concatenate(all_values)

    def _word_columns(self, word: str, vocabulary: Mapping[str, int]) -> npt.NDArray[np.intp]:
        cached = self._words.get(word)
        if cached is None:
            cached = np.fromiter((vocabulary[g] for g in char_grams(word) if g in vocabulary), dtype=np.intp)
            if len(self._words) >= CACHE_SIZE:
                self._words.clear()
            self._words[word] = cached
        return cached
