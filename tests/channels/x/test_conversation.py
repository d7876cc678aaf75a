"""A resident on X: public mention -> short public reply without personal data -> DM -> the ambtenaar's reply
by DM; a resident who only writes in public; the cursor across a restart. Real HTTP to a fake X API v2,
on SQLite and PostgreSQL."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from tests.channels.x.conftest import BotFactory, poll, start_x
from tests.support.fake_x import FakeX
from wijkbot.app import Wijkbot
from wijkbot.domain.x import Mode, Stream
from wijkbot.storage import repository
from wijkbot.storage.tables import cases, contacts, messages, outbox
from wijkbot.testing import FrozenClock

RESIDENT = "424242"
OFFICER = "anouk.voorbeeld@example.org"


async def x_references(bot: Wijkbot) -> list[str]:
    async with bot.db.read() as conn:
        rows = await conn.execute(select(cases.c.reference).join(contacts, contacts.c.id == cases.c.contact_id)
                                  .where(contacts.c.channel == "x").order_by(cases.c.id))
        return [r.reference for r in rows]


async def inbound(bot: Wijkbot, reference: str) -> list[str]:
    async with bot.db.read() as conn:
        case = await repository.case_by_reference(conn, reference)
        return [m["body"] for m in await repository.messages_of(conn, case["id"]) if m["direction"] == "in"]


async def public_mention_case(make_x_bot: BotFactory, fake_x: FakeX) -> tuple[Wijkbot, str]:
    """A resident who mentioned the account in public about a broken lamp: the service and the case's reference."""
    bot = await make_x_bot()
    await start_x(bot)
    fake_x.mention(RESIDENT, "De lantaarnpaal in de Amsterdamsestraatweg is al dagen kapot")
    await poll(bot, Stream.MENTIONS)
    await bot.delivery.drain()
    [reference] = await x_references(bot)
    return bot, reference


async def test_mention_gets_a_short_public_reply_then_the_conversation_goes_on_by_dm(
        make_x_bot: BotFactory, fake_x: FakeX, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    bot = await make_x_bot()
    await start_x(bot)
    post = fake_x.mention(RESIDENT, "Er ligt al een week grofvuil naast de container in de Kanaalstraat")
    await poll(bot, Stream.MENTIONS)
    await bot.delivery.drain()

    [reference] = await x_references(bot)
    assert await inbound(bot, reference) == ["Er ligt al een week grofvuil naast de container in de Kanaalstraat"]
    [public] = fake_x.posted
    assert public["in_reply_to"] == post
    assert reference in public["text"] and "DM" in public["text"]
    for private in ("Kanaalstraat", "grofvuil", "Stadswerken", "Lombok", "West", RESIDENT, "Anouk"):
        assert private not in public["text"]
    assert len(public["text"]) <= 280
    assert fake_x.sent_dms == []
    preview = await bot.x.replies.preview(reference)  # type: ignore[union-attr]
    assert preview is not None and preview.mode is Mode.PUBLIC and reference in (preview.public_text or "")

    fake_x.dm(RESIDENT, f"Hallo, over {reference}: het ligt voor nummer 12")
    await poll(bot, Stream.DM_EVENTS)
    await bot.delivery.drain()
    [dm] = fake_x.sent_dms
    assert dm["participant_id"] == RESIDENT and reference in dm["text"]
    assert await x_references(bot) == [reference]  # the DM joined the case the mention opened

    preview = await bot.x.replies.preview(reference)  # type: ignore[union-attr]
    assert preview is not None and preview.mode is Mode.DM and preview.public_text is None
    actor = await bot.actions.actor(OFFICER)
    await bot.actions.reply(reference, actor, "We halen het grofvuil donderdag op.")
    await bot.delivery.drain()
    assert "We halen het grofvuil donderdag op." in fake_x.sent_dms[-1]["text"]
    assert fake_x.sent_dms[-1]["participant_id"] == RESIDENT
    assert len(fake_x.posted) == 1  # nothing more in public

    await poll(bot, Stream.DM_EVENTS)  # our own DMs come back in dm_events: they are not resident messages
    assert len(await inbound(bot, reference)) == 2
    async with bot.db.read() as conn:
        statuses = [r.status for r in await conn.execute(select(outbox.c.status))]
    assert statuses == ["sent"] * 3

    logged = "\n".join(r.getMessage() for r in caplog.records if r.name != "aiohttp.access")  # not the fake's log
    for private in (RESIDENT, "Kanaalstraat", "nummer 12", "donderdag"):
        assert private not in logged


async def test_a_public_only_resident_gets_a_case_and_no_personal_data_reaches_the_public_post(
        make_x_bot: BotFactory, fake_x: FakeX) -> None:
    bot, reference = await public_mention_case(make_x_bot, fake_x)

    planted = ("Jan de Vries", "06-12345678", "jan.devries@example.org", "Amsterdamsestraatweg 12")
    preview = await bot.x.replies.preview(reference)  # type: ignore[union-attr]
    assert preview is not None and preview.mode is Mode.PUBLIC
    actor = await bot.actions.actor(OFFICER)
    await bot.actions.reply(reference, actor, "Beste Jan de Vries, we bellen u op 06-12345678 of mailen "
                                              "jan.devries@example.org over Amsterdamsestraatweg 12.")
    await bot.delivery.drain()

    assert fake_x.sent_dms == []
    assert len(fake_x.posted) == 2
    reply = fake_x.posted[-1]["text"]
    assert reference in reply
    assert reply == preview.public_text  # what the ambtenaar was shown is what was posted
    for value in (*planted, "06", "@", "Vries", "lantaarnpaal", "Anouk", "Voorbeeld"):
        assert value not in reply, value
    assert "Anouk" not in fake_x.posted[0]["text"]
    async with bot.db.read() as conn:  # the full answer is kept in the case for when the resident writes a DM
        case = await repository.case_by_reference(conn, reference)
        bodies = [m["body"] for m in await repository.messages_of(conn, case["id"]) if m["direction"] == "out"]
    assert "06-12345678" in bodies[-1]


async def test_what_went_out_in_public_reaches_the_resident_in_full_with_their_first_dm(
        make_x_bot: BotFactory, fake_x: FakeX, clock: FrozenClock) -> None:
    bot, reference = await public_mention_case(make_x_bot, fake_x)
    actor = await bot.actions.actor(OFFICER)
    await bot.actions.reply(reference, actor, "We vervangen de lamp woensdag.")
    await bot.delivery.drain()
    assert fake_x.sent_dms == [] and "woensdag" not in fake_x.posted[-1]["text"]  # only the public notice

    clock.advance(minutes=5)
    fake_x.dm(RESIDENT, f"Wat is het nieuws over {reference}?")
    await poll(bot, Stream.DM_EVENTS)
    await bot.delivery.drain()
    texts = [dm["text"] for dm in fake_x.sent_dms]
    assert all(dm["participant_id"] == RESIDENT for dm in fake_x.sent_dms)
    assert len(texts) == 2 and f"toegevoegd aan nummer {reference}" in texts[0]
    assert "alleen kort en openbaar antwoorden" in texts[1] and "We vervangen de lamp woensdag." in texts[1]
    assert "Bedankt voor uw melding" not in texts[1]  # the acknowledgement is not repeated

    clock.advance(minutes=5)
    fake_x.dm(RESIDENT, "Dank u wel!")
    await poll(bot, Stream.DM_EVENTS)
    await bot.delivery.drain()
    assert len(fake_x.sent_dms) == 3 and "woensdag" not in fake_x.sent_dms[-1]["text"]  # caught up once
    assert len(fake_x.posted) == 2


async def test_an_empty_mention_gets_a_public_question_without_a_case(make_x_bot: BotFactory, fake_x: FakeX) -> None:
    bot = await make_x_bot()
    await start_x(bot)
    fake_x.mention(RESIDENT, "")  # only "@gemeente_test"
    await poll(bot, Stream.MENTIONS)
    await bot.delivery.drain()
    assert await x_references(bot) == []
    [question] = fake_x.posted
    assert "DM" in question["text"] and RESIDENT not in question["text"]


async def test_since_id_survives_a_restart_without_gap_or_duplicate(make_x_bot: BotFactory, fake_x: FakeX) -> None:
    first = await make_x_bot()
    await start_x(first)
    before = fake_x.mention("1111", "Er ligt grofvuil naast de container in de Kanaalstraat")
    await poll(first, Stream.MENTIONS)
    await first.delivery.drain()
    await first.close()

    fake_x.mention("2222", "De lantaarnpaal in de Amsterdamsestraatweg is kapot")
    second = await make_x_bot()  # a restart: same database, nothing in memory
    assert second.x is not None and second.x.poller is not None
    await poll(second, Stream.MENTIONS)
    await second.delivery.drain()
    assert fake_x.calls("mentions")[-1]["since_id"] == before
    assert len(await x_references(second)) == 2
    assert [p["in_reply_to"] for p in fake_x.posted] == [m["id"] for m in fake_x.mentions]  # one answer each


async def test_a_restart_in_the_middle_of_paging_resumes_with_the_token(make_x_bot: BotFactory, fake_x: FakeX) -> None:
    first = await make_x_bot()
    await start_x(first)
    for n in range(7):
        fake_x.mention(str(5000 + n), f"Er ligt grofvuil naast de container in de Kanaalstraat, nummer {n}")
    assert first.x is not None and first.x.poller is not None
    first.x.poller.page_size, first.x.poller.max_pages = 5, 1
    await poll(first, Stream.MENTIONS)  # the newest five; the token for the rest is saved
    await first.close()

    second = await make_x_bot()
    assert second.x is not None and second.x.poller is not None
    second.x.poller.page_size = 5
    await poll(second, Stream.MENTIONS)
    assert fake_x.calls("mentions")[-1]["pagination_token"] == "page-5"
    await poll(second, Stream.MENTIONS)  # nothing new: since_id is now the newest mention
    assert fake_x.calls("mentions")[-1]["since_id"] == fake_x.mentions[-1]["id"]
    async with second.db.read() as conn:
        stored = [r.external_id for r in await conn.execute(
            select(messages.c.external_id).where(messages.c.channel == "x"))]
    assert sorted(stored) == sorted(f"tweet:{m['id']}" for m in fake_x.mentions)
    assert len(await x_references(second)) == 7


async def test_the_first_poll_starts_from_now(make_x_bot: BotFactory, fake_x: FakeX) -> None:
    fake_x.mention("7777", "Een oude melding van voor de start over grofvuil in de Kanaalstraat")
    fake_x.dm("7777", "Een oude DM")
    bot = await make_x_bot()
    await start_x(bot)
    await poll(bot, Stream.MENTIONS)
    await poll(bot, Stream.DM_EVENTS)
    assert await x_references(bot) == []
    assert fake_x.posted == [] and fake_x.sent_dms == []


async def test_a_resident_who_does_not_accept_dms_is_flagged_not_retried(make_x_bot: BotFactory,
                                                                         fake_x: FakeX) -> None:
    bot = await make_x_bot()
    await start_x(bot)
    fake_x.dm(RESIDENT, "Er ligt grofvuil naast de container in de Kanaalstraat")
    fake_x.closed_dms.add(RESIDENT)
    await poll(bot, Stream.DM_EVENTS)
    await bot.delivery.drain()
    async with bot.db.read() as conn:
        row = (await conn.execute(select(outbox.c.status, outbox.c.last_error))).one()
        unreachable = (await conn.execute(select(contacts.c.unreachable).where(contacts.c.channel == "x"))).scalar()
    assert row.status == "failed" and "niet bereikbaar" in row.last_error
    assert unreachable is True
    assert bot.x is not None and not bot.x.guard.stopped  # one resident, not the channel


async def test_an_oauth2_user_token_works_as_well(make_x_bot: BotFactory, fake_x: FakeX) -> None:
    bot = await make_x_bot(x_bearer_token="user-access-token", x_api_key=None, x_api_secret=None,
                           x_access_token=None, x_access_token_secret=None)
    await start_x(bot)
    fake_x.mention(RESIDENT, "Er ligt grofvuil naast de container in de Kanaalstraat")
    await poll(bot, Stream.MENTIONS)
    await bot.delivery.drain()
    assert len(fake_x.posted) == 1


async def test_danger_in_a_public_mention_is_answered_with_112_and_its_advice_in_public(make_x_bot: BotFactory,
                                                                                        fake_x: FakeX) -> None:
    """The usual public answer asks for a DM; for acute danger that is no help now. A gas smell hears what to do
    about gas (a trial's got "Denkt u aan zelfdoding?" in public instead)."""
    bot = await make_x_bot()
    await start_x(bot)
    fake_x.mention(RESIDENT, "Het ruikt hier heel sterk naar gas in de Kanaalstraat")
    await poll(bot, Stream.MENTIONS)
    await bot.delivery.drain()
    [answer] = fake_x.posted
    text = answer["text"]
    assert "112" in text and "0800 9009" in text and "DM" not in text and len(text) <= 280
    assert "113" not in text and "zelfdoding" not in text


async def test_a_crisis_in_a_public_mention_is_answered_with_113_in_public(make_x_bot: BotFactory,
                                                                           fake_x: FakeX) -> None:
    bot = await make_x_bot()
    await start_x(bot)
    fake_x.mention(RESIDENT, "Ik wil niet meer leven, niemand helpt me")
    await poll(bot, Stream.MENTIONS)
    await bot.delivery.drain()
    [answer] = fake_x.posted
    assert "0800-0113" in answer["text"] and "112" in answer["text"] and "DM" not in answer["text"]
