"""Katwijk's kind markers: an initiative in everyday Dutch word order is one, also without an initiative category
(Katwijk has none: the case goes to triage as an initiative, and the resident hears it as one)."""

from __future__ import annotations

from pathlib import Path

import pytest

from wijkbot.domain.model import Kind
from wijkbot.domain.routing import Router
from wijkbot.rulefiles import load_rules

KATWIJK = Router(load_rules(Path(__file__).resolve().parents[2] / "routing_rules" / "katwijk"))


@pytest.mark.parametrize(("text", "kind"), [
    ("ik wil een buurtfeest organiseren op het plein", Kind.INITIATIEF),
    ("we willen een straatfeest organiseren in de Voorstraat", Kind.INITIATIEF),
    ("Wij willen graag een bankje bij de speeltuin", Kind.INITIATIEF),
    ("we willen een kerstmarkt organiseren in de Voorstraat", Kind.INITIATIEF),
    ("ik wil graag een straatfeest houden in de Voorstraat", Kind.INITIATIEF),
    ("Wij willen met de buren een plantenbak neerzetten op het pleintje aan de Oegstgeesterweg", Kind.INITIATIEF),
    ("Kunnen we samen met de buren een geveltuin aanleggen?", Kind.INITIATIEF),
    # "samen met de buren" alone says nothing: residents complain together too (a review found these initiatives)
    ("Wij hebben samen met de buren last van ratten bij de containers", Kind.MELDING),
    ("We hebben samen met de buren opgeruimd maar er ligt nog steeds zwerfafval", Kind.MELDING),
    ("De plantenbak op het plein is kapot gereden", Kind.MELDING),
    ("Er ligt zwerfafval op het plein", Kind.MELDING),
    ("Wij willen een oplossing voor de hondenpoep in de Voorstraat", Kind.MELDING),
    ("De gemeente moet het ophalen van het grofvuil beter organiseren", Kind.MELDING),
    ("Het straatfeest van gisteren heeft veel rommel achtergelaten", Kind.MELDING),
    ("Ik wil een klacht indienen over de vuilnisophaal", Kind.KLACHT),  # a complaint stays one
])
def test_kind_in_everyday_word_order(text: str, kind: Kind) -> None:
    assert KATWIJK.route(text).kind is kind


def test_an_initiative_without_a_known_kern_says_kern() -> None:
    """Katwijk reads its own word in the reasons (a trial read "voor deze wijk ..." on Katwijk's screens)."""
    reasons = KATWIJK.route("Wij willen een buurtbarbecue organiseren voor de hele straat").reasons
    assert "de kern is niet bekend, dus er is geen wijkambitie bepaald" in reasons
    reasons = KATWIJK.route("Wij willen een buurtbarbecue organiseren in Rijnsburg").reasons
    assert "voor deze kern zijn nog geen wijkambities vastgelegd" in reasons
