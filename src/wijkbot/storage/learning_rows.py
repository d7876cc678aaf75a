"""What the learned router is built from and what it produced: imported history, inbox corrections, models.

Invariants: an import replaces the municipality's previous history in one transaction (never half of each);
corrections are not copied anywhere: a case counts as a correction while it carries a "categorie gewijzigd" or
"overgedragen" event, and its labels are the case's current category, department and team, so a later
correction of the same case supersedes an earlier one; at most one model per municipality is active
(none: the rules alone route).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.storage.tables import case_events, cases, messages, routing_models, training_examples

CORRECTION_EVENTS = ("categorie gewijzigd", "overgedragen")


async def replace_history(conn: AsyncConnection, rules_name: str, rows: Sequence[dict[str, Any]],
                          now: datetime) -> None:
    await conn.execute(delete(training_examples).where(training_examples.c.rules_name == rules_name))
    if rows:
        await conn.execute(insert(training_examples), [r | {"rules_name": rules_name, "imported_at": now}
                                                       for r in rows])


async def history(conn: AsyncConnection, rules_name: str) -> list[RowMapping]:
    return list((await conn.execute(
        select(training_examples).where(training_examples.c.rules_name == rules_name).order_by(training_examples.c.id)
    )).mappings())


def _corrected_cases() -> Any:
    return select(case_events.c.case_id).where(case_events.c.type.in_(CORRECTION_EVENTS)).distinct()


async def corrections(conn: AsyncConnection) -> list[dict[str, Any]]:
    """Corrected cases as labelled examples: the resident's first message with the case's current labels."""
    first = (select(messages.c.case_id, func.min(messages.c.id).label("first_id"))
             .where(messages.c.direction == "in", messages.c.case_id.in_(_corrected_cases()))
             .group_by(messages.c.case_id).subquery())
    rows = await conn.execute(
        select(cases.c.id, cases.c.category, cases.c.department, cases.c.team, cases.c.street, messages.c.body,
               messages.c.meta)
        .join(first, first.c.case_id == cases.c.id)
        .join(messages, messages.c.id == first.c.first_id)
        .order_by(cases.c.id)
    )
    result = []
    for r in rows.mappings():
        meta = r["meta"] or {}
        result.append({"case_id": r["id"], "text": r["body"], "street": r["street"] or meta.get("street"),
                       "pc4": (meta.get("postcode") or "")[:4] or None, "town": None,
                       "category": r["category"], "department": r["department"], "team": r["team"]})
    return result


async def correction_count(conn: AsyncConnection) -> int:
    return int((await conn.execute(select(func.count()).select_from(_corrected_cases().subquery()))).scalar_one())


async def save_model(conn: AsyncConnection, *, rules_name: str, data: bytes, examples: int, corrections: int,
                     source: str, now: datetime) -> int:
    """Store a trained model and make it the active one."""
    await conn.execute(update(routing_models).where(routing_models.c.rules_name == rules_name).values(active=False))
    result = await conn.execute(insert(routing_models).values(
        rules_name=rules_name, data=data, examples=examples, corrections=corrections, source=source[:200],
        created_at=now, active=True))
    return int(result.inserted_primary_key[0])  # type: ignore[index]


_SUMMARY = (routing_models.c.id, routing_models.c.created_at, routing_models.c.examples,
            routing_models.c.corrections, routing_models.c.source, routing_models.c.active)


async def active_model(conn: AsyncConnection, rules_name: str, with_data: bool = True) -> RowMapping | None:
    columns = (*_SUMMARY, routing_models.c.data) if with_data else _SUMMARY
    return (await conn.execute(
        select(*columns).where(routing_models.c.rules_name == rules_name, routing_models.c.active.is_(True))
        .order_by(routing_models.c.id.desc()).limit(1)
    )).mappings().first()


async def models(conn: AsyncConnection, rules_name: str) -> list[RowMapping]:
    return list((await conn.execute(
        select(*_SUMMARY).where(routing_models.c.rules_name == rules_name).order_by(routing_models.c.id)
    )).mappings())


async def activate(conn: AsyncConnection, rules_name: str, model_id: int) -> bool:
    """Make an earlier model the active one again (a rollback); False when it does not exist."""
    found = (await conn.execute(select(routing_models.c.id).where(
        routing_models.c.rules_name == rules_name, routing_models.c.id == model_id))).first()
    if found is None:
        return False
    await conn.execute(update(routing_models).where(routing_models.c.rules_name == rules_name)
                       .values(active=routing_models.c.id == model_id))
    return True


async def deactivate(conn: AsyncConnection, rules_name: str) -> None:
    """No model in use: the rules alone route (until a model is activated or trained again)."""
    await conn.execute(update(routing_models).where(routing_models.c.rules_name == rules_name).values(active=False))
