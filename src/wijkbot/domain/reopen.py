"""A resident's "it is still broken" after a case was closed: a request to look again, not a new case.

The closing notice invites exactly this ("Is het niet opgelost? Stuur dan een bericht, dan kijken we opnieuw").
A message is such a request when its words say the problem is not solved (the municipality's `not_solved`
phrases in signals.yaml) and it points at one of the resident's cases closed less than REOPEN_WINDOW ago: the
same street, or a subject of the same vakdienst (categories of one vakdienst overlap: "het afval ligt er nog
steeds" after a grofvuil report); of several, the closest (category, then street, then vakdienst). Words with
no subject of their own ("het is nog steeds niet gemaakt": no category or street the router knows, at most
OWN_WORDS other words) point at the case closed last, but only when the resident has no open case: a message
that could belong to an open case is asked about, as placement does, rather than filed on a closed one.

Invariants: pure (time is passed in); never a case on another street; the bot never reopens a case itself:
the request goes to the case's ambtenaar, who decides (as with the survey's verdict); a case closed as out of
scope is never a candidate (the resident was sent elsewhere, there is nothing of ours to reopen).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Protocol

from wijkbot.domain.text import COMMON_WORDS, clip, words

REOPEN_WINDOW = timedelta(days=14)  # as long as the survey's question after closing stays valid
SAID_WITHIN = 1000
OWN_WORDS = 3  # a message with more words of its own than this has a subject of its own
REOPEN_REQUEST = "heropenverzoek"  # the case event of a request to look again (from the survey or a message)


@dataclass(frozen=True, slots=True)
class ClosedCase:
    """What the decision needs of one of the resident's recently closed cases."""

    closed_at: datetime
    category: str | None
    department: str
    street: str | None


@dataclass(frozen=True, slots=True)
class Said:
    """What the router makes of the new words: a category (its guess too, when it would go to triage) with its
    department, and the street they name; None where it found nothing."""

    category: str | None
    department: str | None
    street: str | None


class Subjective(Protocol):
    """Anything with a subject and a place to compare: the words (Said, conversation.Subject) or a case
    (ClosedCase, conversation.OpenCase)."""

    @property
    def department(self) -> str | None: ...

    @property
    def street(self) -> str | None: ...


def says_not_solved(text: str, phrases: Sequence[str]) -> bool:
    """Whether the text's opening contains one of the phrases, word for word (case, accents and punctuation
    aside). Only the first SAID_WITHIN characters count: that is where a resident says it, and a huge message
    costs no more than a short one."""
    said = words(clip(text, SAID_WITHIN))
    if not said:
        return False
    joined = f" {' '.join(said)} "
    return any(f" {' '.join(p)} " in joined for p in _phrase_words(tuple(phrases)))


@lru_cache(maxsize=8)
def _phrase_words(phrases: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The phrases as normalised words, worked out once per configuration (every inbound message asks)."""
    return tuple(found for found in (tuple(words(p)) for p in phrases) if found)


def _same(a: str | None, b: str | None) -> bool | None:
    """True or False when both are known, None when either is not."""
    return None if not a or not b else a.casefold() == b.casefold()


def points_at(said: Subjective, case: Subjective) -> bool | None:
    """True: the words point at this case (a subject of its vakdienst, or its street); False: plainly not
    (another street, or a subject of another vakdienst, also on the same street); None: they say nothing.
    Also what placement (domain.conversation) uses to tell which open case new words are about."""
    street = _same(said.street, case.street)
    department = _same(said.department, case.department)
    if street is False or department is False:
        return False
    return True if street or department else None


def _closeness(said: Said, case: ClosedCase) -> int:
    return 2 * bool(_same(said.category, case.category)) + bool(_same(said.street, case.street))


def case_to_look_at(text: str, phrases: Sequence[str], closed: Sequence[ClosedCase], said: Said, now: datetime,
                    *, has_open_case: bool) -> int | None:
    """The index in `closed` (newest first) of the case the message asks to look at again, or None: a new
    subject, or (with an open case) one placement should ask about."""
    recent = [n for n, case in enumerate(closed) if now - case.closed_at <= REOPEN_WINDOW]
    if not recent or not says_not_solved(text, phrases):
        return None
    pointed = [n for n in recent if points_at(said, closed[n])]
    if pointed:  # the closest match: the same category, then the same street, then the same vakdienst; newest first
        return max(pointed, key=lambda n: (_closeness(said, closed[n]), -n))
    if not has_open_case and said.category is None and said.street is None and own_words(text, phrases) <= OWN_WORDS:
        return recent[0]  # no subject of its own: the invitation of the closing notice it answers
    return None


def own_words(text: str, phrases: Sequence[str]) -> int:
    """How many words the message has besides the not-solved phrases and function words: "het ligt er nog
    steeds" has one (ligt), "de buren maken nog steeds elke nacht herrie" four (a subject of its own, even when
    the router knows none of its words)."""
    said = words(clip(text, SAID_WITHIN))
    spans = _phrase_words(tuple(phrases))
    n, count = 0, 0
    while n < len(said):
        length = next((len(p) for p in spans if tuple(said[n:n + len(p)]) == p), 0)
        if length:
            n += length
            continue
        count += said[n] not in COMMON_WORDS
        n += 1
    return count
