"""Keyword matching for typo-ridden Dutch: stems, compounds, joined bigrams and fuzzy token matching.

A KeywordIndex is built once from the rules (phrases with an owner label and a weight) and then matches a
message in well under a millisecond. Invariants: a keyword of several words matches only those stems in
order; keywords of 4 letters or fewer only match exactly (rapidfuzz would find "heg" in "hegemonie"); fuzzy
matching compares whole tokens with `fuzz.ratio` (never partial matching) above a fixed cut-off.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from rapidfuzz import fuzz, process

from wijkbot.domain.text import split_compound, stem, words

FUZZY_CUTOFF = 85.0
FUZZY_CACHE_SIZE = 50_000
MIN_FUZZY_LENGTH = 5


@dataclass(frozen=True, slots=True)
class Keyword:
    """One keyword phrase of one owner (a category id, an ambition id, "urgent", a kind)."""

    phrase: str
    owner: str
    weight: float = 1.0
    fuzzy: bool = True  # False for words where one letter matters ("brand" is not "brandt")


@dataclass(frozen=True, slots=True)
class Hit:
    """A keyword found in a message; `found` is the resident's own spelling, for the explanation.

    `part` marks a hit on one part of a compound ("paal" in "lantaarnpaal"): weaker evidence than a word.
    """

    keyword: Keyword
    found: str
    exact: bool
    part: bool = False


def _stems_of(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in words(text))


@dataclass(frozen=True, slots=True)
class _Token:
    stem: str
    surface: str
    part: bool = False
    joined: bool = False  # two neighbours written apart ("geluids overlast"): matched exactly, not for typos


def _message_tokens(text: str) -> list[_Token]:
    """Stems of the words, of joined neighbours ("geluids overlast"), and last of compound parts."""
    raw = words(text)
    tokens = [_Token(stem(w), w) for w in raw]
    tokens.extend(_Token(stem(left + right), f"{left} {right}", joined=True) for left, right in pairwise(raw))
    for w in raw:
        parts = split_compound(w)
        if len(parts) > 1:
            tokens.extend(_Token(stem(p), w, part=True) for p in parts)
    return tokens


class KeywordIndex:
    """Finds keyword phrases in messages. Build once per rule set; `find` is pure and thread-safe."""

    def __init__(self, keywords: Iterable[Keyword]) -> None:
        self._single: dict[str, list[Keyword]] = {}
        self._multi: dict[str, list[tuple[tuple[str, ...], Keyword]]] = {}  # by first stem
        self._fuzzy_cache: dict[str, tuple[str, ...]] = {}
        for keyword in keywords:
            stems = _stems_of(keyword.phrase)
            if not stems:
                continue
            if len(stems) == 1:
                self._single.setdefault(stems[0], []).append(keyword)
            else:
                self._multi.setdefault(stems[0], []).append((stems, keyword))
        self._fuzzy_vocab = [
            s for s, kws in self._single.items() if len(s) >= MIN_FUZZY_LENGTH and any(k.fuzzy for k in kws)
        ]

    def find(self, text: str) -> list[Hit]:
        """Every keyword found in the text, each keyword at most once, exact hits preferred."""
        tokens = _message_tokens(text)
        if not tokens:
            return []
        hits: dict[Keyword, Hit] = {}
        unmatched: list[_Token] = []
        matched_words: set[str] = set()
        for token in tokens:
            if token.part and token.surface in matched_words:
                continue  # the whole compound already matched: its parts add nothing
            owners = self._single.get(token.stem)
            if owners:
                matched_words.add(token.surface)
                for keyword in owners:
                    hits.setdefault(keyword, Hit(keyword, token.surface, exact=True, part=token.part))
            elif len(token.stem) >= MIN_FUZZY_LENGTH and not token.part and not token.joined:
                # joined pairs are half the tokens of a message and almost never a typo of a keyword
                unmatched.append(token)
        self._find_fuzzy(unmatched, hits)
        self._find_phrases(tokens, hits)
        return list(hits.values())

    def _find_fuzzy(self, tokens: list[_Token], hits: dict[Keyword, Hit]) -> None:
        if not self._fuzzy_vocab:
            return
        for token in tokens:
            for vocab_stem in self._fuzzy_matches(token.stem):
                for keyword in self._single[vocab_stem]:
                    if keyword.fuzzy:
                        hits.setdefault(keyword, Hit(keyword, token.surface, exact=False))

    def prepare(self, texts: Iterable[str]) -> int:
        """Precompute typo matches for the words of these texts (e.g. a history); returns how many words."""
        stems = {t.stem for text in texts for t in _message_tokens(text)
                 if len(t.stem) >= MIN_FUZZY_LENGTH and t.stem not in self._single and not t.joined}
        for token_stem in stems:
            self._fuzzy_matches(token_stem)
        return len(stems)

    def _fuzzy_matches(self, token_stem: str) -> tuple[str, ...]:
        """Vocabulary stems within the cut-off; cached, because residents reuse the same words."""
        cached = self._fuzzy_cache.get(token_stem)
        if cached is None:
            found = process.extract(token_stem, self._fuzzy_vocab, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF,
                                    limit=None)
            cached = tuple(match for match, _score, _index in found)
            if len(self._fuzzy_cache) >= FUZZY_CACHE_SIZE:
                self._fuzzy_cache.clear()  # crude but bounded; refills with the words in use
            self._fuzzy_cache[token_stem] = cached
        return cached

    def _find_phrases(self, tokens: list[_Token], hits: dict[Keyword, Hit]) -> None:
        if not self._multi:
            return
        sequence = [t.stem for t in tokens if not t.part]
        joined = " " + " ".join(sequence) + " "
        for first in set(sequence):
            for stems, keyword in self._multi.get(first, ()):
                if keyword not in hits and (" " + " ".join(stems) + " ") in joined:
                    hits[keyword] = Hit(keyword, keyword.phrase, exact=True)
