import pytest

from wijkbot.domain.areas import AreaIndex
from wijkbot.domain.rules import Buurt

BUURTEN = (
    Buurt("B1", "Lombok-Oost", "West", ("3531",), aliases=("Lombok",)),
    Buurt("B2", "Oog in Al", "West", ("3533",)),
    Buurt("B3", "Welgelegen", "West", ("3533",)),
    Buurt("B4", "Wittevrouwen", "Noordoost", ("3581", "3582")),
)
STREETS = {"Kanaalstraat": "B1", "Burgemeester Reigerstraat": "B4"}
INDEX = AreaIndex(BUURTEN, STREETS)


@pytest.mark.parametrize(
    ("text", "hints", "wijk", "buurt"),
    [
        ("Kapotte lamp in de Kanaalstraat", {}, "West", "Lombok-Oost"),
        ("kapotte lamp kanaalstraat", {}, "West", "Lombok-Oost"),  # lower case
        ("Kapotte lamp in de Kanaalstaat", {}, "West", "Lombok-Oost"),  # a typo in a long street name
        ("Op de burgemeester reigerstraat", {}, "Noordoost", "Wittevrouwen"),  # two words, one street
        ("Rommel in Lombok", {}, "West", "Lombok-Oost"),  # an alias
        ("Hondenpoep in Oog in Al", {}, "West", "Oog in Al"),
        ("Postcode 3531 AB", {}, "West", "Lombok-Oost"),
        ("Postcode 3533", {}, "West", None),  # two buurten share the PC4: wijk yes, buurt not guessed
        ("Postcode 3582", {}, "Noordoost", "Wittevrouwen"),  # a buurt's second postcode
        ("Het is al 2024 zo", {}, None, None),  # a year is not a postcode of this municipality
        ("Er ligt troep", {"street": "Kanaalstraat"}, "West", "Lombok-Oost"),  # the channel's hint
        ("In de Kanaalstraat", {"postcode": "3581"}, "Noordoost", "Wittevrouwen"),  # the hint beats the text
        ("geen plaats genoemd", {}, None, None),
        ("", {}, None, None),
    ],
)
def test_locate(text: str, hints: dict[str, str], wijk: str | None, buurt: str | None) -> None:
    area = INDEX.locate(text, hints.get("street"), hints.get("postcode"))
    assert (area.wijk, area.buurt) == (wijk, buurt)
    if wijk:
        assert area.matched_by


@pytest.mark.parametrize(("hints", "wijk", "matched_by"), [
    ({"street": "Kanaalstraat", "postcode": "3531"}, "West", "straat Kanaalstraat"),  # they agree
    # they disagree: the street stays the guess (it was right more often on real history), the reason says so
    ({"street": "Kanaalstraat", "postcode": "3581"}, "West",
     "straat Kanaalstraat (maar postcode 3581 ligt in Noordoost)"),
    ({"street": "Onbekendeweg", "postcode": "3581"}, "Noordoost", "postcode 3581"),  # no street: the postcode
])
def test_a_street_and_a_postcode_that_disagree_are_named(hints: dict[str, str], wijk: str, matched_by: str) -> None:
    area = INDEX.locate("er ligt troep", hints["street"], hints["postcode"])
    assert (area.wijk, area.matched_by) == (wijk, matched_by)
