"""Why a form was refused, in the reader's language: the services word their refusals in Dutch (ActionError,
PeopleError, PasswordProblem), and an ambtenaar who reads the inbox in English gets them in English.

Invariants: pure; only the shapes wijkbot itself writes are translated, with the names, numbers and references
in them kept as they are; a message of a shape not listed here is shown as it is (never dropped or guessed at).
An English trial met some twenty Dutch refusals under an English "That did not work".
"""

from __future__ import annotations

import re
from collections.abc import Callable

_DAYS = {"zaterdag": "Saturday", "zondag": "Sunday"}  # (a working day is refused only on these and on holidays)

_Said = str | Callable[[re.Match[str]], str]
_SHAPES: tuple[tuple[re.Pattern[str], _Said], ...] = tuple(
    (re.compile(pattern, re.DOTALL), english) for pattern, english in (
    # replies, notes and texts for the resident
    (r"^een antwoord mag niet leeg zijn$", "a reply cannot be empty"),
    (r"^een notitie mag niet leeg zijn$", "a note cannot be empty"),
    (r"^deze tekst is te lang \(meer dan ([0-9]+) tekens\)$", r"this text is too long (more than \1 characters)"),
    (r"^vul eerst in wat tussen \[ \] staat en haal de haken weg: (.*)\. Niets is verstuurd$",
     r"first fill in what is between [ ] and remove the brackets: \1. Nothing was sent"),
    (r"^de bewoner heeft /stop gestuurd en wil geen berichten meer van ons: .*$",
     "the resident sent /stop and wants no more messages from us: your reply was not sent. Keep it as a note; "
     "when the resident writes again, you can reply"),
    (r"^onbekende collega: (.*)$", r"unknown colleague: \1"),
    # status, closing, cancelling, reopening
    (r"^schrijf wat u van de bewoner nodig heeft: .*$",
     "write what you need from the resident: they get this question, so they know what we are waiting for"),
    (r"^een vraag aan de bewoner gaat mee met 'wacht op bewoner': .*$",
     "a question for the resident goes with 'waiting for the resident': choose that status, or send your "
     "question as a reply"),
    (r"^de bewoner heeft /stop gestuurd: uw vraag kan niet verstuurd worden\..*$",
     "the resident sent /stop: your question cannot be sent. Keep it as a note, and set the case to waiting "
     "for the resident without a question"),
    (r"^geef een reden om de zaak te annuleren: de bewoner leest die$",
     "give a reason to cancel the case: the resident reads it"),
    (r"^geef een reden om de zaak te heropenen$", "give a reason to reopen the case"),
    (r"^beschrijf de uitkomst: de bewoner leest die$", "describe the outcome: the resident reads it"),
    (r"^een zaak met status '(.*)' kan niet naar '(.*)'$", r"a case with status '\1' cannot go to '\2'"),
    (r"^afhandelen en heropenen gaan met een uitkomst of een reden: gebruik die knoppen$",
     "closing and reopening go with an outcome or a reason: use those buttons"),
    (r"^kies een status uit de lijst$", "choose a status from the list"),
    (r"^(.*) is (.*): heropen de zaak eerst$", r"\1 is \2: reopen the case first"),
    # planning
    (r"^vul een datum in \(dag, maand en jaar\)$", "fill in a date (day, month and year)"),
    (r"^(.*) is een feestdag \((.*)\); kies een werkdag$", r"\1 is a public holiday (\2); choose a working day"),
    (r"^(.*) is een (zaterdag|zondag); kies een werkdag$",
     lambda m: f"{m[1]} is a {_DAYS[m[2]]}; choose a working day"),
    (r"^kies een datum vanaf vandaag$", "choose a date from today on"),
    (r"^kies een datum binnen een jaar$", "choose a date within a year"),
    (r"^het bericht gaat pas morgenochtend weg: kies een datum vanaf morgen$",
     "the message only goes out tomorrow morning: choose a date from tomorrow on"),
    # hand-over, category, people on the case
    (r"^geef een reden voor het overdragen$", "give a reason for the hand-over"),
    (r"^geef een reden: de zaak gaat dan ook naar (.*)$", r"give a reason: the case then also goes to \1"),
    (r"^(.*) heeft deze categorie al$", r"\1 already has this category"),
    (r"^(.*) ligt al bij (.*)$", r"\1 is already with \2"),
    (r"^kies iemand uit de lijst$", "choose someone from the list"),
    (r"^kies iemand uit het behandelend team die beschikbaar is$",
     "choose someone of the handling team who is available"),
    (r"^kies een collega met een actief account$", "choose a colleague with an active account"),
    (r"^(.*) is al uitgenodigd$", r"\1 has been invited already"),
    (r"^(.*) werkt al aan deze zaak$", r"\1 already works on this case"),
    (r"^(.*) kan deze zaak niet zien: nodig hem of haar eerst uit$", r"\1 cannot see this case: invite them first"),
    (r"^u mag dit niet doen bij (.*): dat kan alleen het behandelend team$",
     r"you may not do this with \1: only the handling team can"),
    (r"^geef een reden: als (.*) ziet u contactgegevens alleen met een reden$",
     r"give a reason: as \1 you see contact details only with a reason"),
    (r"^(.*) is intussen gewijzigd door uzelf \(bijvoorbeeld met een tweede klik\)\..*$",
     r"\1 was changed in the meantime by yourself (for example with a second click). You now see the newest "
     "version; your input was not processed, but it is still in the form."),
    (r"^(.*) is intussen gewijzigd door iemand anders\..*$",
     r"\1 was changed in the meantime by someone else. You now see the newest version; your input was not "
     "processed, but it is still in the form."),
    # accounts and passwords
    (r"^kies een wachtwoord van minstens ([0-9]+) tekens$", r"choose a password of at least \1 characters"),
    (r"^een wachtwoord mag hoogstens ([0-9]+) tekens zijn$", r"a password may have at most \1 characters"),
    (r"^een wachtwoord mag niet beginnen of eindigen met een spatie$", "a password cannot begin or end with a space"),
    (r"^dit wachtwoord is te makkelijk te raden.*$",
     "this password is too easy to guess (like 'aaaaaaaaaaaa', '123456789012' or 'Password2026!'): choose for "
     "example a sentence of a few words"),
    (r"^kies minstens één team: .*$", "choose at least one team: a behandelaar or teamleider only sees their "
                                      "teams' cases"),
    (r"^kies minstens één (\w+): .*$", r"choose at least one \1: a wijkregisseur sees the cases of their areas"),
    (r"^onbekend team: (.*)$", r"unknown team: \1"),
))


def in_language(message: str, lang: str) -> str:
    """The refusal as an ambtenaar reading `lang` reads it (Dutch: as worded)."""
    if lang != "en":
        return message
    for pattern, english in _SHAPES:
        if pattern.match(message):
            return pattern.sub(english, message, count=1)
    return message
