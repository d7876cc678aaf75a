"""Case references in a resident's own words, table-driven: only the municipality's own prefix, stored form."""

from __future__ import annotations

import pytest

from wijkbot.domain.references import references_in


@pytest.mark.parametrize(("text", "expected"), [
    ("klacht over mijn melding UT-2026-000123", ["UT-2026-000123"]),
    ("over ut 2026 000123 en UT2026000124, en nog eens UT-2026-000123", ["UT-2026-000123", "UT-2026-000124"]),
    ("KW-2026-000123 is van Katwijk", []),  # another municipality's prefix
    ("OUT-2026-000123", []),  # part of another word
    ("UT-2026-0001234", []),  # one digit too many
    ("UT-26-000123", []),
    ("", []),
])
def test_references_in(text: str, expected: list[str]) -> None:
    assert references_in(text, "UT") == expected
