"""Sending a message again that delivery gave up ("niet bezorgd"): the case page's "Opnieuw versturen".

Invariants: whoever may reply on the case may send again (Access.HANDLE, checked on the server), and only a
message of that case that is failed now (a second click, or a colleague who was quicker, is refused with a
clear message and nothing is queued twice); the same outbox row is queued again (its give-up period counts
from now; parts of a split message that did arrive are not repeated); sent again, every message is one we
start ourselves: it keeps the quiet hours (21:00-08:00) and is refused after /stop (only the outcome goes,
to a resident who asked for it); the case history records who sent it again (`opnieuw verstuurd`, with the
outbox row), and the case's version goes up, so other open pages of it see the change.
"""

from __future__ import annotations

from datetime import datetime

from wijkbot.domain.access import Access
from wijkbot.domain.followups import waking_moment
from wijkbot.services import started_messages
from wijkbot.services.action_base import ActionBase, ActionError, Actor
from wijkbot.storage import casefile, outbox, repository

RESENT_EVENT = "opnieuw verstuurd"


def may_resend(purpose: str | None, stop: str | None) -> bool:
    """Whether a given-up message may go again, given the resident's /stop state (casefile.stop_state)."""
    return stop is None or (purpose == started_messages.OUTCOME and stop == casefile.OUTCOME_ONLY)


class ResendActions(ActionBase):
    async def resend(self, reference: str, actor: Actor, outbox_id: int) -> datetime | None:
        """Queue a failed message of this case again; returns when it leaves if that is later (a message we
        start waits for 08:00 at night), None when it leaves at once."""
        async with self.db.write() as conn:
            case = await self._case(conn, reference, actor, Access.HANDLE)
            row = await outbox.by_id(conn, outbox_id)
            if row is None or row["case_id"] != case["id"]:
                raise ActionError("dit bericht hoort niet bij deze zaak")
            if row["status"] != "failed":
                raise ActionError("dit bericht is al opnieuw klaargezet of al bezorgd: u hoeft niets te doen")
            # Sent again, any message is one we start ourselves: after /stop only the outcome, to a resident who
            # asked for it, goes (an old acknowledgement is no answer to what they just wrote).
            stop = await casefile.stop_state(conn, int(case["id"]))
            if not may_resend(row["purpose"], stop):
                raise ActionError("de bewoner heeft /stop gestuurd en wil geen berichten meer van ons: het bericht "
                                  "is niet opnieuw verstuurd")
            now = self.clock()
            leaves = waking_moment(now, self.rules.municipality.timezone)  # a message we start: not at night
            if not await outbox.requeue(conn, outbox_id, now, leaves):
                raise ActionError("dit bericht is al opnieuw klaargezet of al bezorgd: u hoeft niets te doen")
            held = {"gaat_weg_om": leaves.isoformat()} if leaves > now else {}
            await repository.add_event(conn, case["id"], now, str(actor.officer_id), RESENT_EVENT,
                                       {"outbox_id": outbox_id, "kanaal": row["channel"]} | held)
            await repository.bump_version(conn, case["id"])  # other open pages of the case must see it
        self.notify_outbox()
        return leaves if leaves > now else None
