"""/help and /privacy in X DMs say what is true on X: text only, the X account number is what we keep, and no
button to press (X DMs have none)."""

from __future__ import annotations

from tests.channels.x.conftest import BotFactory, start_x
from tests.channels.x.test_commands_and_survey import dm
from tests.support.fake_x import FakeX


async def test_help_and_privacy_in_dms_describe_x(make_x_bot: BotFactory, fake_x: FakeX) -> None:
    bot = await make_x_bot()
    await start_x(bot)
    [help_text] = await dm(bot, fake_x, "/help")
    [privacy] = await dm(bot, fake_x, "/privacy")
    assert "/status" in help_text and "foto" not in help_text and "locatie" not in help_text
    assert "X-account" in privacy and "Telegram" not in privacy
    assert "knop" not in privacy and "/verwijder" in privacy
