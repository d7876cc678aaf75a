"""Which open case a new melding duplicates: same category, same place, within the window (table-driven)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from wijkbot.domain.duplicates import CaseKey, DuplicatePolicy, find_lead, house_number, place_match

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
POLICY = DuplicatePolicy(window_days=14, kinds=("melding",))


def key(case_id: int = 0, kind: str = "melding", category: str | None = "lantaarnpaal",
        street: str | None = "Kanaalstraat", buurt: str | None = "BU03440412", days_ago: float = 1,
        duplicate_of: int | None = None, number: int | None = None) -> CaseKey:
    return CaseKey(kind, category, street, buurt, NOW - timedelta(days=days_ago), case_id, duplicate_of, number)


@pytest.mark.parametrize(("new", "lead", "expected"), [
    (key(), key(1), "straat"),
    (key(street="kanaalstraat"), key(1), "straat"),
    (key(street=None), key(1), "buurt"),
    (key(), key(1, street=None), "buurt"),
    (key(street="Damstraat"), key(1), None),  # two streets in one buurt are two places
    (key(street=None, buurt="BU1"), key(1, street=None, buurt="BU2"), None),
    (key(street=None, buurt=None), key(1, street=None), None),
    # one street, two house numbers: a few doors apart is one place, further apart two; unknown is no difference
    (key(number=45), key(1, number=120), None),
    (key(number=124), key(1, number=120), "straat"),
    (key(number=110), key(1, number=120), "straat"),
    (key(number=109), key(1, number=120), None),
    (key(number=45), key(1), "straat"),
    (key(), key(1, number=120), "straat"),
])
def test_place(new: CaseKey, lead: CaseKey, expected: str | None) -> None:
    assert place_match(new, lead) == expected


@pytest.mark.parametrize(("new", "leads", "expected"), [
    (key(), [key(1)], 1),
    (key(), [key(1, category="afval")], None),  # another subject
    (key(category=None), [key(1, category=None)], None),  # a triage guess is never linked
    (key(kind="vraag"), [key(1, kind="vraag")], None),  # only the configured kinds
    (key(), [key(1, days_ago=15)], None),  # older than the window
    (key(), [key(1, days_ago=13.9)], 1),
    (key(), [key(1, duplicate_of=7)], None),  # clusters stay one level deep
    (key(), [key(1, street=None, days_ago=5), key(2, days_ago=2)], 2),  # same street beats same buurt
    (key(), [key(3, days_ago=2), key(2, days_ago=4)], 2),  # then the oldest lead
    (key(), [], None),
])
def test_find_lead(new: CaseKey, leads: list[CaseKey], expected: int | None) -> None:
    lead = find_lead(new, leads, POLICY, NOW)
    assert (lead.case_id if lead else None) == expected


def test_switched_off_with_a_zero_window() -> None:
    assert find_lead(key(), [key(1)], DuplicatePolicy(window_days=0), NOW) is None


@pytest.mark.parametrize(("text", "street", "expected"), [
    ("De lamp voor Kanaalstraat 120, 3531 CJ is kapot", "Kanaalstraat", 120),
    ("street light on Kanaalstraat 45 is broken", "Kanaalstraat", 45),
    ("Kanaalstraat 120a, de lamp", "Kanaalstraat", 120),
    ("kanaalstraat, nr. 7", "Kanaalstraat", 7),
    ("In de Kanaalstraat ter hoogte van 56", "Kanaalstraat", 56),
    ("Er zit een gat op de Biltstraat bij nummer 100", "Biltstraat", 100),
    ("lamp kapot, huisnummer 33", "Kanaalstraat", 33),
    ("kanaalstraat 3531 CJ, lamp kapot", "Kanaalstraat", None),  # a postcode, no house number
    ("lamp kapot in de Kanaalstraat sinds 2 dagen", "Kanaalstraat", None),
    ("mijn melding nummer UT-2026-000001", None, None),
    ("melding nummer 123456", None, None),
    # a number that is no house number: better unknown (no difference) than a wrong one (a cluster split)
    ("paal nummer 345 in de Kanaalstraat is kapot", "Kanaalstraat", None),
    ("Kanaalstraat: bel mij op nummer 06 12345678", "Kanaalstraat", None),
    ("Kanaalstraat 06 12345678", "Kanaalstraat", None),
    ("Kanaalstraat 3 lampen kapot", "Kanaalstraat", None),
    ("Kanaalstraat 2x gemeld", "Kanaalstraat", None),
    ("Kanaalstraat 2026-000001", "Kanaalstraat", None),
])
def test_house_number(text: str, street: str | None, expected: int | None) -> None:
    assert house_number(text, street) == expected
