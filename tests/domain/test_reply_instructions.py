"""What is left of a template's instructions in square brackets: an answer that still holds one is not sent."""

from __future__ import annotations

import pytest

from wijkbot.domain.templates import open_instructions


@pytest.mark.parametrize(("text", "left"), [
    ("De reden: [Vul de reden aan.]", ["[Vul de reden aan.]"]),
    ("[Noem een alternatief.] Wilt u erover praten?", ["[Noem een alternatief.]"]),
    ("Opgehaald op [datum], en [add the date]", ["[datum]", "[add the date]"]),
    ("We hebben het gecontroleerd.", []),
    ("U schreef: bel [weggelaten] of mail [Weggelaten]", []),  # what masking leaves is no instruction
    ("Zie punt [1] en [ ] en [2.3]", []),  # no letter: no instruction
    ("Een half [haakje", []),
    ("[regel één\nregel twee]", []),  # an instruction is one line
    ("Zie [de website](https://www.utrecht.nl)", []),  # a link, not an instruction
    ("[" + "a" * 20_000, []),
    ("[" * 10_000 + "]", []),
])
def test_open_instructions(text: str, left: list[str]) -> None:
    assert open_instructions(text) == left
