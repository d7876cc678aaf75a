"""The inbox queues: mine, my team, triage, overdue, waiting on the resident, my wijk, mentioned, all.

Invariants: a person only ever sees cases within their reach (storage.queues.reach mirrors domain.access) and a
filter only narrows that; filters are validated against the configuration (services/case_filters.py), so an
unknown value narrows to nothing instead of failing or being ignored;
"today" and ages are computed in the municipality's time zone from the injected clock; the free-text search
is limited to 200 characters; a case with a message to the resident that delivery gave up in the last
UNDELIVERED_FOR (and nobody sent again) is marked in every list, and the page names such cases within reach.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from wijkbot.domain.access import Person, Role
from wijkbot.domain.rules import RuleSet
from wijkbot.domain.workdays import working_days_between
from wijkbot.domain.workflow import Status
from wijkbot.ports import Clock
from wijkbot.services import case_filters
from wijkbot.services.case_filters import values_of
from wijkbot.storage import outbox, queues
from wijkbot.storage.db import Database
from wijkbot.storage.queues import Filters

QUEUES = ("mine", "team", "mentioned", "triage", "overdue", "waiting", "reopen", "wijk", "all")
AGES = {"day": (None, timedelta(days=1)), "week": (None, timedelta(days=7)), "older": (timedelta(days=7), None)}
PAGE_SIZE = 50
MAX_SEARCH = 200
UNDELIVERED_FOR = timedelta(days=14)  # a message given up longer ago no longer marks its case


@dataclass(frozen=True, slots=True)
class QueueQuery:
    queue: str = "mine"
    filters: Filters = field(default_factory=Filters)
    age: str = ""
    page: int = 1
    active: tuple[case_filters.Active, ...] = ()  # the filters in use, as given (shown, removable, carried along)
    problems: tuple[tuple[str, dict[str, str]], ...] = ()  # (catalog key, values): a bad week, an unknown filter


@dataclass(frozen=True, slots=True)
class QueuePage:
    query: QueueQuery
    counts: dict[str, int]
    rows: list[dict[str, Any]]
    total: int
    pages: int
    out_of_reach: tuple[str, ...] = ()  # the filtered wijken outside the person's reach, when the list is empty
    undelivered: tuple[str, ...] = ()  # references of cases within reach with a message "niet bezorgd"
    # The team queue's cases per behandelaar (officer id, None: nobody yet), for a teamleider: who has what
    load: dict[int | None, int] = field(default_factory=dict)


class Queues:
    def __init__(self, db: Database, rules: RuleSet, clock: Clock) -> None:
        self.db = db
        self.rules = rules
        self.clock = clock
        self.tz = ZoneInfo(rules.municipality.timezone)

    def available(self, person: Person) -> tuple[str, ...]:
        """The queues this person has: "wijk" only for wijkregisseurs, "team" only with a team."""
        hidden = set()
        if not person.regie_wijken:
            hidden.add("wijk")
        if not person.teams:
            hidden.add("team")
        if not person.handles_cases:
            hidden |= {"mine", "team", "mentioned"}
        return tuple(q for q in QUEUES if q not in hidden)

    def today(self) -> date:
        return self.clock().astimezone(self.tz).date()

    def parse(self, person: Person, params: Mapping[str, Any]) -> QueueQuery:
        """A query from request parameters (see services.case_filters); an unknown queue (or one that is not the
        person's) falls back to the person's first queue, and the page says so (a trial's mistyped queue showed
        "Mijn zaken" without a word); a filter value that cannot be valid gives an empty list, never an
        unfiltered one."""
        available = self.available(person)
        queue = (values_of(params, "queue") or ("",))[0]
        fallback: list[tuple[str, dict[str, str]]] = []
        if queue not in available:
            if queue:
                fallback.append(("inbox.queue.unknown", {"name": queue[:40]}))
            queue = available[0] if available else "all"
        parsed = case_filters.parse(params, self.rules, text=(values_of(params, "q") or ("",))[0][:MAX_SEARCH],
                                    now=self.clock())
        active = list(parsed.active)
        age = "" if "age" in values_of(params, "remove") else (values_of(params, "age") or ("",))[0]
        if age:
            active.append(case_filters.Active("age", (age,), age in AGES))
        filters = replace(parsed.filters, searcher=(person.officer_id, tuple(sorted(person.teams)),
                                                    person.handles_cases))
        if age and age not in AGES:
            filters = replace(filters, nothing=True)
        try:
            number = max(1, min(10_000, int((values_of(params, "page") or ("1",))[0])))
        except ValueError:
            number = 1
        return QueueQuery(queue, filters, age if age in AGES else "", number, tuple(active),
                          (*fallback, *parsed.problems))

    async def show(self, person: Person, query: QueueQuery) -> QueuePage:
        today = self.today()
        filters = self._with_age(query.filters, query.age)
        async with self.db.read() as conn:
            counts = await queues.counts(conn, person, self.available(person), today)
            total = await queues.count(conn, person, query.queue, today, filters)
            rows = await queues.page(conn, person, query.queue, today, filters, limit=PAGE_SIZE,
                                     offset=(query.page - 1) * PAGE_SIZE)
            since = self.clock() - UNDELIVERED_FOR
            undelivered = await outbox.undelivered_cases(conn, queues.reach(person), since)
            load = (await queues.per_officer(conn, person, "team", today, filters)
                    if query.queue == "team" and Role.TEAMLEIDER in person.roles else {})
            marked = await outbox.undelivered_among(conn, [int(r["id"]) for r in rows], since)
        for row in rows:
            row.update(self.term(row["due_date"], row["status"], today))
            row["undelivered"] = int(row["id"]) in marked
        pages = max(1, -(-total // PAGE_SIZE))
        out_of_reach = self._out_of_reach(person, query.filters) if total == 0 else ()
        return QueuePage(query, counts, rows, total, pages, out_of_reach, tuple(undelivered), load)

    def _out_of_reach(self, person: Person, filters: Filters) -> tuple[str, ...]:
        """The filtered wijken this person sees no case of by their role (no team there, not their wijkregie): an
        empty list then says why (a digest's links lead every ambtenaar to a wijk's lists)."""
        if person.is_beheerder:
            return ()
        mine = [t for t in self.rules.teams if t.id in person.teams]
        return tuple(w for w in filters.wijk
                     if w not in person.regie_wijken and not any(t.covers(w) for t in mine))

    def term(self, due: date, status: str, today: date | None = None) -> dict[str, Any]:
        """Working days left (or over) until the due date; closed cases are never overdue."""
        today = today or self.today()
        closed = status in (Status.AFGEHANDELD.value, Status.GEANNULEERD.value)
        overdue = not closed and due < today
        days = working_days_between(due, today) if overdue else working_days_between(today, due)
        return {"overdue": overdue, "workdays": days, "closed": closed}

    def _with_age(self, filters: Filters, age: str) -> Filters:
        if not age:
            return filters
        now: datetime = self.clock()
        older, newer = AGES[age]
        return replace(filters, created_before=now - older if older else None,
                       created_after=now - newer if newer else None)
