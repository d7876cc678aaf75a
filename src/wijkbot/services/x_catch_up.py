"""What an X resident only saw as a short public notice, sent again in full by DM once they write us one.

Before a resident's first DM everything we start ourselves (an ambtenaar's answer, an update, a status notice,
the outcome) leaves as a short public reply that asks them to send a DM (services.x_replies). When their first
DM arrives, the full texts of those messages are queued as one DM, in the transaction that stores the DM; the
next answers go by DM anyway.

Invariants: once per contact (an outbox row with purpose CATCH_UP marks it done), and only in the transaction
that stores the contact's first DM: every row sent until then left in public (x_replies chooses a DM whenever a
DM exists), so no clock comparison is needed; answers to
what the resident wrote (acknowledgements, questions) and the survey are not repeated; the DM is an answer to
the resident's own message, so it leaves at once, also at night; only messages of the last RECENT days.
Known gap: a message the delivery worker is posting in public at the very moment the first DM is stored (routed
public, not yet marked sent) is not repeated.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.services.texts import Texts
from wijkbot.storage import outbox, x_rows

CATCH_UP = "catch_up"
REPEATED = ("reply", "update", "status", "outcome")  # outbox purposes of what we started ourselves
RECENT = timedelta(days=30)  # older news is not worth a DM out of the blue


async def queue(conn: AsyncConnection, texts: Texts, addresses: Iterable[str], now: datetime) -> int:
    """Queue the catch-up DM for every resident among `addresses` (the senders of the DMs just stored, one entry
    per DM) whose first DMs these are; returns how many residents got one."""
    found = await x_rows.public_only_sent(conn, Counter(addresses), REPEATED, CATCH_UP, now - RECENT)
    for contact_id, rows in found.items():
        lang = str(rows[-1]["locale"] or "nl")
        body = "\n\n".join([texts.simple("x.catch_up", lang), *(str(r["body"]) for r in rows)])
        await outbox.enqueue(conn, contact_id=contact_id, channel=x_rows.CHANNEL, purpose=CATCH_UP, body=body,
                             now=now, case_id=rows[-1]["case_id"])
    return len(found)
