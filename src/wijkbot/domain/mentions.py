"""@mentions in internal notes: "@anouk.voorbeeld" names a colleague by the part of their e-mail before the @.

Invariants: pure; a handle is letters, digits, dots, hyphens and underscores, and a dot at the end belongs
to the sentence, not the handle; an e-mail address in the text ("x@example.org") is not a mention.
"""

from __future__ import annotations

import re

MENTION = re.compile(r"(?<![\w.@])@([A-Za-z0-9][A-Za-z0-9._-]{0,63})")


def handles(text: str) -> list[str]:
    """The mentioned handles in order of appearance, lower case, without duplicates."""
    found: dict[str, None] = {}
    for match in MENTION.finditer(text):
        found.setdefault(match.group(1).rstrip("._-").lower(), None)
    return [h for h in found if h]


def handle_of(email: str) -> str:
    """The handle colleagues type for an e-mail address."""
    return email.split("@", 1)[0].lower()
