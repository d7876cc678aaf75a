"""`wijkbot reply` says what happened to the answer: queued ("klaargezet") unless it was delivered."""

from __future__ import annotations

import argparse

import pytest

from wijkbot.app import Wijkbot
from wijkbot.cli_cases import cmd_reply
from wijkbot.settings import Settings
from wijkbot.storage import repository
from wijkbot.testing import Harness


async def test_reply_to_a_channel_that_cannot_deliver_now_says_queued_not_sent(
        bot: Wijkbot, resident: Harness, settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    await resident.say("Er ligt grofvuil naast de container in de Kanaalstraat")
    async with bot.db.read() as conn:
        case = await repository.case_by_reference(conn, resident.reference)
        assert case is not None
        officer = await repository.officer(conn, case["officer_id"])
    assert officer is not None
    # The command runs in its own process without the resident's channel ("test"): it cannot deliver now.
    args = argparse.Namespace(reference=resident.reference, officer=officer["email"], text="We komen morgen kijken.")
    assert await cmd_reply(args, settings) == 0
    out = capsys.readouterr().out
    assert f"antwoord op {resident.reference} klaargezet" in out and "via test" in out
    assert "verstuurd" not in out
