"""Whether a message that ends with "?" is a question, or a melding said with a question mark.

Invariants: pure functions of the text (and the subject's words as the resident spelled them); Dutch and
English question starts only; a message without a trailing "?" is never a question here (the rules' own
question markers decide those).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

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
    if not text.rstrip().endswith("?") or states_before_asking(text, terms):
        return False
    if not has_subject:
        return True
    last = _CLAUSE_END.split(_CLAUSE_TAIL.sub("", text))[-1].split()
    return bool(last) and normalise(last[0]) in QUESTION_STARTS


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
