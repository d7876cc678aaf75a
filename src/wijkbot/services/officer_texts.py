"""Checks on what an ambtenaar writes for a resident (a reply, an outcome, a reason, a question): not empty, not
too long, and no template instruction left in it.

Invariants: a refused text changes nothing and says why in the ambtenaar's words (ActionError).
"""

from __future__ import annotations

from wijkbot.domain.sanitise import is_blank
from wijkbot.domain.templates import open_instructions
from wijkbot.services.action_base import ActionError

MAX_TEXT = 20_000


def check_text(text: str, empty_message: str) -> None:
    if is_blank(text):
        raise ActionError(empty_message)
    if len(text) > MAX_TEXT:
        raise ActionError(f"deze tekst is te lang (meer dan {MAX_TEXT} tekens)")


def check_filled_in(text: str) -> None:
    """A text for the resident that still holds a template's instruction ("[Vul de reden aan.]") is refused: the
    resident would read it as it stands."""
    left = open_instructions(text)
    if left:
        raise ActionError(f"vul eerst in wat tussen [ ] staat en haal de haken weg: {', '.join(left[:3])}. "
                          "Niets is verstuurd")
