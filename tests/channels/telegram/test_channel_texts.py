"""/start, /help and /privacy in Telegram keep Telegram's own wording (photos, locations, the chat number); the
web chat and X have their own texts (tests/web/test_webchat_trial_findings.py, tests/channels/x/)."""

from __future__ import annotations

from tests.channels.telegram.conftest import TelegramWorld


async def test_telegram_commands_name_photos_locations_and_the_chat_number(world: TelegramWorld) -> None:
    welcome = (await world.say("/start"))[0]
    help_text = (await world.say("/help"))[0]
    privacy = (await world.say("/privacy"))[0]
    assert "Stuur een bericht, een foto of uw locatie." in welcome
    assert "U kunt ook een foto of uw locatie sturen." in help_text
    assert "uw Telegram-chatnummer" in privacy
