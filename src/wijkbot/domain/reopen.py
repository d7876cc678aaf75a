"""A resident's "it is still broken" after a case was closed: a request to look again, not a new case.

The closing notice invites exactly this ("Is het niet opgelost? Stuur dan een bericht, dan kijken we opnieuw").
A message is such a request when the resident's most recently closed case closed less than REOPEN_WINDOW ago,
its words say the problem is not solved (the municipality's `not_solved` phrases in signals.yaml), and they are
not plainly about something else: another street, or another subject of another vakdienst.

Invariants: pure (time is passed in); the bot never reopens a case itself: the request goes to the case's
ambtenaar, who decides (as with the survey's verdict); a case closed as out of scope is never a candidate
(the resident was sent elsewhere, there is nothing of ours to reopen).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from wijkbot.domain.text import clip, words

REOPEN_WINDOW = timedelta(days=14)  # as long as the survey's question after closing stays valid
SAID_WITHIN = 1000
REOPEN_REQUEST = "heropenverzoek"  # the case event of a request to look again (from the survey or a message)


@dataclass(frozen=True, slots=True)
class ClosedCase:
    """What the decision needs of the resident's most recently closed case."""

    closed_at: datetime
    category: str | None
    department: str
    street: str | None


@dataclass(frozen=True, slots=True)
class Said:
    """What the router makes of the new words: category and department when it is sure (None when it would go to
    triage), and the street they name (None when they name none)."""

    category: str | None
    department: str | None
    street: str | None


def says_not_solved(text: str, phrases: Sequence[str]) -> bool:
    """Whether the text's opening contains one of the phrases, word for word (case, accents and punctuation
    aside). Only the first SAID_WITHIN characters count: that is where a resident says it, and a huge message
    costs no more than a short one."""
    said = words(clip(text, SAID_WITHIN))
    if not said:
        return False
    joined = f" {' '.join(said)} "
    return any(f" {' '.join(words(p))} " in joined for p in phrases if words(p))


def about_other_subject(said: Said, case: ClosedCase) -> bool:
    """Plainly another street, or another category of another vakdienst (an unknown on either side is no
    difference). Categories of one vakdienst overlap ("afval ligt er nog steeds" after a grofvuil report), so
    a category alone does not make it another subject."""
    if said.street and case.street and said.street.casefold() != case.street.casefold():
        return True
    return bool(said.category and case.category and said.category != case.category
                and said.department and said.department != case.department)


def asks_another_look(text: str, phrases: Sequence[str], case: ClosedCase | None, said: Said,
                      now: datetime) -> bool:
    """Whether the message is a request to look again at `case` rather than a new subject."""
    if case is None or now - case.closed_at > REOPEN_WINDOW:
        return False
    return says_not_solved(text, phrases) and not about_other_subject(said, case)
