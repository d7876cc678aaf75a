"""On X, DMs take the same door as every channel: slash commands, and the verdict after closing typed as
short DMs (X has no buttons). Real HTTP to the fake X API v2, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select

from tests.channels.x.conftest import BotFactory, poll, start_x
from tests.channels.x.test_conversation import OFFICER, RESIDENT, x_references
from tests.followup.test_never_silent import events
from tests.support.fake_x import FakeX
from wijkbot.app import Wijkbot
from wijkbot.domain.x import Stream
from wijkbot.storage.tables import contacts
from wijkbot.testing import FrozenClock


async def dm(bot: Wijkbot, fake_x: FakeX, text: str) -> list[str]:
    """The resident DMs us; what they got back by DM."""
    before = len(fake_x.sent_dms)
    fake_x.dm(RESIDENT, text)
    await poll(bot, Stream.DM_EVENTS)
    await bot.delivery.drain()
    return [d["text"] for d in fake_x.sent_dms[before:] if d["participant_id"] == RESIDENT]


async def closed_case(make_x_bot: BotFactory, fake_x: FakeX) -> tuple[Wijkbot, str]:
    """A resident reported by DM and the ambtenaar closed it: the survey's first question is on its way."""
    bot = await make_x_bot()
    await start_x(bot)
    await dm(bot, fake_x, "Er ligt grofvuil naast de container in de Kanaalstraat")
    [reference] = await x_references(bot)
    await bot.actions.close(reference, await bot.actions.actor(OFFICER), "Opgehaald.")
    await bot.delivery.drain()
    return bot, reference


async def test_the_verdict_typed_in_dms_is_recorded_and_opens_no_case(make_x_bot: BotFactory, fake_x: FakeX) -> None:
    bot, reference = await closed_case(make_x_bot, fake_x)
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


async def test_a_page_is_taken_in_the_order_it_was_written(make_x_bot: BotFactory, fake_x: FakeX) -> None:
    bot = await make_x_bot()
    await start_x(bot)
    fake_x.dm(RESIDENT, "De lantaarnpaal in de Kanaalstraat is kapot")
    fake_x.dm(RESIDENT, "/status")
    fake_x.dm(RESIDENT, "/stop")
    await poll(bot, Stream.DM_EVENTS)  # one page with all three
    await bot.delivery.drain()
    [reference] = await x_references(bot)
    texts = [d["text"] for d in fake_x.sent_dms]  # sent concurrently: their order on the wire may differ
    [ack] = [t for t in texts if t.startswith("Bedankt")]
    [stopped] = [t for t in texts if "geen berichten meer" in t]
    [status] = [t for t in texts if t not in (ack, stopped)]
    assert reference in ack and reference in status  # /status already sees the case the melding opened
    async with bot.db.read() as conn:
        assert (await conn.execute(select(contacts.c.opted_out))).scalar_one() is True  # the /stop holds


async def test_a_public_post_is_never_taken_as_a_survey_answer(make_x_bot: BotFactory, fake_x: FakeX) -> None:
    bot, reference = await closed_case(make_x_bot, fake_x)
    await dm(bot, fake_x, "4 ja")  # the verdict; the survey now waits a day for an optional why
    fake_x.mention(RESIDENT, "De lantaarnpaal in de Biltstraat is kapot")
    await poll(bot, Stream.MENTIONS)
    await bot.delivery.drain()
    assert len(await x_references(bot)) == 2  # a new melding, not the why
    assert await events(bot, reference, "tevredenheid") == [{"score": 4, "opgelost": True, "toelichting": ""}]


async def test_a_different_subject_opens_its_own_case_without_buttons(make_x_bot: BotFactory, fake_x: FakeX,
                                                                      clock: FrozenClock) -> None:
    bot = await make_x_bot()
    await start_x(bot)
    await dm(bot, fake_x, "Er ligt grofvuil naast de container in de Kanaalstraat")
    clock.advance(hours=2)  # no longer plainly the same conversation: elsewhere the resident would be asked
    got = await dm(bot, fake_x, "Ook is de lantaarnpaal in de Biltstraat kapot")
    references = await x_references(bot)
    assert len(references) == 2 and references[1] in got[0]
    clock.advance(hours=2)
    got = await dm(bot, fake_x, "Het grofvuil ligt er trouwens nog steeds")
    assert len(await x_references(bot)) == 2 and not any("?" in text for text in got)  # no question it cannot answer
