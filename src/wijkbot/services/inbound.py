"""The one door every channel's messages come in through: commands, button presses and everything else.

Invariants: channel-neutral (the web chat, Telegram and X all call `receive`); a slash command goes to
ResidentCommands, a pressed button to the handler of its value's prefix ("case:" which-case answers,
"privacy:" the erase request, more registered by other features such as surveys), everything else, and a
button nobody claims, to Intake as the resident's words; each of them stores the message before deciding.
A poller's batch (X) takes the same door: what a command, button or text handler claims is handled one by
one, the rest goes to intake together with the poller's cursor, in one transaction (store first, then advance).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.domain.model import InboundMessage
from wijkbot.services.case_choices import CaseChoices
from wijkbot.services.intake import Intake
from wijkbot.services.intake_items import IntakeResult
from wijkbot.services.resident_commands import ResidentCommands

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
        return await self._special(message) or await self.intake.receive(message)

    async def receive_batch(self, batch: Sequence[InboundMessage],
                            then: Callable[[AsyncConnection], Awaitable[None]]) -> list[IntakeResult]:
        """A poller's page, oldest first: commands, buttons and claimed texts (a typed survey answer) one by
        one, the rest through intake with `then` (the cursor) in the same transaction. Results keep the order."""
        results: list[IntakeResult | None] = [await self._special(m) for m in batch]
        rest = [m for m, r in zip(batch, results, strict=True) if r is None]
        taken = iter(await self.intake.receive_batch(rest, then))
        return [r if r is not None else next(taken) for r in results]

    async def _special(self, message: InboundMessage) -> IntakeResult | None:
        """The result of whoever claims the message before intake, or None: intake's turn."""
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
