"""A message that says a recently closed case is not solved ("nog steeds kapot") joins that case as a request
to look again (domain.reopen), during intake.

Invariants: the case stays closed and its ambtenaar decides; one open request at a time (a message while the
last request has no answer yet is added to the case; after an answer it is a new request); closed cases are read
only for residents whose words say it is not solved.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.domain import reopen
from wijkbot.domain.reopen import REOPEN_REQUEST
from wijkbot.domain.routing import Decision
from wijkbot.domain.rules import RuleSet
from wijkbot.domain.sanitise import has_words
from wijkbot.services.intake_items import BatchCase, BatchItem
from wijkbot.services.texts import Texts
from wijkbot.storage import conversation_rows


async def recently_closed(conn: AsyncConnection, rules: RuleSet, items: list[BatchItem],
                          now: datetime) -> dict[int, list[BatchCase]]:
    """The cases each resident closed recently (newest first), for the residents whose words say it is not
    solved."""
    phrases = rules.signals.not_solved
    saying = [i.contact["id"] for i in items if reopen.says_not_solved(i.body, phrases)]
    rows = await conversation_rows.recently_closed(conn, saying, now - reopen.REOPEN_WINDOW)
    return {contact_id: [BatchCase(row, new=False) for row in found] for contact_id, found in rows.items()}


def join_closed_case(item: BatchItem, closed: list[BatchCase] | None, routed: Callable[[BatchItem], Decision],
                     rules: RuleSet, texts: Texts, now: datetime, has_open_case: bool) -> bool:
    """Whether the item asks to look again at one of these closed cases; if so it joins that case (and the
    case records the request once). `routed` gives the router's decision on the item, worked out once."""
    if not closed or not has_words(item.body):
        return False
    decision = routed(item)
    guess = decision.category or decision.suggested_category
    category = rules.categories.get(guess or "")
    said = reopen.Said(guess, category.department if category else None, decision.area.street)
    facts = [reopen.ClosedCase(c.row["closed_at"], c.row["category"], c.row["department"], c.row["street"])
             for c in closed]
    index = reopen.case_to_look_at(item.body, rules.signals.not_solved, facts, said, now, has_open_case=has_open_case)
    if index is None:
        return False
    case = closed[index]
    item.case, item.another_look, item.purpose = case, True, "notice"
    case.row["last_contact_at"] = now
    case.events.append(("bericht", {"item": id(item)}))
    if not case.row["reopen_requested"]:
        case.row["reopen_requested"] = case.reopen_request = True
        case.events.append((REOPEN_REQUEST, {"reden": texts.simple("escalation.reopen_reason_message", "nl")}))
    return True
