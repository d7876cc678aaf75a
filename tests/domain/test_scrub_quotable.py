"""What a wijkregisseur reads of a resident's survey explanation: no word that may point at a person.

Made-up sentences only. The allow-list is the one the digest passes (services/digests.py `figures`): the
Utrecht wijken, buurten, streets, departments and the municipality's name.
"""

from __future__ import annotations

import pytest

from wijkbot.domain.quotes import quotable
from wijkbot.domain.rules import RuleSet
from wijkbot.domain.scrub import PLACEHOLDER

W = PLACEHOLDER


@pytest.fixture(scope="module")
def names(utrecht_rules: RuleSet) -> tuple[str, ...]:
    rules = utrecht_rules
    return (*rules.wijken, *(b.name for b in rules.buurten), *rules.streets,
            *(d.name for d in rules.departments.values()), rules.municipality.name)


@pytest.mark.parametrize(("text", "expected"), [
    # a family, an officer or someone "called" by name, in lower case; a double first name
    ("bij de familie el amrani staat de container altijd vol", f"bij de familie {W} staat de container altijd vol"),
    ("the guy called john keeps parking here", f"the guy called {W} here"),
    ("ambtenaar henk-jan hielp me heel goed met alles", f"ambtenaar {W} hielp me heel goed met alles"),
    # a neighbour named in lower case after "buurman", and a handle after "volg mij op"
    ("mijn buurman kees de boer en ik zijn het zat, volg mij op keesdeboer_030 voor de fotos",
     f"mijn buurman {W} en ik zijn het zat, volg mij op {W} voor de fotos"),
    # a first name at the start of a sentence, and a house number in words
    ("Henk van nummer negen zet zijn vuilniszakken altijd naast de container",
     f"{W} zet zijn vuilniszakken altijd naast de container"),
    ("Mijn dochter Fenna is gestruikeld over een losse stoeptegel",
     f"Mijn dochter {W} is gestruikeld over een losse stoeptegel"),
    ("Dank je Ilse, de lantaarnpaal brandt weer", f"Dank je {W}, de lantaarnpaal brandt weer"),
    # a capitalised word inside a sentence that is no known place, department or municipality
    ("Het afval is opgehaald door Bakkerink en het ziet er netjes uit",
     f"Het afval is opgehaald door {W} en het ziet er netjes uit"),
    ("Het is (volgens Terpstra) nog steeds kapot bij ons", f"Het is (volgens {W}) nog steeds kapot bij ons"),
    # a sentence that starts with a first name or a surname
    ("Sanne zegt dat de container al weken vol zit", f"{W} zegt dat de container al weken vol zit"),
    ("De Graaf heeft de bladeren gelukkig weggehaald", f"{W} heeft de bladeren gelukkig weggehaald"),
    ("Gijsbrecht van hiernaast zet zijn fiets altijd op de stoep",
     f"{W} van hiernaast zet zijn fiets altijd op de stoep"),
    ("Het was laat. Noor van de overkant heeft toen gebeld", f"Het was laat. {W} van de overkant heeft toen gebeld"),
    ("Sanne van der Meer zegt dat de container al weken vol zit", f"{W} zegt dat de container al weken vol zit"),
    # after a person word or a naming word, also in lower case: one to three words, up to a function word
    ("de buurvrouw marijke belde ook al drie keer", f"de buurvrouw {W} belde ook al drie keer"),
    ("de jongen heet olaf en hij gooit steeds vuurwerk", f"de jongen heet {W} en hij gooit steeds vuurwerk"),
    ("een medewerker genaamd rutger heeft mij goed geholpen",
     f"een medewerker {W} heeft mij goed geholpen"),
    ("Fijn dat mevrouw terpstra zo snel terugbelde over de stoep",
     f"Fijn dat mevrouw {W} zo snel terugbelde over de stoep"),
    ("Fijn dat dhr. bakkerink zo snel kwam kijken naar de stoep",
     f"Fijn dat dhr. {W} zo snel kwam kijken naar de stoep"),
    # handles and plates: an underscore, a dot inside a word, letters mixed with digits
    ("De bestelbus met kenteken vx123b staat al weken op de stoep",
     f"De bestelbus met kenteken {W} staat al weken op de stoep"),
    ("Kijk op instagram bij schoon.straatje voor de fotos", f"Kijk op instagram bij {W} voor de fotos"),
    ("Volg me op TikTok: schonestoep voor alle fotos van de troep",
     f"Volg me op TikTok: {W} voor alle fotos van de troep"),
    ("mijn insta is zwerfvuiljager en daar staan de fotos", f"mijn insta is {W} en daar staan de fotos"),
])
def test_words_that_may_name_someone_are_left_out(names: tuple[str, ...], text: str, expected: str) -> None:
    assert quotable(text, names) == expected


@pytest.mark.parametrize("text", [
    "Ik heb Bram gebeld, toen Ilse, toen Joost en toen Fenna maar niemand deed iets",
    "mijn buurman joost en zijn zoon daan roepen steeds naar Ilse en Terpstra",
])
def test_a_quote_that_needs_too_many_omissions_is_left_out(names: tuple[str, ...], text: str) -> None:
    assert quotable(text, names) is None


@pytest.mark.parametrize("text", [
    "De Kanaalstraat is weer vol afval",
    "Ik woon aan De Kanaalstraat en het is er vies",
    "Het grofvuil is snel opgehaald door Stadswerken, top",
    "In Overvecht is het afval nooit op tijd weg",
    "De stoep in Oog in Al ligt er slecht bij",
    "De gemeente Utrecht doet er niets aan",
    "Ik heb het via Telegram gemeld en het ging goed",
    "Mijn buurman heeft ook al gebeld over de lamp",
    "mijn vrouw en ik zijn heel blij met de nieuwe lantaarnpaal",
    "Het duurde tot de 3e keer bellen voordat er iets gebeurde",
    "Super snel geholpen Bedankt en Top gedaan",
    "Sinds Pasen ligt er grofvuil naast de container. Het stinkt!",
])
def test_an_ordinary_complaint_stays_as_the_resident_wrote_it(names: tuple[str, ...], text: str) -> None:
    assert quotable(text, names) == text


@pytest.mark.parametrize(("text", "expected"), [
    # a BSN (elfproef, or any number after the word) and an IBAN go; "BSN" and "IBAN" name no one
    ("Mijn BSN is 123456782 maar de lamp is nog steeds kapot", f"Mijn BSN is {W} maar de lamp is nog steeds kapot"),
    ("bsn: 1234.56.789 staat erbij, de container is nog vol", f"bsn: {W} staat erbij, de container is nog vol"),
    ("Graag terugstorten op NL91 ABNA 0417 1643 00 want de schade kwam door de boom",
     f"Graag terugstorten op {W} want de schade kwam door de boom"),
    ("Mijn IBAN nl91abna0417164300 staat al in het formulier", f"Mijn IBAN {W} staat al in het formulier"),
    # nine digits that fail the elfproef stay after scrub, so the quote is left out
    ("Het gaat om meterstand 123456789 en de lamp is kapot", None),
])
def test_a_bsn_or_iban_is_left_out_of_a_quote(names: tuple[str, ...], text: str, expected: str | None) -> None:
    assert quotable(text, names) == expected
