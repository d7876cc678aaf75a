"""Reads for the weekly digest: the facts of one wijk and week, and the wijkregisseurs who receive it.

Invariants: read-only, inside the caller's transaction; plain SELECTs with range conditions on UTC timestamps
that run the same on SQLite and PostgreSQL (week buckets are made in Python, in local time, not with a
database's date functions); no resident address, name or message text is read, only the channel.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.domain.digest.facts import CaseFact, ClusterFact, DigestFacts, EventFact, MessageFact
from wijkbot.domain.digest.summary import trend_weeks
from wijkbot.domain.weeks import IsoWeek
from wijkbot.domain.workflow import Status
from wijkbot.storage import case_sets
from wijkbot.storage.tables import case_events, cases, contacts, messages, officer_wijken, officers

REPORTED_EVENTS = (case_sets.ESCALATED, case_sets.SURVEY)

_first_answer = (
    select(func.min(case_events.c.at))
    .where(case_events.c.case_id == cases.c.id, case_events.c.type == case_sets.ANSWER)
    .correlate(cases).scalar_subquery().label("first_answer_at")
)
_CASE_COLUMNS = (
    cases.c.id, cases.c.reference, cases.c.kind, cases.c.status, cases.c.department, contacts.c.channel,
    cases.c.created_at, cases.c.due_date, cases.c.category, cases.c.buurt, cases.c.buurt_code, cases.c.street,
    cases.c.closed_at, cases.c.out_of_scope, cases.c.duplicate_of, cases.c.ambition, cases.c.handover_count,
    cases.c.updated_at, _first_answer,
)


def _cases_of(wijk: str) -> Any:
    return select(*_CASE_COLUMNS).join(contacts, contacts.c.id == cases.c.contact_id).where(cases.c.wijk == wijk)


def _fact(row: Any) -> CaseFact:
    return CaseFact(
        id=row.id, reference=row.reference, kind=row.kind, status=row.status, department=row.department,
        channel=row.channel, created_at=row.created_at, due_date=row.due_date, category=row.category,
        buurt=row.buurt, buurt_code=row.buurt_code, street=row.street, closed_at=_closed_at(row),
        out_of_scope=bool(row.out_of_scope), duplicate_of=row.duplicate_of, ambition=row.ambition,
        handover_count=int(row.handover_count or 0), first_answer_at=_aware(row.first_answer_at),
    )


def _aware(value: Any) -> datetime | None:
    """The correlated MIN() comes back untyped on SQLite (text) and typed on PostgreSQL."""
    if value is None or isinstance(value, datetime):
        return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


def _closed_at(row: Any) -> datetime | None:
    """A cancelled case has no closing moment of its own: its last change stands in for it."""
    if row.closed_at is None and row.status == Status.GEANNULEERD.value:
        return row.updated_at  # type: ignore[no-any-return]
    return row.closed_at  # type: ignore[no-any-return]


async def facts(conn: AsyncConnection, wijk: str, week: IsoWeek, tz: str, now: datetime | None = None) -> DigestFacts:
    """Everything `summarise` needs for one wijk and week (the running week as of `now`)."""
    start, end = week.start(tz), week.end(tz)
    until, last_due = week.as_of(now, tz)
    window = trend_weeks(week)[0].start(tz)
    recent = [_fact(r) for r in await conn.execute(
        _cases_of(wijk).where(cases.c.created_at >= window, cases.c.created_at < end))]
    # the same conditions as the inbox's filters (case_sets), so every figure's link lists exactly these cases
    open_at_end = [_fact(r) for r in await conn.execute(_cases_of(wijk).where(case_sets.open_at(end)))]
    closed = [_fact(r) for r in await conn.execute(_cases_of(wijk).where(case_sets.closed_between(start, end)))]
    answered = [_fact(r) for r in await conn.execute(
        _cases_of(wijk).where(case_sets.first_answer_between(start, end)))]
    inbound = [MessageFact(r.created_at, r.channel) for r in await conn.execute(
        select(messages.c.created_at, messages.c.channel).join(cases, cases.c.id == messages.c.case_id)
        .where(cases.c.wijk == wijk, case_sets.resident_message(), messages.c.created_at >= window,
               messages.c.created_at < end))]
    return DigestFacts(wijk, week, tz, tuple(recent), tuple(open_at_end), tuple(closed), tuple(answered),
                       tuple(inbound), tuple(await _events(conn, wijk, start, end)),
                       tuple(await _clusters(conn, wijk, start, end)), until, last_due)


async def _events(conn: AsyncConnection, wijk: str, start: datetime, end: datetime) -> list[EventFact]:
    rows = list(await conn.execute(
        select(case_events.c.at, case_events.c.type, case_events.c.data, *_CASE_COLUMNS)
        .join(cases, cases.c.id == case_events.c.case_id).join(contacts, contacts.c.id == cases.c.contact_id)
        .where(cases.c.wijk == wijk, case_events.c.type.in_(REPORTED_EVENTS), case_events.c.at >= start,
               case_events.c.at < end)
        .order_by(case_events.c.at, case_events.c.id)))
    return [EventFact(r.at, r.type, _fact(r), dict(r.data or {})) for r in rows]


async def _clusters(conn: AsyncConnection, wijk: str, start: datetime, end: datetime) -> list[ClusterFact]:
    """Duplicate clusters of the wijk that got a new report this week: lead, members, new members."""
    grown = list(await conn.execute(
        select(cases.c.duplicate_of, func.count().label("members"))
        .where(cases.c.wijk == wijk, cases.c.duplicate_of.is_not(None), cases.c.created_at >= start,
               cases.c.created_at < end)
        .group_by(cases.c.duplicate_of)))
    if not grown:
        return []
    lead_ids = [int(r.duplicate_of) for r in grown]
    totals = {int(r.duplicate_of): int(r.members) for r in await conn.execute(
        select(cases.c.duplicate_of, func.count().label("members"))
        .where(cases.c.duplicate_of.in_(lead_ids), cases.c.created_at < end).group_by(cases.c.duplicate_of))}
    leads = {r.id: _fact(r) for r in await conn.execute(
        select(*_CASE_COLUMNS).join(contacts, contacts.c.id == cases.c.contact_id).where(cases.c.id.in_(lead_ids)))}
    return [ClusterFact(leads[int(r.duplicate_of)], totals.get(int(r.duplicate_of), 0), int(r.members))
            for r in grown if int(r.duplicate_of) in leads]


async def recipients(conn: AsyncConnection, wijk: str) -> list[str]:
    """The e-mail addresses of the wijk's wijkregisseurs."""
    rows = await conn.execute(
        select(officers.c.email).join(officer_wijken, officer_wijken.c.officer_id == officers.c.id)
        .where(officer_wijken.c.wijk == wijk, officers.c.role == "wijkregisseur").order_by(officers.c.email))
    return [str(r.email) for r in rows]

