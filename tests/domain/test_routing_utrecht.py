"""Situations from the source documents, routed with the Utrecht configuration."""

import pytest

from wijkbot.domain.model import Kind
from wijkbot.domain.questions import states_before_asking
from wijkbot.domain.routing import AMBITION_NOT_SET, NO_AMBITION, Router

SITUATIONS = [
    # text, kind, department, extra expectations
    ("Wij willen graag een plantenbak in onze straat in Lombok plaatsen", Kind.INITIATIEF, "wijken", {}),
    ("We willen een buurtbarbecue organiseren op het grasveld in Oog in Al", Kind.INITIATIEF, "wijken", {}),
    ("Het verkeerslicht op de kruising bij de Croeselaan staat altijd op rood", Kind.MELDING, "mobiliteit", {}),
    ("Veel drugsoverlast en dealers bij het Smaragdplein", Kind.MELDING, "veiligheid", {"wijk": "Zuid"}),
    ("Hoe vraag ik een nieuw paspoort aan?", Kind.VRAAG, "publieksdienstverlening", {"out_of_scope": True}),
    ("Ik ruik gas in het portiek aan de Kanaalstraat", None, None, {"urgent": True}),
    ("Er hangt een groep jongeren rond die overlast veroorzaakt bij de Neude", None, "veiligheid",
     {"wijk": "Binnenstad"}),
    ("Ik wil een klacht indienen: niemand reageert op mijn melding over de stoep", Kind.KLACHT, None, {}),
]


# The web chat and Telegram offer English (/taal en): an English melding is routed like a Dutch one, not left to
# triage for want of a known word; a Dutch word close to an English keyword ("liter", "even") stays out of it.
IN_ENGLISH = [
    # text, kind, category (None: no category, triage)
    ("The street light in Kanaalstraat is broken.", Kind.MELDING, "straatverlichting"),
    ("The traffic light at the Vleutenseweg crossing with the Damstraat is broken", Kind.MELDING,
     "verkeerslichten"),
    ("There is a mattress dumped next to the container on the Amsterdamsestraatweg", Kind.MELDING, "grofvuil"),
    ("How can I apply for a building permit?", Kind.VRAAG, "vergunning-vraag"),
    ("There are rats in the playground of the Croeselaan", Kind.MELDING, "ongedierte"),
    ("We want to organise a street party in Lombok", Kind.INITIATIEF, "buurtinitiatief"),
    ("We willen een muurschildering maken in onze straat in Lombok", Kind.INITIATIEF, "buurtinitiatief"),
    ("Eventueel kunt u even bellen over die ene liter", None, None),
]

# How residents write about bins and about being ignored: a bin alone is mostly a full one, a broken one says so;
# "niemand heeft gereageerd" makes the melding a klacht, with the category of its subject.
EVERYDAY = [
    ("de prullenbak bij het Griftpark is al een week vol", Kind.MELDING, "container-vol"),
    ("De afvalbak puilt uit bij de bushalte", Kind.MELDING, "container-vol"),
    ("De prullenbak is kapot getrapt in het Griftpark", Kind.MELDING, "straatmeubilair"),
    ("De vuilnisbak is omgevallen", Kind.MELDING, "straatmeubilair"),
    ("niemand heeft gereageerd op mijn melding over de lantaarnpaal", Kind.KLACHT, "straatverlichting"),
    # a bike left behind, whatever it leans against
    ("Er staat al weken een kapotte fiets tegen de boom op de Kanaalstraat", Kind.MELDING, "fietswrak"),
    ("Een fietswrak vastgeketend aan een lantaarnpaal in de Biltstraat", Kind.MELDING, "fietswrak"),
    ("Mijn fiets is kapot gegaan door een gat in het fietspad", Kind.MELDING, "bestrating"),
    # neighbours: noise is burenoverlast; neighbours who only pass on news, or plan something together, are not
    ("de buren maken elke nacht herrie met harde muziek", Kind.MELDING, "burenoverlast"),
    ("Ik heb geen idee meer wat ik moet doen, mijn bovenburen maken elke nacht herrie", Kind.MELDING,
     "burenoverlast"),
    ("De buren zijn op vakantie en hun tuin staat vol grofvuil", Kind.MELDING, "grofvuil"),
    ("de buren zeggen dat de lantaarnpaal al weken kapot is", Kind.MELDING, "straatverlichting"),
    ("mijn buren en ik willen een geveltuin", Kind.INITIATIEF, "buurtinitiatief"),
    ("herrie van de kroeg op de Oudegracht", Kind.MELDING, "overlast-bedrijven"),
    # an operator's trial got "geen bekende woorden gevonden" for plain rubbish
    ("er ligt vuilnis op de stoep in de Kanaalstraat", Kind.MELDING, "zwerfafval"),
]


@pytest.mark.parametrize(("text", "kind", "category"), EVERYDAY)
def test_everyday_wording_is_routed(utrecht_router: Router, text: str, kind: Kind, category: str) -> None:
    decision = utrecht_router.route(text)
    assert (decision.kind, decision.category, decision.triage) == (kind, category, False)


@pytest.mark.parametrize(("text", "kind", "category"), IN_ENGLISH)
def test_english_and_plain_initiatives_are_routed(utrecht_router: Router, text: str, kind: Kind | None,
                                                  category: str | None) -> None:
    decision = utrecht_router.route(text)
    if kind is not None:
        assert decision.kind is kind
    assert decision.category == category
    assert decision.triage is (category is None)


@pytest.mark.parametrize(("text", "kind", "department", "extra"), SITUATIONS)
def test_seed_situations(utrecht_router: Router, text: str, kind: Kind | None, department: str | None,
                         extra: dict[str, object]) -> None:
    decision = utrecht_router.route(text)
    if kind is not None:
        assert decision.kind is kind
    if department is not None:
        assert decision.department == department
    for key, value in extra.items():
        actual = decision.area.wijk if key == "wijk" else getattr(decision, key)
        assert actual == value, key
    assert decision.reasons


def test_initiative_in_binnenstad_is_tested_against_its_ambitions(utrecht_router: Router) -> None:
    fits = utrecht_router.route("Wij willen met de buurt meer groen en bankjes op het plein in de Binnenstad")
    assert fits.kind is Kind.INITIATIEF
    assert fits.ambition not in (None, NO_AMBITION, AMBITION_NOT_SET)
    assert any("wijkambitie" in r for r in fits.reasons)


def test_initiative_in_a_wijk_without_ambitions_says_so(utrecht_router: Router) -> None:
    decision = utrecht_router.route("We willen een buurtbarbecue organiseren in Lombok")
    assert decision.ambition == AMBITION_NOT_SET
    assert any("nog geen wijkambities" in r for r in decision.reasons)


def test_initiative_without_a_place_says_the_wijk_is_not_known(utrecht_router: Router) -> None:
    decision = utrecht_router.route("Ik wil een plantenbak voor mijn deur")
    assert decision.kind is Kind.INITIATIEF and decision.area.wijk is None
    assert "de wijk is niet bekend, dus er is geen wijkambitie bepaald" in decision.reasons
    assert not any("voor deze wijk" in r for r in decision.reasons)


def test_gibberish_goes_to_triage_with_an_owner(utrecht_router: Router) -> None:
    decision = utrecht_router.route("blablabla qwerty zxcv asdf")
    assert decision.triage and decision.department == "wijken"


# A melding that ends with a question is still a melding when it first says what is wrong; a question is one
# when the question is all there is (or all that names the subject).
QUESTION_OR_MELDING = [
    ("Er ligt al een week grofvuil naast de contaner op de Amsterdamsestraatweg, een matras en een kapotte bank. "
     "Wanneer word dat opgehaald??", Kind.MELDING),
    ("De lantaarnpaal in de Biltstraat is kapot, kan iemand die maken?", Kind.MELDING),
    ("The street light in Kanaalstraat is broken. Can you fix it?", Kind.MELDING),
    ("Wanneer wordt het grofvuil opgehaald in Lombok?", Kind.VRAAG),
    ("Hallo, wanneer wordt het grofvuil opgehaald?", Kind.VRAAG),
    ("Hoe kan ik grofvuil laten ophalen?", Kind.VRAAG),
    ("Er ligt grofvuil in de Kanaalstraat. Hoe kan ik dat melden?", Kind.VRAAG),  # an asking phrase still asks
    ("Het bankje in het Julianapark is kapot!?", Kind.MELDING),  # a statement said with a question mark
    ("De lantaarnpaal in de Biltstraat doet het niet?", Kind.MELDING),
    ("Is de lantaarnpaal in de Biltstraat al gerepareerd?", Kind.VRAAG),
    ("Kan de gemeente het grofvuil in de Kanaalstraat ophalen?", Kind.VRAAG),
    # typed without a question mark (a trial's was promised that Stadswerken "gaat ermee aan de slag")
    ("wanneer wordt het grofvuil opgehaald bij ons in overvecht", Kind.VRAAG),
    ("hallo, wanneer wordt het grofvuil opgehaald", Kind.VRAAG),
    ("De lantaarnpaal is kapot, wanneer wordt die gemaakt", Kind.MELDING),  # says what is wrong first
    ("waarom ligt het grofvuil er nog steeds in de Kanaalstraat", Kind.MELDING),  # a complaint, not a question
    # a question word that tells, not asks (a review)
    ("Wanneer ik langs de Kanaalstraat fiets zie ik grofvuil liggen", Kind.MELDING),
    ("Hoe kan het dat de lantaarnpaal in de Biltstraat al drie weken kapot is", Kind.MELDING),
    ("Waar de bus stopt ligt een kapotte stoeptegel", Kind.MELDING),
]


@pytest.mark.parametrize(("text", "kind"), QUESTION_OR_MELDING)
def test_a_melding_with_a_question_stays_a_melding(utrecht_router: Router, text: str, kind: Kind) -> None:
    assert utrecht_router.route(text).kind is kind


@pytest.mark.parametrize(("text", "terms", "expected"), [
    ("Er ligt grofvuil. Wanneer wordt dat opgehaald?", ("grofvuil",), True),
    ("De paal is kapot, kan iemand die maken?", ("paal",), True),
    ("Wanneer wordt het grofvuil opgehaald?", ("grofvuil",), False),  # one clause: the question itself
    ("Hallo, wanneer wordt het grofvuil opgehaald?", ("grofvuil",), False),  # the subject is in the question
    ("Er ligt GROFVUIL; wanneer komt u?", ("grofvuil",), True),  # the resident's own spelling, any case
    ("Er ligt iets. Wanneer komt u?", (), False),  # no subject: nothing was stated
    ("Wanneer wordt het grofvuil nou eens opgehaald!?", ("grofvuil",), False),  # one question, however it ends
    ("Wanneer wordt het grofvuil opgehaald...?", ("grofvuil",), False),
    ("Er ligt grofvuil!!! Wanneer komt u?!?", ("grofvuil",), True),
])
def test_states_before_asking(text: str, terms: tuple[str, ...], expected: bool) -> None:
    assert states_before_asking(text, terms) is expected
