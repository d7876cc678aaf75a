"""Whether a message only says hello ("Hallo", "Goedemorgen, is daar iemand?", "hi there"), so the answer greets
back and asks how we can help, instead of "Sorry, dat begrijpen we niet goed" (a trial's first "hallo" got that).

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
