"""domain.together: words that belong together in one sentence, as a beheerder writes them in signals.yaml."""

from __future__ import annotations

import pytest

from wijkbot.domain.together import Together

GAS = Together([[["gas", "gasmeter"], ["ruik", "ruikt", "sist"]]])


@pytest.mark.parametrize(("rules", "text", "expected"), [
    (GAS, "ik ruik volgens mij gas bij de meterkast", True),  # any order, words between
    (GAS, "Er SIST iets bij de gasmeter", True),  # any case
    (GAS, "de gasmeter is vervangen. Het ruikt hier naar verf", False),  # two sentences
    (GAS, "de gasrekening is hoog, ik ruik onraad", False),  # words as written: "gas" is no "gasrekening"
    (Together([[["gas*"], ["ruikt"]]]), "het ruikt bij de gasleiding", True),  # "woord*": its beginning
    (Together([[["niet meer zitten"], ["zie"]]]), "ik zie het echt niet meer zitten", True),  # a phrase in order
    (Together([[["niet meer zitten"], ["zie"]]]), "ik zie dat ze niet zitten, meer niet", False),
    (Together([]), "gas ruikt", False),
])
def test_holds(rules: Together, text: str, expected: bool) -> None:
    assert rules.holds(text) is expected
