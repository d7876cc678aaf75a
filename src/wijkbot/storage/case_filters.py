"""What narrows a list of cases in the inbox, as SQL: the queue page's filters and the digest's figures.

Invariants: a filter only ever adds a condition (AND), so it can narrow a queue but never widen what a person
may see (`queues.reach` is applied first); every condition is portable (plain comparisons, correlated EXISTS,
escaped LIKE) and runs the same on SQLite and PostgreSQL; the week conditions come from `case_sets`, the
same SQL the digest counts with; `nothing` makes the list empty (a filter value that cannot be valid must not
fall back to an unfiltered list).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, func, not_, or_, select

from wijkbot.domain.quotes import MASKED_KINDS
from wijkbot.domain.routing import AMBITION_NOT_SET
from wijkbot.domain.scrub import find
from wijkbot.domain.word_forms import search_forms
from wijkbot.storage import case_sets
from wijkbot.storage.tables import cases, contacts, messages

NOT_SET = "none"  # the value that asks for an empty field (a case without category, buurt or street)
_DOMAIN = re.compile(r"[\w.+-]*\.[a-z]{2,24}", re.IGNORECASE)  # "voorbeeld.nl": the end of an e-mail address


@dataclass(frozen=True, slots=True)
class Window:
    """A period, half-open in UTC, with the local date of its last day (due dates are local dates)."""

    start: datetime
    end: datetime
    last_day: date


@dataclass(frozen=True, slots=True)
class Filters:
    """What an ambtenaar narrows a queue down with; empty means "any".

    A tuple of values means "any of these"; NOT_SET in it means "not filled in". Windows are ISO weeks in local
    time, converted by the service.
    """

    status: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    department: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    wijk: tuple[str, ...] = ()
    buurt: tuple[str, ...] = ()  # buurt codes
    channel: tuple[str, ...] = ()
    ambition: tuple[str, ...] = ()
    officer: tuple[str, ...] = ()  # officer ids (as text), NOT_SET: no behandelaar
    street: str = ""
    created_after: datetime | None = None
    created_before: datetime | None = None
    text: str = ""
    created_in: Window | None = None
    created_until: datetime | None = None  # created before this moment
    inbound_in: Window | None = None
    open_at: datetime | None = None  # open at this moment
    overdue_at: Window | None = None  # open at the window's end, due on or before its last day
    active_in: Window | None = None  # created in the window, or open at its end
    handovers: int | None = None  # at least this many hand-overs
    escalated_in: Window | None = None
    closed_in: Window | None = None  # referrals out of scope left out, as in the digest's service figures
    answered_in: Window | None = None  # the first answer to the resident
    rated_in: Window | None = None  # a survey answer
    cluster: str = ""  # a case reference: its whole duplicate cluster
    reference: str = ""
    nothing: bool = False
    # Who searches, when they read residents' contact data as written only in their own cases' texts (see
    # `_search`): (officer id, their teams, whether they handle cases); None: no such limit (the digest).
    searcher: tuple[int, tuple[str, ...], bool] | None = None


def _any_of(column: Any, values: tuple[str, ...]) -> ColumnElement[bool]:
    named = [v for v in values if v != NOT_SET]
    conditions = [column.in_(named)] if named else []
    if NOT_SET in values:
        conditions.append(column.is_(None))
    return or_(*conditions)


def _ambition(values: tuple[str, ...]) -> ColumnElement[bool]:
    # The digest counts an initiative without an ambition as "not set" (summary._initiatives).
    if AMBITION_NOT_SET in values:
        return or_(cases.c.ambition.in_(values), cases.c.ambition.is_(None))
    return cases.c.ambition.in_(values)


def _lists(filters: Filters) -> list[ColumnElement[bool]]:
    conditions = [_any_of(column, values) for column, values in (
        (cases.c.status, filters.status), (cases.c.kind, filters.kind), (cases.c.department, filters.department),
        (cases.c.category, filters.category), (cases.c.wijk, filters.wijk), (cases.c.buurt_code, filters.buurt),
        (contacts.c.channel, filters.channel)) if values]
    if filters.ambition:
        conditions.append(_ambition(filters.ambition))
    if filters.officer:
        ids = [int(v) for v in filters.officer if v.isascii() and v.isdigit() and len(v) <= 9]
        nobody = [cases.c.officer_id.is_(None)] if NOT_SET in filters.officer else []
        conditions.append(or_(*([cases.c.officer_id.in_(ids)] if ids else []), *nobody))
    if filters.street == NOT_SET:
        conditions.append(cases.c.street.is_(None))
    elif filters.street:  # the digest groups streets case-insensitively; lower() on both sides keeps SQL portable
        conditions.append(func.lower(func.trim(cases.c.street)) == func.lower(filters.street.strip()))
    return conditions


def _moments(filters: Filters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.created_after is not None:
        conditions.append(cases.c.created_at >= filters.created_after)
    if filters.created_before is not None:
        conditions.append(cases.c.created_at < filters.created_before)
    if filters.created_until is not None:
        conditions.append(cases.c.created_at < filters.created_until)
    if filters.created_in is not None:
        conditions += [cases.c.created_at >= filters.created_in.start, cases.c.created_at < filters.created_in.end]
    if filters.open_at is not None:
        conditions.append(case_sets.open_at(filters.open_at))
    if filters.overdue_at is not None:
        conditions += [case_sets.open_at(filters.overdue_at.end), cases.c.due_date <= filters.overdue_at.last_day]
    if filters.active_in is not None:
        window = filters.active_in
        conditions.append(or_(case_sets.open_at(window.end),
                              and_(cases.c.created_at >= window.start, cases.c.created_at < window.end)))
    return conditions


def _events(filters: Filters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.inbound_in is not None:
        conditions.append(case_sets.inbound_between(filters.inbound_in.start, filters.inbound_in.end))
    if filters.escalated_in is not None:
        conditions.append(case_sets.event_between(case_sets.ESCALATED, filters.escalated_in.start,
                                                  filters.escalated_in.end))
    if filters.closed_in is not None:
        conditions += [case_sets.closed_between(filters.closed_in.start, filters.closed_in.end),
                       cases.c.out_of_scope == false()]
    if filters.answered_in is not None:
        conditions.append(case_sets.first_answer_between(filters.answered_in.start, filters.answered_in.end))
    if filters.rated_in is not None:
        conditions.append(case_sets.event_between(case_sets.SURVEY, filters.rated_in.start, filters.rated_in.end))
    return conditions


def _looks_personal(text: str) -> bool:
    """A query that may be (part of) what the inbox masks in residents' texts: an e-mail address, phone number,
    IBAN or BSN, five digits or more of one (a case reference is found by its own column), or the end of an
    e-mail address ("voorbeeld.nl")."""
    return ("@" in text or sum(c.isdigit() for c in text) >= 5 or bool(_DOMAIN.fullmatch(text.strip()))
            or bool(find(text, MASKED_KINDS)))


def _search(text: str, searcher: tuple[int, tuple[str, ...], bool] | None) -> ColumnElement[bool]:
    """Reference, street, buurt or the messages. In the searcher's own cases (their officer's or team's, as
    `access.reads_contact_in_texts`) the messages as written; elsewhere the messages as the searcher reads them
    there, masked (`messages.body_masked`): a part of an e-mail address or IBAN ("jansen", "gmail", "ABNA") must
    not find whose case it is. A query that looks like contact data or a BSN finds messages only in their own
    cases (what is left of it in a masked text is no match either)."""
    forms = search_forms(text)  # "lantaarnpalen" finds "lantaarnpaal" too (domain.word_forms)

    def contains(column: Any) -> ColumnElement[bool]:
        return or_(*(column.icontains(form, autoescape=True) for form in forms))

    def in_messages(column: Any) -> ColumnElement[bool]:
        return cases.c.id.in_(select(messages.c.case_id).where(contains(column)))

    by_message = in_messages(messages.c.body)
    if searcher is not None:
        officer_id, teams, handles = searcher
        # (never NULL: a case without an officer must fall on one side of own/elsewhere, not on neither)
        own = (or_(and_(cases.c.officer_id.is_not(None), cases.c.officer_id == officer_id), cases.c.team.in_(teams))
               if handles else false())
        elsewhere = false() if _looks_personal(text) else in_messages(messages.c.body_masked)
        by_message = or_(and_(own, by_message), and_(not_(own), elsewhere))
    return or_(cases.c.reference.icontains(text, autoescape=True), contains(cases.c.street), contains(cases.c.buurt),
               by_message)


def conditions(filters: Filters) -> list[ColumnElement[bool]]:
    """Every condition the filters ask for (all must hold)."""
    if filters.nothing:
        return [false()]
    found = [*_lists(filters), *_moments(filters), *_events(filters)]
    if filters.handovers is not None:
        found.append(cases.c.handover_count >= filters.handovers)
    if filters.reference:
        found.append(cases.c.reference == filters.reference)
    if filters.cluster:
        found.append(case_sets.in_cluster_of(filters.cluster))
    text = filters.text.strip()
    if text:
        found.append(_search(text, filters.searcher))
    return found


def filtered(query: Select[Any], filters: Filters) -> Select[Any]:
    """`query` (over cases joined with contacts) narrowed by the filters."""
    found = conditions(filters)
    return query.where(*found) if found else query
