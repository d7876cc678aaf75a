"""Whether a resident's first message is plainly written in English, so a new contact is answered in English also
on a Dutch page or channel (a trial's English message in the Dutch web chat got Dutch answers throughout).

Invariants: pure; only "en" or None (no guess): a message counts as English only when it has several English
function words and (almost) no Dutch ones, so a Dutch message with an English word ("de lamp is broken") stays
Dutch; words both languages share ("in", "we") count for neither.
"""

from __future__ import annotations

from wijkbot.domain.text import words

ENGLISH = frozenset((
    "the", "a", "an", "there", "of", "and", "to", "my", "i", "it", "this", "that", "not", "with", "for", "at",
    "near", "on", "please", "can", "you", "your", "have", "has", "been", "are", "was", "were", "our", "from",
    "since", "next", "outside", "street", "broken", "would", "could", "should", "been", "just", "very", "hello",
    "hi", "thanks", "thank", "what", "where", "when", "how", "why", "who", "some", "someone", "its", "they",
))
DUTCH = frozenset((
    "de", "het", "een", "en", "er", "van", "op", "mijn", "ik", "niet", "dat", "die", "met", "voor", "bij", "naar",
    "al", "ook", "nog", "wat", "hoe", "wij", "jullie", "u", "zijn", "heb", "hebben", "wordt", "kan", "staat",
    "ligt", "geen", "straat", "kapot", "onze", "ons", "hier", "daar", "deze", "dit", "graag", "hallo", "bedankt",
    "waar", "wanneer", "waarom", "wie", "sinds", "naast", "weg", "zit", "moet", "wil", "willen", "gemeente",
))
MIN_ENGLISH = 3


def plainly_english(text: str) -> bool:
    """Whether the text is plainly English: at least three English function words, and at most one Dutch one for
    every four English ones (a street name or "wijkbureau" in an English message is no Dutch)."""
    said = words(text)
    english = sum(w in ENGLISH for w in said)
    dutch = sum(w in DUTCH for w in said)
    return english >= MIN_ENGLISH and dutch * 4 <= english
