"""On X, DMs take the same door as every channel: slash commands, and the verdict after closing typed as
short DMs (X has no buttons). Real HTTP to the fake X API v2, on SQLite and PostgreSQL."""

from __future__ import annotations

from tests.channels.x.conftest import BotFactory, poll, start_x
from tests.channels.x.test_conversation import OFFICER, RESIDENT, x_references
from tests.followup.test_never_silent import events
from tests.support.fake_x import FakeX
from wijkbot.app import Wijkbot
from wijkbot.domain.x import Stream


async def dm(bot: Wijkbot, fake_x: FakeX, text: str) -> list[str]:
    """The resident DMs us; what they got back by DM."""
    before = len(fake_x.sent_dms)
    fake_x.dm(RESIDENT, text)
    await poll(bot, Stream.DM_EVENTS)
    await bot.delivery.drain()
    return [d["text"] for d in fake_x.sent_dms[before:] if d["participant_id"] == RESIDENT]


async def test_the_verdict_typed_in_dms_is_recorded_and_opens_no_case(make_x_bot: BotFactory, fake_x: FakeX) -> None:
    bot = await make_x_bot()
    await start_x(bot)
    await dm(bot, fake_x, "Er ligt grofvuil naast de container in de Kanaalstraat")
    [reference] = await x_references(bot)
    await bot.actions.close(reference, await bot.actions.actor(OFFICER), "Opgehaald.")
    await bot.delivery.drain()
    question = fake_x.sent_dms[-1]["text"]
    assert reference in question and "tevreden" in question

    got = await dm(bot, fake_x, "2")
    assert len(got) == 1 and "opgelost" in got[0]
    got = await dm(bot, fake_x, "nee")
    assert len(got) == 1 and "volgende bericht" in got[0]
    got = await dm(bot, fake_x, "Er ligt nog steeds een matras")
    assert len(got) == 1 and "Dank u wel" in got[0]

    assert await x_references(bot) == [reference]  # none of the answers became a new melding
    assert await events(bot, reference, "tevredenheid") == [
        {"score": 2, "opgelost": False, "toelichting": "Er ligt nog steeds een matras"}]
    assert len(await events(bot, reference, "heropenverzoek")) == 1


async def test_slash_commands_work_in_dms(make_x_bot: BotFactory, fake_x: FakeX) -> None:
    bot = await make_x_bot()
    await start_x(bot)
    await dm(bot, fake_x, "De lantaarnpaal in de Kanaalstraat is kapot")
    [reference] = await x_references(bot)
    got = await dm(bot, fake_x, "/status")
    assert len(got) == 1 and reference in got[0]
    got = await dm(bot, fake_x, "/stop")
    assert len(got) == 1 and "/uitkomst" in got[0]  # no buttons on X: it says what to type
    got = await dm(bot, fake_x, "/uitkomst")
    assert "alleen nog de uitkomst" in got[0]
    assert await x_references(bot) == [reference]


async def test_a_public_post_that_starts_with_a_slash_is_not_a_command(make_x_bot: BotFactory,
                                                                       fake_x: FakeX) -> None:
    bot = await make_x_bot()
    await start_x(bot)
    fake_x.mention(RESIDENT, "/status van mijn melding over de kapotte lantaarnpaal in de Kanaalstraat?")
    await poll(bot, Stream.MENTIONS)
    await bot.delivery.drain()
    assert len(await x_references(bot)) == 1  # read as words (a public answer must not show their cases)
