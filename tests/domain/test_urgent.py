"""Acute danger, by the rules of both municipalities: flagged (the resident is pointed to 112) and sent to the
wijkbureau's triage, also when the subject is otherwise out of scope; everyday words that the stemmer makes
look like fire ("branden", "Branding") are not. A resident in crisis (words of self-harm) is flagged apart, for
the 113 answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from wijkbot.domain.routing import Router
from wijkbot.rulefiles import load_rules

RULES = Path(__file__).resolve().parents[2] / "routing_rules"
ROUTERS = {name: Router(load_rules(RULES / name)) for name in ("utrecht", "katwijk")}


@pytest.mark.parametrize(("municipality", "text"), [
    ("utrecht", "Er staat een auto in brand op de Biltstraat"),
    ("utrecht", "Het huis van de buren staat in brand"),
    ("utrecht", "Mijn rijbewijs lag in de auto en die staat nu in brand"),  # out of scope, but acute
    ("utrecht", "Ik ruik gas in het portiek aan de Kanaalstraat"),
    ("katwijk", "Er staat een auto in brand op de Boulevard"),
    ("katwijk", "Het huis staat in brand"),
    ("katwijk", "Er ligt iemand bewusteloos op straat"),
    ("katwijk", "De container in de Voorstraat staat in lichterlaaie"),
    # live wires, in the words residents use (rarely "onder stroom")
    ("utrecht", "Er hangt een elektriciteitskabel los over de stoep op de Biltstraat, er komen kinderen langs"),
    ("utrecht", "er ligt een kabel los met stroom erop bij de speeltuin"),
    ("utrecht", "De lantaarnpaal vonkt en er hangen draden uit"),
    ("katwijk", "Mijn zoon kreeg een elektrische schok van het hek bij de speeltuin"),
    ("katwijk", "Er liggen blote draden naast de lantaarnpaal in de Voorstraat"),
    ("utrecht", "elektriciteitskabel hangt los over de stoep bij de Biltstraat"),
    ("utrecht", "Er hangen losse stroomdraden uit de lantaarnpaal op de Vleutenseweg"),
    # in English, as the web chat and Telegram offer it
    ("utrecht", "I smell gas in the street at the Biltstraat"),
    ("utrecht", "the street lamp is sparking"),
    ("katwijk", "there is a car on fire in the Voorstraat"),
    # the same dangers in a hurried resident's own words
    ("utrecht", "het ruikt heel sterk naar gas in het trappenhuis op de Biltstraat, wat moet ik doen??"),
    ("katwijk", "Het stinkt hier naar gas bij de Voorstraat"),
    ("utrecht", "mijn buurman slaat zijn vrouw weer, ik hoor haar gillen"),
    ("utrecht", "er is een boom op een auto gevallen op de Maliesingel en er zit nog iemand in"),
    ("utrecht", "er ligt een man op straat die niet meer beweegt"),
    ("katwijk", "Er zit een kind in het water bij de haven"),
    ("utrecht", "iemand dreigt van de brug te springen bij de Weerdsluis"),
    ("katwijk", "Er roept iemand om hulp in het duin"),
])
def test_acute_danger_goes_to_triage(municipality: str, text: str) -> None:
    decision = ROUTERS[municipality].route(text)
    assert decision.urgent and decision.triage and not decision.out_of_scope, decision
    assert decision.category is None
    assert "mogelijk acuut: meteen naar triage" in decision.reasons


@pytest.mark.parametrize(("municipality", "text"), [
    ("utrecht", "De lantaarnpalen branden niet in de Kanaalstraat"),
    ("utrecht", "De straatlampen branden overdag bij de Biltstraat"),
    ("katwijk", "De lampen branden niet meer in de Voorstraat"),
    ("katwijk", "Lantaarnpaal in Branding is kapot"),
    ("katwijk", "Er ligt afval in Branding"),
    ("utrecht", "De lantaarnpaal in onze straat krijgt geen stroom meer"),
    ("utrecht", "De kabel van de tv ligt los sinds de storm"),
    ("katwijk", "De lantaarnpaal heeft geen stroom, hij doet het niet"),
    ("utrecht", "The street light in Kanaalstraat is broken."),
])
def test_everyday_words_are_not_acute(municipality: str, text: str) -> None:
    decision = ROUTERS[municipality].route(text)
    assert not decision.urgent and not decision.triage, decision


@pytest.mark.parametrize(("municipality", "text"), [
    ("utrecht", "de kinderen gillen de hele dag op het plein"),
    ("utrecht", "Er ligt een fiets in het water van de Oudegracht"),
    ("katwijk", "Wanneer gaat de gemeente hier een eind aan maken? Elke nacht herrie"),
    ("utrecht", "Ik wil dat de gemeente er een eind aan maakt, die herrie"),
    ("utrecht", "De hond van de buren slaat aan zodra er iemand langs loopt"),
    ("utrecht", "De slagboom bij de parkeergarage beweegt niet meer"),
    ("utrecht", "I don't want to live next to this noise anymore"),
    ("katwijk", "I live on the Voorstraat and the street light is broken"),
    ("katwijk", "De draaibrug beweegt niet meer"),
])
def test_complaints_in_strong_words_are_no_danger_or_crisis(municipality: str, text: str) -> None:
    decision = ROUTERS[municipality].route(text)
    assert not decision.urgent and not decision.crisis, decision


@pytest.mark.parametrize(("municipality", "text"), [
    ("utrecht", "ik zie het niet meer zitten, ik wil er een eind aan maken"),
    ("katwijk", "Ik denk aan zelfmoord"),
    ("utrecht", "ik wil niet meer leven met deze buren"),
    ("katwijk", "soms wil ik mezelf iets aandoen"),
    ("utrecht", "I want to kill myself"),
    ("katwijk", "I don't want to live anymore"),  # a retest: an English crisis went into a streetlight case
    ("utrecht", "i dont wanna live anymore"),
    ("katwijk", "I want to take my own life"),
])
def test_a_resident_in_crisis_is_flagged_for_113_and_triage(municipality: str, text: str) -> None:
    decision = ROUTERS[municipality].route(text)
    assert decision.crisis and decision.urgent and decision.triage, decision
    said = [r for r in decision.reasons if r.startswith("mogelijk een crisis (zelfdoding; gevonden: ")]
    assert len(said) == 1 and said[0].endswith("): bewoner gewezen op 113 en 112"), decision.reasons


def test_acute_danger_is_no_crisis() -> None:
    decision = ROUTERS["utrecht"].route("Ik ruik gas in het portiek aan de Kanaalstraat")
    assert decision.urgent and not decision.crisis


# A user trial's messages: danger and crisis in a resident's own word order, caught by signals' *_together rules.
OWN_WORDS = [
    ("Ik zie het echt niet meer zitten, sinds mijn man weg is. ik denk erover om er een eind aan te maken", "crisis"),
    ("ik heb zelfmoordgedachten", "crisis"),
    ("ik wil nie meer leven", "crisis"),
    ("ik zie t niet meer zitten", "crisis"),
    ("ik hang mezelf op", "crisis"),
    ("ik spring zo van het balkon", "crisis"),
    ("ik ga mezelf wat aandoen vanavond", "crisis"),
    ("zelfmoort", "crisis"),
    ("er wordt nu iemand in elkaar geslagen voor de deur op de Biltstraat!!", "urgent"),
    ("2 mannen aan het vechten met messen bij het winkelcentrum", "urgent"),
    ("buurman slaat zn vrouw weer ik hoor het door de muur", "urgent"),
    ("er is een gevecht gaande op het plein nu", "urgent"),
    ("ruik volgens mij gas bij de meterkast, buurman ook", "urgent"),
    ("er sist iets bij de gasmeter en het ruikt raar", "urgent"),
    ("er ligt een man op de stoep hij reageert niet", "urgent"),
    ("oude vrouw gevallen op straat kan niet meer opstaan", "urgent"),
    ("er is een kind in de gracht gevallen!!!", "urgent"),
    ("een jongetje is in de singel gevallen en komt niet boven", "urgent"),
    ("er staat een man op de brug en hij wil springen", "urgent"),
    ("meisje zit op de rand van de brug over het kanaal", "urgent"),
    ("nu staat de container ernaast in brand!", "urgent"),
    # a resident trial's fallen trees got a 3-day term and no 112
    ("Op de Voorstraat ligt een boom over de weg na de storm, gevaarlijk voor fietsers", "urgent"),
    ("er is een boom omgevallen ligt half over de weg, autos moeten eromheen", "urgent"),
    ("A tree has fallen across the road", "urgent"),
    # everyday words that share some of those
    ("jongeren springen de hele dag van de brug in het water", None),
    ("Ik heb mezelf aangemeld op de website maar krijg geen antwoord", None),
    ("Mijn gasrekening is te hoog en de meterkast ruikt muf", None),
    ("Er ligt een vrouw op het gras te zonnen", None),
    ("Er liggen dennennaalden van de boom op het fietspad, je glijdt erover uit", None),
    ("De boom voor ons huis is gevallen in de tuin", None),
    ("Er zijn takken van de boom gevallen op het fietspad", None),  # a review: branches and leaves are no 112
    ("Bladeren van de bomen zijn op de weg gevallen", None),
    ("we vechten al jaren voor een zebrapad", None),
    ("Er ligt een man op de bank. De gemeente reageert niet op mijn melding", None),  # two sentences
]


@pytest.mark.parametrize("municipality", ["utrecht", "katwijk"])
@pytest.mark.parametrize(("text", "expected"), OWN_WORDS)
def test_danger_in_a_residents_own_word_order(municipality: str, text: str, expected: str | None) -> None:
    decision = ROUTERS[municipality].route(text)
    got = "crisis" if decision.crisis else "urgent" if decision.urgent else None
    assert got == expected, decision.reasons


# What the ambtenaar reads first in a triage case: which words made it acute, as the rule matched them in the text.
NAMED = [
    ("utrecht", "Gasgeur in het portiek!", 'mogelijk acuut gevaar (gevonden: "gasgeur"): bewoner gewezen op 112'),
    ("utrecht", "ruik volgens mij gas bij de meterkast, buurman ook",
     'mogelijk acuut gevaar (gevonden: "gas", "ruik"): bewoner gewezen op 112'),
    ("katwijk", "Er hangt een elektriciteitskabel los en de lantaarnpaal vonkt",  # "kabel(s) los" named once
     'mogelijk acuut gevaar (gevonden: "vonkt", "elektriciteitskabel los"): bewoner gewezen op 112'),
    ("katwijk", "een jongetje is in de singel gevallen en komt niet boven",
     'mogelijk acuut gevaar (gevonden: "singel", "gevallen", "jongetje"): bewoner gewezen op 112'),
    ("utrecht", "Ik denk aan zelfmoord",
     'mogelijk een crisis (zelfdoding; gevonden: "zelfmoord"): bewoner gewezen op 113 en 112'),
    ("katwijk", "ik spring zo van het balkon",
     'mogelijk een crisis (zelfdoding; gevonden: "spring", "balkon"): bewoner gewezen op 113 en 112'),
]


@pytest.mark.parametrize(("municipality", "text", "reason"), NAMED)
def test_the_reason_names_the_words_that_made_it_acute(municipality: str, text: str, reason: str) -> None:
    assert reason in ROUTERS[municipality].route(text).reasons
