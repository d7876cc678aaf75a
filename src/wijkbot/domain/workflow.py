"""The case workflow as a table of allowed transitions.

Invariants: a case only moves along an edge in TRANSITIONS; closed states (afgehandeld, geannuleerd) only
leave through heropend. The table is the single source of truth for the CLI, the services and the inbox.
"""

from __future__ import annotations

import enum


class Status(enum.StrEnum):
    """Where a case stands. The values are the Dutch words ambtenaren see."""

    NIEUW = "nieuw"
    TOEGEWEZEN = "toegewezen"
    IN_BEHANDELING = "in behandeling"
    WACHT_OP_BEWONER = "wacht op bewoner"
    AFGEHANDELD = "afgehandeld"
    HEROPEND = "heropend"
    GEANNULEERD = "geannuleerd"


TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.NIEUW: frozenset({Status.TOEGEWEZEN, Status.IN_BEHANDELING, Status.AFGEHANDELD, Status.GEANNULEERD}),
    Status.TOEGEWEZEN: frozenset(
        {Status.TOEGEWEZEN, Status.IN_BEHANDELING, Status.WACHT_OP_BEWONER, Status.AFGEHANDELD, Status.GEANNULEERD}
    ),
    Status.IN_BEHANDELING: frozenset(
        {Status.TOEGEWEZEN, Status.WACHT_OP_BEWONER, Status.AFGEHANDELD, Status.GEANNULEERD}
    ),
    Status.WACHT_OP_BEWONER: frozenset(
        {Status.IN_BEHANDELING, Status.TOEGEWEZEN, Status.AFGEHANDELD, Status.GEANNULEERD}
    ),
    Status.AFGEHANDELD: frozenset({Status.HEROPEND}),
    Status.GEANNULEERD: frozenset({Status.HEROPEND}),
    Status.HEROPEND: frozenset(
        {Status.TOEGEWEZEN, Status.IN_BEHANDELING, Status.WACHT_OP_BEWONER, Status.AFGEHANDELD, Status.GEANNULEERD}
    ),
}

OPEN_STATUSES: frozenset[Status] = frozenset(s for s in Status if s not in {Status.AFGEHANDELD, Status.GEANNULEERD})


class TransitionError(ValueError):
    """Raised for a move the workflow does not allow."""

    def __init__(self, current: Status, wanted: Status) -> None:
        super().__init__(f"a case in status '{current}' cannot move to '{wanted}'")
        self.current = current
        self.wanted = wanted


def can_transition(current: Status, wanted: Status) -> bool:
    """Whether the workflow allows moving from current to wanted."""
    return wanted in TRANSITIONS[current]


def transition(current: Status, wanted: Status) -> Status:
    """Return the new status, or raise TransitionError when the move is not allowed."""
    if not can_transition(current, wanted):
        raise TransitionError(current, wanted)
    return wanted


def is_open(status: Status) -> bool:
    """Whether a case in this status still needs work."""
    return status in OPEN_STATUSES
