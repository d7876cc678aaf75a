"""Password hashing (argon2id through argon2-cffi) and the password rules, off the event loop.

Invariants: only argon2id hashes are stored; hashing and verifying run in a worker thread (tens of
milliseconds of CPU each), so a login never stalls other requests; a wrong password and an unknown account
cost the same time (a dummy hash is verified), so timing does not tell which e-mail addresses exist.
"""

from __future__ import annotations

import asyncio

import argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 12
MAX_LENGTH = 1024


class PasswordProblem(ValueError):
    """A password that does not meet the rules, with a message for the ambtenaar."""


# Words a guesser tries first, alone or with digits and signs around them (NCSC and NIST: refuse the passwords
# that are known to be used, rather than demand a mix of character kinds).
COMMON_WORDS = frozenset((
    "wachtwoord", "password", "passwort", "welkom", "welcome", "geheim", "secret", "qwerty", "azerty", "admin",
    "beheerder", "gemeente", "wijkbot", "wijkbureau", "letmein", "iloveyou", "zomer", "winter", "lente", "herfst",
))
MIN_DISTINCT = 5
_KEYBOARD_RUNS = ("abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiop", "asdfghjkl", "zxcvbnm", "azertyuiop")


def check_password(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise PasswordProblem(f"kies een wachtwoord van minstens {MIN_LENGTH} tekens")
    if len(password) > MAX_LENGTH:
        raise PasswordProblem(f"een wachtwoord mag hoogstens {MAX_LENGTH} tekens zijn")
    if password.strip() != password or not password.strip():
        raise PasswordProblem("een wachtwoord mag niet beginnen of eindigen met een spatie")
    if guessable(password):
        raise PasswordProblem("dit wachtwoord is te makkelijk te raden (zoals 'aaaaaaaaaaaa', '123456789012' of "
                              "'Wachtwoord2026!'): kies bijvoorbeeld een zin van een paar woorden")


def guessable(password: str) -> bool:
    """A password of a few distinct characters, a run along the alphabet or the keyboard, or a common word with
    only digits and signs added (a trial's beheerder could set "aaaaaaaaaaaa")."""
    lowered = password.casefold()
    if len(set(lowered)) < MIN_DISTINCT:
        return True
    letters = "".join(ch for ch in lowered if ch.isalpha())
    if not letters or letters in COMMON_WORDS:
        return True
    compact = "".join(ch for ch in lowered if ch.isalnum())
    # (the letters alone only when there are a few: "9#x7$2!4@8&1" holds one letter, which any run holds)
    runs = (compact, letters) if len(letters) >= 4 else (compact,)
    return any(text in run or text in run[::-1] for run in _KEYBOARD_RUNS for text in runs)


class PasswordHasher:
    """argon2id with argon2-cffi's recommended parameters (RFC 9106 low-memory profile)."""

    def __init__(self, time_cost: int = 3, memory_kib: int = 65536) -> None:
        self._hasher = argon2.PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, type=argon2.Type.ID)
        self._dummy: str | None = None  # made on first use: hashing costs tens of milliseconds

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._hasher.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """Whether the password matches; a missing hash costs as much as a real check."""
        def _verify() -> bool:
            if self._dummy is None:
                self._dummy = self._hasher.hash("wijkbot dummy password, never valid")
            try:
                return bool(self._hasher.verify(password_hash or self._dummy, password)) and password_hash is not None
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                return False

        return await asyncio.to_thread(_verify)
