"""Browser fixtures shared by every page test (defined with the chat page tests, which came first), and the
service they talk to: Utrecht's rules in a timezone where it is day right now.

The page tests run on the real clock (the page orders its own messages by the server's Date header), and what we
start ourselves (a survey, an update, a late reply) is held between 21:00 and 08:00 local time
(domain.followups.waking_moment). A suite run in the evening would wait for the morning, so the municipality of
these tests lies where it is noon now: a configuration, not a change to the rule. Quiet hours themselves are
tested with a frozen clock (tests/followup).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from tests.browser.test_chat_page import base_url, browser, chat, chromium, clock  # noqa: F401
from wijkbot.app import Wijkbot, build
from wijkbot.ports import Clock, system_clock
from wijkbot.rulefiles import load_rules
from wijkbot.seed import seed_officers
from wijkbot.settings import Settings
from wijkbot.testing import RecordingChannel

DEMO = Path(__file__).resolve().parents[2] / "deploy" / "demo" / "utrecht_officers.yaml"


def noon_zone() -> str:
    """An IANA zone where the time is now between 11:00 and 13:00 ("Etc/GMT+8" is UTC-8)."""
    offset = (12 - system_clock().hour + 12) % 24 - 12  # -12..11 hours from UTC to noon
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"


@pytest.fixture
async def bot(settings: Settings, clock: Clock, channel: RecordingChannel) -> AsyncIterator[Wijkbot]:  # noqa: F811
    rules = load_rules(settings.rules_dir)
    rules = replace(rules, municipality=replace(rules.municipality, timezone=noon_zone()))
    instance = await build(settings, clock, rules=rules, extra_channels={channel.name: channel})
    await seed_officers(settings, DEMO)
    yield instance
    await instance.close()
