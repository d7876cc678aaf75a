"""`mask_contact`: the phone numbers, e-mail addresses, IBANs and BSNs a resident typed into a message are left out,
the rest of the message stays as written (the inbox's lists, readers who do not handle the case, `wijkbot show`).

Made-up numbers and addresses only (BSNs computed with the elfproef; more cases in test_scrub_numbers.py).
"""

from __future__ import annotations

import re
from functools import partial

import pytest

from wijkbot.domain import scrub
from wijkbot.domain.access import Access, CaseReach, Person, Role, needs_reason_for_contact, reads_contact_in_texts
from wijkbot.domain.quotes import CONTACT_KINDS, MASKED_KINDS, mask_contact
from wijkbot.domain.scrub import PLACEHOLDER, find

W = PLACEHOLDER


@pytest.mark.parametrize(("text", "expected"), [
    # the trial's sentence: a mobile number with a dash and an e-mail address
    ("Mijn telefoon is 06-12345678 en mail jan.jansen@voorbeeld.nl",
     f"Mijn telefoon is {W} en mail {W}"),
    # mobile and landline numbers as people write them: spaces, dots, none, +31 and 0031, "(0)"
    ("bel 06 1234 5678 of 030 286 12 34", f"bel {W} of {W}"),
    ("Tel.: 0612345678.", f"Tel.: {W}."),
    ("bereikbaar op +31 6 1234 5678 en 0031 (0)30 2861234", f"bereikbaar op {W} en {W}"),
    ("030.286.12.34 na 17 uur", f"{W} na 17 uur"),
    # e-mail addresses, also the "(at)" spelling people use to dodge spam
    ("mail naar piet+meldingen@mail.example.org graag", f"mail naar {W} graag"),
    ("jan (at) voorbeeld.nl", W),
    ("JAN.JANSEN@VOORBEELD.NL", W),
    ("mail jan(at)voorbeeld(dot)nl of jan [at] voorbeeld [punt] nl", f"mail {W} of {W}"),
    ("of jan at voorbeeld dot nl, of jan(apestaartje)voorbeeld.nl", f"of {W}, of {W}"),
    ("Mail: jan apenstaartje voorbeeld punt nl", f"Mail: {W}"),  # the other Dutch spelling, and "punt"
    ("bel (030) 286 12 34 of 030 - 286 12 34", f"bel {W} of {W}"),
    # an IBAN, also in lower case or without spaces, and a BSN (elfproef, or any number after the word)
    ("graag terugstorten op NL91 ABNA 0417 1643 00", f"graag terugstorten op {W}"),
    ("op nl91abna0417164300 graag", f"op {W} graag"),
    ("mijn bsn is 123456782", f"mijn bsn is {W}"),
    ("BSN: 1234.56.789, geboren 12-03-1980", f"BSN: {W}, geboren 12-03-1980"),
    ("het nummer 111 222 333 staat op de brief", f"het nummer {W} staat op de brief"),
    # ... but nine digits that fail the elfproef, without the word, stay: they may be a meter or customer number
    ("meterstand 123456789 op 12-03-2026", "meterstand 123456789 op 12-03-2026"),
    # ... but "at" in an English sentence with a time or a number is no address
    ("the lamp at 5.30 pm, at number 12.5", "the lamp at 5.30 pm, at number 12.5"),
    ("we meet at home dot", "we meet at home dot"),
    ("The street light at Oudegracht.It is dark", "The street light at Oudegracht.It is dark"),
    ("Look at this.Thanks", "Look at this.Thanks"),
    # what is no contact data stays: the place of the problem, dates, times, counts, a reference, a link
    ("Er ligt grofvuil naast de container in de Kanaalstraat 12, 3531 AB",
     "Er ligt grofvuil naast de container in de Kanaalstraat 12, 3531 AB"),
    ("al 3 weken, sinds 01-03-2026 om 10:30, zie UT-2026-000012",
     "al 3 weken, sinds 01-03-2026 om 10:30, zie UT-2026-000012"),
    ("meer op https://www.utrecht.nl/afval", "meer op https://www.utrecht.nl/afval"),
    ("Mijn naam is Jan", "Mijn naam is Jan"),
    # the rest of the text keeps its line breaks and punctuation
    ("Hallo,\n\nbel me: 06-12345678!\nGroet", f"Hallo,\n\nbel me: {W}!\nGroet"),
    ("", ""),
])
def test_only_contact_data_is_left_out(text: str, expected: str) -> None:
    assert mask_contact(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the list's preview ends in the middle of a number or an address no pattern recognises any more
    ("De container is vol. Bel me op 06-1234", "De container is vol. Bel me op…"),
    ("De container is vol. Bel me op 06 12 34", "De container is vol. Bel me op…"),
    ("Mail jan [at] voorbeeld [punt] n", "Mail…"),
    ("of jan at voorbeeld dot n", "of…"),
    ("De container is vol, mail jan.jansen@voorb", "De container is vol, mail…"),
    ("De container is vol, mail jan.jansen @ voo", "De container is vol, mail…"),
    # a whole number before the cut is masked as ever; the last (maybe half) word goes
    ("Bel 06-12345678 over de container in de Kanaalstr", f"Bel {W} over de container in de…"),
    ("12 december om 10 uur is de contai", "12 december om 10 uur is de…"),
    ("0612", "…"),
    # half an IBAN: the digits, and its start (country, check digits, bank code) before them
    ("Graag terugstorten op NL91 ABNA 04", "Graag terugstorten op…"),
    ("Graag terugstorten op NL91 ABNA 0417 1643 0", "Graag terugstorten op…"),
    ("Graag terugstorten op NL91ABNA 0417", "Graag terugstorten op…"),
    ("Graag terugstorten op nl91 ab", "Graag terugstorten op…"),
    ("Graag terugstorten op NL91", "Graag terugstorten op…"),
    # half a BSN, after the word or in groups
    ("Mijn bsn is 1234", "Mijn bsn is…"),
    ("Mijn bsn is 123 456 78", "Mijn bsn is…"),
    ("Het nummer is 1234.56.7", "Het nummer is…"),
    # a whole IBAN or BSN before the cut is masked as ever
    ("Op NL91 ABNA 0417 1643 00 of bsn 123456782 staat het bij de contai", f"Op {W} of bsn {W} staat het bij de…"),
])
def test_a_cut_off_text_loses_its_last_word_and_the_number_pieces_before_it(text: str, expected: str) -> None:
    assert mask_contact(text, cut=True) == expected


def test_the_marker_is_the_readers_word() -> None:
    assert mask_contact("bel 06-12345678", "[left out]") == "bel [left out]"
    assert mask_contact("bel 06-12345678", r"\1 [x]") == r"bel \1 [x]"  # taken as text, not as a pattern


@pytest.mark.parametrize("text", [
    "Mijn telefoon is 06-12345678 en mail jan.jansen@voorbeeld.nl",
    "bel +31 6 1234 5678, 030-2861234, 0031302861234 of mail a.b@c.nl en x (at) y.org",
    "nummer 0612345678/0687654321 en foo@bar.com;bar@foo.com",
    "iban NL91 ABNA 0417 1643 00, nl91abna0417164300; bsn 111222333, 1234.56.782 en sofinummer 98765432",
])
def test_scrub_finds_no_contact_data_in_what_is_left(text: str) -> None:
    masked = mask_contact(text)
    assert find(masked, MASKED_KINDS) == [], masked
    assert not re.search(r"\d{6,}", masked.replace(" ", ""))


def test_the_masked_kinds_are_the_contact_data_and_the_identifying_numbers() -> None:
    assert set(CONTACT_KINDS) < set(MASKED_KINDS) == {"email", "phone", "iban", "bsn"}


def test_only_the_cases_officer_and_team_read_contact_data_in_texts() -> None:
    """An invited colleague (9) and the wijkregisseur following the wijk read it masked; only the officer's
    level (HANDLE) reveals without a reason."""
    case = CaseReach("stadswerken-west", "West", 1, frozenset({9}))
    officer = Person(1, "Anouk", frozenset({Role.BEHANDELAAR}), frozenset({"stadswerken-west"}))
    teammate = Person(2, "Bram", frozenset({Role.TEAMLEIDER}), frozenset({"stadswerken-west"}))
    regisseur = Person(3, "Noor", frozenset({Role.WIJKREGISSEUR}), frozenset({"wijkbureau-west"}), frozenset({"West"}))
    helper = Person(9, "Ilse", frozenset({Role.BEHANDELAAR}), frozenset({"vth"}))
    beheerder = Person(4, "Olaf", frozenset({Role.BEHEERDER}))
    assert [reads_contact_in_texts(p, case) for p in (officer, teammate, regisseur, helper, beheerder)] == [
        True, True, False, False, False]
    assert [needs_reason_for_contact(level) for level in Access] == [True, True, True, False]


@pytest.mark.parametrize("text", [
    "mail jan\nat voorbeeld dot nl", "mail jan\tat voorbeeld dot nl", "mail jan\xa0at voorbeeld dot nl",
    "mail jan at\nvoorbeeld dot nl", "jan(AT)voorbeeld.nl", "jan [At] voorbeeld.nl", "JAN@VOORBEELD.NL",
    "bel ０６-１２３４５６７８", "jan(apeſtaartje)voorbeeld.nl",
])
def test_the_quick_check_never_skips_what_the_rules_would_mask(text: str) -> None:
    """mask() skips a rule the text cannot hold (no digit, no way of writing "@"): the result must be what the
    rules give without that shortcut."""
    unfiltered = text
    for kind, pattern in scrub._RULES:
        if kind in MASKED_KINDS:
            unfiltered = pattern.sub(partial(scrub._replace, kind, scrub.PLACEHOLDER), unfiltered)
    assert mask_contact(text) == unfiltered
