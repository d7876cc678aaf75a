import pytest

from wijkbot.domain.assignment import OfficerLoad, choose_officer


@pytest.mark.parametrize(
    ("loads", "expected"),
    [
        ([], None),  # nobody in the team: the case stays with the team
        ([OfficerLoad(1, False, 0)], None),  # nobody available
        ([OfficerLoad(1, True, 3), OfficerLoad(2, True, 1)], 2),  # fewest open cases
        ([OfficerLoad(5, True, 2), OfficerLoad(3, True, 2)], 3),  # tie: lowest id, deterministic
        ([OfficerLoad(1, False, 0), OfficerLoad(2, True, 9)], 2),  # unavailable is never chosen
    ],
)
def test_choose_officer(loads: list[OfficerLoad], expected: int | None) -> None:
    assert choose_officer(loads) == expected


def test_every_utrecht_department_has_an_owner_in_every_wijk(utrecht_rules) -> None:  # type: ignore[no-untyped-def]
    for department in utrecht_rules.departments:
        for wijk in utrecht_rules.wijken:
            team = utrecht_rules.team_for(department, wijk)
            assert team is not None and team.covers(wijk), (department, wijk)


@pytest.mark.parametrize(("department", "wijk", "guess"), [
    ("stadswerken", None, "wijk onbekend: voorlopig bij Stadswerken West en Noordwest, tot bekend is waar het is"),
    ("stadswerken", "Oost", None),  # the area decides
    ("vth", None, None),  # one team for the whole city: no guess
])
def test_a_team_chosen_without_knowing_the_area_says_so(utrecht_rules, department: str,  # type: ignore[no-untyped-def]
                                                        wijk: str | None, guess: str | None) -> None:
    assert utrecht_rules.team_guess(department, wijk) == guess
