"""More than one case per resident, channel-neutral: when to just go on, when to ask, and what a choice does."""

from __future__ import annotations

from sqlalchemy import select

from tests.services.test_actions import officer
from wijkbot.app import Wijkbot
from wijkbot.domain.model import InboundMessage, ReplyAddress
from wijkbot.domain.workflow import Status
from wijkbot.storage import repository
from wijkbot.storage.tables import cases, messages
from wijkbot.testing import FrozenClock, Harness, RecordingChannel

LANTAARN = "De lantaarnpaal in de Kanaalstraat is kapot"
# Of the lamp's vakdienst (Stadswerken) and naming no street: it may be about the lamp's case, so it is asked about.
GROFVUIL = "Er ligt grofvuil naast de container"
# On another street: plainly not the lamp's case, so a case of its own at once.
GROFVUIL_ELSEWHERE = "Er ligt grofvuil naast de container op de Amsterdamsestraatweg"


async def case_rows(bot: Wijkbot) -> list[dict]:
    async with bot.db.read() as conn:
        return [dict(r) for r in (await conn.execute(select(cases).order_by(cases.c.id))).mappings()]


async def inbound_of(bot: Wijkbot, reference: str) -> list[dict]:
    async with bot.db.read() as conn:
        case = await repository.case_by_reference(conn, reference)
        assert case is not None
        return [dict(m) for m in await repository.messages_of(conn, case["id"]) if m["direction"] == "in"]


async def test_a_new_subject_hours_later_is_kept_and_asked_about(any_bot: Wijkbot, channel: RecordingChannel,
                                                                  clock: FrozenClock) -> None:
    resident = Harness(any_bot, channel)
    await resident.say(LANTAARN)
    first = resident.reference
    clock.advance(hours=3)
    got = await resident.say(GROFVUIL)
    assert resident.reference == first and first in got[0]  # kept with the open case for now ...
    labels = [label for label, _ in resident.buttons()]
    assert labels == [f"{first} · Straatverlichting kapot", "Iets nieuws"]  # ... and asked
    kept = await inbound_of(any_bot, first)
    assert kept[-1]["body"] == GROFVUIL and kept[-1]["meta"]["provisional"] is True
    assert len(await case_rows(any_bot)) == 1  # nothing is lost if the resident never answers


async def test_a_plainly_new_subject_opens_its_own_case_at_once(any_bot: Wijkbot, channel: RecordingChannel,
                                                                clock: FrozenClock) -> None:
    """Grofvuil on another street, three hours after a street light: no "which case?" question (a resident who
    does not answer it would have the grofvuil kept with the lamp), but its own case, and the answer says so."""
    resident = Harness(any_bot, channel)
    await resident.say(LANTAARN)
    first = resident.reference
    clock.advance(hours=3)
    got = await resident.say(GROFVUIL_ELSEWHERE)
    second = resident.reference
    assert second != first and resident.buttons() == ()
    assert f"nummer {second}" in got[0] and f"We behandelen dit apart van nummer {first}." in got[0]
    rows = {c["reference"]: c for c in await case_rows(any_bot)}
    assert rows[second]["category"] == "grofvuil" and rows[second]["wijk"] is not None
    assert [m["body"] for m in await inbound_of(any_bot, first)] == [LANTAARN]


async def test_a_new_subject_minutes_later_on_another_street_is_a_case_of_its_own(bot: Wijkbot, resident: Harness,
                                                                                   clock: FrozenClock) -> None:
    """Writing on quickly is no proof of one subject: a loose paving stone in another street is something new,
    while a plain follow-up still goes on in the case."""
    await resident.say(GROFVUIL_ELSEWHERE)
    first = resident.reference
    clock.advance(minutes=5)
    follow_up = await resident.say("Het ligt er echt al een week hoor")
    assert resident.buttons() == () and first in "".join(follow_up)  # a follow-up: no question
    clock.advance(minutes=5)
    got = await resident.say("Er is ook een stoeptegel los in de Kanaalstraat")
    assert resident.buttons() == () and resident.reference != first and f"apart van nummer {first}" in got[0]


async def test_another_vakdiensts_subject_in_the_same_street_is_not_filed_with_it(bot: Wijkbot, resident: Harness,
                                                                                  clock: FrozenClock) -> None:
    """A trial's rats by the bins after a pothole in the same street were filed silently with the pothole (for
    Stadswerken); a word of the same vakdienst in that street still goes on in the case."""
    await resident.say("Er zit een groot gat in de weg op de Biltstraat bij nummer 100")
    first = resident.reference
    clock.advance(minutes=1)
    await resident.say("Het gat wordt steeds groter, er staat nu ook een paal scheef op de Biltstraat")
    assert resident.buttons() == () and resident.reference == first
    clock.advance(minutes=1)
    text = "Ander probleem: er lopen ratten rond bij de vuilnisbakken op de Biltstraat"
    await resident.say(text)
    assert resident.reference != first
    assert [m["body"] for m in await inbound_of(bot, resident.reference)] == [text]


async def test_a_subject_that_may_belong_to_an_open_case_is_asked_about(bot: Wijkbot, resident: Harness,
                                                                       clock: FrozenClock) -> None:
    """Another category of the same vakdienst without a street of its own may be about the open case: asked."""
    await resident.say(GROFVUIL_ELSEWHERE)
    first = resident.reference
    clock.advance(minutes=5)
    await resident.say("Er is ook een stoeptegel los")
    labels = [label for label, _ in resident.buttons()]
    assert labels == [f"{first} · Grofvuil en bijgeplaatst afval", "Iets nieuws"]


async def test_something_new_takes_the_normal_intake_path(any_bot: Wijkbot, channel: RecordingChannel,
                                                          clock: FrozenClock) -> None:
    resident = Harness(any_bot, channel)
    await resident.say(LANTAARN)
    first = resident.reference
    clock.advance(hours=3)
    await resident.say(GROFVUIL)
    new = resident.buttons()[-1][1]
    await resident.say("Het is een oude bank en een matras")  # more about the new subject, before choosing
    got = await resident.choose(new, "Iets nieuws")
    assert resident.last is not None and resident.last.new_case
    second = resident.reference
    assert second != first and len(got) == 1 and second in got[0] and "Stadswerken" in got[0]
    rows = {c["reference"]: c for c in await case_rows(any_bot)}
    assert rows[second]["category"] == "grofvuil" and rows[second]["officer_id"] is not None
    assert [m["body"] for m in await inbound_of(any_bot, second)] == [
        GROFVUIL, "Het is een oude bank en een matras", "Iets nieuws"]
    assert [m["body"] for m in await inbound_of(any_bot, first)] == [LANTAARN]
    async with any_bot.db.read() as conn:
        events = await repository.events_of(conn, rows[first]["id"])
    moved = [e for e in events if e["type"] == "bericht verplaatst"]
    assert len(moved) == 1 and moved[0]["data"]["naar"] == second


async def test_no_question_when_the_case_waits_on_the_resident(bot: Wijkbot, resident: Harness,
                                                               clock: FrozenClock) -> None:
    await resident.say(LANTAARN)
    reference = resident.reference
    actor = await officer(bot, reference)
    await bot.actions.reply(reference, actor, "Welke paal is het precies?")
    await bot.actions.set_status(reference, actor, Status.WACHT_OP_BEWONER)
    await resident.received()
    clock.advance(days=4)
    got = await resident.say("De paal bij huisnummer 12")
    assert resident.buttons() == () and "toegevoegd" in got[0]
    case = next(c for c in await case_rows(bot) if c["reference"] == reference)
    assert case["status"] == Status.IN_BEHANDELING.value


async def test_an_answer_to_an_ambtenaar_joins_that_case(bot: Wijkbot, resident: Harness, clock: FrozenClock) -> None:
    await resident.say(LANTAARN)
    reference = resident.reference
    clock.advance(days=1)
    await bot.actions.reply(reference, await officer(bot, reference), "Is de paal helemaal donker?")
    await resident.received()
    clock.advance(hours=5)
    await resident.say("Ja, helemaal donker")
    assert resident.buttons() == ()


async def test_two_messages_in_one_batch_ask_once(bot: Wijkbot, channel: RecordingChannel, clock: FrozenClock) -> None:
    import asyncio

    resident = Harness(bot, channel)
    await resident.say(LANTAARN)
    clock.advance(hours=3)
    address = ReplyAddress(channel.name, resident.address)
    await asyncio.gather(*(bot.intake.receive(InboundMessage(address, f"b-{n}", text, clock()))
                           for n, text in enumerate((GROFVUIL, "Ook een matras"))))
    got = await resident.received()
    assert len(got) == 2
    with_buttons = [m for m in channel.sent[-2:] if m.actions]
    assert len(with_buttons) == 1  # the first asks; the second goes on with the first


async def test_a_choice_about_someone_elses_message_is_not_obeyed(bot: Wijkbot, channel: RecordingChannel,
                                                                  clock: FrozenClock) -> None:
    alice, bob = Harness(bot, channel), Harness(bot, channel)
    await alice.say(LANTAARN)
    clock.advance(hours=3)
    await alice.say(GROFVUIL)
    value = alice.buttons()[-1][1]
    await bob.say("Er zit een gat in de stoep van de Kanaalstraat")
    got = await bob.choose(value, "Iets nieuws")
    assert "niet (meer) vinden" in got[0]
    assert len(await case_rows(bot)) == 2  # alice's one and bob's one; nothing split off


async def test_pressing_twice_or_redelivered_changes_nothing_more(bot: Wijkbot, resident: Harness,
                                                                  clock: FrozenClock) -> None:
    await resident.say(LANTAARN)
    clock.advance(hours=3)
    await resident.say(GROFVUIL)
    value = resident.buttons()[-1][1]
    await resident.choose(value, "Iets nieuws", external_id="press-1")
    assert await resident.choose(value, "Iets nieuws", external_id="press-1") == []  # redelivered
    assert resident.last is not None and resident.last.duplicate
    again = await resident.choose(value, "Iets nieuws", external_id="press-2")  # pressed once more
    assert "al geregeld" in again[0]
    assert len(await case_rows(bot)) == 2


async def test_choosing_a_case_closed_meanwhile_opens_a_new_one(bot: Wijkbot, resident: Harness,
                                                                clock: FrozenClock) -> None:
    await resident.say(LANTAARN)
    first = resident.reference
    clock.advance(hours=3)
    await resident.say("De paal ernaast is nu ook stuk")
    keep = resident.buttons()[0][1]
    await bot.actions.close(first, await officer(bot, first), "De paal is vervangen.")
    await resident.received()
    got = await resident.choose(keep, first)
    assert resident.reference != first and resident.reference in got[0]


async def test_an_old_unprocessed_path_keeps_files(bot: Wijkbot, channel: RecordingChannel) -> None:
    from wijkbot.domain.model import Attachment
    from wijkbot.storage import attachments

    message = InboundMessage(ReplyAddress(channel.name, "bewoner-met-foto"), "foto-1", "", bot.clock(),
                             attachments=(Attachment("image/jpeg", "foto.jpg", b"\xff\xd8jpeg", 6),))
    stored = await bot.intake._store_unprocessed(message)
    assert not isinstance(stored, BaseException)
    async with bot.db.read() as conn:
        files = await attachments.of_message(conn, stored.message_id)
        row = (await conn.execute(select(messages.c.meta).where(messages.c.id == stored.message_id))).scalar_one()
    assert len(files) == 1 and row["unprocessed"] is True
