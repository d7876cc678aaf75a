"""Moving a case to its owner: hand over to another department or team, and change the category.

Invariants: a hand-over always names the new owner (a team of the new department, for the case's wijk
unless a team is chosen) and a reason, keeps exactly one lead department, counts the hand-overs and tells
the resident when the department changes. A lead handed over takes its open duplicates along (same
department, team and ambtenaar, event "mee overgedragen") and they stay linked, so closing the lead tells
every reporter. A category change is recorded as "categorie gewijzigd" with {"van", "naar", "reden"} (the
learning side reads these, so the names are fixed) and, when the new category belongs to another
department, hands the case over in the same transaction ("overgedragen"); placing a case that lies with the
triage department needs no reason of its own (TRIAGE_PLACED is recorded). A case that
becomes another subject (a duplicate handed to another department, a duplicate's other category, a lead's
category of another department) leaves its cluster: the lead's outcome is not its outcome; such a lead hands
its cluster on to its oldest open duplicate.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.domain.access import Access
from wijkbot.domain.assignment import choose_officer, choose_team
from wijkbot.domain.rules import Team
from wijkbot.domain.sanitise import is_blank
from wijkbot.domain.workflow import Status, is_open
from wijkbot.services import duplicates
from wijkbot.services.action_base import ActionBase, ActionError, Actor
from wijkbot.storage import casefile, repository

TRIAGE_PLACED = "uit triage geplaatst"  # the reason recorded when triage places a case without writing one


class HandOverActions(ActionBase):
    async def hand_over(self, reference: str, actor: Actor, department: str | None, reason: str, *,
                        team: str | None = None, expected_version: int | None = None) -> str:
        """Give the case to another department (its team for the case's wijk) or to a chosen team.

        Returns the new team id.
        """
        target = self._target(department, team)
        if is_blank(reason):
            raise ActionError("geef een reden voor het overdragen")
        async with self.db.write() as conn:
            case = await self._case(conn, reference, actor, Access.HANDLE, expected_version)
            if not is_open(Status(case["status"])):
                raise ActionError(f"{reference} is {case['status']}: heropen de zaak eerst")
            new_department = target.department if isinstance(target, Team) else target
            if isinstance(target, Team) and target.id == case["team"]:
                raise ActionError(f"{reference} ligt al bij {target.name}")
            if not isinstance(target, Team) and new_department == case["department"]:
                raise ActionError(f"{reference} ligt al bij {self.texts.department_name(new_department)}")
            team_id = await self._move(conn, case, actor, target, reason.strip(), self.clock())
            await casefile.forget_view(conn, int(case["id"]), actor.officer_id)
        self.notify_outbox()
        return team_id

    async def change_category(self, reference: str, actor: Actor, category: str, reason: str = "", *,
                              expected_version: int | None = None) -> str | None:
        """Correct the category; returns the new team id when the case moved to another department."""
        new = self.rules.categories.get(category)
        if new is None:
            raise ActionError(f"onbekende categorie '{category}'")
        async with self.db.write() as conn:
            case = await self._case(conn, reference, actor, Access.HANDLE, expected_version)
            if case["category"] == category:
                raise ActionError(f"{reference} heeft deze categorie al")
            moves = new.department != case["department"]
            if moves and is_blank(reason) and case["department"] == self.rules.municipality.triage_department:
                # Placing a triage case is the triage's own job, done many times a day: the category is the reason.
                reason = TRIAGE_PLACED
            if moves and is_blank(reason):
                raise ActionError(f"geef een reden: de zaak gaat dan ook naar "
                                  f"{self.texts.department_name(new.department)}")
            if moves and not is_open(Status(case["status"])):
                raise ActionError(f"{reference} is {case['status']}: heropen de zaak eerst")
            now = self.clock()
            data = {"van": case["category"], "naar": category, "reden": reason.strip()}
            if case["category"] is None and case["suggested_category"]:
                data["suggestie"] = case["suggested_category"]  # what the router proposed in triage
            await repository.update_case(conn, case["id"], now, category=category, triage=False)
            await repository.add_event(conn, case["id"], now, str(actor.officer_id), "categorie gewijzigd", data)
            if not moves and case["duplicate_of"] is not None:  # (a move leaves the cluster in `_move`)
                await duplicates.leave_cluster(conn, case, str(actor.officer_id), now,
                                               "andere categorie dan de hoofdzaak")
            # a lead with a new category is another subject than the reports linked to it on the old one: they
            # stay where they are, as a cluster of their own (`_move` hands it on)
            team_id = (await self._move(conn, case, actor, new.department, reason.strip(), now, carry_cluster=False)
                       if moves else None)
        if team_id is not None:
            self.notify_outbox()
        return team_id

    def _target(self, department: str | None, team: str | None) -> Team | str:
        if team:
            found = next((t for t in self.rules.teams if t.id == team), None)
            if found is None:
                raise ActionError(f"onbekend team '{team}'")
            if department and department != found.department:
                raise ActionError(f"team {found.name} hoort niet bij {self.texts.department_name(department)}")
            return found
        if not department or department not in self.rules.departments:
            raise ActionError(f"onbekende vakdienst '{department or ''}'; kies uit {', '.join(self.rules.departments)}")
        return department

    async def _move(self, conn: AsyncConnection, case: RowMapping, actor: Actor, target: Team | str, reason: str,
                    now: datetime, *, carry_cluster: bool = True) -> str:
        """The hand-over itself, inside the caller's transaction: owner, assignment, history, resident notice."""
        if isinstance(target, Team):
            department, team = target.department, target
        else:
            department, team = target, choose_team(self.rules, target, case["wijk"])
        officer_id = choose_officer(await repository.officer_loads(conn, team.id))
        status = Status.TOEGEWEZEN if officer_id else Status.NIEUW
        await repository.update_case(conn, case["id"], now, department=department, team=team.id,
                                     officer_id=officer_id, status=status.value, triage=False,
                                     handover_count=case["handover_count"] + 1)
        await repository.add_event(conn, case["id"], now, str(actor.officer_id), "overgedragen", {
            "van": case["department"], "naar": department, "team": team.id, "reden": reason,
            "officer_id": officer_id, "van_team": case["team"],
        })
        if case["duplicate_of"] is not None:
            if department != case["department"]:  # this report alone is another vakdienst's subject now
                await duplicates.unlink(conn, case, str(actor.officer_id), now, "overgedragen aan een andere vakdienst")
        elif carry_cluster:
            # A lead's duplicates are the same problem: they go along to the same owner and stay linked, so
            # closing the lead still tells every reporter, as their acknowledgement promised ("U hoort de
            # uitkomst ook"). Left behind, they would wait at a vakdienst that no longer has the problem.
            await self._carry_cluster(conn, case, actor, department, team, officer_id, status, now)
        elif department != case["department"]:
            await duplicates.hand_on_cluster(conn, case, str(actor.officer_id), now,
                                             "de hoofdzaak kreeg een categorie van een andere vakdienst")
        if department != case["department"]:
            moved = dict(case) | {"department": department}
            if await self._notify(conn, case, "notice.handover", moved) is not None:
                # The resident heard from us, under the new department's policy from now on.
                await repository.update_case(conn, case["id"], now, last_contact_at=now)
                await self._replan_update(conn, moved, now)
        return team.id

    async def _carry_cluster(self, conn: AsyncConnection, lead: RowMapping, actor: Actor, department: str,
                             team: Team, officer_id: int | None, status: Status, now: datetime) -> None:
        """The lead's open duplicates move with it: same department, team and ambtenaar; each reporter hears of
        a new department as the lead's does; the history of each says it moved with the lead."""
        for follower in await duplicates.open_linked(conn, int(lead["id"])):
            values: dict[str, Any] = {"department": department, "team": team.id, "officer_id": officer_id,
                                      "triage": False}
            if follower["status"] != Status.WACHT_OP_BEWONER.value:  # a question to its own resident stands
                values["status"] = status.value
            await repository.update_case(conn, follower["id"], now, **values)
            await repository.add_event(conn, follower["id"], now, str(actor.officer_id), duplicates.MOVED_WITH_LEAD, {
                "met": lead["reference"], "van": follower["department"], "naar": department, "team": team.id,
                "van_team": follower["team"], "officer_id": officer_id,
                "reden": f"ging mee met de hoofdzaak {lead['reference']}",
            })
            if department != follower["department"]:
                moved = dict(follower) | {"department": department}
                if await self._notify(conn, follower, "notice.handover", moved) is not None:
                    await repository.update_case(conn, follower["id"], now, last_contact_at=now)
                    await self._replan_update(conn, moved, now)
