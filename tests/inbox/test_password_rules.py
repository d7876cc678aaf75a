"""Which passwords an ambtenaar may choose (services.passwords.check_password)."""

from __future__ import annotations

import pytest

from wijkbot.services.passwords import PasswordProblem, check_password


@pytest.mark.parametrize("password", [
    "aaaaaaaaaaaa",  # a trial's beheerder set this one
    "abababababab",
    "123456789012",
    "Wachtwoord2026!",
    "password1234",
    "Welkom123456",
    "qwertyuiop12",
    "ABCDEFGHIJKL",
    "!!!!????####",  # few distinct signs
    "P@ssw0rd2026!",  # a common word in leetspeak
    "Wachtwoord!Wachtwoord",  # a common word twice
    "1234567890ab",  # a run with a couple of letters
])
def test_a_guessable_password_is_refused_with_what_to_do(password: str) -> None:
    with pytest.raises(PasswordProblem, match=r"te makkelijk te raden.*een zin van een paar woorden"):
        check_password(password)


@pytest.mark.parametrize("password", [
    "een lange zin als wachtwoord",
    "paarse olifant fietst 3x",
    "Tr0mbone-Lamp-Gracht",
    "kx9#Lm2!vQ7z",
    "9#x7$2!4@8&1",  # random signs with a single letter
    "8$3#9!1@7%2^",  # random signs and digits, no letters (a review found these refused)
    "482915037264918",  # a random number
])
def test_a_good_password_is_accepted(password: str) -> None:
    check_password(password)  # no PasswordProblem


@pytest.mark.parametrize(("password", "said"), [
    ("kort", "minstens 12 tekens"),
    (" een zin met een spatie", "spatie"),
])
def test_the_other_rules_still_hold(password: str, said: str) -> None:
    with pytest.raises(PasswordProblem, match=said):
        check_password(password)
