"""The sets of cases the weekly digest counts, as SQL conditions on `cases`, shared by the digest's reads
(`digest_rows`) and the inbox's filters (`case_filters`), so a figure and the list it links to are one set by
construction.

Invariants: plain range comparisons on UTC timestamps and correlated EXISTS, so every condition runs the same on
SQLite and PostgreSQL (no database date functions); windows are half-open [start, end); a cancelled case
without a closing moment counts as closed at its last change; a duplicate cluster is the lead case and every
case whose `duplicate_of` points at it (clusters are one level deep, see domain/duplicates.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, false, func, not_, or_, select

from wijkbot.domain.reopen import REOPEN_REQUEST
from wijkbot.domain.workflow import Status
from wijkbot.storage.tables import case_events, cases, messages

ANSWER = "antwoord"  # an ambtenaar's reply to the resident
ESCALATED = "geëscaleerd"
SURVEY = "tevredenheid"


def open_at(moment: datetime) -> ColumnElement[bool]:
    """Created before `moment` and not closed by then (a cancelled case counts as closed at its last change)."""
    # Spelled out without NOT over a nullable comparison: NOT (NULL < x) is NULL, which would drop open cases.
    unclosed = cases.c.closed_at.is_(None)
    return and_(
        cases.c.created_at < moment, or_(unclosed, cases.c.closed_at >= moment),
        not_(and_(unclosed, cases.c.status == Status.GEANNULEERD.value, cases.c.updated_at < moment)),
        not_(and_(unclosed, cases.c.status == Status.AFGEHANDELD.value)),
    )


def closed_between(start: datetime, end: datetime) -> ColumnElement[bool]:
    """Closed within the window (a cancelled case without a closing moment: its last change)."""
    return or_(and_(cases.c.closed_at >= start, cases.c.closed_at < end),
               and_(cases.c.closed_at.is_(None), cases.c.status == Status.GEANNULEERD.value,
                    cases.c.updated_at >= start, cases.c.updated_at < end))


def event_between(type_: str, start: datetime, end: datetime) -> ColumnElement[bool]:
    """The case has an event of this type within the window."""
    return exists().where(case_events.c.case_id == cases.c.id, case_events.c.type == type_,
                          case_events.c.at >= start, case_events.c.at < end)


def first_answer_between(start: datetime, end: datetime) -> ColumnElement[bool]:
    """The case's first answer to the resident was given within the window (an answer in it, none before it)."""
    earlier = exists().where(case_events.c.case_id == cases.c.id, case_events.c.type == ANSWER,
                             case_events.c.at < start)
    return and_(event_between(ANSWER, start, end), not_(earlier))


def resident_message() -> ColumnElement[bool]:
    """A message the resident wrote, not an answer to the satisfaction survey (stored with meta {"survey": true})."""
    survey = messages.c.meta["survey"].as_boolean()
    return and_(messages.c.direction == "in", or_(survey.is_(None), survey == false()))


def inbound_between(start: datetime, end: datetime) -> ColumnElement[bool]:
    """The resident wrote on the case within the window (survey answers left out)."""
    return exists().where(messages.c.case_id == cases.c.id, resident_message(),
                          messages.c.created_at >= start, messages.c.created_at < end)


def in_cluster(lead_id: ColumnElement[int] | int) -> ColumnElement[bool]:
    """The lead case and every case linked to it as a duplicate."""
    return or_(cases.c.id == lead_id, cases.c.duplicate_of == lead_id)


def in_cluster_of(reference: str) -> ColumnElement[bool]:
    """The duplicate cluster a case belongs to, by that case's reference (a lead's or a duplicate's)."""
    named = cases.alias("named_case")  # an alias: the subquery must not correlate with the outer `cases`
    # the lead of a duplicate is the case it points at; a case that points nowhere leads its own cluster
    lead = select(func.coalesce(named.c.duplicate_of, named.c.id)).where(named.c.reference == reference)
    return in_cluster(lead.scalar_subquery())


ANSWER_EVENT = "antwoord"  # the case event of an ambtenaar's reply to the resident (services.actions.reply)


def reopen_pending() -> ColumnElement[bool]:
    """The resident asked to look again since the case closed (survey or message) and nobody has answered them
    since: the inbox's "Heropenverzoeken" and the intake's "one open request at a time" both use this."""
    request, answer = case_events.alias("request"), case_events.alias("answer")
    answered = exists().where(answer.c.case_id == request.c.case_id, answer.c.type == ANSWER_EVENT,
                              answer.c.at >= request.c.at)
    return exists().where(request.c.case_id == cases.c.id, request.c.type == REOPEN_REQUEST,
                          request.c.at >= cases.c.closed_at, ~answered)
