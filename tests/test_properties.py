"""Property-based tests: arbitrary text never breaks routing or intake, and is always answered."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wijkbot.app import Wijkbot
from wijkbot.domain.routing import Router
from wijkbot.testing import Harness, RecordingChannel

ANY_TEXT = st.text(st.characters(codec=None), max_size=300) | st.binary(max_size=200).map(
    lambda b: b.decode("utf-8", "surrogateescape"))


@given(text=ANY_TEXT)
@settings(max_examples=300, deadline=None)
def test_routing_is_total(utrecht_router: Router, text: str) -> None:
    decision = utrecht_router.route(text)
    assert decision.department in utrecht_router.rules.departments
    assert 0.0 <= decision.confidence <= 1.0


@given(text=ANY_TEXT)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
async def test_intake_always_stores_and_answers(bot: Wijkbot, text: str) -> None:
    channel = bot.channels["test"]
    assert isinstance(channel, RecordingChannel)
    resident = Harness(bot, channel)  # a new resident each time: no open case to append to
    got = await resident.say(text)
    assert len(got) == 1 and got[0].strip()
