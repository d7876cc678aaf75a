"""Team names as lists and menus show them: unique, with the vakdienst where two teams share a name."""

from __future__ import annotations

from pathlib import Path

import pytest

from wijkbot.rulefiles import load_rules

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("municipality", "team", "label"),
    [
        # A trial's beheerder saw "Wijkbeheer Katwijk aan Zee" twice in the team list: the kern's team and the
        # municipality-wide meeuwen team share the name.
        ("katwijk", "wijkbeheer-katwijk-aan-zee", "Wijkbeheer Katwijk aan Zee (Wijkbeheer)"),
        ("katwijk", "wijkbeheer-meeuwen", "Wijkbeheer Katwijk aan Zee (Wijkbeheer (meeuwen))"),
        ("katwijk", "wijkbeheer-rijnsburg", "Wijkbeheer Rijnsburg"),  # a name of its own stays as it is
        ("utrecht", "stadswerken-west", "Stadswerken West en Noordwest"),
    ],
)
def test_a_shared_team_name_gets_its_vakdienst(municipality: str, team: str, label: str) -> None:
    labels = load_rules(ROOT / "routing_rules" / municipality).team_labels()
    assert labels[team] == label


@pytest.mark.parametrize("municipality", ["utrecht", "katwijk"])
def test_every_team_label_is_unique(municipality: str) -> None:
    labels = load_rules(ROOT / "routing_rules" / municipality).team_labels()
    assert len(set(labels.values())) == len(labels)
