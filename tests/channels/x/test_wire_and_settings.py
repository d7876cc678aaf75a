"""X wire format in, hostile shapes skipped; settings switch the channel on only with complete credentials."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from tests.conftest import ROOT, UTRECHT
from wijkbot.app import build
from wijkbot.channels.x_wire import dm_events_page, mentions_page, without_leading_handles
from wijkbot.settings import Settings, problems
from wijkbot.testing import FrozenClock

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
OWN = "1000"


@pytest.mark.parametrize(("text", "expected"), [
    ("@gemeente Er ligt grofvuil", "Er ligt grofvuil"),
    ("@gemeente @buurman   Er ligt grofvuil", "Er ligt grofvuil"),
    ("Er ligt grofvuil, zegt @buurman", "Er ligt grofvuil, zegt @buurman"),
    ("@gemeente", ""),
    ("", ""),
])
def test_the_handles_x_puts_before_a_reply_are_removed(text: str, expected: str) -> None:
    assert without_leading_handles(text) == expected


def test_mentions_keep_only_well_formed_posts_of_others() -> None:
    body: dict[str, Any] = {"data": [
        {"id": "30", "author_id": "7", "text": "@gemeente Kapotte lantaarnpaal", "lang": "nl"},
        {"id": "29", "author_id": OWN, "text": "our own post"},
        {"id": "not-a-number", "author_id": "7", "text": "x"},
        {"id": "28", "text": "no author"},
        "not an object",
        {"id": "27", "author_id": "8", "text": None, "lang": "und"},
    ], "meta": {"result_count": 6, "newest_id": "30", "next_token": "abc"}}
    page = mentions_page(body, OWN, NOW)
    assert page.ids == ("30", "29", "28", "27")
    assert [(m.reply_to.address, m.external_id, m.text, m.locale) for m in page.messages] == [
        ("7", "tweet:30", "Kapotte lantaarnpaal", "nl"), ("8", "tweet:27", "", None)]
    assert page.next_token == "abc"


@pytest.mark.parametrize("body", [
    {}, {"data": None}, {"data": "x"}, {"meta": []}, {"data": [], "meta": {"next_token": 5}},
])
def test_empty_or_odd_pages_are_empty(body: dict[str, Any]) -> None:
    page = mentions_page(body, OWN, NOW)
    assert page.messages == () and page.ids == () and page.next_token is None


def test_dm_events_take_one_to_one_messages_to_us() -> None:
    body: dict[str, Any] = {"data": [
        {"id": "50", "event_type": "MessageCreate", "sender_id": "7", "text": "Hallo", "dm_conversation_id": "7-1000"},
        {"id": "49", "event_type": "MessageCreate", "sender_id": OWN, "text": "our answer",
         "dm_conversation_id": "7-1000"},
        {"id": "48", "event_type": "ParticipantsJoin", "sender_id": "7"},
        {"id": "47", "event_type": "MessageCreate", "sender_id": "9", "text": "group", "dm_conversation_id": "1582"},
    ]}
    page = dm_events_page(body, OWN, NOW)
    assert page.ids == ("50", "49", "48", "47")
    assert [(m.reply_to.address, m.external_id, m.text) for m in page.messages] == [("7", "dm:50", "Hallo")]


def _settings(**values: Any) -> Settings:
    return Settings(_env_file=None, rules_dir=UTRECHT, locales_dir=ROOT / "locales", **values)  # type: ignore[call-arg]


def test_x_is_off_without_credentials_and_on_with_them() -> None:
    assert not _settings().x_enabled
    assert _settings(x_bearer_token="token").x_enabled
    assert _settings(x_api_key="a", x_api_secret="b", x_access_token="c",
                     x_access_token_secret="d").x_enabled


def test_half_set_credentials_stop_start_up_with_a_clear_message() -> None:
    with pytest.raises(ValidationError, match="set all four of WIJKBOT_X_API_KEY"):
        _settings(x_api_key="a", x_access_token="c")


def test_half_set_keys_beside_a_bearer_token_are_refused_too() -> None:
    """Which did the operator mean? A bearer token with a leftover key is named, not silently preferred."""
    with pytest.raises(ValidationError, match="missing: WIJKBOT_X_API_SECRET") as raised:
        _settings(x_bearer_token="token", x_api_key="a")
    assert any("laat de andere dan leeg" in line for line in problems(raised.value))
    assert _settings(x_bearer_token="token", x_api_key="a", x_api_secret="b", x_access_token="c",
                     x_access_token_secret="d").x_enabled  # all of both: fine


async def test_without_credentials_nothing_of_x_runs(sqlite_url: str, clock: FrozenClock) -> None:
    bot = await build(_settings(database_url=sqlite_url), clock)
    try:
        assert "x" not in bot.channels
        assert bot.x is not None and bot.x.channel is None and bot.x.poller is None
        await bot.start_workers()
        assert not [t for t in bot._tasks if t.get_name() == "x-polling"]
        health = await bot.x.guard.health()
        assert health.state == "off" and "geen X-toegangsgegevens" in health.text
        assert await bot.x.replies.preview("UT-2026-000001") is None
    finally:
        await bot.close()
