"""The one door every channel's messages come in through: commands, button presses and everything else.

Invariants: channel-neutral (the web chat, Telegram and X all call `receive`); a slash command goes to
ResidentCommands, also an unknown one a channel passed on as words ("/onzin" in the web chat: stored, answered
"Deze opdracht kennen we niet" with the list, never added to a case; a short status question in the resident's
own words, "hoe staat het met mijn melding?", counts as /status), a pressed button to the handler of its
value's prefix ("case:" which-case answers, "privacy:" the erase request, more registered by other features
such as surveys), everything else, and a button nobody claims, to Intake as the resident's words; each of them
stores the message before deciding.
A poller's batch (X) takes the same door, in the order the messages were written: runs of words go to
intake together, a command, button or claimed text is handled where it stands, and the poller's cursor
commits with the last intake call (store first, then advance). A public post (an X mention) is only ever
words: never a command, a button or an answer to a private question.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.domain import commands
from wijkbot.domain.model import InboundMessage
from wijkbot.services.case_choices import CaseChoices
from wijkbot.services.intake import Intake
from wijkbot.services.intake_items import IntakeResult
from wijkbot.services.resident_commands import ResidentCommands

log = logging.getLogger(__name__)
ChoiceHandler = Callable[[InboundMessage], Awaitable[IntakeResult]]
TextHandler = Callable[[InboundMessage], Awaitable[IntakeResult | None]]


class Inbound:
    def __init__(self, intake: Intake, commands: ResidentCommands, choices: CaseChoices) -> None:
        self.intake = intake
        self.commands = commands
        self._choices: dict[str, ChoiceHandler] = {"case:": choices.handle, "privacy:": commands.handle}
        self._texts: list[TextHandler] = []

    def on_choice(self, prefix: str, handler: ChoiceHandler) -> None:
        """Let another feature answer the buttons whose values start with `prefix` (e.g. "survey:")."""
        self._choices[prefix] = handler

    def on_text(self, handler: TextHandler) -> None:
        """Let another feature take a typed message first (e.g. a survey answer); None from it: intake's turn."""
        self._texts.append(handler)

    async def receive(self, message: InboundMessage) -> IntakeResult:
        message = as_command(message)
        return await self._special(message) or await self.intake.receive(message)

    async def receive_batch(self, batch: Sequence[InboundMessage],
                            then: Callable[[AsyncConnection], Awaitable[None]]) -> list[IntakeResult]:
        """A poller's page, oldest first, in order: runs of plain words go through intake together; a command,
        button or claimed text (a typed survey answer) is handled where it stands, after the words before it
        (so "melding, /stop" ends stopped, and "/status" after a melding sees its case). `then` (the cursor)
        commits with the last intake call, so nothing is advanced before it is stored."""
        results: list[IntakeResult] = []
        words: list[InboundMessage] = []
        for message in map(as_command, batch):
            if message.command is None and message.choice is None and not self._texts:
                words.append(message)  # nothing could claim it: no need to break the run
                continue
            if words:
                results.extend(await self.intake.receive_batch(words, _nothing))
                words = []
            taken = await self._special_or_none(message)
            if taken is None:
                words.append(message)
            else:
                results.append(taken)
        results.extend(await self.intake.receive_batch(words, then))
        return results

    async def _special_or_none(self, message: InboundMessage) -> IntakeResult | None:
        """`_special`, but a handler that fails does not stall a poller on its page: the message then goes to
        intake as words (stored, answered; nothing lost) and the failure is logged."""
        try:
            return await self._special(message)
        except Exception:
            log.exception("a command, button or answer could not be handled; it is taken in as words")
            return None

    async def _special(self, message: InboundMessage) -> IntakeResult | None:
        """The result of whoever claims the message before intake, or None: intake's turn."""
        if message.public:
            return None
        if message.command is not None:
            return await self.commands.handle(message)
        if message.choice is not None:
            for prefix, handler in self._choices.items():
                if message.choice.startswith(prefix):
                    return await handler(message)
        for text_handler in self._texts:
            taken = await text_handler(message)
            if taken is not None:
                return taken
        return None


def as_command(message: InboundMessage) -> InboundMessage:
    """The message with its command, when its text starts with one the channel did not mark (the web chat passes
    "/onzin" on as words): an unknown command is answered as such, not filed on a case. "/ Kanaalstraat" or
    "1/2" stay words (domain.commands.parse); a public post is only ever words."""
    if message.public or message.command is not None or message.choice is not None:
        return message
    parsed = commands.parse(message.text.strip())
    if parsed is None and commands.asks_for_status(message.text):  # "hoe staat het met mijn melding?"
        return replace(message, command=commands.Command.STATUS.value, command_args="")
    return message if parsed is None else replace(message, command=parsed[0], command_args=parsed[1])


async def _nothing(_conn: AsyncConnection) -> None:
    """An intake call in the middle of a page advances no cursor."""
