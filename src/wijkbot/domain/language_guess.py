"""Whether a resident's first message is plainly written in English, so a new contact is answered in English also
on a Dutch page or channel (a trial's English message in the Dutch web chat got Dutch answers throughout).

Invariants: pure; only "en" or None (no guess): a message counts as English only when it has several English
function words and (almost) no Dutch ones, so a Dutch message with an English word ("de lamp is broken") stays
Dutch; words both languages share ("in", "we") count for neither.
"""

from __future__ import annotations

from wijkbot.domain.text import words

# Not the words Dutch writes too ("was", "of", "been", "hi", "hello", "van"): "Hi, lantaarnpaal was stuk of zo" is
# Dutch (a review found it answered in English).
ENGLISH = frozenset((
    "the", "a", "an", "there", "and", "to", "my", "i", "it", "this", "that", "not", "with", "for", "at", "near",
    "on", "please", "can", "you", "your", "have", "has", "are", "were", "our", "from", "since", "next", "outside",
    "street", "broken", "would", "could", "should", "just", "very", "thanks", "thank", "what", "where", "when",
    "how", "why", "who", "some", "someone", "its", "they",
))
DUTCH = frozenset((
    "de", "het", "een", "en", "er", "van", "op", "mijn", "ik", "niet", "dat", "die", "met", "voor", "bij", "naar",
    "al", "ook", "nog", "wat", "hoe", "wij", "jullie", "u", "zijn", "heb", "hebben", "wordt", "kan", "staat",
    "ligt", "geen", "straat", "kapot", "onze", "ons", "hier", "daar", "deze", "dit", "graag", "hallo", "bedankt",
    "waar", "wanneer", "waarom", "wie", "sinds", "naast", "weg", "zit", "moet", "wil", "willen", "gemeente",
))
MIN_ENGLISH = 3


def wish(text: str, locale: str | None) -> str | None:
    """The language a new contact gets: English for plainly English words, else what the page or app said."""
    return "en" if plainly_english(text) else locale


def plainly_english(text: str) -> bool:
    """Whether the text is plainly English: at least three English function words, and at most one Dutch one for
    every four English ones (a street name or "wijkbureau" in an English message is no Dutch)."""
    said = words(text)
    english = sum(w in ENGLISH for w in said)
    dutch = sum(w in DUTCH for w in said)
    return english >= MIN_ENGLISH and dutch * 4 <= english
