"""What the learned router is built from and what it produced: imported history, inbox corrections, models.

Invariants: an import is stored with the model trained on it, in one transaction (never one without the other);
each model knows the import it learned from, so retraining a model chosen again uses its own history; an
import is kept while one of the KEEP_HISTORIES_OF newest models learned from it;
corrections are not copied anywhere: a case counts as a correction while it carries a "categorie gewijzigd" or
"overgedragen" event, and its labels are the case's current category, department and team, so a later
correction of the same case supersedes an earlier one (a model records the newest correction event it saw, so
a second correction of a case still calls for a retraining); at most one model per municipality is active
(none: the rules alone route).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement

from wijkbot.storage.tables import case_events, cases, messages, routing_models, training_examples

CORRECTION_EVENTS = ("categorie gewijzigd", "overgedragen")
KEEP_HISTORIES_OF = 10  # imports are kept while one of this many newest models learned from them


async def add_history(conn: AsyncConnection, rules_name: str, rows: Sequence[dict[str, Any]], now: datetime,
                      history_id: int) -> None:
    """Store an imported history under its id (that of the model trained on it, stored in the same transaction),
    then drop the histories none of the newest models learned from."""
    if rows:
        await conn.execute(insert(training_examples), [r | {"rules_name": rules_name, "imported_at": now,
                                                            "history_id": history_id} for r in rows])
    newest = (select(routing_models.c.history_id).where(routing_models.c.rules_name == rules_name)
              .order_by(routing_models.c.id.desc()).limit(KEEP_HISTORIES_OF))
    kept = {r[0] for r in (await conn.execute(newest)).all()}
    stale: ColumnElement[bool] = training_examples.c.history_id.not_in([k for k in kept if k is not None])
    if None not in kept:  # the history stored before migration 0009, which no kept model learned from
        stale = or_(stale, training_examples.c.history_id.is_(None))
    await conn.execute(delete(training_examples).where(training_examples.c.rules_name == rules_name, stale))


async def history(conn: AsyncConnection, rules_name: str,
                  history_id: int | Literal["newest"] | None = "newest") -> list[RowMapping]:
    """The rows of one imported history: by its id (None: the one stored before migration 0009), or the newest."""
    if history_id == "newest":
        history_id = await newest_history(conn, rules_name)
    which = (training_examples.c.history_id.is_(None) if history_id is None
             else training_examples.c.history_id == history_id)
    return list((await conn.execute(
        select(training_examples).where(training_examples.c.rules_name == rules_name, which)
        .order_by(training_examples.c.id)
    )).mappings())


async def newest_history(conn: AsyncConnection, rules_name: str) -> int | None:
    """The id of the newest import (None: only the history stored before migration 0009, or none)."""
    newest = (await conn.execute(select(func.max(training_examples.c.history_id))
                                 .where(training_examples.c.rules_name == rules_name))).scalar_one()
    return None if newest is None else int(newest)


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


async def correction_mark(conn: AsyncConnection) -> int:
    """The newest correction event's id (0 when there is none): a model that learned up to a lower mark has not
    seen every correction, also when a case it learned from was corrected once more."""
    newest = select(func.max(case_events.c.id)).where(case_events.c.type.in_(CORRECTION_EVENTS))
    return int((await conn.execute(newest)).scalar_one() or 0)


async def save_model(conn: AsyncConnection, *, rules_name: str, data: bytes, examples: int, corrections: int,
                     source: str, now: datetime, history_id: int | None, corrections_until: int) -> int:
    """Store a trained model and make it the active one. `history_id`: the import it learned from; None for an
    import's own model (its id becomes the history's id) or for the history stored before migration 0009."""
    await conn.execute(update(routing_models).where(routing_models.c.rules_name == rules_name).values(active=False))
    result = await conn.execute(insert(routing_models).values(
        rules_name=rules_name, data=data, examples=examples, corrections=corrections, source=source[:200],
        created_at=now, active=True, history_id=history_id, corrections_until=corrections_until))
    return int(result.inserted_primary_key[0])  # type: ignore[index]


async def own_history(conn: AsyncConnection, model_id: int) -> None:
    """An import's model learned from the history that came with it: the history takes the model's id."""
    await conn.execute(update(routing_models).where(routing_models.c.id == model_id).values(history_id=model_id))


_SUMMARY = (routing_models.c.id, routing_models.c.created_at, routing_models.c.examples,
            routing_models.c.corrections, routing_models.c.source, routing_models.c.active,
            routing_models.c.history_id, routing_models.c.corrections_until)


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
