"""Duplicate meldingen in the service: link a new case to the open lead case, close the cluster together.

Invariants: linking happens inside the intake transaction, before the new cases are inserted, with one query
per batch; a linked case keeps its own reporter, reference and conversation, and goes to the lead's ambtenaar
and team, so one person sees the whole cluster; closing a lead closes every open linked case with the same
outcome and tells each reporter (the documents: every reporter hears the outcome); a lead handed over moves
its open duplicates along (services.handover), so they stay linked; a case that becomes another subject leaves
its cluster (`leave_cluster`), so the lead's outcome never reaches it; a cancelled lead hands its cluster on
(`hand_on_cluster`): a cancellation is not an outcome of the problem the others reported.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.domain.duplicates import CaseKey, DuplicatePolicy, find_lead
from wijkbot.domain.workflow import OPEN_STATUSES
from wijkbot.storage import casefile, intake_rows, repository
from wijkbot.storage.tables import cases

# The two case events of a duplicate link, the same whether intake or an ambtenaar made it: on the new
# duplicate {"aan": lead reference, "reden": ...}, on the lead {"zaak": the duplicate's reference}.
LINKED = "gekoppeld"
LEAD_EVENT = "dubbele gekoppeld"
CLUSTER_HANDED_ON = "meldingen doorgegeven"  # on a lead that stops being one: which case leads now


class NewCase(Protocol):
    row: dict[str, Any]
    events: list[tuple[str, dict[str, Any]]]


def _key(row: dict[str, Any] | RowMapping, case_id: int = 0) -> CaseKey:
    return CaseKey(kind=row["kind"], category=row["category"], street=row["street"], buurt_code=row["buurt_code"],
                   created_at=row["created_at"], case_id=case_id or row.get("id") or 0,
                   duplicate_of=row.get("duplicate_of"), house_number=row.get("house_number"))


async def link_duplicates(conn: AsyncConnection, policy: DuplicatePolicy, new_cases: list[Any],
                          now: datetime) -> list[tuple[int, NewCase]]:
    """Point each new duplicate at its lead (row fields and an event); returns (lead id, case) pairs."""
    for case in new_cases:
        case.row.setdefault("duplicate_of", None)  # every row of one insert has the same columns
    candidates = [c for c in new_cases if c.row["category"] and c.row["kind"] in policy.kinds
                  and not c.row["out_of_scope"] and (c.row["street"] or c.row["buurt_code"])]
    if not policy.enabled or not candidates:
        return []
    rows = await intake_rows.duplicate_leads(conn, {c.row["category"] for c in candidates},
                                             now - timedelta(days=policy.window_days))
    leads = {int(r["id"]): r for r in rows}
    keys = [_key(r, int(r["id"])) for r in rows]
    linked: list[tuple[int, NewCase]] = []
    for case in candidates:
        lead = find_lead(_key(case.row), keys, policy, now)
        if lead is None:
            continue
        row = leads[lead.case_id]
        case.row["duplicate_of"] = lead.case_id
        if row["officer_id"] is not None:
            case.row["officer_id"], case.row["team"] = row["officer_id"], row["team"]
        days = max(0, (now - row["created_at"]).days)
        reason = f"zelfde melding als {row['reference']} ({_place(case.row, row)}, {days} dagen geleden)"
        case.row["routing"] = case.row["routing"] | {"reasons": [*case.row["routing"]["reasons"], reason]}
        case.events.append((LINKED, {"aan": row["reference"], "reden": reason}))
        linked.append((lead.case_id, case))
    return linked


def _place(new: dict[str, Any], lead: dict[str, Any]) -> str:
    if new["street"] and lead["street"] and new["street"].casefold() == lead["street"].casefold():
        return f"straat {lead['street']}"
    return "zelfde buurt"


async def open_linked(conn: AsyncConnection, lead_id: int) -> list[RowMapping]:
    """The open cases linked to a lead, oldest first, locked for the caller's transaction: a report a colleague
    closes meanwhile is not open any more when the lead's hand-over or cancellation moves it."""
    query = (select(cases).where(cases.c.duplicate_of == lead_id,
                                 cases.c.status.in_([s.value for s in OPEN_STATUSES])).order_by(cases.c.id))
    return list((await conn.execute(casefile.for_update(query, conn))).mappings())


UNLINKED = "ontkoppeld"
# On a duplicate that moved along with its lead when the lead was handed over (not a hand-over of its own:
# the learning side reads "overgedragen" as a correction, and this is the lead's correction, not another one).
MOVED_WITH_LEAD = "mee overgedragen"


async def unlink(conn: AsyncConnection, case: dict[str, Any] | RowMapping, actor: str, now: datetime,
                 reason: str | None = None) -> None:
    """Take a duplicate out of its cluster (an "ontkoppeld" event names the lead it left, and why)."""
    lead = await repository.case_by_id(conn, int(case["duplicate_of"]))
    await casefile.set_duplicate_of(conn, int(case["id"]), None)
    await repository.add_event(conn, case["id"], now, actor, UNLINKED,
                               {"van": lead["reference"] if lead else None} | ({"reden": reason} if reason else {}))


async def leave_cluster(conn: AsyncConnection, case: dict[str, Any] | RowMapping, actor: str, now: datetime,
                        reason: str, lead_reason: str = "de hoofdzaak kreeg een ander onderwerp") -> None:
    """The case is another subject now, so the lead's outcome is not its outcome. A duplicate is unlinked;
    a lead hands its cluster on to its oldest open duplicate (`hand_on_cluster`, with `lead_reason`)."""
    if case["duplicate_of"] is not None:
        await unlink(conn, case, actor, now, reason)
        return
    await hand_on_cluster(conn, case, actor, now, lead_reason)


async def hand_on_cluster(conn: AsyncConnection, lead: dict[str, Any] | RowMapping, actor: str, now: datetime,
                          why: str) -> RowMapping | None:
    """The lead stops being the cluster's lead (it was cancelled, or became another subject): its oldest open
    duplicate becomes the new lead and the others are linked to that one, each with an event saying why. The
    reports stay where they are (department, team, ambtenaar) and keep their own handling; the cluster holds
    together, so closing the new lead still tells every remaining reporter. Returns the new lead, if any."""
    followers = await open_linked(conn, int(lead["id"]))
    if not followers:
        return None
    new_lead, *rest = followers
    await casefile.set_duplicate_of(conn, int(new_lead["id"]), None)
    await repository.add_event(conn, new_lead["id"], now, actor, UNLINKED, {"van": lead["reference"], "reden": why})
    for follower in rest:
        await casefile.set_duplicate_of(conn, int(follower["id"]), int(new_lead["id"]))
        await repository.add_event(conn, follower["id"], now, actor, LINKED,
                                   {"aan": new_lead["reference"], "reden": why})
        await repository.add_event(conn, new_lead["id"], now, actor, LEAD_EVENT, {"zaak": follower["reference"]})
    # The old lead says where its reports went: its own list of linked reports is empty from now on.
    await repository.add_event(conn, lead["id"], now, actor, CLUSTER_HANDED_ON,
                               {"aan": new_lead["reference"], "reden": why})
    return new_lead
