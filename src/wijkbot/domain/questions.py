"""Whether a message that ends with "?" is a question, or a melding said with a question mark.

Invariants: pure functions of the text (and the subject's words as the resident spelled them); Dutch and
English question starts only; a message without a trailing "?" is a question here only as one sentence that
starts with a question word (the rules' own question markers decide the rest).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from wijkbot.domain.greetings import GREETINGS
from wijkbot.domain.text import normalise

_CLAUSE_END = re.compile(r"[.!?,;:\n]+")  # where a sentence or clause ends (states_before_asking)
_CLAUSE_TAIL = re.compile(r"[\s.!?,;:…]+$")
# How a question starts, in Dutch and English: a question word, or the verb (asks)
QUESTION_STARTS = frozenset((
    "wanneer", "hoe", "hoelang", "hoeveel", "hoezo", "wat", "waar", "waarom", "waarvoor", "waarmee", "wie", "wiens",
    "welke", "welk", "kan", "kunnen", "kunt", "kun", "mag", "mogen", "moet", "moeten", "is", "zijn", "was", "waren",
    "heeft", "hebben", "heb", "hebt", "wordt", "worden", "word", "gaat", "gaan", "ga", "komt", "komen", "zou",
    "zouden", "weet", "weten", "wil", "wilt", "willen", "doet", "doen", "staat", "ligt", "klopt", "bestaat", "krijg",
    "krijgt", "when", "how", "what", "where", "why", "who", "which", "can", "could", "will", "would", "is", "are",
    "do", "does", "did", "should", "may", "have", "has",
))


def asks(text: str, has_subject: bool, terms: Iterable[str]) -> bool:
    """Whether a trailing "?" makes the message a question: not when it first says what is wrong
    (states_before_asking), and not when it names a subject and its last clause is a statement said with a
    question mark ("De lantaarnpaal doet het niet?", "Het bankje is kapot!?"): a Dutch or English question starts
    with a question word or a verb ("Wanneer ...", "Is ...", "Kan ...")."""
    if not text.rstrip().endswith("?"):
        return _asks_without_mark(text)
    if states_before_asking(text, terms):
        return False
    if not has_subject:
        return True
    last = _CLAUSE_END.split(_CLAUSE_TAIL.sub("", text))[-1].split()
    return bool(last) and normalise(last[0]) in QUESTION_STARTS


# Question words that start a question, also typed without "?" (not the verbs: "ligt er grofvuil" is rare, "is
# kapot" and "kan niet" start statements).
QUESTION_WORDS = frozenset(("wanneer", "hoe", "hoelang", "hoeveel", "waar", "wie", "welke", "welk", "when",
                            "how", "where", "who", "which"))  # not "waarom": "waarom ligt het er nog" complains


QUESTION_VERBS = frozenset((
    "wordt", "worden", "word", "kan", "kun", "kunt", "kunnen", "moet", "moeten", "mag", "mogen", "is", "zijn", "komt",
    "komen", "gaat", "gaan", "ga", "krijg", "krijgt", "heb", "hebt", "heeft", "doe", "doet", "doen", "vind", "vindt",
    "zit", "ligt", "staat", "was", "werd", "laat", "meld", "vraag", "can", "do", "does", "is", "are", "will",
    "should", "long", "much", "many", "often",
))


def _asks_without_mark(text: str) -> bool:
    """A question typed without "?" (a trial's "wanneer wordt het grofvuil opgehaald bij ons in overvecht" was
    promised that Stadswerken "gaat ermee aan de slag"): one sentence that starts with a question word, after a
    greeting at most ("hallo, wanneer ...")."""
    opening = normalise(text[:80]).split()[:3]  # most messages: no question word up front, decided at once
    if not opening or not (opening[0] in QUESTION_WORDS or (opening[0] in GREETINGS
                                                           and QUESTION_WORDS.intersection(opening[1:]))):
        return False
    clauses = [normalise(c).split() for c in _CLAUSE_END.split(_CLAUSE_TAIL.sub("", text)) if c.strip()]
    if clauses and clauses[0] and clauses[0][0] in GREETINGS and len(clauses[0]) <= 2:
        clauses = clauses[1:]
    if len(clauses) != 1 or len(clauses[0]) < 3 or clauses[0][0] not in QUESTION_WORDS:
        return False
    # A question word asks when a verb follows it ("wanneer wordt", "waar kan"); "wanneer ik langs fiets" and "waar
    # de bus stopt" tell (a review), and "hoe kan het dat ..." complains.
    first, verb, then = clauses[0][0], clauses[0][1], clauses[0][2]
    return verb in QUESTION_VERBS and not (first == "hoe" and then == "het")


def states_before_asking(text: str, terms: Iterable[str]) -> bool:
    """Whether a message that ends with a question first says what is wrong: one of the subject's `terms` (the
    resident's own spelling) stands in a sentence or clause before the last one. "Er ligt grofvuil bij de
    container. Wanneer wordt dat opgehaald?" and "De lantaarnpaal is kapot, kan iemand die maken?" are
    meldingen with a question; "Wanneer wordt het grofvuil opgehaald?" and "Hallo, hoe laat is het open?" are
    questions."""
    body = _CLAUSE_TAIL.sub("", text)  # "...opgehaald!?" and "...?!?" end one question, not two clauses
    ends = [found.end() for found in _CLAUSE_END.finditer(body)]
    if not ends:
        return False
    before = body[:ends[-1]].casefold()
    return any(term.casefold() in before for term in terms)
