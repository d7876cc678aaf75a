"""Routing reasons for an ambtenaar who reads the inbox in English (services.reason_language)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from wijkbot.domain.routing import Router
from wijkbot.rulefiles import load_rules
from wijkbot.services.reason_language import in_language

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("dutch", "english"), [
    ("geen bekende woorden gevonden", "no known words found"),
    ("geen plaats gevonden", "no place found"),
    ("zekerheid 0.83", "certainty 0.83"),
    ("te onzeker: naar triage", "too uncertain: to triage"),
    ('mogelijk acuut gevaar (gevonden: "gaslucht"): bewoner gewezen op 112',
     'possibly acute danger (found: "gaslucht"): resident pointed to 112'),
    ("geleerd van 34 eerdere meldingen: Grofvuil", "learned from 34 earlier reports: Grofvuil"),
    ("geleerd van 3 eerdere meldingen: lijkt het meest op Grofvuil, maar het model is niet zeker genoeg",
     "learned from 3 earlier reports: most like Grofvuil, but the model is not sure enough"),
    ("straat Kanaalstraat -> Lombok, West", "street Kanaalstraat -> Lombok, West"),
    ("straat Tramstraat (maar postcode 2231 ligt in Rijnsburg) -> Katwijk aan Zee",
     "street Tramstraat (but postcode 2231 lies in Rijnsburg) -> Katwijk aan Zee"),
    ("straat Zeeweg met postcode 2225 (geschiedenis) -> Katwijk aan Zee",
     "street Zeeweg with postcode 2225 (history) -> Katwijk aan Zee"),
    ("postcode 3531 -> West", "postcode 3531 -> West"),
    ("kern onbekend: voorlopig bij Wijkbeheer Rijnsburg, tot bekend is waar het is",
     "kern unknown: with Wijkbeheer Rijnsburg for now, until it is known where it is"),
    ("de kern is niet bekend, dus er is geen wijkambitie bepaald", "the kern is not known, so no wijkambitie was set"),
    ("gaat over zaak UT-2026-000001", "is about case UT-2026-000001"),
    # reasons recorded in the history (a trial read the survey's reopen reason in Dutch in the English inbox)
    ("de bewoner zegt dat het niet is opgelost (cijfer 4)", "the resident says it is not solved (score 4)"),
    ("uit triage geplaatst", "placed from triage"),
    ("Bewoner belde: ligt er weer", "Bewoner belde: ligt er weer"),  # typed by an ambtenaar: as typed
    # the resident's words and the configuration's names stay as they are
    ("grofvuil, container -> Grofvuil (Stadswerken)", "grofvuil, container -> Grofvuil (Stadswerken)"),
    ("iets van een nieuwere versie", "iets van een nieuwere versie"),  # an unknown shape: as stored
])
def test_a_reason_in_english(dutch: str, english: str) -> None:
    assert in_language(dutch, "en") == english
    assert in_language(dutch, "nl") == dutch


CATEGORY_REASON = re.compile(r"^.+ -> .+ \(.+\)$")


@pytest.mark.parametrize("municipality", ["utrecht", "katwijk"])
def test_every_reason_the_rules_write_reads_in_english(municipality: str) -> None:
    """Each reason of the router's own shapes is translated; only the category's (the resident's words and the
    configured names) stays as it is."""
    rules = load_rules(ROOT / "routing_rules" / municipality)
    router = Router(rules)
    texts = [example.text for category in rules.categories.values() for example in category.examples]
    texts += ["Ik ruik gas in het portiek", "ik wil er een eind aan maken", "Wij willen een buurtbarbecue organiseren",
              "asdf qwerty", "", "Wij willen een buurtfeest organiseren in de Kanaalstraat, een bewonersinitiatief"]
    seen = 0
    for text in texts:
        for reason in router.route(text).reasons:
            english = in_language(reason, "en")
            seen += 1
            # (a buurt, a postcode and a wijk read the same in English: glossary words and numbers)
            same = CATEGORY_REASON.match(reason) or reason.startswith(("buurt ", "postcode ", "wijk "))
            assert english != reason or same, reason
    assert seen > 100
