"""The routing decision: what a message is, who owns it, where it plays, how sure we are, and why.

Invariants: `route` is total (any text, even empty or hostile, gives a Decision) and reads no more than the
first MAX_TEXT characters; a Decision always has a lead department (the triage department when nothing fits or
confidence is low); urgent danger is flagged but the case is still recorded; an out-of-scope subject keeps its
department so the resident gets a pointer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from wijkbot.domain import routing_reasons as said_why
from wijkbot.domain.areas import AreaIndex
from wijkbot.domain.matching import Hit, Keyword, KeywordIndex
from wijkbot.domain.model import Area, Kind
from wijkbot.domain.questions import asks
from wijkbot.domain.routing_reasons import alarm_reason, area_reason, once, triage_reason
from wijkbot.domain.rules import Ambition, Category, RuleSet
from wijkbot.domain.text import clip
from wijkbot.domain.together import Together

EXACT_SCORE = 1.0
FUZZY_SCORE = 0.8
PART_SCORE = 0.5
PHRASE_BONUS = 0.5
EVIDENCE_FOR_CERTAINTY = 2.5  # keyword score at which the evidence counts in full (see _confidence)
NO_AMBITION = "none"
# A message is judged by its first 10,000 characters (Telegram allows 4,096; the web chat 256 KB): a pasted
# document of a megabyte would otherwise keep the router busy for seconds. The whole text is stored all the same.
MAX_TEXT = 10_000
AMBITION_NOT_SET = "not-set"


@dataclass(frozen=True, slots=True)
class Decision:
    """Everything the router decided about one message, with the reasons in an ambtenaar's words."""

    kind: Kind
    category: str | None
    department: str
    area: Area
    confidence: float
    triage: bool
    urgent: bool = False
    crisis: bool = False  # words of someone who may harm themselves (also urgent): the answer points to 113
    out_of_scope: bool = False
    suggested_category: str | None = None
    suggested_department: str | None = None  # who would own it, also while it waits in triage
    ambition: str | None = None  # an ambition id, NO_AMBITION or AMBITION_NOT_SET; initiatives only
    matched_terms: tuple[str, ...] = ()
    reasons: tuple[str, ...] = field(default_factory=tuple)


class Judgement(NamedTuple):
    """What the rules make of a message, before it is put into words."""

    kind: Kind
    category: Category | None
    confidence: float
    area: Area
    urgent: bool
    out_of_scope: bool
    triage: bool
    terms: tuple[str, ...]
    ambition: str | None
    crisis: bool = False
    alarm: tuple[str, ...] = ()  # the words that made it urgent or a crisis, for the reason


class Reasons(NamedTuple):
    """The rules' reasons: the subject, the place, and what else counts (urgent danger, the ambition)."""

    category: str
    area: str
    more: tuple[str, ...]


class Routes(Protocol):
    """Anything that decides about a message like the Router does (the learned router refines it)."""

    def route(self, text: str, street: str | None = None, postcode: str | None = None,
              town: str | None = None) -> Decision: ...


class Router:
    """Routes messages with one rule set. Build once at start-up; `route` is pure."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        # One index for everything a message is scanned for, so the text is tokenised and matched once.
        # Owners are prefixed: "c:<category>", "x:<category>" (exclusion), "k:<kind>", "u" (urgent), "z" (crisis).
        self._index = KeywordIndex([
            *(Keyword(k, f"c:{c.id}", c.weight) for c in rules.categories.values() for k in c.keywords),
            *(Keyword(k, f"x:{c.id}") for c in rules.categories.values() for k in c.exclude),
            *(Keyword(k, "u", fuzzy=False) for k in rules.signals.urgent),
            *(Keyword(k, "z", fuzzy=False) for k in rules.signals.crisis),
            *(Keyword(k, f"k:{kind.value}") for kind, phrases in rules.signals.kinds.items() for k in phrases),
        ])
        self._ambitions = {
            wijk: KeywordIndex(Keyword(k, a.id) for a in ambitions for k in (*a.keywords, a.title))
            for wijk, ambitions in rules.ambitions.items()
        }
        self.areas = AreaIndex(rules.buurten, rules.streets)
        self._urgent_together = Together(rules.signals.urgent_together)
        self._crisis_together = Together(rules.signals.crisis_together)

    def route(self, text: str, street: str | None = None, postcode: str | None = None,
              town: str | None = None) -> Decision:
        """Decide kind, category, department, area and confidence for one message."""
        return self.decide(self.judge(text, street, postcode, town))

    def decide(self, judged: Judgement) -> Decision:
        """The rules' Decision for what they made of a message."""
        category, confidence, triage = judged.category, judged.confidence, judged.triage
        said = self.reasons(judged)
        return Decision(
            kind=judged.kind,
            category=None if triage else (category.id if category else None),
            department=(self.rules.municipality.triage_department if triage or category is None
                        else category.department),
            area=judged.area,
            confidence=round(confidence, 3),
            triage=triage,
            urgent=judged.urgent,
            crisis=judged.crisis,
            out_of_scope=judged.out_of_scope,
            suggested_category=category.id if category else None,
            suggested_department=category.department if category else None,
            ambition=judged.ambition,
            matched_terms=judged.terms,
            reasons=(said.category, said.area, f"zekerheid {confidence:.2f}",
                     *([triage_reason(judged.urgent)] if triage else []), *said.more),
        )

    def judge(self, text: str, street: str | None = None, postcode: str | None = None,
              town: str | None = None) -> Judgement:
        """What the rules make of one message (what `route` puts into a Decision); the learned router
        builds its own Decision from it."""
        text = clip(text, MAX_TEXT)
        area = self.areas.locate(text, street, postcode, town)
        found = self._index.find(text)
        # One pass over the hits, by owner: "c:<category>", "x:<category>", "k:<kind>", "u", "z".
        candidates: list[Hit] = []
        vetoed: set[str] = set()
        markers: set[str] = set()
        danger: list[str] = []  # the urgent phrases found, as the resident wrote them
        despair: list[str] = []  # the crisis phrases found
        for hit in found:
            owner = hit.keyword.owner
            if owner[0] == "c":
                candidates.append(hit)
            elif owner[0] == "x":
                vetoed.add(owner[2:])
            elif owner[0] == "k":
                markers.add(owner[2:])
            elif owner == "z":
                despair.append(hit.found)
            else:
                danger.append(hit.found)
        # Danger in the resident's own word order (domain.together), when no phrase said it already.
        if not despair and self._crisis_together:
            despair.extend(self._crisis_together.which(text) or ())
        if not danger and not despair and self._urgent_together:
            danger.extend(self._urgent_together.which(text) or ())
        crisis = bool(despair)
        urgent = crisis or bool(danger)  # a crisis is acute as well: a person reads it now
        alarm = once(despair or danger) if urgent else ()  # what the reason names
        hits = [h for h in candidates if h.keyword.owner[2:] not in vetoed] if vetoed else candidates
        scores = _score(hits, prefix=2)
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        category = self.rules.categories[ranked[0][0]] if ranked else None
        confidence = _confidence([s for _, s in ranked])
        terms = tuple(sorted({h.found for h in hits if h.keyword.owner[2:] == category.id})) if category else ()
        kind = self._kind(text, category, markers, terms)
        # Acute danger goes to the wijkbureau's triage (the resident is pointed to 112 at once): a person
        # reads it now, instead of a vakdienst that a word like "er ligt" would pick, and instead of closing it
        # as out of scope ("mijn rijbewijs lag in de auto, die nu in brand staat").
        out_of_scope = (category is not None and not urgent
                        and not self.rules.departments[category.department].in_scope)
        triage = category is None or urgent or (
            not out_of_scope and confidence < self.rules.municipality.min_confidence)
        ambition = self._ambition(text, area.wijk) if kind is Kind.INITIATIEF else None
        return Judgement(kind, category, confidence, area, urgent, out_of_scope, triage, terms, ambition, crisis, alarm)

    def prepare(self, texts: Iterable[str]) -> int:
        """Warm the typo-matching caches with the vocabulary of known texts (history, example sentences)."""
        return self._index.prepare(texts)

    def warm(self, words: Iterable[str]) -> None:
        """Work out now what matching and locating need per word, for words residents are known to use."""
        known = list(words)
        self._index.warm(known)
        self.areas.warm(known)

    def _kind(self, text: str, category: Category | None, markers: set[str], terms: tuple[str, ...] = ()) -> Kind:
        if Kind.KLACHT.value in markers:
            return Kind.KLACHT
        if Kind.INITIATIEF.value in markers or (category and category.kind is Kind.INITIATIEF):
            return Kind.INITIATIEF
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

    def reasons(self, judged: Judgement) -> Reasons:
        """The rules' reasons for a judgement, in an ambtenaar's words."""
        category = judged.category
        if category is not None:
            department = self.rules.departments[category.department].name
            about = f"{', '.join(judged.terms) or category.name} -> {category.name} ({department})"
        else:
            about = "geen bekende woorden gevonden"
        more: list[str] = []
        if judged.urgent:
            more.append(alarm_reason(judged.crisis, judged.alarm))
        ambition = judged.ambition
        if ambition is not None:
            found = self.ambition(ambition)
            if found is not None:
                more.append(f"past bij wijkambitie: {found.title}")
            elif ambition == NO_AMBITION:
                more.append("past bij geen wijkambitie")
            elif judged.area.wijk is None:
                more.append(said_why.no_area_for_ambition(self.rules.municipality.area_label))
            else:
                more.append(said_why.no_ambitions_for_area(self.rules.municipality.area_label))
        return Reasons(about, area_reason(judged.area), tuple(more))


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
    """Sureness from the margin between the best and the runner-up, damped when the evidence is thin.

    Full evidence takes EVIDENCE_FOR_CERTAINTY (two or three keywords); one word or one phrase alone is never
    "zekerheid 1.00". Measured with Katwijk's rules on its dev file, without history, the figure then reads
    close to the share that is right (0.5-0.6: 0.54, 0.6-0.7: 0.64, 0.8-0.9: 0.88); with 1.5 it said 1.00 for a
    single generic phrase ("er ligt") and was right 0.83 of the time at 0.9 and above.
    """
    if not ranked_scores:
        return 0.0
    top = ranked_scores[0]
    second = ranked_scores[1] if len(ranked_scores) > 1 else 0.0
    margin = top / (top + second)
    evidence = min(1.0, top / EVIDENCE_FOR_CERTAINTY)
    return margin * (0.4 + 0.6 * evidence)
