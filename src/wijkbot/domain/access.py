"""Who may do what with a case: roles, reach and access levels, as pure functions.

Invariants: access is decided from the person (roles, teams, wijken) and the case (team, wijk, officer,
invited helpers) alone, so the same rule serves the case page, every action and the tests; a beheerder
reads cases (never resident contact data without a logged reason) but does not handle them; an invited
colleague may read and write notes (and, like a beheerder, reads contact data only with a logged reason),
only the owning team (or the wijkregisseur of the wijk) handles; contact data a resident typed into a message
is read as written only by the case's officer and team (`reads_contact_in_texts`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Role(enum.StrEnum):
    """The roles an ambtenaar can have; the values are the Dutch words on screen."""

    BEHANDELAAR = "behandelaar"
    TEAMLEIDER = "teamleider"
    WIJKREGISSEUR = "wijkregisseur"
    BEHEERDER = "beheerder"


class Access(enum.IntEnum):
    """What a person may do with one case; each level includes the ones below it."""

    NONE = 0
    READ = 1  # see the case (a beheerder, for support and audit)
    HELP = 2  # read and add notes (an invited colleague)
    HANDLE = 3  # every action: reply, assign, hand over, close


HANDLING_ROLES = frozenset({Role.BEHANDELAAR, Role.TEAMLEIDER, Role.WIJKREGISSEUR})


@dataclass(frozen=True, slots=True)
class Person:
    """A signed-in ambtenaar as far as access is concerned."""

    officer_id: int
    name: str
    roles: frozenset[Role]
    teams: frozenset[str] = frozenset()
    wijken: frozenset[str] = frozenset()

    @property
    def handles_cases(self) -> bool:
        return bool(self.roles & HANDLING_ROLES)

    @property
    def is_beheerder(self) -> bool:
        return Role.BEHEERDER in self.roles

    @property
    def regie_wijken(self) -> frozenset[str]:
        """The wijken whose every case this person sees (wijkregisseurs only)."""
        return self.wijken if Role.WIJKREGISSEUR in self.roles else frozenset()


@dataclass(frozen=True, slots=True)
class CaseReach:
    """The parts of a case that decide who may see it."""

    team: str
    wijk: str | None
    officer_id: int | None
    helpers: frozenset[int] = field(default_factory=frozenset)


def access(person: Person, case: CaseReach) -> Access:
    """The access level of `person` to `case`."""
    if person.handles_cases and (
        case.team in person.teams
        or case.officer_id == person.officer_id
        or (case.wijk is not None and case.wijk in person.regie_wijken)
    ):
        return Access.HANDLE
    if person.handles_cases and person.officer_id in case.helpers:
        return Access.HELP
    if person.is_beheerder:
        return Access.READ
    return Access.NONE


def can_assign_others(person: Person) -> bool:
    """Teamleiders and wijkregisseurs divide work; a behandelaar claims it for themselves."""
    return bool(person.roles & {Role.TEAMLEIDER, Role.WIJKREGISSEUR})


def needs_reason_for_contact(level: Access) -> bool:
    """Whoever does not handle the case reads resident contact data only with a reason (logged with the view).

    That is the beheerder (READ) and also an invited colleague (HELP): a helper only writes notes and has no
    call to make. Levels include the ones below them (a helper may do all a beheerder may), so the model has
    no place for "a beheerder may reveal with a reason, a helper may not at all"; the helper gets the
    beheerder's path: a reason, written to the audit log.
    """
    return level < Access.HANDLE


def reads_contact_in_texts(person: Person, case: CaseReach) -> bool:
    """Whether `person` reads the phone numbers and e-mail addresses residents typed into their messages.

    Only the case's handler does, without asking: its officer, or a member of its team, with HANDLE access
    (they may need to call back). Everyone else who may read the case (a beheerder, an invited colleague, a
    wijkregisseur following the wijk) reads them masked unless they reveal the contact data, which is logged.
    """
    return access(person, case) >= Access.HANDLE and (
        case.officer_id == person.officer_id or case.team in person.teams)


def parse_roles(values: object) -> frozenset[Role]:
    """Roles from texts; raises ValueError naming an unknown role."""
    if isinstance(values, str):
        values = [v for v in values.replace(",", " ").split() if v]
    if not isinstance(values, (list, tuple, set, frozenset)):
        raise ValueError("roles must be a list")
    roles = set()
    for value in values:
        try:
            roles.add(Role(str(value).strip().lower()))
        except ValueError:
            raise ValueError(f"onbekende rol '{value}'; kies uit {', '.join(r.value for r in Role)}") from None
    if not roles:
        raise ValueError("geef minstens één rol")
    return frozenset(roles)
