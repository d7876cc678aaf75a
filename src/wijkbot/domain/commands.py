"""Slash commands a resident can type in any channel (/start, /status, /taal, /stop, /uitkomst, /privacy,
/verwijder).

Invariants: pure; a command is recognised only at the very start of a message (`/name`, optionally
`@botname`, then whitespace or the end), so "/ Kanaalstraat" or "1/2" are ordinary text; Dutch and English
names lead to the same command; an unknown name is reported as such (`resolve` returns None), never guessed.
"""

from __future__ import annotations

import calendar
import enum
import re
from datetime import date

from wijkbot.domain.text import normalise


class Command(enum.StrEnum):
    START = "start"
    HELP = "help"
    STATUS = "status"
    LANGUAGE = "taal"
    STOP = "stop"
    PRIVACY = "privacy"
    ERASE = "verwijder"
    OUTCOME = "uitkomst"  # after /stop: do send me the final outcome (typed, for channels without buttons)


ALIASES: dict[str, Command] = {
    "start": Command.START, "begin": Command.START,
    "help": Command.HELP, "hulp": Command.HELP,
    "status": Command.STATUS,
    "taal": Command.LANGUAGE, "language": Command.LANGUAGE, "lang": Command.LANGUAGE,
    "stop": Command.STOP,
    "privacy": Command.PRIVACY,
    "uitkomst": Command.OUTCOME, "outcome": Command.OUTCOME,
    "verwijder": Command.ERASE, "verwijderen": Command.ERASE, "delete": Command.ERASE, "erase": Command.ERASE,
}
LANGUAGES: dict[str, str] = {
    "nl": "nl", "nederlands": "nl", "dutch": "nl", "ned": "nl",
    "en": "en", "english": "en", "engels": "en", "eng": "en",
}
ERASE_CHOICE = "privacy:erase"  # the value of the button under the /privacy answer

# A status question in a resident's own words, as the whole (short) message: answered as /status. A trial's
# "hoe staat het met mijn melding" was added to a case with "Stadswerken leest het mee", and no status.
STATUS_PHRASES = (
    "hoe staat het met mijn", "hoe staat het ervoor", "hoe staat het met de melding", "hoe staat het nu",
    "wat is de status", "status van mijn", "is er al nieuws", "al nieuws over mijn", "hoe ver zijn jullie",
    "wanneer hoor ik iets", "hoor ik nog iets", "wat is er met mijn melding", "what is the status",
    "status of my", "any news on my", "any update on my", "is there any news", "how is my report",
)
STATUS_MAX_WORDS = 10  # longer messages say more than a status question: they go to their case
_SENTENCE_END = re.compile(r"[.!?;:\n]+")


def asks_for_status(text: str) -> bool:
    """Whether the whole message asks how the resident's own cases stand ("Hoe staat het met mijn melding?",
    "is er al nieuws?"), without telling anything new: one sentence, short ("Is er al nieuws? Ik ruik weer gas"
    says more, and goes where danger and new reports go)."""
    sentences = [s for s in _SENTENCE_END.split(text) if s.strip()]
    said = normalise(text)
    return (len(sentences) == 1 and 0 < len(said.split()) <= STATUS_MAX_WORDS
            and any(phrase in said for phrase in STATUS_PHRASES))


_COMMAND = re.compile(r"^/([A-Za-z][A-Za-z0-9_]{0,31})(?:@[A-Za-z0-9_]{1,64})?(?=\s|$)")


def parse(text: str) -> tuple[str, str] | None:
    """("status", "UT-2026-000012") for "/status UT-2026-000012"; None when the text is not a command."""
    match = _COMMAND.match(text)
    if match is None:
        return None
    return match.group(1).lower(), text[match.end():].strip()


def resolve(name: str | None) -> Command | None:
    """The command a name stands for ("hulp" -> HELP, "status@wijkbot" -> STATUS); None if unknown."""
    if not name:
        return None
    return ALIASES.get(name.split("@", 1)[0].strip().lower().lstrip("/"))


def language(args: str) -> str | None:
    """The language a resident asks for in "/taal en" ("en", "nl"), or None when it is not one we have."""
    words = args.strip().lower().split()
    return LANGUAGES.get(words[0]) if words else None


def erasure_due(requested: date) -> date:
    """The AVG term for a request to erase data: one month (art. 12(3)), to the same day of the next month.

    On a day the next month does not have (31 January), the term ends on that month's last day.
    """
    year, month = (requested.year + 1, 1) if requested.month == 12 else (requested.year, requested.month + 1)
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(requested.day, last))


_YES_WORDS = frozenset({"ja", "jawel", "jazeker", "graag", "yes", "ok", "oke", "okay", "prima", "goed"})
_NO_WORDS = frozenset({"nee", "neen", "no", "niets", "nope", "niks"})


def yes_or_no(text: str) -> bool | None:
    """A short typed answer to a yes/no question: True ("ja", "ja graag", "Ja, stuur de uitkomst"), False ("nee",
    "nee hoor", "Nee, niets meer", "liever niet"), None for anything else (a message of its own: more than six
    words, or no yes or no word first)."""
    said = normalise(text).split()
    if not said or len(said) > 6:
        return None
    if said[0] in _NO_WORDS or (said[0] in ("liever", "bedankt") and "niet" in said):
        return False
    return True if said[0] in _YES_WORDS else None
