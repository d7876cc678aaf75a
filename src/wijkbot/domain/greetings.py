"""Whether a message only says hello ("Hallo", "Goedemorgen, is daar iemand?", "hi there"), so the answer greets
back and asks how we can help, instead of "Sorry, dat begrijpen we niet goed" (a trial's first "hallo" got that);
and whether it only asks for a person ("ik wil gewoon een mens spreken"), so the answer gives the phone number
instead of opening a case and asking for a street (as a trial's did).

Invariants: pure; a message is a greeting only when every word is a greeting or a filler word and at least one
is a greeting; anything more (a subject, a street, a question) is left to the router.
"""

from __future__ import annotations

from wijkbot.domain.text import words

GREETINGS = frozenset((
    "hallo", "hoi", "hey", "hee", "hai", "hi", "hello", "goedemorgen", "goedemiddag", "goedenavond", "goedendag",
    "morgen", "middag", "avond", "dag", "daag", "beste", "yo", "hoihoi", "halloo", "hallootjes", "good", "morning",
    "afternoon", "evening",
))
FILLERS = frozenset((
    "daar", "iemand", "is", "er", "allemaal", "gemeente", "wijkbot", "chat", "bot", "meneer", "mevrouw", "there",
    "anyone", "everyone", "all",
))


def is_greeting(text: str) -> bool:
    """Only a greeting, with at most some filler words ("is daar iemand")."""
    said = words(text)
    return bool(said) and len(said) <= 6 and any(w in GREETINGS for w in said) and all(
        w in GREETINGS or w in FILLERS for w in said)


# Asking for a person instead of the bot, in the resident's words (matched on the normalised text).
PERSON_PHRASES = (
    "mens spreken", "met een mens", "echt mens", "echte mens", "echt persoon", "echte persoon", "iemand spreken",
    "medewerker spreken", "met iemand praten", "met een medewerker", "iemand aan de lijn", "iemand bellen",
    "kan ik bellen", "talk to a person", "speak to a person", "talk to someone", "speak to someone", "real person",
    "a human",
)
PERSON_MAX_WORDS = 12  # more words say what is wrong: that is a message for a case


def wants_a_person(text: str) -> bool:
    """Whether the message only asks to talk to a person (or for a number to call)."""
    said = words(text)
    cleaned = " ".join(said)
    return 0 < len(said) <= PERSON_MAX_WORDS and any(phrase in cleaned for phrase in PERSON_PHRASES)
