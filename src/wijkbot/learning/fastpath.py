"""The scores of a message, made fast for one message at a time (what a chat bot does).

A message's text vector is a sum of word vectors and stem-pair columns, scaled by one number
(learning/encoding.py). Scores are linear, so each word's share of every score is a fixed row of numbers:
its vector times the weights of all models that share the feature space (the category and the department
model), with the word's squared length as a last column. One array holds a row per text feature (idf times
its weights: a stem pair is one such row) and a row per word of the history, the sum of its features' rows,
worked out when the router is built. A word the history did not have is kept as the list of its features'
rows (worked out the first time it comes; no arithmetic until the message's sum). A message then costs a
dictionary look-up per word and one sum of rows; the place's share is kept per place.

Invariants: the scores equal `model.scores((text, location))` of each model up to float rounding (the sums
run in another order; tests/learning/ checks it); the caches belong to one set of models; the word rows are
bounded (`CACHE_SIZE` words, then they start again, between two messages)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from wijkbot.domain.text import stem
from wijkbot.learning.encoding import FloatArray
from wijkbot.learning.features import CHAR_SIZES, message_words
from wijkbot.learning.model import LinearModel

CACHE_SIZE = 100_000  # words (and, apart, places) kept
_NO_PAIRS: dict[str, int] = {}
# Per word: its rows (one for a word of the history), its stem, and the rows of the stem pairs its stem
# starts, by the right-hand stem.
_Word = tuple[tuple[int, ...], str, dict[str, int]]


class MessageScores:
    """Scores of several models trained on one feature space, side by side (model after model)."""

    def __init__(self, models: Sequence[LinearModel], words: Iterable[str] = ()) -> None:
        first = models[0]
        self.text_block, self.location_block = first.blocks
        self.splits = [len(m.labels) for m in models]
        coef = np.hstack([m.coef for m in models]).astype(np.float32)
        self._intercept = np.concatenate([m.intercept for m in models]).astype(np.float32)
        width = coef.shape[1]
        self._width = width
        vocabulary, idf = self.text_block.vocabulary, self.text_block.idf
        self._place_coef = np.ascontiguousarray(coef[len(vocabulary):])  # the text's weights live in the rows
        self._place_idf = [float(v) for v in self.location_block.idf]
        self._grams = {name[2:]: column for name, column in vocabulary.items() if name.startswith("c:")}
        self._pairs: dict[str, dict[str, int]] = {}
        for name, column in vocabulary.items():
            if name.startswith("b:"):  # stems are letters and digits only, so "_" separates the two
                left, _, right = name[2:].partition("_")
                self._pairs.setdefault(left, {})[right] = column
        # Rows 0 .. V-1: each text feature's share of the scores at count 1 (idf times its weights), with
        # idf squared as the last column; a stem pair is one such row, a word the sum of its features' rows.
        # Then the rows of the history's words (and of words with an n-gram twice).
        text_columns = len(vocabulary)
        self._first_word = text_columns
        self._rows = np.zeros((self._first_word + 1024, width + 1), dtype=np.float32)
        self._rows[:text_columns, :-1] = coef[:text_columns] * idf[:, None]
        self._rows[:text_columns, -1] = idf * idf
        self._used = self._first_word
        self._words: dict[str, _Word] = {}
        self._places: dict[tuple[tuple[int, float], ...], FloatArray] = {}
        new = [w for w in dict.fromkeys(words)][:CACHE_SIZE // 2]
        self._reserve(len(new))
        for word in new:
            self._word(word, keep_row=True)

    def of(self, text: str, location: Mapping[str, float]) -> list[float]:
        """The scores of every model for one message, as one list (see `splits`)."""
        return self.with_place(text, self.place(location))

    def with_place(self, text: str, place: FloatArray) -> list[float]:
        """The scores for a text at a place whose share (`place`) the caller kept."""
        if len(self._words) >= CACHE_SIZE or self._used - self._first_word >= CACHE_SIZE:
            self._words.clear()  # crude but bounded, and between messages (a message's rows stay put)
            self._used = self._first_word
        # One plain loop (tried: map and itemgetter over the words, a fifth more instructions and time).
        cache = self._words
        rows: list[int] = []
        pairs = _NO_PAIRS
        for word in message_words(text):
            entry = cache.get(word) or self._word(word)
            rows.extend(entry[0])
            pair = pairs.get(entry[1])  # the pair of the previous stem and this one
            if pair is not None:
                rows.append(pair)
            pairs = entry[2]
        if rows:
            total = self._rows.take(rows, axis=0).sum(axis=0)
            squares = float(total[-1])
            if squares > 0.0:
                place = place + total[:-1] * np.float32(self.text_block.weight / math.sqrt(squares))
        scores: list[float] = place.tolist()
        return scores

    def place(self, location: Mapping[str, float]) -> FloatArray:
        """Intercepts plus the place's share of the scores (read only); kept per place (a few hundred streets
        make most messages). Kept by the features the model knows: a street it never learned adds nothing, so a
        new street with a known postcode and town shares the row of that postcode and town."""
        vocabulary = self.location_block.vocabulary
        known = tuple((vocabulary[name], count) for name, count in location.items()
                      if name in vocabulary and count > 0)
        found = self._places.get(known)
        if found is None:
            # TF-IDF (sublinear tf), L2-normalised, times the block weight (`location_vector`), in plain Python:
            # numpy costs more than the arithmetic for a handful of features.
            found = self._intercept.copy()
            if known:
                values = [(1.0 + math.log(count)) * self._place_idf[column] for column, count in known]
                scale = self.location_block.weight / math.sqrt(sum(v * v for v in values))
                found += np.asarray([v * scale for v in values], dtype=np.float32) @ self._place_coef.take(
                    [column for column, _ in known], axis=0)
            found.flags.writeable = False
            if len(self._places) >= CACHE_SIZE:
                self._places.clear()
            self._places[known] = found
        return found

    def _reserve(self, more: int) -> None:
        needed = self._used + more
        if needed > len(self._rows):
            grown = np.zeros((max(needed, 2 * len(self._rows)), self._width + 1), dtype=np.float32)
            grown[:self._used] = self._rows[:self._used]
            self._rows = grown

    def _word(self, word: str, keep_row: bool = False) -> _Word:
        """What a word adds: the rows of its features (their sum kept as one row of its own with `keep_row`,
        for the history's words), its stem and the stem pairs it starts."""
        word_stem = stem(word)
        padded = f" {word} "  # the n-grams of `word_features`, without their "c:"
        grams = self._grams
        found = [c for c in map(grams.get, (padded[i:i + size] for size in CHAR_SIZES
                                            for i in range(len(padded) - size + 1))) if c is not None]
        single = self.text_block.vocabulary.get("w:" + word_stem)
        if single is not None:
            found.append(single)
        rows: tuple[int, ...] = ()  # no feature the model knows: the word adds nothing
        if len(set(found)) < len(found):  # an n-gram twice in one word ("aaaaaa"): weighted, in a row of its own
            counts = Counter(found)
            columns = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
            repeats = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
            weights = (1.0 + np.log(repeats)).astype(np.float32)
            rows = (self._new_row(weights @ self._rows.take(columns, axis=0)),)
            self._rows[rows[0], -1] = float((weights * weights) @ self._rows[columns, -1])
        elif found and keep_row:
            rows = (self._new_row(self._rows.take(found, axis=0).sum(axis=0)),)
        elif found:  # the usual new word: no n-gram twice, so its vector is the sum of its features' rows
            rows = tuple(found)
        entry = self._words[word] = (rows, word_stem, self._pairs.get(word_stem, _NO_PAIRS))
        return entry

    def _new_row(self, values: FloatArray) -> int:
        self._reserve(1)
        row = self._used
        self._rows[row] = values
        self._used += 1
        return row
