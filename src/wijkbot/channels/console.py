"""A terminal channel for `wijkbot chat`: type as a resident, read what the municipality answers.

Invariants: like every channel it only translates (a line in -> InboundMessage, OutboundMessage -> printed
text); the session address is fixed per run, so consecutive lines form one conversation.
"""

from __future__ import annotations

from collections.abc import Callable

from wijkbot.domain.model import OutboundMessage

NAME = "console"


class ConsoleChannel:
    name = NAME

    def __init__(self, write: Callable[[str], None] = print) -> None:
        self._write = write

    async def send(self, message: OutboundMessage) -> str | None:
        self._write(f"\ngemeente> {message.text}\n")
        return None
