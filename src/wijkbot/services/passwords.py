"""Password hashing (argon2id through argon2-cffi) and the password rules, off the event loop.

Invariants: only argon2id hashes are stored; hashing and verifying run in a worker thread (tens of
milliseconds of CPU each), so a login never stalls other requests; a wrong password and an unknown account
cost the same time (a dummy hash is verified), so timing does not tell which e-mail addresses exist.
"""

from __future__ import annotations

import asyncio
import re

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
_KEYBOARD_RUNS = ("abcdefghijklmnopqrstuvwxyz", "01234567890123456789", "qwertyuiop", "asdfghjkl", "zxcvbnm",
                  "azertyuiop")


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
    """A password of a few distinct characters, a run along the alphabet, the digits or the keyboard (with at most a
    couple of letters added), or a common word, repeated or in leetspeak, with only digits and signs around it (a
    trial's beheerder could set "aaaaaaaaaaaa"). Random signs and digits are no common word: they pass."""
    lowered = password.casefold()
    if len(set(lowered)) < MIN_DISTINCT:
        return True
    core = _AROUND.sub("", lowered)  # "P@ssw0rd2026!" -> "p@ssw0rd"
    word = "".join(ch for ch in core.translate(_LEET) if ch.isalpha())
    if word and any(_repeats(word, common) for common in COMMON_WORDS):
        return True
    letters = "".join(ch for ch in lowered if ch.isalpha())
    digits = "".join(ch for ch in lowered if ch.isdigit())
    compact = letters + digits if lowered[:1].isalpha() else digits + letters
    texts = [compact, *([letters] if len(letters) >= 4 else []), *([digits] if len(letters) <= 2 < len(digits) else [])]
    return any(text in run or text in run[::-1] for run in _KEYBOARD_RUNS for text in texts if text)


_AROUND = re.compile(r"^[^a-z@$]+|[^a-z]+$")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})


def _repeats(letters: str, word: str) -> bool:
    """The letters are the word, once or more ("wachtwoordwachtwoord")."""
    return len(letters) % len(word) == 0 and letters == word * (len(letters) // len(word))


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
