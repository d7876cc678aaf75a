"""How the digest reads for one thing and for many, in Dutch and English, and what the scrubber left out said
in the reader's language: the document composed from literal facts, as the mail's text part shows it."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from wijkbot.digest import render
from wijkbot.digest.compose import Composer
from wijkbot.digest.wording import Wording
from wijkbot.domain.digest.facts import CaseFact, DigestFacts, EventFact, MessageFact
from wijkbot.domain.digest.summary import DigestPolicy, summarise
from wijkbot.domain.rules import RuleSet
from wijkbot.domain.weeks import IsoWeek
from wijkbot.i18n import Translator

ROOT = Path(__file__).resolve().parents[2]
TZ = "Europe/Amsterdam"
WEEK = IsoWeek(2026, 50)
START = WEEK.start(TZ)
POLICY = DigestPolicy(list_length=1)


def case(n: int, created: datetime, status: str = "toegewezen") -> CaseFact:
    return CaseFact(n, f"UT-2026-{n:06d}", "melding", status, "stadswerken", "telegram", created, WEEK.monday,
                    category="grofvuil", buurt="Lombok", buurt_code="BU03440123")


def facts(new_cases: int, messages: int, surveys: int) -> DigestFacts:
    """`new_cases` open cases made on the week's Saturday (one day old at its end and past their term)."""
    cases = tuple(case(n, START + timedelta(days=5, hours=10 + n)) for n in range(1, new_cases + 1))
    closed = case(99, START - timedelta(days=20), "afgehandeld")
    events = tuple(EventFact(START + timedelta(days=2, hours=n), "tevredenheid", closed,
                             {"score": 4, "opgelost": True, "toelichting": "Snel opgelost, dank je Anouk voor de hulp"})
                   for n in range(surveys))
    inbound = tuple(MessageFact(START + timedelta(days=1, hours=n), "telegram") for n in range(messages))
    return DigestFacts("West", WEEK, TZ, cases, cases, (), (), inbound, events, ())


def text_of(rules: RuleSet, lang: str, digest_facts: DigestFacts) -> str:
    words = Wording(rules, Translator.load(ROOT / "locales").for_area(rules.municipality.area_label,
                                                                      rules.municipality.areas_label), lang)
    digest = summarise(digest_facts, POLICY, ("West", "Lombok", "Stadswerken"))
    document = Composer(digest, words, "", POLICY).document(WEEK.end(TZ) + timedelta(hours=8))
    return render.text(document, words.t("digest.quotes.none"), width=1000)


@pytest.mark.parametrize(("lang", "counts", "expected", "not_expected"), [
    ("nl", (1, 1, 1), [
        "Deze week kwam er 1 nieuwe zaak binnen.", "Een bewoner stuurde 1 bericht (+1 ten opzichte van vorige week).",
        "Over de termijn: 1 (van 1 open zaak)", "(1 reactie van een bewoner)",
        "Aan het eind van de week stond er 1 zaak open. Daarvan is er 1 over de termijn.", " 1 dag ",
    ], ["nieuwe zaken binnen", "1 reacties", "1 open zaken", "1 dagen", "1 berichten"]),
    ("en", (1, 1, 1), [
        "This week 1 new case came in.", "A resident sent 1 message (+1 compared with last week).",
        "Past the term: 1 (of 1 open case)", "(1 resident answered)",
        "At the end of the week 1 case was open. 1 of them is past its term.", " 1 day ",
    ], ["1 new cases", "1 residents", "1 open cases", "1 days", "1 messages"]),
    ("nl", (2, 2, 2), [
        "Deze week kwamen er 2 nieuwe zaken binnen.", "Bewoners stuurden 2 berichten (+2 ten opzichte van vorige",
        "(van 2 open zaken)", "(2 reacties van bewoners)", "stonden er 2 zaken open. Daarvan zijn er 2 over de",
        "en nog 1: bekijk de hele lijst",
    ], ["bekijk ze allemaal"]),
    ("en", (2, 2, 2), [
        "This week 2 new cases came in.", "Residents sent 2 messages", "(of 2 open cases)", "(2 residents answered)",
        "2 cases were open. 2 of them are past their term.", "and 1 more: see the whole list",
    ], ["see them all"]),
    ("nl", (0, 0, 0), ["Deze week kwamen er 0 nieuwe zaken binnen.", "Bewoners stuurden 0 berichten",
                       "Deze week en de vier weken daarvoor kwam er niets binnen."], ["Deze weken"]),
    ("en", (0, 0, 0), ["This week 0 new cases came in.", "Nothing came in this week or in the four weeks before."],
     ["during these weeks"]),
])
def test_one_reads_singular_and_more_plural(utrecht_rules: RuleSet, lang: str, counts: tuple[int, int, int],
                                            expected: list[str], not_expected: list[str]) -> None:
    text = text_of(utrecht_rules, lang, facts(*counts))
    for phrase in expected:
        assert phrase in text, f"{lang}: {phrase!r} not in\n{text}"
    for phrase in not_expected:
        assert phrase not in text, f"{lang}: {phrase!r} in\n{text}"


@pytest.mark.parametrize(("lang", "quote", "footer"), [
    ("nl", '"Snel opgelost, dank je [weggelaten] voor de hulp"', "staat [weggelaten]."),
    ("en", '"Snel opgelost, dank je [left out] voor de hulp"', "it says [left out]."),
])
def test_what_was_left_out_is_said_in_the_readers_language(utrecht_rules: RuleSet, lang: str, quote: str,
                                                           footer: str) -> None:
    text = text_of(utrecht_rules, lang, facts(1, 1, 1))
    assert quote in text and footer in text
    assert "Anouk" not in text
    if lang == "en":
        assert "[weggelaten]" not in text
