"""BSNs and IBANs in a resident's message: `scrub` (digest quotes) removes them, `mask_contact` (the inbox's readers
who do not handle the case) masks them; dates, times, postcodes, house numbers, amounts and case references are
handled as before.

Made-up numbers only: every BSN here is computed with the elfproef below (111222333 and 123456782 are the
well-known test numbers), no real person's; the IBAN is the textbook example NL91 ABNA 0417 1643 00.
"""

from __future__ import annotations

import pytest

from wijkbot.domain.quotes import MASKED_KINDS, mask_contact
from wijkbot.domain.scrub import PLACEHOLDER, elfproef, find, mask, scrub

W = PLACEHOLDER


def _eleven_test(digits: str) -> bool:
    """The elfproef written out independently of the code under test: 9*d1 + 8*d2 + ... + 2*d8 - d9 = 0 mod 11."""
    d = [int(c) for c in digits]
    return len(d) == 9 and sum(d) > 0 and (sum((9 - n) * d[n] for n in range(8)) - d[8]) % 11 == 0


VALID = ("111222333", "123456782", "012345672", "234567806", "098765401")
INVALID = ("123456789", "987654321", "612345678", "111222334", "000000000")


def test_the_test_numbers_are_what_they_claim() -> None:
    assert all(_eleven_test(n) for n in VALID)
    assert not any(_eleven_test(n) for n in INVALID)
    assert [elfproef(n) for n in VALID] == [True] * len(VALID)
    assert [elfproef(n) for n in INVALID] == [False] * len(INVALID)
    assert elfproef("1234.56.782") and elfproef("111 222 333") and elfproef("012-345-672")
    assert not elfproef("12345678") and not elfproef("1234567820")  # eight or ten digits: no BSN


# (text, what scrub and mask_contact both make of it)
REMOVED_BY_BOTH = [
    # a bare number that passes the elfproef, as people write it: nine digits, 3-3-3, 4-2-3 with spaces, dots, dashes
    ("mijn nummer is 123456782 hoor", f"mijn nummer is {W} hoor"),
    ("111222333", W),
    ("het is 012345672.", f"het is {W}."),
    ("zie 123 456 782 of 111.222.333", f"zie {W} of {W}"),
    ("op het paspoort: 1234.56.782, toch?", f"op het paspoort: {W}, toch?"),
    ("2345-67-806 staat op de brief", f"{W} staat op de brief"),
    ("234 567 806 en 098765401", f"{W} en {W}"),
    # after the word any number of eight or nine digits goes, also one that fails the elfproef; the word stays
    ("mijn bsn is 123456789", f"mijn bsn is {W}"),
    ("BSN: 98765432 (acht cijfers)", f"BSN: {W} (acht cijfers)"),
    ("bsn-nummer 1234.56.789 klopt", f"bsn-nummer {W} klopt"),
    ("BSN nr. 987 654 321", f"BSN nr. {W}"),
    ("burgerservicenummer is: 612345678", f"burgerservicenummer is: {W}"),
    ("Burgerservicenummer (BSN): 12345678", f"Burgerservicenummer (BSN): {W}"),
    ("mijn sofinummer 111222334 staat erop", f"mijn sofinummer {W} staat erop"),
    ("sofi-nummer=123456789", f"sofi-nummer={W}"),
    # IBANs: with and without spaces, in lower case
    ("graag terugstorten op NL91 ABNA 0417 1643 00 svp", f"graag terugstorten op {W} svp"),
    ("iban: NL91ABNA0417164300.", f"iban: {W}."),
    ("nl91 abna 0417 1643 00", W),
    ("rekening nl91abna0417164300 van mij", f"rekening {W} van mij"),
    # phone numbers go as a whole, as before; their digits do not become a BSN
    ("bel 06-12345678 of 030 286 12 34", f"bel {W} of {W}"),
    ("bel +31 6 1234 5678", f"bel {W}"),
]


@pytest.mark.parametrize(("text", "expected"), REMOVED_BY_BOTH)
def test_scrub_removes_bsns_and_ibans(text: str, expected: str) -> None:
    assert scrub(text) == expected
    assert not find(scrub(text), ("email", "link", "iban", "phone", "bsn"))


@pytest.mark.parametrize(("text", "expected"), REMOVED_BY_BOTH)
def test_mask_contact_masks_bsns_and_ibans(text: str, expected: str) -> None:
    masked = mask_contact(text)
    assert masked == expected
    assert not find(masked, MASKED_KINDS)


@pytest.mark.parametrize("text", [
    # nine digits that fail the elfproef, without the word: an ordinary number stays readable for the ambtenaar
    "klantnummer 123456789 bij de energieleverancier",
    "meterstand 987654321",
    "612345678",
    "000000000",
    "123 456 789 en 1111.22.334",
    # nor is a number that is part of a longer one, or an amount, a BSN (123456782 passes the elfproef)
    "€ 123.456.782 schade",
    "€123456782",
    "EUR 111222333",
    "111222333 euro",
    "111.222.333,50",
    "111222333,- per jaar",
    "1.123456782 en 1234567820 en 111222333444",
    "+111222333",
    "foto_111222333.jpg",
    "bsn 1234567 (zeven cijfers) en bsn 1234567890 (tien)",
    # what was no contact data before stays: dates, times, a postcode, house numbers, counts, a case reference
    "al 3 weken, sinds 12-03-2026 om 10:30, zie UT-2026-000012",
    "op 2026-03-12 om 10.30 uur en 12.03.2026",
    "Er ligt grofvuil naast de container in de Kanaalstraat 12, 3531 AB",
    "op huisnummer 7 en nummer 123-125, 12 december om 10 uur, 2 keer",
    "Mijn IBAN is niet nodig, BSN ook niet",
])
def test_mask_contact_keeps_other_numbers(text: str) -> None:
    assert mask_contact(text) == text


@pytest.mark.parametrize(("text", "expected"), [
    # amounts, dates and times stay in a digest quote too (quotable then leaves out a quote with many digits)
    ("€ 123.456.782 schade", "€ 123.456.782 schade"),
    ("sinds 12-03-2026 om 10:30", "sinds 12-03-2026 om 10:30"),
    # postcodes and house numbers go, as before; a long number after "nummer" goes whole, not its first digits
    ("Kanaalstraat 12, 3531 AB", W),
    ("mijn nummer 123456789 klopt niet", f"mijn {W} klopt niet"),
    ("bsn-nummer 1234567890", f"bsn-{W}"),
    # a BSN and an IBAN in one message
    ("bsn 123456782, iban NL91ABNA0417164300, bel 0612345678", f"bsn {W}, iban {W}, bel {W}"),
])
def test_scrub_keeps_or_removes_other_numbers_as_before(text: str, expected: str) -> None:
    assert scrub(text) == expected


def test_a_number_that_fails_the_elfproef_is_no_bsn_for_find_and_mask() -> None:
    assert find("111222334 en 111222333", ("bsn",)) == [("bsn", "111222333")]
    assert mask("111222334 en 111222333", ("bsn",), "[x]") == "111222334 en [x]"
    assert mask("bsn 111222333", ("phone", "email")) == "bsn 111222333"  # only the kinds asked for
