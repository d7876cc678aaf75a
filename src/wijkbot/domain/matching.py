"""Keyword matching for typo-ridden Dutch: stems, compounds, joined bigrams and fuzzy token matching.

A KeywordIndex is built once from the rules (phrases with an owner label and a weight) and then matches a
message in well under a millisecond. Invariants: a keyword of several words matches only those stems in
order; keywords of 4 letters or fewer only match exactly (rapidfuzz would find "heg" in "hegemonie"); fuzzy
matching compares whole tokens with `fuzz.ratio` (never partial matching) above a fixed cut-off.

Two neighbours written apart ("geluids overlast", "honden poep") count as the one-word keyword they form
when they are stemmed together: checked only where the left word (two letters or more) is the start of a
keyword written as one word, which is what splitting a compound looks like. (Stemming every pair of
neighbours cost a fifth of routing a message, and on Katwijk's year the pairs this leaves out added a keyword
in 4 of 6,118 messages, by accident: "vernield en" -> "verniel".) Phrases of several words are looked for in
the words' stems; when a message holds more than one, their hits come in the order of their first words.

Speed (issue 3): everything a word contributes (its stem, the keywords its stem is, its compound parts and
their keywords, its typo matches, what it forms joined with its right-hand neighbour) is worked out once per
distinct word and kept, so a message costs one pass over its words with a few dictionary look-ups each. Typo
matches of words not seen before are looked for only among the keywords their letters leave within reach
(domain/fuzzy.py). The hits, their
order and their spelling are exactly those of the plain token-by-token scan in tests/routing/.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from wijkbot.domain.fuzzy import Vocabulary
from wijkbot.domain.text import split_compound, stem, stem_many, words

FUZZY_CUTOFF = 85.0
FUZZY_CACHE_SIZE = 50_000  # distinct words (and, separately, joined pairs) kept
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


# A keyword as the index holds it: a number standing for the keyword (equal keywords share one), and itself.
_Entry = tuple[int, Keyword]


class _Word:
    """What one distinct word contributes to any message; built once, then shared by every message."""

    __slots__ = ("exact", "fuzzy", "join", "joins", "parts", "phrase", "stem", "typo")

    def __init__(self, stem_: str, exact: tuple[_Entry, ...], parts: tuple[tuple[_Entry, ...], ...],
                 phrase: bool, joins: bool) -> None:
        self.stem = stem_
        self.exact = exact  # keywords that are this word's stem
        self.parts = parts  # per compound part (only for a word that splits): the keywords that part is
        self.phrase = phrase  # a phrase of several words starts with this stem
        self.typo = not exact and len(stem_) >= MIN_FUZZY_LENGTH  # may be a typo of a keyword
        self.fuzzy: tuple[_Entry, ...] | None = None  # typo matches; None until looked up
        self.join = joins  # this word starts a keyword written as one word
        # Then: the keywords it forms joined with its right-hand neighbour, by that neighbour (when first met).
        self.joins: dict[str, tuple[_Entry, ...]] = {}


def _stems_of(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in words(text))


class KeywordIndex:
    """Finds keyword phrases in messages. Build once per rule set; `find` is pure and thread-safe."""

    def __init__(self, keywords: Iterable[Keyword]) -> None:
        self._single: dict[str, list[_Entry]] = {}
        self._multi: dict[str, list[_Entry]] = {}  # phrases of several words by first stem, in rule order
        # The same by first and second stem, with the stems after the second: what a message is checked with.
        self._pairs: dict[str, dict[str, list[tuple[list[str], _Entry]]]] = {}
        numbers: dict[Keyword, int] = {}
        for keyword in keywords:
            stems = _stems_of(keyword.phrase)
            if not stems:
                continue
            entry = (numbers.setdefault(keyword, len(numbers)), keyword)
            if len(stems) == 1:
                self._single.setdefault(stems[0], []).append(entry)
            else:
                self._multi.setdefault(stems[0], []).append(entry)
                self._pairs.setdefault(stems[0], {}).setdefault(stems[1], []).append((list(stems[2:]), entry))
        # Where a keyword written as one word may start: the proper beginnings (two letters or more) of the
        # keywords of one word, as written and as stemmed ("geluids" of "geluidsoverlast").
        self._join_starts = join_starts(k.phrase for entries in self._single.values() for _, k in entries)
        self._fuzzy_vocab = [
            s for s, kws in self._single.items() if len(s) >= MIN_FUZZY_LENGTH and any(k.fuzzy for _, k in kws)
        ]
        self._vocabulary = Vocabulary(self._fuzzy_vocab, FUZZY_CUTOFF)
        # Typo matches per stem, flattened to the keywords they give, in the order a scan would add them.
        self._fuzzy_cache: dict[str, tuple[_Entry, ...]] = {}
        self._words: dict[str, _Word] = {}
        self._joins = 0  # joined pairs kept in the words' `joins`

    def find(self, text: str) -> list[Hit]:
        """Every keyword found in the text, each keyword at most once, exact hits preferred.

        The hits come in the order of a scan over tokens (whole words, joined neighbours, compound parts,
        typos, phrases): the first way a keyword is found is the one that counts.
        """
        raw = words(text)
        if not raw:
            return []
        # One plain loop over the words (tried: separate passes with map and itertools.compress, which cost a
        # quarter more: a tuple per word and pass).
        cache = self._words
        hits: dict[int, Hit] = {}
        matched: set[str] = set()
        stems: list[str] = []
        joined: list[tuple[int, _Word]] = []  # left words that may form a keyword with their right neighbour
        compounds: list[tuple[str, _Word]] = []
        typos: list[tuple[str, _Word]] = []
        starts: list[int] = []  # positions in the stems where a phrase may start
        for position, word in enumerate(raw):
            entry = cache.get(word) or self._word(word)
            stems.append(entry.stem)
            if entry.exact:  # whole words first
                matched.add(word)
                for number, keyword in entry.exact:
                    if number not in hits:
                        hits[number] = Hit(keyword, word, True, False)
            elif entry.typo:
                typos.append((word, entry))
            if entry.parts:
                compounds.append((word, entry))
            if entry.phrase:
                starts.append(position)
            if entry.join:
                joined.append((position, entry))
        if joined:  # then joined neighbours
            self._find_joined(raw, joined, hits)
        for word, entry in compounds:  # then compound parts of words that did not match
            for part in entry.parts:
                if word in matched:
                    break  # the whole compound (or an earlier part) matched: the other parts add nothing
                if part:
                    matched.add(word)
                    _add(hits, part, word, exact=True, part=True)
        if typos and self._fuzzy_vocab:
            self._find_fuzzy(typos, hits)
        if starts:
            self._find_phrases(stems, starts, hits)
        return list(hits.values())

    def prepare(self, texts: Iterable[str]) -> int:
        """Precompute typo matches for the words of these texts (e.g. a history); returns how many words."""
        stems = {s for text in texts for s in map(stem, words(text))
                 if len(s) >= MIN_FUZZY_LENGTH and s not in self._single}
        if self._fuzzy_vocab:
            self._fuzzy_matches(sorted(stems))
        return len(stems)

    def warm(self, known: Iterable[str]) -> None:
        """Work out what these (normalised) words contribute, typo matches included, before any message."""
        fresh = [w for w in dict.fromkeys(known) if w and w not in self._words][:FUZZY_CACHE_SIZE // 2]
        entries = [self._word(w) for w in fresh]
        if self._fuzzy_vocab:
            typos = [e for e in entries if e.typo]
            found = self._fuzzy_matches(e.stem for e in typos)
            for entry in typos:
                entry.fuzzy = found[entry.stem]

    def _word(self, word: str) -> _Word:
        if len(self._words) >= FUZZY_CACHE_SIZE or self._joins >= FUZZY_CACHE_SIZE:
            self._words.clear()  # crude but bounded; refills with the words in use
            self._joins = 0
        parts = split_compound(word)
        single = self._single
        word_stem = stem(word)
        entry = _Word(
            word_stem,
            tuple(single.get(word_stem, ())),
            tuple(tuple(single.get(stem(p), ())) for p in parts) if len(parts) > 1 else (),
            word_stem in self._multi,
            word in self._join_starts,
        )
        self._words[word] = entry
        return entry

    def _find_joined(self, raw: list[str], joined: list[tuple[int, _Word]], hits: dict[int, Hit]) -> None:
        """Two neighbours written apart ("geluids overlast") match as one word, exactly (not for typos).

        Worked out once per pair of words and kept with the left-hand word; the pairs a message brings for the
        first time are stemmed in one call.
        """
        last = len(raw) - 1
        new = [(position, entry) for position, entry in joined
               if position < last and raw[position + 1] not in entry.joins]
        if new:
            single = self._single
            together = stem_many([raw[position] + raw[position + 1] for position, _ in new])
            for (position, entry), joined_stem in zip(new, together, strict=True):
                entry.joins[raw[position + 1]] = tuple(single.get(joined_stem, ()))
                self._joins += 1
        for position, entry in joined:
            if position < last:
                found = entry.joins[raw[position + 1]]
                if found:
                    _add(hits, found, f"{raw[position]} {raw[position + 1]}", exact=True)

    def _find_fuzzy(self, typos: list[tuple[str, _Word]], hits: dict[int, Hit]) -> None:
        """Words that are no keyword but may be a typo of one (joined pairs are almost never a typo: skipped)."""
        new = [entry for _, entry in typos if entry.fuzzy is None]
        if new:
            found = self._fuzzy_matches([entry.stem for entry in new])
            for entry in new:
                entry.fuzzy = found[entry.stem]
        for word, entry in typos:
            if entry.fuzzy:
                _add(hits, entry.fuzzy, word, exact=False)

    def _fuzzy_matches(self, token_stems: Iterable[str]) -> dict[str, tuple[_Entry, ...]]:
        """The typo-tolerant keywords per stem: those of the vocabulary stems within the cut-off, best first.

        Cached per stem (residents reuse their words).
        """
        cache = self._fuzzy_cache
        result: dict[str, tuple[_Entry, ...]] = {}
        missing: list[str] = []
        for token_stem in dict.fromkeys(token_stems):
            known = cache.get(token_stem)
            if known is None:
                missing.append(token_stem)
            else:
                result[token_stem] = known
        if missing:
            if len(cache) + len(missing) > FUZZY_CACHE_SIZE:
                cache.clear()  # crude but bounded; refills with the words in use
            for token_stem, found in zip(missing, self._vocabulary.matches(missing), strict=True):
                result[token_stem] = cache[token_stem] = tuple(
                    entry for vocab_stem in found for entry in self._single[vocab_stem] if entry[1].fuzzy)
        return result

    def _find_phrases(self, sequence: list[str], starts: list[int], hits: dict[int, Hit]) -> None:
        """Keywords of several words: their stems one after the other in the words' stems, starting at one of
        `starts`."""
        pairs = self._pairs
        present: dict[int, Keyword] = {}
        last = len(sequence) - 1
        for position in starts:
            if position < last:
                candidates = pairs[sequence[position]].get(sequence[position + 1])
                if candidates:
                    after = position + 2
                    for rest, (number, keyword) in candidates:
                        if number not in hits and (not rest or sequence[after:after + len(rest)] == rest):
                            present[number] = keyword
        if len(present) == 1:
            for number, keyword in present.items():
                hits[number] = Hit(keyword, keyword.phrase, True, False)
        elif present:
            # In the order of their first stems in the message (then of the rules): it decides the order of
            # the hits, and so the order in which a category's evidence is summed.
            multi = self._multi
            for first in dict.fromkeys(sequence):
                for number, keyword in multi.get(first, ()):
                    if number in present and number not in hits:
                        hits[number] = Hit(keyword, keyword.phrase, True, False)


def join_starts(phrases: Iterable[str]) -> frozenset[str]:
    """The proper beginnings, of two letters or more, of these one-word keywords as written and as stemmed:
    the left words after which a right-hand neighbour may complete the keyword ("honden" of "hondenpoep")."""
    forms = {form for phrase in phrases for word in words(phrase) for form in (word, stem(word))}
    return frozenset(form[:end] for form in forms for end in range(2, len(form)))


def _add(hits: dict[int, Hit], entries: Iterable[_Entry], found: str, exact: bool, part: bool = False) -> None:
    """Record keywords not found before (the first way a keyword was found is the one that counts)."""
    for number, keyword in entries:
        if number not in hits:
            hits[number] = Hit(keyword, found, exact, part)
