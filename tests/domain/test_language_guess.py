"""Whether a first message is plainly English (table-driven)."""

from __future__ import annotations

import pytest

from wijkbot.domain.language_guess import plainly_english


@pytest.mark.parametrize(("text", "expected"), [
    ("Hi, there is a huge pile of garbage bags next to the underground container on Twijnstraat", True),
    ("The street light in Kanaalstraat is broken.", True),
    ("There are rats in the playground of the Croeselaan", True),
    ("de lamp is broken", False),  # a Dutch message with an English word
    ("Er ligt grofvuil naast de container", False),
    ("Is de lantaarnpaal al gerepareerd?", False),
    ("Hoi, can you help me met mijn melding", False),  # mixed: no guess
    ("I smell gas", False),  # too short to be sure
    ("Hi, lantaarnpaal was stuk of zo", False),  # Dutch writes "hi", "was" and "of" too
    ("", False),
])
def test_plainly_english(text: str, expected: bool) -> None:
    assert plainly_english(text) is expected
