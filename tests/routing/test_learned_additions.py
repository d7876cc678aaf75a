"""What the accuracy work of issue 3 added to the learned router, on a made-up Katwijk history.

- A street name can lie in two kernen while the street list holds one: with a postcode, the kern whose team
  handled that street and postcode in the history decides (and so the team), and the reasons say so.
- The automatic-routing threshold is chosen apart for predictions the rule router agrees with and for those
  it does not, both on held-out folds of the history.
- Triage also below the configuration's own minimum confidence when that is stricter, and for acute danger.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from tests.routing.sentences import example_rows, messages
from wijkbot.domain.routing import Router
from wijkbot.domain.rules import RuleSet
from wijkbot.learning.build import train_models
from wijkbot.learning.history import parse_rows
from wijkbot.learning.persist import from_bytes, to_bytes
from wijkbot.learning.router import LearnedModels, LearnedRouter
from wijkbot.rulefiles import load_rules

KATWIJK = Path(__file__).resolve().parents[2] / "routing_rules" / "katwijk"
STREET = "Adrianastraat"  # in the street list: Katwijk aan Zee


@pytest.fixture(scope="module")
def katwijk() -> RuleSet:
    return load_rules(KATWIJK)


@pytest.fixture(scope="module")
def models(katwijk: RuleSet) -> LearnedModels:
    rows = example_rows(katwijk, seed=9)
    # In this history the street, with a Rijnsburg postcode, is Rijnsburg's: its Wijkbeheer team handled it.
    for text in ("Blikjes en zakjes langs de stoep", "Veel zwerfvuil in de berm", "Zwerfafval bij de bank"):
        rows.append({"text": text, "category": "Zwerfafval", "team": "Wijkbeheer Rijnsburg", "street": STREET,
                     "pc4": "2231", "town": "Rijnsburg"})
    history = parse_rows(rows, {"text", "category", "team", "street", "pc4", "town"}, katwijk)
    return from_bytes(to_bytes(train_models(history, Router(katwijk))))


def test_a_street_in_two_kernen_goes_to_the_team_of_the_kern_its_postcode_shows(katwijk: RuleSet,
                                                                                models: LearnedModels) -> None:
    router = LearnedRouter(Router(katwijk), models)
    text = "Er ligt weer zwerfafval op de stoep"
    decision = router.route(text, STREET, "2231", "Rijnsburg")
    assert decision.area.wijk == "Rijnsburg"
    assert f"straat {STREET} met postcode 2231 (geschiedenis) -> Rijnsburg" in decision.reasons
    team = katwijk.team_for(decision.suggested_department or decision.department, decision.area.wijk)
    assert team is not None and team.name == "Wijkbeheer Rijnsburg"
    # Without the postcode, or with the street's own one, the street list decides as before.
    assert router.route(text, STREET).area.wijk == "Katwijk aan Zee"
    assert router.route(text, STREET, "2225").area.wijk == "Katwijk aan Zee"


def test_places_seen_once_are_not_learned(katwijk: RuleSet, models: LearnedModels) -> None:
    assert models.area_by_place == {f"{STREET.lower()}|2231": "Rijnsburg"}


def test_thresholds_apart_for_agreeing_and_differing_rules(katwijk: RuleSet, models: LearnedModels) -> None:
    category = models.category
    assert category is not None
    assert set(category.agreement_thresholds) == {"agree", "differ"}
    assert all(t > 0 for t in category.agreement_thresholds.values())
    # Make the difference visible: agreeing predictions always routed, differing ones never.
    category.agreement_thresholds = {"agree": 1e-9, "differ": 1e9}
    router = LearnedRouter(Router(katwijk), models)
    seen = set()
    for message in messages(katwijk, seed=3, count=200):
        rules_say = router.router.route(message.text).suggested_category
        decision = router.route(message.text)
        if not decision.out_of_scope and not decision.urgent:  # acute danger always goes to triage
            assert decision.triage is (decision.suggested_category != rules_say), message
            seen.add(decision.triage)
    assert seen == {True, False}


@pytest.mark.parametrize("text", ["Er staat een auto in brand op de Boulevard", "Het huis staat in brand",
                                  "Er ligt iemand bewusteloos op straat"])
def test_acute_danger_goes_to_triage_with_or_without_a_model(katwijk: RuleSet, models: LearnedModels,
                                                             text: str) -> None:
    """A word like "brand" or "er ligt" must not send a fire or an unconscious person to a vakdienst: the
    wijkbureau reads it at once, and the resident has been pointed to 112."""
    for router in (Router(katwijk), LearnedRouter(Router(katwijk), models)):
        decision = router.route(text)
        assert decision.urgent and decision.triage, (text, decision)
        assert decision.department == "wijkregisseurs" and decision.category is None
        assert "mogelijk acuut: meteen naar triage" in decision.reasons


def test_a_stricter_minimum_confidence_of_the_configuration_holds_with_a_model(katwijk: RuleSet,
                                                                              models: LearnedModels) -> None:
    strict = dataclasses.replace(katwijk, municipality=dataclasses.replace(katwijk.municipality,
                                                                           min_confidence=0.95))
    router = LearnedRouter(Router(strict), models)
    confidences = set()
    for message in messages(katwijk, seed=5, count=200):
        decision = router.route(message.text)
        if not decision.out_of_scope:
            assert decision.triage is (decision.confidence < 0.95 or decision.urgent), (message, decision)
            confidences.add(decision.confidence < 0.95)
    assert confidences == {True, False}  # both sides were seen
