"""Store-first for the inbound messages that do not go through the intake batch (commands, button presses).

Invariants: the message is stored (deduplicated on channel + external id) in the same transaction as what is
decided about it, exactly like intake; a redelivered command or button press creates nothing new.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.domain import language_guess
from wijkbot.domain.model import InboundMessage
from wijkbot.domain.sanitise import storable
from wijkbot.services.intake_items import IntakeResult
from wijkbot.storage import conversation_rows, intake_rows, repository


async def already_stored(conn: AsyncConnection, message: InboundMessage) -> IntakeResult | None:
    key = (message.reply_to.channel, message.external_id)
    found = (await intake_rows.existing_inbound(conn, [key])).get(key)
    return IntakeResult(found["id"], found["reference"], duplicate=True) if found else None


async def contact_of(conn: AsyncConnection, message: InboundMessage, now: datetime) -> dict[str, Any]:
    """The resident's contact row (created on first contact); writing to us makes them reachable again."""
    pair = (message.reply_to.channel, message.reply_to.address)
    wish = language_guess.wish(message.text, message.locale)  # "Hi, what is the status of my report?" too
    contact = (await intake_rows.contacts_for(conn, {pair: wish}, now))[pair]
    if contact["unreachable"]:
        await conversation_rows.mark_reachable(conn, [contact["id"]])
    return contact


async def store(conn: AsyncConnection, message: InboundMessage, contact: dict[str, Any], now: datetime,
                case_id: int | None, meta: dict[str, Any]) -> int:
    return await repository.add_message(conn, channel=message.reply_to.channel, direction="in",
                                        body=storable(message.text), now=now, contact_id=contact["id"],
                                        case_id=case_id, external_id=message.external_id, meta=meta)
