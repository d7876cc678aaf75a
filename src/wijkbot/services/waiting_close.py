"""No answer from the resident within the policy's days: the case is closed, and they are told so.

Invariants: acts only while the case still waits on the resident (an answer in between resumed it and
cancelled this follow-up; this re-check covers a race with it); the closing is in the history as
"afgehandeld" with the reason, pointless follow-ups are cancelled, and the notice is the final outcome
(so a resident who sent /stop but asked for outcomes still gets it); it is held at night.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.domain.workflow import Status
from wijkbot.services import started_messages
from wijkbot.services.texts import Texts
from wijkbot.storage import repository

REASON = "geen reactie van de bewoner"


async def close_unanswered(conn: AsyncConnection, texts: Texts, case: Any, now: datetime) -> bool:
    if case["status"] != Status.WACHT_OP_BEWONER.value:
        return False
    outcome = texts.simple("notice.waiting_outcome", case["locale"])
    await repository.update_case(conn, case["id"], now, status=Status.AFGEHANDELD.value, closed_at=now,
                                 outcome=outcome, waiting_since=None, last_contact_at=now)
    await repository.cancel_followups(conn, case["id"])
    await repository.add_event(conn, case["id"], now, "systeem", "afgehandeld", {"uitkomst": outcome,
                                                                              "reden": REASON})
    body = texts.with_case("notice.waiting_closed", case["locale"], case)
    await started_messages.send(conn, case, purpose="status", body=body, now=now,
                                tz=texts.rules.municipality.timezone, final=True)
    return True
