"""Signals made of words that belong together in one sentence: danger said in a resident's own word order.

A phrase list ("ruikt naar gas") misses "ik ruik volgens mij gas bij de meterkast"; a single word ("gas") would
flag "gasrekening". A rule here is groups of words; it holds when every group has a word in the same sentence:
`[[gas, gasmeter], [ruik, ruikt, stinkt, sist]]`. A word is matched as written (normalised: lower case, no
accents), a word ending in "*" by its beginning ("gasleiding*"), and an entry of several words as those words in
that order ("niet meer"). No stemming and no typo matching: a beheerder can read exactly what a rule catches.

Invariants: pure; a sentence ends at . ! ? ; or a line break; a text with no word of any rule costs one set
look-up per word; whether a text holds does not depend on the order of the rules; the words named are those of
the first sentence and, within it, the first rule (in the file's order) that holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from wijkbot.domain.text import normalise, word_set

_SENTENCE_END = re.compile(r"[.!?;\n]+")


@dataclass(frozen=True, slots=True)
class _Entry:
    words: tuple[str, ...]  # one word, or a phrase in order
    prefix: bool  # the last word matches by its beginning

    def found_in(self, sentence: Sequence[str], present: set[str]) -> str | None:
        """The words of `sentence` this entry matches ("gasleiding*" -> "gasleidingen"), or None."""
        first = self.words[0]
        if len(self.words) == 1:
            if not self.prefix:
                return first if first in present else None
            return next((w for w in sentence if w.startswith(first)), None)
        size = len(self.words)
        for start in range(len(sentence) - size + 1):
            if tuple(sentence[start:start + size - 1]) == self.words[:-1]:
                last = sentence[start + size - 1]
                if last == self.words[-1] or (self.prefix and last.startswith(self.words[-1])):
                    return " ".join(sentence[start:start + size])
        return None


def _entry(text: str) -> _Entry:
    prefix = text.rstrip().endswith("*")
    return _Entry(tuple(normalise(text.replace("*", " ")).split()), prefix)


class Together:
    """A set of together-rules (each: groups of entries) that answers one question per text: does any hold?"""

    def __init__(self, rules: Iterable[Sequence[Sequence[str]]]) -> None:
        built = [tuple(tuple(_entry(e) for e in group if normalise(e.replace("*", " "))) for group in rule)
                 for rule in rules]
        self._rules = [rule for rule in built if rule and all(rule)]
        # The quick test, on the whole text: which groups of which rules have a key word in it (an entry's word, or a
        # phrase's longest). A group with a one-word "woord*" entry cannot be answered by a set: it counts as
        # present (`_open`), the sentence test decides.
        self._where: dict[str, list[tuple[int, int]]] = {}
        self._open = [0] * len(self._rules)
        for r, rule in enumerate(self._rules):
            for g, group in enumerate(rule):
                if any(e.prefix and len(e.words) == 1 for e in group):
                    self._open[r] += 1
                    continue
                # a phrase is looked up by its longest word: "in brand" by "brand", not by the "in" of every text
                for key in {max(e.words[:-1] if e.prefix else e.words, key=len) for e in group}:
                    self._where.setdefault(key, []).append((r, g))
        self._firsts = frozenset(self._where)
        self._sizes = [len(rule) - self._open[r] for r, rule in enumerate(self._rules)]  # groups a set must see
        self._always = [r for r in range(len(self._rules)) if self._sizes[r] == 0]
        # key words a text needs before any rule can hold (one, if a word stands in two groups of one rule)
        shared = any(len({r for r, _g in places}) < len(places) for places in self._where.values())
        self._fewest = min(self._sizes, default=0) if not shared else min(1, *self._sizes)

    def __bool__(self) -> bool:
        return bool(self._rules)

    def holds(self, text: str) -> bool:
        """Whether some rule has a word of each of its groups in one sentence of `text`."""
        return self.which(text) is not None

    def which(self, text: str) -> tuple[str, ...] | None:
        """The words that made the first rule hold, one per group as the text has them (normalised), or None when
        no rule holds: what an ambtenaar reads as the reason ("ruik, gas")."""
        found = self._firsts & word_set(text)  # (cached: the urgent and the crisis rules ask it of the same text)
        if len(found) < self._fewest:
            return None  # most messages: fewer key words than any rule needs
        groups: dict[int, set[int]] = {}
        for word in found:
            for index, group in self._where[word]:
                groups.setdefault(index, set()).add(group)
        ready = [r for r, seen in groups.items() if len(seen) == self._sizes[r]] + self._always
        if not ready:
            return None  # most messages: no rule has a word of every group anywhere in the text
        for part in _SENTENCE_END.split(text):
            sentence = normalise(part).split()
            in_sentence = set(sentence)
            for r in sorted(ready):  # the first rule in the file's order names the words, whatever the hash seed
                words = _matched(self._rules[r], sentence, in_sentence)
                if words is not None:
                    return words
        return None


def _matched(rule: Sequence[Sequence[_Entry]], sentence: Sequence[str], present: set[str]) -> tuple[str, ...] | None:
    """One matched word (or phrase) per group of `rule` in `sentence`, or None when a group has none."""
    words: list[str] = []
    for group in rule:
        word = next((w for entry in group if (w := entry.found_in(sentence, present)) is not None), None)
        if word is None:
            return None
        words.append(word)
    return tuple(words)
