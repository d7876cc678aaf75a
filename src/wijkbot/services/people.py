"""Ambtenaren as inbox users: accounts on top of officers, roles, teams, wijken and one-time password links.

Invariants: one account per officer; a new account has no password until the officer sets one through a
one-time link (or the CLI reads it from stdin); a password given with a new account is checked before anything
is stored, and the account, its memberships and its password are written in one transaction (a refused
command changes nothing); links are random, stored only as their SHA-256, expire and work once; disabling an
account ends its sessions (session epoch), takes the officer out of assignment and, in the same transaction,
gives their open cases back to the case's team (no behandelaar, so the team queue shows them as unassigned;
a case is never without an owner, and the team owns a case nobody handles, as at intake when nobody of the
team is available), each with a "teruggezet naar het team" event; at least one active
beheerder always remains (the last one can neither lose the role nor be switched off); every change a
beheerder makes is written to the audit log (services.account_audit).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.domain.access import Person, Role, parse_roles
from wijkbot.domain.rules import RuleSet
from wijkbot.domain.workflow import Status
from wijkbot.ports import Clock
from wijkbot.services import account_audit as audit_words
from wijkbot.services.account_audit import ACCOUNT_ACTIONS, account_reason, account_subject
from wijkbot.services.passwords import PasswordHasher, PasswordProblem, check_password
from wijkbot.storage import audit, people, repository
from wijkbot.storage.db import Database

log = logging.getLogger(__name__)

__all__ = ["ACCOUNT_ACTIONS", "RETURNED_TO_TEAM", "PasswordProblem", "People", "PeopleError", "Profile",
           "account_reason", "account_subject"]

RETURNED_TO_TEAM = "teruggezet naar het team"  # the case event; the inbox shows it as inbox.event.teruggezet_...
RETURN_REASON = "behandelaar uitgezet"
LAST_BEHEERDER = "er moet minstens één beheerder blijven: geef eerst iemand anders de rol beheerder"


class PeopleError(ValueError):
    """A change to an account that cannot be made, with a message for the beheerder."""


@dataclass(frozen=True, slots=True)
class Profile:
    officer_id: int
    name: str
    email: str
    roles: tuple[str, ...]
    teams: tuple[str, ...]
    wijken: tuple[str, ...]
    has_account: bool
    active: bool
    password_set: bool

    def person(self) -> Person:
        known = {r.value for r in Role}
        return Person(self.officer_id, self.name, frozenset(Role(r) for r in self.roles if r in known),
                      frozenset(self.teams), frozenset(self.wijken))


def _profile(row: dict[str, object]) -> Profile:
    return Profile(int(row["id"]), str(row["name"]), str(row["email"]), tuple(map(str, row["roles"])),  # type: ignore[call-overload]
                   tuple(map(str, row["teams"])), tuple(map(str, row["wijken"])),  # type: ignore[call-overload]
                   row["has_account"] is not None, bool(row["account_active"]), bool(row["password_set"]))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class People:
    """Accounts, roles and memberships of ambtenaren."""

    def __init__(self, db: Database, rules: RuleSet, clock: Clock, hasher: PasswordHasher,
                 link_hours: int = 72) -> None:
        self.db = db
        self.rules = rules
        self.clock = clock
        self.hasher = hasher
        self.link_hours = link_hours

    async def all(self) -> list[Profile]:
        async with self.db.read() as conn:
            rows = await people.profiles(conn)
        return [_profile(r) for r in rows.values()]

    async def get(self, officer_id: int) -> Profile | None:
        async with self.db.read() as conn:
            row = await people.profile(conn, officer_id)
        return _profile(row) if row else None

    async def by_email(self, email: str) -> Profile | None:
        async with self.db.read() as conn:
            row = await repository.officer_by_email(conn, email)
            found = await people.profile(conn, int(row["id"])) if row else None
        return _profile(found) if found else None

    async def add(self, *, name: str, email: str, roles: object, teams: list[str], wijken: list[str],
                  by: str = "cli", password: str | None = None) -> Profile:
        """Create an officer (unless the e-mail exists) and their account, with `password` when given.

        Everything is checked before anything is written, and written in one transaction: a refused name,
        role, team, wijk or password leaves no officer, account or audit row behind.
        """
        name, email = name.strip(), email.strip().lower()
        if not name or "@" not in email or len(email) > 320:
            raise PeopleError("geef een naam en een geldig e-mailadres")
        role_set = self._roles(roles)
        self._check_memberships(role_set, teams, wijken)
        password_hash = None
        if password is not None:
            check_password(password)
            password_hash = await self.hasher.hash(password)
        now = self.clock()
        async with self.db.write() as conn:
            existing = await repository.officer_by_email(conn, email)
            if existing is not None and await people.account(conn, int(existing["id"])) is not None:
                raise PeopleError(f"{email} heeft al een account")
            primary, *extra = _ordered(role_set)
            if existing is None:
                officer_id = await repository.add_officer(conn, name=name, email=email, role=primary, teams=teams,
                                                          now=now)
            else:
                officer_id = int(existing["id"])
            await people.replace_memberships(conn, officer_id, role=primary, extra_roles=extra, teams=teams,
                                             wijken=wijken)
            await people.add_account(conn, officer_id, now)
            if password_hash is not None:
                await people.set_password_hash(conn, officer_id, password_hash, now)
            await audit.write(conn, now, by, audit_words.CREATED, reason=account_reason(officer_id))
        log.info("account %d created by %s", officer_id, _by(by))
        profile = await self.get(officer_id)
        assert profile is not None
        return profile

    async def ensure_accounts(self, officer_ids: list[int]) -> list[int]:
        """Give officers without an account one (no password yet); returns the ids that got one."""
        now = self.clock()
        created = []
        async with self.db.write() as conn:
            for officer_id in officer_ids:
                if await people.account(conn, officer_id) is None:
                    await people.add_account(conn, officer_id, now)
                    created.append(officer_id)
        return created

    async def update(self, officer_id: int, *, roles: object, teams: list[str], wijken: list[str], by: str) -> None:
        """Replace roles, teams and wijken; the audit row says what they were and what they are now."""
        role_set = self._roles(roles)
        self._check_memberships(role_set, teams, wijken)
        ordered = _ordered(role_set)
        primary, *extra = ordered
        async with self.db.write() as conn:
            before = await people.profile(conn, officer_id)
            if before is None:
                raise PeopleError("deze ambtenaar bestaat niet")
            if Role.BEHEERDER not in role_set:
                await self._keep_a_beheerder(conn, officer_id)
            await people.replace_memberships(conn, officer_id, role=primary, extra_roles=extra, teams=teams,
                                             wijken=wijken)
            changes = [audit_words.change(label, old, new) for label, old, new in (
                ("rollen", _ordered_names(before["roles"]), ordered),
                ("teams", sorted(before["teams"]), sorted(dict.fromkeys(teams))),
                ("wijken", sorted(before["wijken"]), sorted(dict.fromkeys(wijken))))]
            detail = "; ".join(c for c in changes if c) or "niets gewijzigd"
            await audit.write(conn, self.clock(), by, audit_words.CHANGED, reason=account_reason(officer_id, detail))
        log.info("account %d: roles, teams or wijken changed by %s", officer_id, _by(by))

    async def disable_preview(self, officer_id: int) -> int:
        """What switching the account off would do: the number of open cases that go back to their team.

        Raises PeopleError when it cannot be switched off (no account, the last active beheerder), so the
        confirmation step already says so. `set_active` checks again in its own transaction.
        """
        async with self.db.read() as conn:
            account = await people.account(conn, officer_id)
            if account is None:
                raise PeopleError("deze ambtenaar heeft geen account")
            count = len(await people.open_cases_of(conn, officer_id))
        if account["active"]:
            beheerders = {p.officer_id for p in await self.all() if p.active and Role.BEHEERDER.value in p.roles}
            if beheerders == {officer_id}:
                raise PeopleError(LAST_BEHEERDER)
        return count

    async def set_active(self, officer_id: int, active: bool, by: str) -> int:
        """Switch an account on or off; returns how many open cases went back to their team (0 when switching on).

        Switching off, in one transaction: the account's sessions end, the officer leaves assignment, and each
        of their open cases loses its behandelaar (a "toegewezen" case is "nieuw" again, as intake leaves a case
        nobody of the team could take) with a case event by `by`, so the team picks it up from its queue.
        """
        now = self.clock()
        async with self.db.write() as conn:
            account = await people.account(conn, officer_id)
            if account is None:
                raise PeopleError("deze ambtenaar heeft geen account")
            if bool(account["active"]) == active:  # nothing to do: no second audit row, no second log line
                raise PeopleError("dit account staat al aan" if active else "dit account staat al uit")
            returned = []
            if not active:
                await self._keep_a_beheerder(conn, officer_id)
                returned = await people.open_cases_of(conn, officer_id, lock=True)
            await people.set_active(conn, officer_id, active)
            for case in returned:
                values: dict[str, object] = {"officer_id": None}
                if case["status"] == Status.TOEGEWEZEN.value:
                    values["status"] = Status.NIEUW.value
                await repository.update_case(conn, int(case["id"]), now, **values)
                await repository.add_event(conn, int(case["id"]), now, by, RETURNED_TO_TEAM, {
                    "reden": RETURN_REASON, "van": officer_id, "team": case["team"]})
            detail = f"{len(returned)} open {'zaak' if len(returned) == 1 else 'zaken'} terug naar het team" \
                if returned else None
            await audit.write(conn, now, by, audit_words.ENABLED if active else audit_words.DISABLED,
                              reason=account_reason(officer_id, detail))
        log.info("account %d %s by %s%s", officer_id, "enabled" if active else "disabled", _by(by),
                 "" if active else f"; {len(returned)} open case(s) back to their team")
        return len(returned)

    async def _keep_a_beheerder(self, conn: AsyncConnection, officer_id: int) -> None:
        """Refuse to take `officer_id` away as a beheerder when they are the last active one."""
        if await people.active_beheerders(conn) == {officer_id}:
            raise PeopleError(LAST_BEHEERDER)

    async def password_link(self, officer_id: int, by: str = "cli") -> str:
        """A new one-time token to set a password (the caller turns it into a URL)."""
        token = secrets.token_urlsafe(32)
        now = self.clock()
        async with self.db.write() as conn:
            account = await people.account(conn, officer_id)
            if account is None:
                raise PeopleError("deze ambtenaar heeft geen account")
            if not account["active"]:
                raise PeopleError("dit account staat uit")
            await people.add_password_link(conn, officer_id, token_hash(token), now,
                                           now + timedelta(hours=self.link_hours))
            await audit.write(conn, now, by, audit_words.LINK, reason=account_reason(officer_id))
        return token

    async def link_owner(self, token: str) -> Profile | None:
        """The officer a still valid, unused link belongs to."""
        async with self.db.read() as conn:
            link = await people.password_link(conn, token_hash(token))
        if link is None or link["used_at"] is not None or link["expires_at"] <= self.clock():
            return None
        return await self.get(int(link["officer_id"]))

    async def set_password_with_link(self, token: str, password: str) -> Profile:
        """Use a link once: the password is checked, hashed and stored; all sessions of the account end."""
        check_password(password)
        password_hash = await self.hasher.hash(password)
        now = self.clock()
        async with self.db.write() as conn:
            link = await people.password_link(conn, token_hash(token))
            if link is None or link["used_at"] is not None or link["expires_at"] <= now:
                raise PeopleError("deze link is verlopen of al gebruikt; vraag een nieuwe aan")
            await people.use_password_link(conn, token_hash(token), now)
            await people.set_password_hash(conn, int(link["officer_id"]), password_hash, now)
            officer_id = int(link["officer_id"])
        profile = await self.get(officer_id)
        assert profile is not None
        return profile

    async def set_password(self, officer_id: int, password: str) -> None:
        """Set a password directly (the CLI, from stdin)."""
        check_password(password)
        password_hash = await self.hasher.hash(password)
        async with self.db.write() as conn:
            if await people.account(conn, officer_id) is None:
                raise PeopleError("deze ambtenaar heeft geen account")
            await people.set_password_hash(conn, officer_id, password_hash, self.clock())

    def _roles(self, roles: object) -> frozenset[Role]:
        try:
            return parse_roles(roles)
        except ValueError as error:
            raise PeopleError(str(error)) from error

    def _check_memberships(self, roles: frozenset[Role], teams: list[str], wijken: list[str]) -> None:
        """Known teams and areas, and those a role needs to see any case: a trial's beheerder made a behandelaar
        without a team and a wijkregisseur without a kern, who then saw nothing and were handed nothing."""
        label = self.rules.municipality.area_label
        if not teams and roles & {Role.BEHANDELAAR, Role.TEAMLEIDER}:
            raise PeopleError("kies minstens één team: een behandelaar of teamleider ziet alleen de zaken van "
                              "zijn of haar teams")
        if not wijken and Role.WIJKREGISSEUR in roles:
            raise PeopleError(f"kies minstens één {label}: een wijkregisseur ziet de zaken van zijn of haar "
                              f"{self.rules.municipality.areas_label}")
        known_teams = {t.id for t in self.rules.teams}
        unknown = [t for t in teams if t not in known_teams]
        if unknown:
            raise PeopleError(f"onbekend team: {', '.join(unknown)}")
        unknown = [w for w in wijken if w not in self.rules.wijken]
        if unknown:
            raise PeopleError(f"onbekende {self.rules.municipality.area_label}: {', '.join(unknown)}")


def _ordered(roles: frozenset[Role]) -> list[str]:
    """Roles in a fixed order; the first is stored as officers.role (the one shown next to a name)."""
    return [r.value for r in Role if r in roles]


def _ordered_names(roles: list[str]) -> list[str]:
    """Stored role names in the same fixed order (a name no longer known goes last)."""
    known = [r.value for r in Role]
    return sorted(dict.fromkeys(roles), key=lambda r: (known.index(r) if r in known else len(known), r))


def _by(by: str) -> str:
    """Who made a change, for the log: "account 7" (a beheerder in the inbox) or "cli"."""
    return f"account {by}" if by.isdigit() else by
