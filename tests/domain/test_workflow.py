import pytest

from wijkbot.domain.workflow import Status, TransitionError, can_transition, is_open, transition

ALLOWED = [
    (Status.NIEUW, Status.TOEGEWEZEN),
    (Status.TOEGEWEZEN, Status.IN_BEHANDELING),
    (Status.IN_BEHANDELING, Status.WACHT_OP_BEWONER),
    (Status.WACHT_OP_BEWONER, Status.IN_BEHANDELING),
    (Status.IN_BEHANDELING, Status.AFGEHANDELD),
    (Status.AFGEHANDELD, Status.HEROPEND),
    (Status.HEROPEND, Status.IN_BEHANDELING),
    (Status.NIEUW, Status.GEANNULEERD),
]
FORBIDDEN = [
    (Status.AFGEHANDELD, Status.IN_BEHANDELING),  # a closed case only leaves through heropend
    (Status.GEANNULEERD, Status.TOEGEWEZEN),
    (Status.NIEUW, Status.HEROPEND),
    (Status.NIEUW, Status.WACHT_OP_BEWONER),  # nobody asked the resident anything yet
    (Status.AFGEHANDELD, Status.AFGEHANDELD),
]


@pytest.mark.parametrize(("current", "wanted"), ALLOWED)
def test_allowed_transitions(current: Status, wanted: Status) -> None:
    assert transition(current, wanted) is wanted


@pytest.mark.parametrize(("current", "wanted"), FORBIDDEN)
def test_forbidden_transitions_raise_with_both_states(current: Status, wanted: Status) -> None:
    assert not can_transition(current, wanted)
    with pytest.raises(TransitionError, match=str(wanted)):
        transition(current, wanted)


def test_every_status_has_a_row_and_closed_states_are_not_open() -> None:
    from wijkbot.domain.workflow import TRANSITIONS

    assert set(TRANSITIONS) == set(Status)
    assert not is_open(Status.AFGEHANDELD)
    assert not is_open(Status.GEANNULEERD)
    assert is_open(Status.WACHT_OP_BEWONER)
