"""What residents see of their conversation: delivered messages, and where their cases stand.

Invariants: a resident only ever sees what was sent to their own address; statuses are shown in the
resident's own words from the locale catalog, never the internal workflow names.
"""

from __future__ import annotations

from typing import Any

from wijkbot.services.texts import Texts
from wijkbot.storage import outbox, repository
from wijkbot.storage.db import Database


class Conversations:
    def __init__(self, db: Database, texts: Texts) -> None:
        self.db = db
        self.texts = texts

    async def delivered(self, channel: str, address: str, after_id: int = 0) -> list[dict[str, Any]]:
        """Messages delivered to one address after `after_id`, oldest first, with their case reference."""
        async with self.db.read() as conn:
            rows = await outbox.sent_to(conn, channel, address, after_id)
            references: dict[int, str] = {}
            for case_id in {r["case_id"] for r in rows if r["case_id"]}:
                case = await repository.case_by_id(conn, case_id)
                if case is not None:
                    references[case_id] = case["reference"]
        return [
            {"id": r["id"], "text": r["body"], "sent_at": r["sent_at"],
             "case": references.get(r["case_id"]) if r["case_id"] else None, "actions": r["actions"]}
            for r in rows
        ]
