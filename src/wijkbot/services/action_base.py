"""What every ambtenaar action shares: the actor, the locked case, authorisation, the stale-form check.

Invariants: an action runs in one write transaction that first locks the case row (FOR UPDATE on
PostgreSQL; SQLite holds the write lock), then checks that the actor may do this to this case (domain.access,
on the server, whatever the page showed), then that the form was rendered from the current version
(`expected_version`): a stale form is refused with the newer state and never overwrites it. An actor named
by e-mail (the CLI) whose account is switched off is refused before any action starts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.domain import case_plan
from wijkbot.domain import followups as followup_plan
from wijkbot.domain.access import Access, CaseReach, Person, Role, access
from wijkbot.domain.rules import RuleSet
from wijkbot.ports import Clock
from wijkbot.services import started_messages
from wijkbot.services.case_terms import case_policy
from wijkbot.services.surveys import Surveys
from wijkbot.services.texts import Texts
from wijkbot.storage import casefile, people, repository
from wijkbot.storage.db import Database


class ActionError(ValueError):
    """An action that cannot be carried out, with a message for the ambtenaar."""


class NotAllowed(ActionError):
    """The actor may not do this with this case (or may not see it at all: `visible` is False)."""

    def __init__(self, message: str, visible: bool = True) -> None:
        super().__init__(message)
        self.visible = visible


class StaleCase(ActionError):
    """The form was made from an older version of the case; nothing was changed."""

    def __init__(self, reference: str, version: int, by_yourself: bool = False) -> None:
        # A double click on a button sends the same form twice: then it was the ambtenaar's own first click.
        who = "door uzelf (bijvoorbeeld met een tweede klik)" if by_yourself else "door iemand anders"
        super().__init__(f"{reference} is intussen gewijzigd {who}. U ziet nu de nieuwste versie; "
                         "uw invoer is niet verwerkt, maar staat nog in het formulier.")
        self.version = version


class AlreadyAnswered(ActionError):
    """The resident's latest message already has a reply; sending another needs a confirmation."""

    def __init__(self, by: str, at: datetime) -> None:
        super().__init__(f"{by} heeft het laatste bericht van de bewoner al beantwoord. Wilt u toch nog een "
                         "antwoord sturen? Vink dan 'Toch versturen' aan.")
        self.by = by
        self.at = at


@dataclass(frozen=True, slots=True)
class Actor:
    officer_id: int
    name: str
    person: Person | None = None


async def load_person(conn: AsyncConnection, officer_id: int) -> Person | None:
    row = await people.profile(conn, officer_id)
    if row is None:
        return None
    known = {r.value for r in Role}
    return Person(officer_id, str(row["name"]), frozenset(Role(r) for r in row["roles"] if r in known),
                  frozenset(row["teams"]), frozenset(row["wijken"]))


class ActionBase:
    def __init__(self, db: Database, rules: RuleSet, texts: Texts, clock: Clock,
                 notify_outbox: Callable[[], None] = lambda: None,
                 policy: followup_plan.Policy | None = None) -> None:
        self.db = db
        self.policy = policy or followup_plan.Policy()
        self.rules = rules
        self.texts = texts
        self.clock = clock
        self.notify_outbox = notify_outbox
        self.surveys = Surveys(db, rules, texts, clock, notify_outbox)  # asked inside the closing transaction

    async def actor(self, email: str) -> Actor:
        """The ambtenaar who acts outside the inbox (`--as EMAIL`); a switched-off account is refused."""
        async with self.db.read() as conn:
            row = await repository.officer_by_email(conn, email)
            if row is None:
                raise ActionError(f"geen ambtenaar met e-mailadres {email}")
            account = await people.account(conn, int(row["id"]))
            if account is not None and not account["active"]:
                raise ActionError(f"het account van {email} staat uit; een beheerder kan het weer aanzetten")
            person = await load_person(conn, int(row["id"]))
        return Actor(int(row["id"]), str(row["name"]), person)

    async def _case(self, conn: AsyncConnection, reference: str, actor: Actor | None = None,
                    need: Access = Access.HANDLE, expected_version: int | None = None) -> RowMapping:
        case = await casefile.case_lock(conn, reference)
        if case is None:
            raise ActionError(f"geen zaak met nummer {reference}")
        if actor is not None:
            await self._authorise(conn, case, actor, need)
        if expected_version is not None and int(case["version"]) != expected_version and not (
                actor is not None and await self._only_own_notes_since(conn, case, actor, expected_version)):
            last = await repository.last_event_actor(conn, int(case["id"]))
            raise StaleCase(str(case["reference"]), int(case["version"]),
                            by_yourself=actor is not None and last == str(actor.officer_id))
        return case

    @staticmethod
    async def _only_own_notes_since(conn: AsyncConnection, case: RowMapping, actor: Actor, expected: int) -> bool:
        """Whether every change since the form's version is a note by this very actor (a note makes other
        people's forms stale, not the author's own page, from which they may go on to reply)."""
        current = int(case["version"])
        if not 0 < current - expected <= 5:
            return False
        made = await repository.own_note_versions(conn, int(case["id"]), actor.officer_id, current - expected)
        return made == set(range(expected + 1, current + 1))

    async def _authorise(self, conn: AsyncConnection, case: RowMapping, actor: Actor, need: Access) -> Access:
        person = actor.person or await load_person(conn, actor.officer_id)
        if person is None:
            raise NotAllowed("onbekende ambtenaar", visible=False)
        reach = CaseReach(str(case["team"]), case["wijk"], case["officer_id"],
                          frozenset(await casefile.helpers_of(conn, int(case["id"]))))
        level = access(person, reach)
        if level < need:
            if level == Access.NONE:
                raise NotAllowed(f"geen zaak met nummer {case['reference']} (of u heeft er geen toegang toe)",
                                 visible=False)
            raise NotAllowed(f"u mag dit niet doen bij {case['reference']}: dat kan alleen het behandelend team")
        return level

    async def _channel(self, conn: AsyncConnection, case: RowMapping) -> str:
        return await repository.contact_channel(conn, int(case["contact_id"]))

    async def _notify(self, conn: AsyncConnection, case: RowMapping, key: str, values: dict[str, Any], *,
                      final: bool = False, **extra: Any) -> int | None:
        """A status message we start: held at night, not sent after /stop (except a wanted final outcome)."""
        body = self.texts.with_case(key, case["locale"], values, **extra)
        return await started_messages.send(conn, case, purpose="status", body=body, now=self.clock(),
                                           tz=self.rules.municipality.timezone, final=final)

    async def _replan_update(self, conn: AsyncConnection, case: Mapping[Any, Any], now: Any) -> None:
        """Contact resets the 'no news' clock: the next periodic update moves forward."""
        await repository.cancel_followups(conn, case["id"], kinds=[followup_plan.FollowUpKind.UPDATE.value])
        due = case_plan.next_update(now, case_policy(self.rules, case), self.rules.municipality.timezone)
        await repository.plan_followups(conn, case["id"], [(followup_plan.FollowUpKind.UPDATE.value, due)])
