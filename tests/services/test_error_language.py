"""Refusals for an ambtenaar who reads the inbox in English (services.error_language)."""

from __future__ import annotations

from datetime import date

import pytest

from wijkbot.services import actions
from wijkbot.services.action_base import ActionError, StaleCase
from wijkbot.services.error_language import in_language
from wijkbot.services.officer_texts import check_filled_in, check_text
from wijkbot.services.passwords import PasswordProblem, check_password


def refusal(action, *args) -> str:  # type: ignore[no-untyped-def]
    """What the service says when it refuses (the real message, not a copy of it)."""
    with pytest.raises((ActionError, PasswordProblem)) as raised:
        action(*args)
    return str(raised.value)


@pytest.mark.parametrize(("said", "english"), [
    (refusal(check_text, "  ", "een antwoord mag niet leeg zijn"), "a reply cannot be empty"),
    (refusal(check_text, "x" * 20_001, ""), "this text is too long (more than 20000 characters)"),
    (refusal(check_filled_in, "Beste bewoner, [Vul de reden aan.]"),
     "first fill in what is between [ ] and remove the brackets: [Vul de reden aan.]. Nothing was sent"),
    (refusal(actions._check_working_day, date(2026, 12, 12)), "12 december 2026 is a Saturday; choose a working day"),
    (refusal(actions._check_working_day, date(2026, 12, 25)),
     "25 december 2026 is a public holiday (Eerste Kerstdag); choose a working day"),
    (refusal(check_password, "kort"), "choose a password of at least 12 characters"),
    (refusal(check_password, "aaaaaaaaaaaa"), "this password is too easy to guess (like 'aaaaaaaaaaaa', "
     "'123456789012' or 'Password2026!'): choose for example a sentence of a few words"),
    (str(StaleCase("UT-2026-000001", 3)), "UT-2026-000001 was changed in the meantime by someone else. You now see "
     "the newest version; your input was not processed, but it is still in the form."),
    ("geef een reden: de zaak gaat dan ook naar Stadswerken", "give a reason: the case then also goes to Stadswerken"),
    ("UT-2026-000001 ligt al bij Stadswerken West", "UT-2026-000001 is already with Stadswerken West"),
    ("iets dat wijkbot later zegt", "iets dat wijkbot later zegt"),  # an unknown shape: as worded
])
def test_a_refusal_in_english(said: str, english: str) -> None:
    assert in_language(said, "en") == english
    assert in_language(said, "nl") == said
