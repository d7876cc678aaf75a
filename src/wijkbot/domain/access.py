"""Who may do what with a case: roles, reach and access levels, as pure functions.

Invariants: access is decided from the person (roles, teams, wijken) and the case (team, wijk, officer,
invited helpers) alone, so the same rule serves the case page, every action and the tests; a beheerder
reads cases (never resident contact data without a logged reason) but does not handle them; an invited
colleague may read and write notes, only the owning team (or the wijkregisseur of the wijk) handles.
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


def needs_reason_for_contact(person: Person) -> bool:
    """A beheerder reads resident contact data only with a reason (which is logged with the view)."""
    return not person.handles_cases


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
