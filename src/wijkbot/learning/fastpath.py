"""The message vector of a model, made fast for one message at a time (what a chat bot does).

`LinearModel.vectorize(text_features(text), ...)` looks up every character n-gram of every word in the
vocabulary, some 300 dictionary lookups for a short message. Residents reuse their words, so what a word
contributes (its stem, the columns of its n-grams and of its stem, and the stem pairs it can start) is cached
per word; a message costs two look-ups per word, and its counts are taken with one sort.

Invariant: the result equals `model.vectorize([text_features(text), location])` exactly: the same columns in
the same (sorted) order with bit-identical values, since the numbers go through the same float32 operations
(tests/routing/ checks it against the original path); the caches belong to one model (its vocabulary) and
the word cache is bounded.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping

import numpy as np
import numpy.typing as npt

from wijkbot.domain.text import normalise, stem
from wijkbot.learning.features import CHAR_SIZES, MAX_CHARS
from wijkbot.learning.model import FloatArray, LinearModel

CACHE_SIZE = 100_000
_TYPECODE = "q"  # a native 64-bit integer: the bytes are read back as np.intp
assert array(_TYPECODE).itemsize == np.dtype(np.intp).itemsize
_EMPTY = np.zeros(0, dtype=np.intp)
# Per word: its stem, the columns of its n-grams and of its stem (with repeats, as native integers in bytes,
# so a message's columns are joined in C, never as Python ints), and the columns of the stem pairs
# ("b:left_right") this stem starts, by the right-hand stem (bytes too).
_Word = tuple[str, bytes, dict[str, bytes]]
_NO_PAIRS: dict[str, bytes] = {}
_Part = tuple[npt.NDArray[np.intp], FloatArray]  # columns and values of one block


class MessageVectors:
    def __init__(self) -> None:
        self._model: LinearModel | None = None
        self._words: dict[str, _Word] = {}
        self._pairs: dict[str, dict[str, bytes]] = {}
        self._places: dict[tuple[str, ...], _Part | None] = {}
        self._grams: dict[str, int] = {}

    def prepare(self, model: LinearModel, words: Iterable[str] = ()) -> None:
        """Index the model's vocabulary (done on the first message otherwise), and work out these words."""
        if model is not self._model:
            self._model, self._words, self._pairs, self._places, self._grams = model, {}, {}, {}, {}
            for name, column in model.blocks[0].vocabulary.items():
                if name.startswith("c:"):  # n-grams without their prefix: a new word's are looked up as slices
                    self._grams[name[2:]] = column
                elif name.startswith("b:"):  # stems are letters and digits only, so "_" separates the two
                    left, _, right = name[2:].partition("_")
                    self._pairs.setdefault(left, {})[right] = _packed([column])
        for word in words:
            if word not in self._words:
                self._word(word, model.blocks[0].vocabulary)

    def of(self, model: LinearModel, text: str,
           location: Mapping[str, float]) -> tuple[npt.NDArray[np.intp], FloatArray]:
        self.prepare(model)
        text_block = model.blocks[0]
        cache = self._words
        found: list[bytes] = []
        pairs = _NO_PAIRS
        for word in normalise(text[:MAX_CHARS]).split():
            entry = cache.get(word) or self._word(word, text_block.vocabulary)
            found.append(entry[1])
            column = pairs.get(entry[0])  # the pair of the previous stem and this one
            if column is not None:
                found.append(column)
            pairs = entry[2]
        all_columns: list[npt.NDArray[np.intp]] = []
        all_values: list[FloatArray] = []
        joined = b"".join(found)
        if joined:
            columns, counts = _unique_counts(np.frombuffer(joined, dtype=np.intp))
            vector = np.asarray((1.0 + np.log(counts.astype(np.float32))) * text_block.idf.take(columns),
                                dtype=np.float32)
            vector *= text_block.weight / _norm(vector)
            all_columns.append(columns)
            all_values.append(vector)
        place = self._place(model, location)
        if place is not None:
            all_columns.append(place[0])
            all_values.append(place[1])
        if not all_columns:
            return _EMPTY, np.zeros(0, dtype=np.float32)
        if len(all_columns) == 1:
            return all_columns[0], all_values[0]
        return np.concatenate(all_columns), np.concatenate(all_values)

    def _place(self, model: LinearModel, location: Mapping[str, float]) -> _Part | None:
        """The location block's part of the vector; cached, as a few hundred streets make most messages."""
        key = tuple(location)
        if key in self._places:
            return self._places[key]
        text_block, location_block = model.blocks
        places = [location_block.vocabulary[name] for name in location if name in location_block.vocabulary]
        found = None
        if places:  # location features are 0/1, so each weighs idf, normalised within the block
            columns = np.asarray(places, dtype=np.intp)
            vector = np.asarray(location_block.idf[columns], dtype=np.float32)
            vector *= location_block.weight / _norm(vector)
            columns += len(text_block.vocabulary)
            columns.flags.writeable = vector.flags.writeable = False  # shared by every message from here
            found = (columns, vector)
        if len(self._places) >= CACHE_SIZE:
            self._places.clear()
        self._places[key] = found
        return found

    def _word(self, word: str, vocabulary: Mapping[str, int]) -> _Word:
        if len(self._words) >= CACHE_SIZE:
            self._words.clear()
        word_stem = stem(word)
        padded = f" {word} "  # the n-grams of `char_grams`, without their "c:"
        grams = self._grams
        columns = array(_TYPECODE, [c for c in map(grams.get, (padded[i:i + size] for size in CHAR_SIZES
                                                              for i in range(len(padded) - size + 1)))
                                    if c is not None])
        single = vocabulary.get("w:" + word_stem)
        if single is not None:
            columns.append(single)
        entry = self._words[word] = (word_stem, columns.tobytes(), self._pairs.get(word_stem, _NO_PAIRS))
        return entry


def _unique_counts(columns: npt.NDArray[np.intp]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """`np.unique(columns, return_counts=True)` without its general-purpose overhead: sort, mark, count."""
    columns = np.sort(columns)
    size = len(columns)
    first = np.empty(size, dtype=bool)
    first[0] = True
    np.not_equal(columns[1:], columns[:-1], out=first[1:])
    starts = first.nonzero()[0]
    ends = np.empty_like(starts)
    ends[:-1] = starts[1:]
    ends[-1] = size
    return columns.take(starts), ends - starts


def _packed(columns: list[int]) -> bytes:
    return array(_TYPECODE, columns).tobytes()


def _norm(vector: FloatArray) -> float:
    """What `np.linalg.norm` computes for a float32 vector (sqrt of the dot product), without its checks."""
    return float(np.sqrt(vector.dot(vector)))
