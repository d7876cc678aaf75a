"""The routing path as it was before the speed work (issue 3), kept as the reference.

The fast router must take exactly the decisions this straightforward path takes (tests/routing/
test_same_decisions.py). Only the class names changed; the text functions are copied too, so a change in
wijkbot.domain.text cannot hide in both paths at once. Two rules changed on purpose since (session 7), here
as in the fast path: two neighbours are stemmed together only after a left word that starts a one-word
keyword, and phrases are looked for in the words' stems, their hits in the order of their first words (it was
the order of a set of strings, which changes from one process to the next). Session 11 changed the
confidence's evidence scale (one keyword is no longer full certainty), here as in the fast path.
"""

# ruff: noqa
# mypy: ignore-errors
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise

import Stemmer
from rapidfuzz import fuzz, process

from wijkbot.domain.matching import Hit, Keyword
from wijkbot.domain.model import Area, Kind
from wijkbot.domain.together import Together
from wijkbot.domain.questions import asks
from wijkbot.domain.routing import AMBITION_NOT_SET, NO_AMBITION, Decision
from wijkbot.domain.routing_reasons import once
from wijkbot.domain.rules import Ambition, Buurt, Category, RuleSet

_NON_WORD = re.compile(r"[^a-z0-9]+")
_STEMMER = Stemmer.Stemmer("dutch")
COMPOUND_HEADS: tuple[str, ...] = (
    "container", "vergunning", "overlast", "verlichting", "paal", "tegel", "zak", "bak", "lamp", "afval",
    "straat", "weg", "plein", "boom", "hout", "toestel", "put", "licht",
)


@lru_cache(maxsize=256)
def normalise(text: str) -> str:
    if text.isascii():
        return _NON_WORD.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", ascii_only).strip()


def words(text: str) -> list[str]:
    cleaned = normalise(text)
    return cleaned.split() if cleaned else []


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return str(_STEMMER.stemWord(word))


@lru_cache(maxsize=65536)
def split_compound(word: str) -> tuple[str, ...]:
    for head in COMPOUND_HEADS:
        if len(word) >= len(head) + 3 and word.endswith(head):
            modifier = word[: -len(head)]
            if modifier.endswith("s") and len(modifier) > 4:
                modifier = modifier[:-1]
            return (modifier, head)
    return (word,)


# ---- matching.py as it was
FUZZY_CUTOFF = 85.0
FUZZY_CACHE_SIZE = 50_000
MIN_FUZZY_LENGTH = 5


def _stems_of(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in words(text))


@dataclass(frozen=True, slots=True)
class _Token:
    stem: str
    surface: str
    part: bool = False
    joined: bool = False  # two neighbours written apart ("geluids overlast"): matched exactly, not for typos


def _join_starts(phrases: Iterable[str]) -> set[str]:
    """Left words that may start a one-word keyword: its beginnings of two letters or more (not all of it), as
    written and as stemmed."""
    starts = set()
    for phrase in phrases:
        for form in (*words(phrase), *(stem(w) for w in words(phrase))):
            starts.update(form[:end] for end in range(2, len(form)))
    return starts


def _message_tokens(text: str, join_starts: set[str] = frozenset()) -> list[_Token]:
    """Stems of the words, of joined neighbours ("geluids overlast"), and last of compound parts."""
    raw = words(text)
    tokens = [_Token(stem(w), w) for w in raw]
    tokens.extend(_Token(stem(left + right), f"{left} {right}", joined=True) for left, right in pairwise(raw)
                  if left in join_starts)
    for w in raw:
        parts = split_compound(w)
        if len(parts) > 1:
            tokens.extend(_Token(stem(p), w, part=True) for p in parts)
    return tokens


class ReferenceKeywordIndex:
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
        self._join_starts = _join_starts(k.phrase for kws in self._single.values() for k in kws)

    def find(self, text: str) -> list[Hit]:
        """Every keyword found in the text, each keyword at most once, exact hits preferred."""
        tokens = _message_tokens(text, self._join_starts)
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
        sequence = [t.stem for t in tokens if not t.part and not t.joined]
        joined = " " + " ".join(sequence) + " "
        for first in dict.fromkeys(sequence):
            for stems, keyword in self._multi.get(first, ()):
                if keyword not in hits and (" " + " ".join(stems) + " ") in joined:
                    hits[keyword] = Hit(keyword, keyword.phrase, exact=True)


# ---- areas.py as it was
_POSTCODE = re.compile(r"\b([1-9][0-9]{3})\s?([A-Za-z]{2})?\b")
_FUZZY_NAME_CUTOFF = 88.0
_MIN_FUZZY_NAME = 8
_FUZZY_CACHE_SIZE = 100_000


def _by_initial(places: dict[str, _Place]) -> dict[str, tuple[tuple[int, ...], tuple[str, ...]]]:
    """Place names grouped by first letter, sorted by length: a typo search takes a slice, not a scan."""
    grouped: dict[str, list[str]] = {}
    for name in places:
        if name:
            grouped.setdefault(name[0], []).append(name)
    return {initial: (tuple(len(n) for n in sorted(names, key=len)), tuple(sorted(names, key=len)))
            for initial, names in grouped.items()}


def _key(name: str) -> str:
    """A place name without spaces, so "Burgemeester Reigerstraat" and "burgemeesterreigerstraat" meet."""
    return normalise(name).replace(" ", "")


@dataclass(frozen=True, slots=True)
class _Place:
    name: str
    buurt: Buurt


class ReferenceAreaIndex:
    """Resolves places to areas. Built once per rule set; `locate` is pure."""

    def __init__(self, buurten: tuple[Buurt, ...], streets: dict[str, str]) -> None:
        by_code = {b.code: b for b in buurten}
        self._by_pc4: dict[str, list[Buurt]] = {}
        for buurt in buurten:
            for pc4 in buurt.pc4s:
                self._by_pc4.setdefault(pc4, []).append(buurt)
        self._streets = {_key(s): _Place(s, by_code[c]) for s, c in streets.items() if c in by_code}
        self._buurt_names: dict[str, _Place] = {}
        for buurt in buurten:
            for name in (buurt.name, *buurt.aliases):
                self._buurt_names.setdefault(_key(name), _Place(name, buurt))
        self._wijk_names = {_key(b.wijk): b.wijk for b in buurten}
        self._fuzzy_cache: dict[tuple[str, str], str | None] = {}
        self._initials: dict[int, dict[str, tuple[tuple[int, ...], tuple[str, ...]]]] = {}
        self._longest = max((len(normalise(n.name).split()) for n in
                             (*self._streets.values(), *self._buurt_names.values())), default=1)

    def locate(self, text: str, street: str | None = None, postcode: str | None = None,
               town: str | None = None) -> Area:
        """The most specific area the hints and the text support; an empty Area when nothing matches."""
        grams = self._ngrams(text)  # once per message, shared by every name lookup
        # (changed since: a street hint whose area the postcode hint contradicts says so in its reason)
        by_street = self._from_name([_key(street)] if street else [], self._streets, "straat")
        by_postcode = self._from_postcode(postcode or "", "postcode")
        if by_street is not None and by_postcode is not None and by_postcode.wijk not in (None, by_street.wijk):
            return replace(by_street, matched_by=f"{by_street.matched_by} (maar {by_postcode.matched_by} ligt in "
                                                 f"{by_postcode.wijk})")
        resolvers: tuple[Callable[[], Area | None], ...] = (
            lambda: self._from_name([_key(street)] if street else [], self._streets, "straat"),
            lambda: self._from_postcode(postcode or "", "postcode"),
            lambda: self._from_name([_key(town)] if town else [], self._buurt_names, "plaats"),
            lambda: self._from_wijk_name([_key(town)] if town else []),
            lambda: self._from_name(grams, self._streets, "straat"),
            lambda: self._from_postcode(text, "postcode"),
            lambda: self._from_name(grams, self._buurt_names, "buurt"),
            lambda: self._from_wijk_name(grams),
        )
        for resolve in resolvers:
            area = resolve()
            if area is not None:
                return area
        return Area()

    def _from_postcode(self, text: str, label: str) -> Area | None:
        for match in _POSTCODE.finditer(text):
            buurten = self._by_pc4.get(match.group(1))
            if not buurten:
                continue
            wijken = {b.wijk for b in buurten}
            wijk = buurten[0].wijk if len(wijken) == 1 else None
            if len(buurten) == 1:
                only = buurten[0]
                return Area(wijk, only.name, only.code, None, f"{label} {match.group(1)}")
            if wijk is not None:
                return Area(wijk, None, None, None, f"{label} {match.group(1)}")
        return None

    def _from_name(self, candidates: list[str], places: dict[str, _Place], label: str) -> Area | None:
        if not candidates or not places:
            return None
        for candidate in candidates:
            place = places.get(candidate)
            if place is not None:
                return self._area(place, label)
        for candidate in candidates:
            if len(candidate) >= _MIN_FUZZY_NAME:
                name = self._fuzzy(candidate, places, label)
                if name is not None:
                    return self._area(places[name], label)
        return None

    def _fuzzy(self, candidate: str, places: dict[str, _Place], label: str) -> str | None:
        """The closest place name within the cut-off; cached per (kind of place, candidate)."""
        key = (label, candidate)
        if key not in self._fuzzy_cache:
            if len(self._fuzzy_cache) >= _FUZZY_CACHE_SIZE:
                self._fuzzy_cache.clear()
            names = self._names_near(label, candidate, places)
            found = process.extractOne(candidate, names, scorer=fuzz.ratio, score_cutoff=_FUZZY_NAME_CUTOFF) \
                if names else None
            self._fuzzy_cache[key] = found[0] if found is not None else None
        return self._fuzzy_cache[key]

    def _names_near(self, label: str, candidate: str, places: dict[str, _Place]) -> list[str]:
        """The names that can be a typo of `candidate`: the same first letter (residents rarely mistype the
        first letter of a street), and a length that allows a ratio above the cut-off, |a - b| <= (1 - c)(a + b).

        Most word groups of a message are longer or shorter than any street, so they are not compared at all,
        and the rest are compared with a few names (a long message went from ~20 ms to well under 1 ms).
        """
        index = self._initials.get(id(places))
        if index is None:
            index = self._initials[id(places)] = _by_initial(places)
        lengths, names = index.get(candidate[0], ((), ()))
        slack = 1.0 - _FUZZY_NAME_CUTOFF / 100.0
        length = len(candidate)
        low = bisect_left(lengths, length * (1 - slack) / (1 + slack))
        high = bisect_right(lengths, length * (1 + slack) / (1 - slack))
        return list(names[low:high])

    def _from_wijk_name(self, grams: list[str]) -> Area | None:
        for candidate in grams:
            wijk = self._wijk_names.get(candidate)
            if wijk is not None:
                return Area(wijk, None, None, None, f"wijk {wijk}")
        return None

    def _ngrams(self, text: str) -> list[str]:
        tokens = normalise(text).split()
        grams: list[str] = []
        for size in range(min(self._longest, 4), 0, -1):  # longest first: "Oog in Al" before "Al"
            grams.extend("".join(tokens[i:i + size]) for i in range(len(tokens) - size + 1))
        return grams

    @staticmethod
    def _area(place: _Place, label: str) -> Area:
        buurt = place.buurt
        street = place.name if label == "straat" else None
        return Area(buurt.wijk, buurt.name, buurt.code, street, f"{label} {place.name}")


# ---- routing.py as it was (Router only)
class ReferenceRouter:
    """Routes messages with one rule set. Build once at start-up; `route` is pure."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        # One index for everything a message is scanned for, so the text is tokenised and matched once.
        # Owners are prefixed: "c:<category>", "x:<category>" (exclusion), "k:<kind>", "u" (urgent).
        self._index = ReferenceKeywordIndex([
            *(Keyword(k, f"c:{c.id}", c.weight) for c in rules.categories.values() for k in c.keywords),
            *(Keyword(k, f"x:{c.id}") for c in rules.categories.values() for k in c.exclude),
            *(Keyword(k, "u", fuzzy=False) for k in rules.signals.urgent),
            *(Keyword(k, f"k:{kind.value}") for kind, phrases in rules.signals.kinds.items() for k in phrases),
        ])
        self._ambitions = {
            wijk: ReferenceKeywordIndex(Keyword(k, a.id) for a in ambitions for k in (*a.keywords, a.title))
            for wijk, ambitions in rules.ambitions.items()
        }
        self.areas = ReferenceAreaIndex(rules.buurten, rules.streets)

    def route(self, text: str, street: str | None = None, postcode: str | None = None,
              town: str | None = None) -> Decision:
        """Decide kind, category, department, area and confidence for one message."""
        area = self.areas.locate(text, street, postcode, town)
        found = self._index.find(text)
        vetoed = {h.keyword.owner[2:] for h in found if h.keyword.owner.startswith("x:")}
        hits = [h for h in found if h.keyword.owner.startswith("c:") and h.keyword.owner[2:] not in vetoed]
        scores = _score(hits, prefix=2)
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        category = self.rules.categories[ranked[0][0]] if ranked else None
        confidence = _confidence([s for _, s in ranked])
        terms = tuple(sorted({h.found for h in hits if category and h.keyword.owner[2:] == category.id}))
        kind = self._kind(text, category, {h.keyword.owner[2:] for h in found if h.keyword.owner.startswith("k:")},
                          terms)
        # (changed since: danger in the resident's own word order, domain.together; a crisis is urgent too; the
        # reason names the words that said so)
        alarm = once(h.found for h in found if h.keyword.owner == "u") \
            or Together(self.rules.signals.urgent_together).which(text) \
            or Together(self.rules.signals.crisis_together).which(text) or ()
        urgent = bool(alarm)
        triage_dept = self.rules.municipality.triage_department
        out_of_scope = category is not None and not urgent and not self.rules.departments[category.department].in_scope
        triage = category is None or urgent or (not out_of_scope and confidence < self.rules.municipality.min_confidence)
        department = triage_dept if triage or category is None else category.department
        ambition = self._ambition(text, area.wijk) if kind is Kind.INITIATIEF else None
        reasons = self._reasons(category, terms, area, confidence, triage, alarm, ambition)
        return Decision(
            kind=kind,
            category=None if triage else (category.id if category else None),
            department=department,
            area=area,
            confidence=round(confidence, 3),
            triage=triage,
            urgent=urgent,
            out_of_scope=out_of_scope,
            suggested_category=category.id if category else None,
            suggested_department=category.department if category else None,
            ambition=ambition,
            matched_terms=terms,
            reasons=reasons,
        )

    def prepare(self, texts: Iterable[str]) -> int:
        """Warm the typo-matching caches with the vocabulary of known texts (history, example sentences)."""
        return self._index.prepare(texts)

    def _kind(self, text: str, category: Category | None, markers: set[str], terms: tuple[str, ...]) -> Kind:
        if Kind.KLACHT.value in markers:
            return Kind.KLACHT
        if Kind.INITIATIEF.value in markers or (category and category.kind is Kind.INITIATIEF):
            return Kind.INITIATIEF
        # (changed since: a melding that first says what is wrong and then asks stays a melding)
        if Kind.VRAAG.value in markers or asks(text, category is not None, terms):
            return Kind.VRAAG
        return category.kind if category else Kind.MELDING

    def _ambition(self, text: str, wijk: str | None) -> str:
        if wijk is None or not self.rules.ambitions.get(wijk):
            return AMBITION_NOT_SET
        hits = self._ambitions[wijk].find(text)
        if not hits:
            return NO_AMBITION
        return max(_score(hits).items(), key=lambda item: (item[1], item[0]))[0]

    def ambition(self, ambition_id: str | None) -> Ambition | None:
        for ambitions in self.rules.ambitions.values():
            for ambition in ambitions:
                if ambition.id == ambition_id:
                    return ambition
        return None

    def _reasons(self, category: Category | None, terms: tuple[str, ...], area: Area, confidence: float,
                 triage: bool, alarm: tuple[str, ...], ambition: str | None) -> tuple[str, ...]:
        reasons: list[str] = []
        if category is not None:
            department = self.rules.departments[category.department].name
            reasons.append(f"{', '.join(terms) or category.name} -> {category.name} ({department})")
        else:
            reasons.append("geen bekende woorden gevonden")
        if area.wijk:
            reasons.append(f"{area.matched_by} -> {area.label}")
        else:
            reasons.append("geen plaats gevonden")
        reasons.append(f"zekerheid {confidence:.2f}")
        if triage:
            reasons.append("mogelijk acuut: meteen naar triage" if alarm
                           else "te onzeker: naar triage")
        if alarm:
            said = ", ".join(f'"{word}"' for word in alarm)
            reasons.append(f"mogelijk acuut gevaar (gevonden: {said}): bewoner gewezen op 112")
        if ambition is not None:
            found = self.ambition(ambition)
            if found is not None:
                reasons.append(f"past bij wijkambitie: {found.title}")
            elif ambition == NO_AMBITION:
                reasons.append("past bij geen wijkambitie")
            elif area.wijk is None:
                reasons.append(f"de {self.rules.municipality.area_label} is niet bekend, dus er is geen wijkambitie "
                               "bepaald")
            else:
                reasons.append(f"voor deze {self.rules.municipality.area_label} zijn nog geen wijkambities vastgelegd")
        return tuple(reasons)


EXACT_SCORE = 1.0
FUZZY_SCORE = 0.8
PART_SCORE = 0.5
PHRASE_BONUS = 0.5

def _score(hits: Iterable[Hit], prefix: int = 0) -> dict[str, float]:
    """Evidence per owner (the owner id without its `prefix` characters)."""
    scores: dict[str, float] = {}
    for hit in hits:
        base = PART_SCORE if hit.part else EXACT_SCORE if hit.exact else FUZZY_SCORE
        if " " in hit.keyword.phrase.strip():
            base += PHRASE_BONUS
        owner = hit.keyword.owner[prefix:]
        scores[owner] = scores.get(owner, 0.0) + base * hit.keyword.weight
    return scores


def _confidence(ranked_scores: list[float]) -> float:
    """Sureness from the margin between the best and the runner-up, damped when the evidence is thin."""
    if not ranked_scores:
        return 0.0
    top = ranked_scores[0]
    second = ranked_scores[1] if len(ranked_scores) > 1 else 0.0
    margin = top / (top + second)
    evidence = min(1.0, top / 2.5)  # 1.5 before session 11: a policy change, made here as in the fast path
    return margin * (0.4 + 0.6 * evidence)
