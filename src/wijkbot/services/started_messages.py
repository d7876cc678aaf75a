"""Messages we start ourselves (updates, status notices, an ambtenaar's reply, the survey): held at night,
and not sent after /stop.

Invariants: such a message leaves at `waking_moment` (08:00-21:00 local time, otherwise held until 08:00);
answers to what a resident just wrote do not come through here and go at once; after /stop
(contacts.opted_out) nothing is sent except the final outcome, and only when the resident asked for it
(contacts.wants_outcome); a message not sent for /stop returns None, so the caller can note it in the case.
The rule is applied twice, on the outbox purpose: when queuing, and again by Delivery just before sending,
so a message queued before a /stop (held for the night, or racing it) does not leave after it either.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.domain.followups import waking_moment
from wijkbot.storage import outbox
from wijkbot.storage.tables import contacts

STARTED = frozenset({"reply", "update", "survey", "status"})  # outbox purposes of messages we start ourselves
OUTCOME = "outcome"  # the final outcome: the one message a resident who sent /stop may still want


def withheld(purpose: str, opted_out: bool, wants_outcome: bool) -> bool:
    """Whether /stop holds this message back (answers to what the resident wrote never are)."""
    if not opted_out:
        return False
    return purpose in STARTED or (purpose == OUTCOME and not wants_outcome)


async def send(conn: AsyncConnection, case: Any, *, purpose: str, body: str, now: datetime, tz: str,
               final: bool = False, actions: Sequence[tuple[str, str]] = ()) -> int | None:
    """Queue a message to the case's resident through their own channel; None when /stop holds it back.
    A `final` message (the outcome) is stored with purpose OUTCOME, whatever `purpose` says."""
    contact = (await conn.execute(
        select(contacts.c.channel, contacts.c.opted_out, contacts.c.wants_outcome)
        .where(contacts.c.id == case["contact_id"])
    )).one()
    purpose = OUTCOME if final else purpose
    if withheld(purpose, contact.opted_out, contact.wants_outcome):
        return None
    return await outbox.enqueue(conn, contact_id=case["contact_id"], channel=contact.channel, purpose=purpose,
                                body=body, now=now, case_id=case["id"], actions=actions,
                                send_at=waking_moment(now, tz))
