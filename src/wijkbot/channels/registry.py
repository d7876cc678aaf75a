"""The channel registry: one line per channel, used by the composition root.

Adding a channel touches its adapter module, one line here, its settings and its tests.
"""

from __future__ import annotations

from wijkbot.channels import console, telegram, webchat, x

KNOWN_CHANNELS: dict[str, str] = {
    webchat.NAME: "web chat on the municipality's site",
    console.NAME: "terminal (wijkbot chat)",
    x.NAME: "X (Twitter): mentions and DMs of the municipality's account, polled within a monthly budget",
    telegram.NAME: "Telegram bot (webhook or polling; WIJKBOT_TELEGRAM_TOKEN switches it on)",
}
