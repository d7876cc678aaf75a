"""What residents see of their conversation: delivered messages, and where their cases stand.

Invariants: a resident only ever sees what was sent to their own address; statuses are shown in the
resident's own words from the locale catalog, never the internal workflow names.
"""

from __future__ import annotations

from typing import Any

from wijkbot.domain.workflow import Status, is_open
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

    async def status(self, channel: str, address: str) -> str:
        """A short overview of the resident's open cases, in their language."""
        async with self.db.read() as conn:
            contact = await repository.contact_for_read(conn, channel, address)
            rows = await repository.cases_of_contact(conn, contact["id"]) if contact else []
        lang = contact["locale"] if contact else "nl"
        open_cases = [r for r in rows if is_open(Status(r["status"]))]
        if not open_cases:
            return self.texts.simple("status.none", lang)
        return "\n".join(
            self.texts.with_case("status.line", lang, r, status=self.texts.simple(f"status.{r['status']}", lang))
            for r in open_cases
        )
