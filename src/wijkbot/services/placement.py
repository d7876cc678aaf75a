"""Multi-case conversations inside the intake batch: which open case a message joins, and the question.

Invariants: the facts placement needs (every open case of the batch's residents, when each resident last wrote
on each, what we last sent each) are read with a fixed number of statements, and only for residents who have
an open case; a message that is not plainly a continuation is kept with the newest open case and the resident
is asked with buttons (domain.conversation), so nothing waits on an answer that may never come.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.domain.conversation import LastSent, OpenCase, Subject, case_buttons
from wijkbot.domain.model import Area, Kind
from wijkbot.domain.routing import Decision
from wijkbot.domain.rules import RuleSet
from wijkbot.domain.text import normalise
from wijkbot.domain.workflow import Status
from wijkbot.services.texts import Texts
from wijkbot.storage import conversation_rows


async def facts(conn: AsyncConnection, open_rows: dict[int, list[dict[str, Any]]]
                ) -> tuple[dict[int, datetime], dict[int, dict[str, Any]]]:
    """When the resident last wrote on each open case, and the last outbox row of each resident (see
    `last_sent`; the batch writer reads its words, so a burst hears "toegevoegd" once)."""
    if not open_rows:
        return {}, {}
    case_ids = [row["id"] for rows in open_rows.values() for row in rows]
    written = await conversation_rows.last_resident_messages(conn, case_ids)
    return written, await conversation_rows.last_sent(conn, open_rows)


def last_sent(rows: dict[int, dict[str, Any]]) -> dict[int, LastSent]:
    """What we last sent each resident, as placement weighs it."""
    return {contact_id: LastSent(row["case_id"], row["purpose"], row["created_at"]) for contact_id, row in rows.items()}


def open_case(key: int, row: dict[str, Any], last_written: datetime | None, rules: RuleSet | None = None) -> OpenCase:
    """What placement knows of an open case; with `rules`, its vakdienst as placement compares it (`vakdienst`)."""
    return OpenCase(key, row["status"] == Status.WACHT_OP_BEWONER.value, last_written, lacks_place(row),
                    row.get("category"), row.get("street"), vakdienst(rules, row) if rules is not None else None)


def vakdienst(rules: RuleSet, row: dict[str, Any]) -> str | None:
    """Whose subject an open case is, for placement: its vakdienst; for a case waiting in triage the vakdienst
    of the router's suggestion (or none), since the triage department says nothing about the subject (a
    review found every unsure follow-up on a triage case asked "which case?")."""
    department = row.get("department")
    if department != rules.municipality.triage_department:
        return department
    suggested = rules.categories.get(row.get("suggested_category") or "")
    return suggested.department if suggested is not None else None


ANOTHER_ONE = frozenset(("ook", "nog een", "nog eentje", "weer een", "andere", "ander", "tweede", "also",
                         "another"))


def subject(rules: RuleSet, routed: Decision, captions_media: bool, said: str = "") -> Subject:
    """What the router makes of new words, to tell a new subject from a follow-up: the category it is sure of
    with that category's vakdienst, the street, the vakdienst of its guess when it is not sure, and whether the
    words say it is another one ("nu is ook de lantaarnpaal bij de school kapot")."""
    category = rules.categories.get(routed.category or "")
    guess = rules.categories.get(routed.suggested_category or "") if category is None else None
    cleaned = f" {normalise(said)} "
    another = any(f" {marker} " in cleaned for marker in ANOTHER_ONE)
    return Subject(routed.category, routed.area.street, category.department if category else None,
                   guess.department if guess else None, captions_media=captions_media, another_one=another)


def lacks_place(row: dict[str, Any]) -> bool:
    """A melding or initiative without a wijk: its acknowledgement asked for a street or postcode (a question or
    a complaint needs no place, services.texts)."""
    return row.get("wijk") is None and Kind(row.get("kind") or Kind.MELDING.value).needs_place


def takes_place(row: dict[str, Any], area: Area) -> bool:
    """Whether a message joining this case gives it the place it lacked: words that name one."""
    return lacks_place(row) and area.wijk is not None


def label(rules: RuleSet, texts: Texts, row: dict[str, Any]) -> str:
    """A short name for a case on a button: its category, else its department."""
    category = rules.categories.get(row.get("category") or row.get("suggested_category") or "")
    return category.name if category else texts.department_name(row["department"])


def question(rules: RuleSet, texts: Texts, lang: str, message_id: int,
             cases: Sequence[dict[str, Any]]) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The which-case question (kept with the newest case until the resident answers) and its buttons."""
    text = texts.with_case("notice.which_case", lang, cases[0])
    buttons = case_buttons(message_id, [(c["reference"], label(rules, texts, c)) for c in cases],
                           texts.simple("notice.which_case_new", lang))
    return text, buttons
