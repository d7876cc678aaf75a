"""Queue queries for the inbox: which cases a person may see, filtered, searched and counted.

Invariants: every query starts from `reach(person)`, the SQL form of domain.access (a case of one of the
person's teams, assigned to them, one they were invited to, one in a wijk they are wijkregisseur of; a
beheerder reads every case), so a list can never show a case the case page would refuse; filters
(`case_filters`) only add conditions to it. Search is a portable case-insensitive LIKE with escaped
wildcards over message texts, the reference, street and buurt: it runs the same on SQLite and PostgreSQL and
takes milliseconds on 10,000 cases (benchmarks/inbox.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, false, func, or_, select, true
from sqlalchemy import case as sql_case
from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.domain.access import Person
from wijkbot.domain.workflow import Status
from wijkbot.storage import case_sets
from wijkbot.storage.case_filters import Filters, filtered
from wijkbot.storage.repository import OPEN
from wijkbot.storage.tables import (
    case_helpers,
    case_views,
    cases,
    contacts,
    messages,
    note_mentions,
    officers,
)

WAITING = "wacht op bewoner"
__all__ = ["Filters", "count", "counts", "page", "queue_condition", "reach"]


def reach(person: Person) -> ColumnElement[bool]:
    if person.is_beheerder:
        return true()
    if not person.handles_cases:
        return false()
    invited = select(case_helpers.c.case_id).where(case_helpers.c.officer_id == person.officer_id)
    conditions: list[ColumnElement[bool]] = [cases.c.officer_id == person.officer_id, cases.c.id.in_(invited)]
    if person.teams:
        conditions.append(cases.c.team.in_(sorted(person.teams)))
    if person.regie_wijken:
        conditions.append(cases.c.wijk.in_(sorted(person.regie_wijken)))
    return or_(*conditions)


def _unseen_mention(person: Person) -> ColumnElement[bool]:
    seen = exists().where(case_views.c.case_id == note_mentions.c.case_id,
                          case_views.c.officer_id == person.officer_id, case_views.c.seen_at >= note_mentions.c.at)
    return exists().where(note_mentions.c.case_id == cases.c.id, note_mentions.c.officer_id == person.officer_id,
                          ~seen)


def _reopen_requested() -> ColumnElement[bool]:
    """Closed, the resident asked since to look again (survey or message), and nobody has decided yet: reopening
    takes it off, and so does an answer to the resident after the request (why it stays closed)."""
    return and_(cases.c.status == Status.AFGEHANDELD.value, case_sets.reopen_pending())


def queue_condition(name: str, person: Person, today: date) -> ColumnElement[bool]:
    """The condition of one named queue (see services.queues.QUEUES)."""
    is_open = cases.c.status.in_(OPEN)
    invited = select(case_helpers.c.case_id).where(case_helpers.c.officer_id == person.officer_id)
    conditions: dict[str, ColumnElement[bool]] = {
        "mine": and_(is_open, or_(cases.c.officer_id == person.officer_id, cases.c.id.in_(invited))),
        "team": and_(is_open, cases.c.team.in_(sorted(person.teams))) if person.teams else false(),
        "triage": and_(is_open, cases.c.triage.is_(True)),
        "overdue": and_(is_open, cases.c.due_date < today),
        "waiting": cases.c.status == WAITING,
        "wijk": and_(is_open, cases.c.wijk.in_(sorted(person.regie_wijken))) if person.regie_wijken else false(),
        "mentioned": _unseen_mention(person),
        "reopen": _reopen_requested(),
        "all": true(),
    }
    return conditions[name]


def _base(person: Person, queue: str, today: date, filters: Filters, columns: Sequence[Any]) -> Select[Any]:
    query = select(*columns).select_from(cases.join(contacts, contacts.c.id == cases.c.contact_id))
    return filtered(query.where(reach(person), queue_condition(queue, person, today)), filters)


async def count(conn: AsyncConnection, person: Person, queue: str, today: date,
                filters: Filters | None = None) -> int:
    query = _base(person, queue, today, filters or Filters(), [func.count(cases.c.id)])
    return int((await conn.execute(query)).scalar_one())


async def per_officer(conn: AsyncConnection, person: Person, queue: str, today: date,
                      filters: Filters | None = None) -> dict[int | None, int]:
    """How many cases of this queue (as filtered) each behandelaar has; None: nobody yet."""
    query = _base(person, queue, today, filters or Filters(), [cases.c.officer_id, func.count(cases.c.id)])
    rows = await conn.execute(query.group_by(cases.c.officer_id))
    return {(int(officer) if officer is not None else None): int(number) for officer, number in rows}


async def counts(conn: AsyncConnection, person: Person, names: Sequence[str], today: date) -> dict[str, int]:
    """The size of several queues in one pass over the person's cases (the queue page shows them all)."""
    if not names:
        return {}
    columns = [func.coalesce(func.sum(sql_case((queue_condition(n, person, today), 1), else_=0)), 0).label(n)
               for n in names]
    row = (await conn.execute(select(*columns).select_from(cases).where(reach(person)))).mappings().one()
    return {name: int(row[name]) for name in names}


async def page(conn: AsyncConnection, person: Person, queue: str, today: date, filters: Filters, *,
               limit: int, offset: int) -> list[dict[str, Any]]:
    """One page of a queue: the case fields a list shows, the channel, the owner's name, a text snippet."""
    first_text = (select(func.substr(messages.c.body, 1, 160)).where(messages.c.case_id == cases.c.id,
                                                                     messages.c.direction == "in")
                  .order_by(messages.c.id).limit(1).correlate(cases).scalar_subquery())
    owner = select(officers.c.name).where(officers.c.id == cases.c.officer_id).correlate(cases).scalar_subquery()
    columns = [cases.c.id, cases.c.reference, cases.c.kind, cases.c.status, cases.c.category,
               cases.c.suggested_category, cases.c.department, cases.c.team, cases.c.officer_id, cases.c.wijk,
               cases.c.buurt, cases.c.street, cases.c.triage, cases.c.urgent, cases.c.due_date, cases.c.created_at,
               cases.c.handover_count, cases.c.duplicate_of, cases.c.escalation_level, contacts.c.channel,
               owner.label("officer_name"),
               first_text.label("snippet")]
    order = [cases.c.id.desc()] if queue == "all" else [cases.c.due_date, cases.c.id]
    query = _base(person, queue, today, filters, columns).order_by(*order).limit(limit).offset(offset)
    return [dict(r) for r in (await conn.execute(query)).mappings()]
