"""Who may do what with a case (domain.access), as a table."""

from __future__ import annotations

import pytest

from wijkbot.domain.access import Access, CaseReach, Person, Role, access, can_assign_others, parse_roles
from wijkbot.domain.mentions import handle_of, handles

B, T, W, H = Role.BEHANDELAAR, Role.TEAMLEIDER, Role.WIJKREGISSEUR, Role.BEHEERDER
AFVAL_WEST = CaseReach("stadswerken-west", "West", officer_id=1)
DRUGS_CENTRUM = CaseReach("veiligheid-binnenstad", "Binnenstad", officer_id=7, helpers=frozenset({1}))
NO_WIJK = CaseReach("wijkbureau-binnenstad", None, officer_id=None)


@pytest.mark.parametrize(("person", "case", "expected"), [
    (Person(1, "behandelaar afval", frozenset({B}), frozenset({"stadswerken-west"})), AFVAL_WEST, Access.HANDLE),
    (Person(2, "behandelaar afval", frozenset({B}), frozenset({"stadswerken-west"})), DRUGS_CENTRUM, Access.NONE),
    (Person(1, "uitgenodigd", frozenset({B}), frozenset({"stadswerken-west"})), DRUGS_CENTRUM, Access.HELP),
    (Person(3, "teamleider", frozenset({T}), frozenset({"veiligheid-binnenstad"})), DRUGS_CENTRUM, Access.HANDLE),
    (Person(4, "regisseur West", frozenset({W}), frozenset(), frozenset({"West"})), AFVAL_WEST, Access.HANDLE),
    (Person(4, "regisseur West", frozenset({W}), frozenset(), frozenset({"West"})), DRUGS_CENTRUM, Access.NONE),
    (Person(5, "behandelaar met wijk", frozenset({B}), frozenset(), frozenset({"West"})), AFVAL_WEST, Access.NONE),
    (Person(4, "regisseur", frozenset({W}), frozenset(), frozenset({"Binnenstad"})), NO_WIJK, Access.NONE),
    (Person(6, "beheerder", frozenset({H})), AFVAL_WEST, Access.READ),
    (Person(6, "beheerder en behandelaar", frozenset({H, B}), frozenset({"stadswerken-west"})), AFVAL_WEST,
     Access.HANDLE),
    (Person(6, "beheerder en behandelaar", frozenset({H, B}), frozenset({"stadswerken-west"})), DRUGS_CENTRUM,
     Access.READ),
    (Person(7, "toegewezen, ander team", frozenset({B}), frozenset({"vth"})), DRUGS_CENTRUM, Access.HANDLE),
    (Person(8, "geen rol", frozenset()), AFVAL_WEST, Access.NONE),
])
def test_access(person: Person, case: CaseReach, expected: Access) -> None:
    assert access(person, case) == expected, person.name


def test_only_teamleiders_and_wijkregisseurs_assign_to_others() -> None:
    assert not can_assign_others(Person(1, "b", frozenset({B})))
    assert can_assign_others(Person(1, "t", frozenset({T})))
    assert can_assign_others(Person(1, "w", frozenset({W})))
    assert not can_assign_others(Person(1, "h", frozenset({H})))


def test_parse_roles() -> None:
    assert parse_roles("behandelaar, Beheerder") == {B, H}
    with pytest.raises(ValueError, match="onbekende rol 'baas'"):
        parse_roles(["baas"])
    with pytest.raises(ValueError, match="minstens één rol"):
        parse_roles([])


@pytest.mark.parametrize(("text", "expected"), [
    ("@anouk.voorbeeld kijk jij?", ["anouk.voorbeeld"]),
    ("Vraag het @bram.deproef.", ["bram.deproef"]),
    ("mail naar x@example.org", []),
    ("@a @A @b", ["a", "b"]),
    ("geen", []),
])
def test_mentions(text: str, expected: list[str]) -> None:
    assert handles(text) == expected


def test_handle_of_email() -> None:
    assert handle_of("Anouk.Voorbeeld@example.org") == "anouk.voorbeeld"
