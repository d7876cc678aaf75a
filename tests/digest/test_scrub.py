"""Residents' own words lose names, addresses and contact data before a digest quotes them."""

from __future__ import annotations

import pytest

from wijkbot.domain.quotes import quotable
from wijkbot.domain.scrub import PLACEHOLDER, scrub

W = PLACEHOLDER


@pytest.mark.parametrize(("text", "expected"), [
    ("Mail me op jan.devries@example.org graag", f"Mail me op {W} graag"),
    ("mail: piet(at)voorbeeld.nl", f"mail: {W}"),
    ("Bel 06-12345678 even", f"Bel {W} even"),
    ("Bel 06 1234 5678 even", f"Bel {W} even"),
    ("Bel +31 6 12345678 even", f"Bel {W} even"),
    ("Bel 0031 (0)30 286 1234 even", f"Bel {W} even"),
    ("Bel 030-2861234 even", f"Bel {W} even"),
    ("Bel 0302861234 even", f"Bel {W} even"),
    ("Postcode 3562 AB klopt", f"Postcode {W} klopt"),
    ("postcode 3562ab klopt", f"postcode {W} klopt"),
    ("Ik woon op de Zamenhofdreef 12a.", f"Ik woon {W}."),  # more goes than needed: fine
    ("Kanaalstraat 45-bis heeft last", f"{W} heeft last"),
    ("Van Asch van Wijckstraat 4 is het", f"{W} is het"),
    ("op huisnummer 7 dus", f"op {W} dus"),
    ("Mijn IBAN is NL91 ABNA 0417 1643 00 toch", f"Mijn IBAN is {W} toch"),
    ("Zie https://example.org/foto?id=3", f"Zie {W}"),
    ("Mijn naam is Jan de Vries. Het is opgelost", f"Mijn naam is {W}. Het is opgelost"),
    ("ik heet karin en het is opgelost", f"ik heet {W}"),
    ("Ik ben Karin en de lamp brandt weer", f"Ik ben {W} en de lamp brandt weer"),
    ("Mevrouw De Boer was vriendelijk", f"Mevrouw {W} was vriendelijk"),
    ("Snel opgelost! Met vriendelijke groet, Piet Jansen", f"Snel opgelost! Met vriendelijke groet {W}"),
    ("Top, groetjes anna", f"Top, groetjes {W}"),
    # kept: no personal data
    ("Ik ben tevreden over de snelle reactie", "Ik ben tevreden over de snelle reactie"),
    ("Het duurde 3 dagen maar toen was het goed", "Het duurde 3 dagen maar toen was het goed"),
    ("Om 10 uur was het opgelost", "Om 10 uur was het opgelost"),
    ("De Zamenhofdreef is weer schoon", "De Zamenhofdreef is weer schoon"),
])
def test_scrub(text: str, expected: str) -> None:
    assert scrub(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("De Zamenhofdreef is weer schoon", "De Zamenhofdreef is weer schoon"),
    ("Snel geholpen door Stadswerken", "Snel geholpen door Stadswerken"),
    ("Bel me op 06-12345678, dank", f"Bel me op {W}, dank"),
    # in doubt: left out
    ("Ik woon in Overvecht en Jan Pietersen hielp mij", None),  # two capitalised words: maybe a name
    ("bel 030 28 61", None),  # digits left that are no known format
    ("", None),
    ("Mijn naam is Jan", None),  # nothing left worth quoting
    ("Reactie: 123456 was mijn nummer", None),
])
def test_quotable(text: str, expected: str | None) -> None:
    assert quotable(text, ("Overvecht", "Zamenhofdreef", "Stadswerken")) == expected


def test_a_long_quote_is_cut_at_a_word() -> None:
    quote = quotable("Het is heel goed opgelost " * 30, limit=60)
    assert quote is not None and len(quote) <= 60 and quote.endswith("…")
