"""Which open case a resident's new message belongs to, and the buttons that let them say so.

A resident may have
several cases open. A new message is plainly a continuation of one of them when that case waits on the resident,
when the resident wrote on it in the last half hour (unless the new message is plainly about another subject or
street: "er is ook een stoeptegel los in de Kanaalstraat" after a grofvuil report on another street, or rats by the
bins in the same street after a pothole: another vakdienst), or when the last thing we sent them was a question or
an ambtenaar's answer about it (recently), or when it is the only open case of the category the router is sure the
words are about (and they name no other street or vakdienst). Otherwise the message is kept for now with the open
case its words match best (the same category, street or vakdienst, never one they plainly contradict:
domain.reopen.points_at), else with the most recent one, and the resident is asked with buttons whether it belongs
there, to another open case, or is something new. Words that plainly continue one case but match another open case
better are never filed silently on the first: they are asked about, kept with the better match. While the
which-case question is fresh, the resident's next words go with the message asked about, unless they plainly
contradict the case it is kept with (another street or vakdienst) or match another case better: then they are asked
about too. Words the router is sure of (a category, not triage) that plainly point away from every open case
(another street, or another vakdienst, and none has their category) are a new case of their own (`plainly_new`):
asking "which case?" about a fallen tree on another street after a gas smell only delays it.

Invariants: pure (time is passed in); a placement always names a case, so a message is never left without one
when the resident never answers; button values are short (Telegram allows 64 bytes) and carry the message they
are about, so an old button still means what it said.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from wijkbot.domain.reopen import points_at

RECENT_WRITING = timedelta(minutes=30)
ANSWER_WINDOW = timedelta(days=3)
MAX_CASE_BUTTONS = 3
INVITING = frozenset({"reply", "question"})  # outbox purposes that ask the resident something
CHOICE = "choice"  # the outbox purpose of the which-case question

_CHOICE = re.compile(r"^case:(?:(new)|([A-Z0-9][A-Z0-9-]{0,39})):([0-9]{1,18})$")


@dataclass(frozen=True, slots=True)
class OpenCase:
    """What placement needs to know of one open case."""

    id: int
    waits_on_resident: bool
    last_resident_message_at: datetime | None
    needs_location: bool = False  # we asked the resident for a street or postcode in the acknowledgement
    category: str | None = None
    street: str | None = None
    department: str | None = None


@dataclass(frozen=True, slots=True)
class Subject:
    """What the new message is about, as far as the router is sure: its category (None when it would go to
    triage) with that category's vakdienst, and the street it names (None when it names none)."""

    category: str | None
    street: str | None
    department: str | None = None
    # The vakdienst of the router's best guess when it is not sure of the category (the message goes to triage
    # on its own): a guess of another vakdienst than the case's is reason enough to ask, never to file elsewhere.
    guessed_department: str | None = None
    # The words are a photo's or a file's caption: they describe what it shows, so another category's word
    # ("een foto van de rommel" after a grofvuil report) is no new subject, unless it says another street or
    # vakdienst (a trial was asked "which case?" about the photo of the case just opened).
    captions_media: bool = False
    # The words say it is another one of its kind ("ook", "nog een", "weer een", "andere"): never joined silently.
    another_one: bool = False

    def differs_from(self, case: OpenCase) -> bool:
        """Plainly another street than the case, another subject without naming the case's street, or on the
        same street a subject of another vakdienst (an unknown on either side is no difference). Words of a
        follow-up often touch another category of the same vakdienst ("paal 12" after a lamp report), so the same
        street keeps those with the case; rats by the bins after a pothole in that street are something new (a
        trial found them filed silently with the pothole, for Stadswerken)."""
        known = bool(self.street and case.street)
        same_street = known and str(self.street).casefold() == str(case.street).casefold()
        other_category = bool(self.category and case.category and self.category != case.category)
        other_department = bool(self.department and case.department
                                and self.department.casefold() != case.department.casefold())
        # A trial's "er staat ook een fietswrak bij de Voorstraat" right after a loose tile was filed silently on
        # the tile case: the router was unsure of the wreck (triage), and the tile case had no street.
        guessed_elsewhere = bool(self.category is None and self.guessed_department and case.department
                                 and self.guessed_department.casefold() != case.department.casefold())
        if self.captions_media:
            return (known and not same_street) or other_department or guessed_elsewhere
        return ((known and not same_street) or (other_category and (not same_street or other_department))
                or guessed_elsewhere)

    def fit(self, case: OpenCase) -> int | None:
        """How well the words match the case: None when they plainly point elsewhere (another street, or a
        subject of another vakdienst: domain.reopen.points_at), else 2 for its category, 1 for its street and
        1 for its vakdienst (0: nothing in common, nothing against)."""
        if points_at(self, case) is False:
            return None
        return 2 * _same(self.category, case.category) + _same(self.street, case.street) + _same(
            self.department, case.department)


def _same(a: str | None, b: str | None) -> bool:
    return bool(a and b and a.casefold() == b.casefold())


@dataclass(frozen=True, slots=True)
class LastSent:
    """The most recent message we sent to this resident."""

    case_id: int | None
    purpose: str  # ack, reply, question, update, notice, choice, ...
    at: datetime


@dataclass(frozen=True, slots=True)
class Placement:
    case_id: int
    ask: bool  # True: keep it here provisionally and ask the resident with buttons


def place(open_cases: Sequence[OpenCase], last_sent: LastSent | None, now: datetime,
          subject: Subject | None = None) -> Placement:
    """Where a new message goes. `open_cases` is not empty and is ordered newest first; `subject`: what the
    router makes of the new message, when it has words."""
    if not open_cases:
        raise ValueError("place() needs at least one open case")
    waiting = [c for c in open_cases if c.waits_on_resident]
    if waiting:
        return _unless_better(waiting[0], open_cases, subject)
    recent = [c for c in open_cases
              if c.last_resident_message_at is not None and now - c.last_resident_message_at <= RECENT_WRITING]
    if recent:
        latest = max(recent, key=lambda c: c.last_resident_message_at or now)
        better = _better(latest, open_cases, subject)
        if better is not None:  # plainly about another open case: never filed silently on this one
            return Placement(better.id, ask=True)
        # While the which-case question is still fresh, the resident's next words go with it, not a new one,
        # unless they plainly point elsewhere (another street or vakdienst than the case it is kept with).
        asking = last_sent is not None and last_sent.purpose == CHOICE and now - last_sent.at <= RECENT_WRITING
        if asking:
            return Placement(latest.id, ask=subject is not None and points_at(subject, latest) is False)
        return Placement(latest.id, ask=subject is not None and subject.differs_from(latest))
    if last_sent is not None and now - last_sent.at <= ANSWER_WINDOW:
        for case in open_cases:
            asked = last_sent.purpose in INVITING or (last_sent.purpose == "ack" and case.needs_location)
            if case.id == last_sent.case_id and asked:
                if (last_sent.purpose == "ack" and subject is not None and subject.category and case.category
                        and not _same(subject.category, case.category)):
                    # We asked where the lamp is; "er ligt grofvuil op de Amsterdamsestraatweg" is no answer to
                    # that but maybe something new (a review found it filed on the lamp, with its street): asked.
                    return Placement(case.id, ask=True)
                return _unless_better(case, open_cases, subject)
    only = _only_case_of_its_category(open_cases, subject)
    if only is not None:  # "de boom ligt er nog steeds" with one tree case open: no question needed
        return Placement(only.id, ask=False)
    return Placement(_best(open_cases, subject).id, ask=True)


def _only_case_of_its_category(open_cases: Sequence[OpenCase], subject: Subject | None) -> OpenCase | None:
    """The one open case of the category the router is sure the words are about, when the words do not point
    elsewhere (another street or vakdienst) nor say it is another one ("nu is ook de lantaarnpaal bij de school
    kapot"): a trial was asked "which case?" hours later about its only case."""
    if subject is None or subject.category is None or subject.another_one:
        return None
    same = [c for c in open_cases if _same(subject.category, c.category)]
    return same[0] if len(same) == 1 and points_at(subject, same[0]) is not False else None


def plainly_new(subject: Subject, open_cases: Sequence[OpenCase]) -> bool:
    """The words are surely about something else than every open case: the router is sure of their category
    (`subject.category` is only set then), they name a street, no open case has their category, and each open
    case lies on another street or belongs to another vakdienst. An open case that says nothing against them (no
    street, no vakdienst known: "Help, er is iets mis" waiting in triage) may be what they explain, so they are not
    plainly new."""
    if subject.category is None or subject.street is None or not open_cases:
        # Without a street of their own, words of another vakdienst may still be about an open case ("er zitten
        # nu ook ratten bij het grofvuil"): asked about, not opened apart without a place.
        return False
    return all(not _same(subject.category, case.category) and points_at(subject, case) is False
               for case in open_cases)


def _best(open_cases: Sequence[OpenCase], subject: Subject | None) -> OpenCase:
    """The open case the words match best (of equals the newest); when they match none, the newest they do not
    plainly contradict (the newest of all when they contradict every one)."""
    best, score = open_cases[0], 0
    if subject is not None:
        best = next((c for c in open_cases if subject.fit(c) is not None), best)
        for case in open_cases:
            fit = subject.fit(case)
            if fit is not None and fit > score:  # strictly better: of equals, the newest (they come first)
                best, score = case, fit
    return best


def _better(case: OpenCase, open_cases: Sequence[OpenCase], subject: Subject | None) -> OpenCase | None:
    """Another open case the words match better than `case`, if any (the best of them)."""
    if subject is None:
        return None
    own = subject.fit(case)
    # A street alone does not take words away from the case they continue: "Kanaalstraat 5", the answer to our
    # "in welke straat?", is about the case that asked, also when another open case lies in that street.
    others = [c for c in open_cases if c.id != case.id and (subject.fit(c) or 0) > max(own or 0, 0)
              and (_same(subject.category, c.category) or _same(subject.department, c.department))]
    return _best(others, subject) if others else None


def _unless_better(case: OpenCase, open_cases: Sequence[OpenCase], subject: Subject | None) -> Placement:
    """`case`, where the resident plainly goes on; but words about another open case are asked about."""
    better = _better(case, open_cases, subject)
    return Placement(case.id, ask=False) if better is None else Placement(better.id, ask=True)


@dataclass(frozen=True, slots=True)
class CaseChoice:
    """A pressed button of the which-case question: the message it is about, and a case reference or new."""

    message_id: int
    reference: str | None  # None: "something new"

    @property
    def new(self) -> bool:
        return self.reference is None


def choice_value(message_id: int, reference: str | None) -> str:
    """The button value: "case:UT-2026-000012:345" or "case:new:345"."""
    return f"case:{reference or 'new'}:{message_id}"


def parse_choice(value: str | None) -> CaseChoice | None:
    """The pressed button, or None when the value is not one of ours (or was tampered with)."""
    match = _CHOICE.match((value or "").strip())
    if match is None:
        return None
    return CaseChoice(int(match.group(3)), None if match.group(1) else match.group(2))


def case_buttons(message_id: int, cases: Sequence[tuple[str, str]], new_label: str) -> tuple[tuple[str, str], ...]:
    """One button per open case (reference and label, newest first, at most three) and one for something new."""
    buttons = [(f"{reference} · {label}" if label else reference, choice_value(message_id, reference))
               for reference, label in cases[:MAX_CASE_BUTTONS]]
    return (*buttons, (new_label, choice_value(message_id, None)))
