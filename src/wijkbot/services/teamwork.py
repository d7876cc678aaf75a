"""Working on a case together: claim it, assign it, invite a colleague, link duplicates.

Invariants: a behandelaar claims (assigns to themselves); teamleiders and wijkregisseurs may assign to any
available member of the case's team; an invited colleague (any department) may read the case and add
notes, the lead department keeps the case; duplicates form one level (every duplicate points at the lead
case, never at another duplicate), so the lead's outcome can reach every reporter.
"""

from __future__ import annotations

from wijkbot.domain.access import Access, can_assign_others
from wijkbot.domain.workflow import Status, is_open
from wijkbot.services import duplicates
from wijkbot.services.action_base import ActionBase, ActionError, Actor, NotAllowed, load_person
from wijkbot.storage import casefile, people, repository


class TeamworkActions(ActionBase):
    async def claim(self, reference: str, actor: Actor, *, expected_version: int | None = None) -> None:
        """Take the case: the actor becomes its behandelaar."""
        await self.assign(reference, actor, actor.officer_id, expected_version=expected_version)

    async def assign(self, reference: str, actor: Actor, officer_id: int, *,
                     expected_version: int | None = None) -> str:
        """Give the case to a member of its team; returns their name."""
        async with self.db.write() as conn:
            case = await self._case(conn, reference, actor, Access.HANDLE, expected_version)
            person = actor.person or await load_person(conn, actor.officer_id)
            if officer_id != actor.officer_id and (person is None or not can_assign_others(person)):
                raise NotAllowed("alleen een teamleider of wijkregisseur wijst een zaak toe aan een ander")
            if not is_open(Status(case["status"])):
                raise ActionError(f"{reference} is {case['status']}: heropen de zaak eerst")
            if case["officer_id"] == officer_id:
                raise ActionError(f"{reference} ligt al bij deze behandelaar")
            target = await people.profile(conn, officer_id)
            members = {o.officer_id for o in await repository.officer_loads(conn, str(case["team"])) if o.available}
            if target is None or (officer_id not in members and officer_id != actor.officer_id):
                raise ActionError("kies iemand uit het behandelend team die beschikbaar is")
            now = self.clock()
            values: dict[str, object] = {"officer_id": officer_id}
            if case["status"] in (Status.NIEUW.value, Status.HEROPEND.value):
                values["status"] = Status.TOEGEWEZEN.value
            await repository.update_case(conn, case["id"], now, **values)
            await repository.add_event(conn, case["id"], now, str(actor.officer_id), "toegewezen", {
                "officer_id": officer_id, "van": case["officer_id"], "zelf": officer_id == actor.officer_id})
            # The resident hears who handles it: a first name and the department, never contact data.
            await self._notify(conn, case, "notice.assigned", dict(case), name=str(target["name"]).split()[0])
        self.notify_outbox()
        return str(target["name"])

    async def invite(self, reference: str, actor: Actor, officer_id: int, reason: str = "", *,
                     expected_version: int | None = None) -> str:
        """Ask a colleague (often of another department) to help; returns their name."""
        async with self.db.write() as conn:
            case = await self._case(conn, reference, actor, Access.HANDLE, expected_version)
            target = await people.profile(conn, officer_id)
            if target is None or target["account_active"] is False:
                raise ActionError("kies een collega met een actief account")
            try:
                await self._authorise(conn, case, Actor(officer_id, str(target["name"])), Access.HANDLE)
                handles_it = True
            except NotAllowed:
                handles_it = False
            if handles_it:
                raise ActionError(f"{target['name']} werkt al aan deze zaak")
            now = self.clock()
            if not await casefile.add_helper(conn, int(case["id"]), officer_id, actor.officer_id, now):
                raise ActionError(f"{target['name']} is al uitgenodigd")
            await repository.update_case(conn, case["id"], now)
            await repository.add_event(conn, case["id"], now, str(actor.officer_id), "uitgenodigd",
                                       {"officer_id": officer_id, "reden": reason.strip()})
        return str(target["name"])

    async def link_duplicate(self, reference: str, actor: Actor, lead_reference: str, *,
                             expected_version: int | None = None) -> str:
        """Mark this case as a duplicate of another; returns the lead case's reference."""
        async with self.db.write() as conn:
            case = await self._case(conn, reference, actor, Access.HANDLE, expected_version)
            lead = await casefile.case_lock(conn, lead_reference)
            try:
                if lead is not None:
                    await self._authorise(conn, lead, actor, Access.READ)
            except NotAllowed:
                lead = None  # a case out of reach is answered as one that does not exist: no probing
            if lead is None:
                raise ActionError(f"geen zaak met nummer {lead_reference}")
            if lead["duplicate_of"] is not None:  # one level: point at the lead of that cluster
                lead = await repository.case_by_id(conn, int(lead["duplicate_of"]))
                assert lead is not None
            if lead["id"] == case["id"]:
                raise ActionError("een zaak kan geen dubbele van zichzelf zijn")
            if case["duplicate_of"] == lead["id"]:
                raise ActionError(f"{reference} is al gekoppeld aan {lead['reference']}")
            now = self.clock()
            for follower in await casefile.duplicates_of(conn, int(case["id"])):  # this case's own duplicates move
                await casefile.set_duplicate_of(conn, follower, int(lead["id"]))
            await casefile.set_duplicate_of(conn, int(case["id"]), int(lead["id"]))
            await repository.update_case(conn, case["id"], now)
            await repository.add_event(conn, case["id"], now, str(actor.officer_id), duplicates.LINKED,
                                       {"aan": lead["reference"]})
            await repository.add_event(conn, lead["id"], now, str(actor.officer_id), duplicates.LEAD_EVENT,
                                       {"zaak": case["reference"]})
        return str(lead["reference"])

    async def unlink_duplicate(self, reference: str, actor: Actor, *, expected_version: int | None = None) -> None:
        async with self.db.write() as conn:
            case = await self._case(conn, reference, actor, Access.HANDLE, expected_version)
            if case["duplicate_of"] is None:
                raise ActionError(f"{reference} is niet gekoppeld aan een andere zaak")
            now = self.clock()
            await duplicates.unlink(conn, case, str(actor.officer_id), now)
            await repository.update_case(conn, case["id"], now)
