"""Findings of the user trial (web chat): follow-ups in the right case, unknown commands, removal requests.

Conversation-style: the resident writes through the one door every channel uses (the web chat passes an unknown
"/word" on as words, as `Harness.say` does); we look at what they received and in which case each message is.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from wijkbot.app import Wijkbot
from wijkbot.domain.conversation import LastSent, OpenCase, Placement, Subject, place
from wijkbot.storage import repository
from wijkbot.storage.tables import cases, messages
from wijkbot.testing import FrozenClock, Harness

LAMP = "De lantaarnpaal op de Zamenhofdreef is kapot"
BIKE = "Er staat al weken een fietswrak tegen het hek aan de Zamenhofdreef"


async def case_of_message(bot: Wijkbot, body: str) -> str | None:
    """The reference of the case the resident's (last) message with this text is on."""
    async with bot.db.read() as conn:
        row = (await conn.execute(select(messages.c.case_id).where(messages.c.body == body,
                                                                   messages.c.direction == "in")
                                  .order_by(messages.c.id.desc()))).first()
        assert row is not None, body
        if row.case_id is None:
            return None
        case = await repository.case_by_id(conn, row.case_id)
        return case["reference"] if case else None


async def two_open_cases(resident: Harness, clock: FrozenClock) -> tuple[str, str]:
    """A street light (Stadswerken) and a fietswrak (VTH), both on the Zamenhofdreef, as in the trial."""
    await resident.say(LAMP)
    lamp = resident.reference
    clock.advance(hours=2)
    got = await resident.say(BIKE)  # another vakdienst: plainly not the lamp's case, so a case of its own
    bike = resident.reference
    assert bike != lamp and resident.buttons() == () and f"apart van nummer {lamp}" in got[0]
    return lamp, bike


async def test_a_follow_up_goes_to_the_one_case_it_is_about(bot: Wijkbot, resident: Harness,
                                                             clock: FrozenClock) -> None:
    """Hours later, words surely about the street light, the only open case of that category: with it, no question
    (a trial was asked "which case?" about its only tree case); words about no known subject are still asked."""
    lamp, _bike = await two_open_cases(resident, clock)
    clock.advance(hours=3)
    text = "De lantaarnpaal op de Zamenhofdreef is nog steeds kapot, het is hier heel donker"
    got = await resident.say(text)
    assert f"toegevoegd aan nummer {lamp}" in got[0] and resident.buttons() == ()  # not the most recent case
    assert await case_of_message(bot, text) == lamp
    clock.advance(hours=3)
    got = await resident.say("Kunnen jullie opschieten?")
    assert resident.buttons(), "no subject: which case is asked"


async def test_another_subject_right_after_the_question_is_not_filed_silently(bot: Wijkbot, resident: Harness,
                                                                               clock: FrozenClock) -> None:
    _lamp, bike = await two_open_cases(resident, clock)
    clock.advance(hours=3)
    await resident.say("De lantaarnpaal op de Zamenhofdreef is nog steeds kapot, het is hier heel donker")
    clock.advance(minutes=1)
    text = "Nog een fietswrak trouwens, bij de Zamenhofdreef 40"
    got = await resident.say(text)
    assert resident.buttons(), "asked, not silently added"
    assert f"bij nummer {bike}" in got[0]  # kept with the fietswrak case until the resident chooses
    assert await case_of_message(bot, text) == bike
    # The words that go on about the message just asked about still follow it (no second question).
    clock.advance(minutes=1)
    more = await resident.say("Hij staat er al weken zonder wielen")
    assert resident.buttons() == () and bike in more[0]


async def test_in_english_a_street_light_is_not_added_to_the_fietswrak_case(bot: Wijkbot, resident: Harness,
                                                                           clock: FrozenClock) -> None:
    lamp, _bike = await two_open_cases(resident, clock)
    clock.advance(minutes=2)
    await resident.say("Het is een blauwe fiets zonder wielen")  # goes on with the fietswrak: no question
    assert resident.buttons() == ()
    await resident.command("taal", "en")
    clock.advance(minutes=1)
    text = "Another broken street light on Zamenhofdreef 40"
    got = await resident.say(text)
    assert resident.buttons(), "asked, not silently added to the fietswrak case"
    assert f"we keep it with number {lamp}" in got[0]
    assert await case_of_message(bot, text) == lamp
    # Choosing the street light case files it there for good.
    await resident.choose(resident.buttons()[0][1], lamp)
    assert await case_of_message(bot, text) == lamp


async def test_a_plain_follow_up_on_the_case_being_written_on_still_joins_it(bot: Wijkbot, resident: Harness,
                                                                             clock: FrozenClock) -> None:
    _lamp, bike = await two_open_cases(resident, clock)
    clock.advance(minutes=2)
    got = await resident.say("De fiets heeft geen wielen meer")
    assert resident.buttons() == () and bike in got[0] and "toegevoegd" in got[0]


async def test_an_unknown_command_is_stored_but_not_added_to_a_case(bot: Wijkbot, resident: Harness) -> None:
    await resident.say(LAMP)
    reference = resident.reference
    got = await resident.say("/onzin")
    assert len(got) == 1 and got[0].startswith("Deze opdracht kennen we niet.")
    for command in ("/status", "/taal", "/stop", "/uitkomst", "/privacy", "/verwijder"):
        assert command in got[0]
    assert "toegevoegd" not in got[0] and reference not in got[0]
    assert resident.last is not None and resident.last.reference is None
    async with bot.db.read() as conn:
        stored = (await conn.execute(select(messages.c.case_id, messages.c.meta)
                                     .where(messages.c.body == "/onzin"))).one()
    assert stored.case_id is None and stored.meta["command"] == "onzin"  # stored first, on no case
    # "/ Kanaalstraat" is no command: ordinary words, added to the open case.
    await resident.say("/ bij de Zamenhofdreef 12")
    assert await case_of_message(bot, "/ bij de Zamenhofdreef 12") == reference


async def test_start_and_help_list_every_command(bot: Wijkbot, resident: Harness) -> None:
    for name in ("start", "help"):
        text = (await resident.command(name))[0]
        assert "/verwijder" in text and "/uitkomst" in text, name
    await resident.command("taal", "en")
    text = (await resident.command("start"))[0]
    assert "/verwijder: ask us to remove your data" in text and "/uitkomst" in text
    unknown = (await resident.say("/nonsense"))[0]
    assert unknown.startswith("We do not know that command.") and "/verwijder" in unknown


async def test_a_removal_request_goes_to_the_wijkbureau_of_the_residents_cases(bot: Wijkbot, resident: Harness,
                                                                                clock: FrozenClock) -> None:
    lamp, bike = await two_open_cases(resident, clock)
    got = await resident.say("/verwijder")
    request = resident.reference
    assert request not in (lamp, bike) and request in got[0]
    async with bot.db.read() as conn:
        case = await repository.case_by_reference(conn, request)
        assert case is not None
        notes = [m for m in await repository.messages_of(conn, case["id"]) if m["direction"] == "note"]
    assert case["team"] == "wijkbureau-overvecht" and case["department"] == "wijken" and case["wijk"] == "Overvecht"
    assert case["routing"]["request"] == "verwijderverzoek"
    assert len(notes) == 1 and lamp in notes[0]["body"] and bike in notes[0]["body"]
    assert resident.address not in notes[0]["body"]  # references only, never contact data


async def test_a_removal_request_without_cases_says_so(bot: Wijkbot, resident: Harness) -> None:
    await resident.say("/verwijder")
    async with bot.db.read() as conn:
        case = (await conn.execute(select(cases))).mappings().one()
        notes = [m for m in await repository.messages_of(conn, case["id"]) if m["direction"] == "note"]
    assert case["department"] == "wijken" and len(notes) == 1 and "geen andere zaken" in notes[0]["body"]


# The rule underneath, pure (domain.conversation.place): which case a message is kept with, and when it asks.
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
LAMP_CASE = OpenCase(578, False, None, category="straatverlichting", street="Zamenhofdreef",
                     department="stadswerken")
BIKE_CASE = OpenCase(579, False, None, category="fietswrak", street="Zamenhofdreef", department="vth")
LIGHT = Subject("straatverlichting", "Zamenhofdreef", "stadswerken")


def test_place_keeps_it_with_the_matching_case_not_the_newest() -> None:
    assert place([BIKE_CASE, LAMP_CASE], None, NOW, LIGHT) == Placement(578, ask=False)  # its only case
    second_lamp = OpenCase(580, False, None, category="straatverlichting", street=None, department="stadswerken")
    assert place([second_lamp, BIKE_CASE, LAMP_CASE], None, NOW, LIGHT) == Placement(578, ask=True)  # two: ask
    # "nu is ook de lantaarnpaal bij de school kapot": another one, never joined silently (a review)
    another = Subject("straatverlichting", None, "stadswerken", another_one=True)
    assert place([BIKE_CASE, LAMP_CASE], None, NOW, another) == Placement(578, ask=True)
    assert place([BIKE_CASE, LAMP_CASE], None, NOW, Subject(None, None)) == Placement(579, ask=True)
    assert place([BIKE_CASE, LAMP_CASE], None, NOW, Subject("grofvuil", "Kanaalstraat", "stadswerken")) == \
        Placement(579, ask=True)  # matches none: the newest, as before


def test_place_asks_rather_than_filing_on_the_case_being_written_on() -> None:
    writing = replace(BIKE_CASE, last_resident_message_at=NOW - timedelta(minutes=5))
    assert place([writing, LAMP_CASE], None, NOW, LIGHT) == Placement(578, ask=True)
    asked = LastSent(579, "choice", NOW - timedelta(minutes=1))
    assert place([writing, LAMP_CASE], asked, NOW, LIGHT) == Placement(578, ask=True)
    bike_words = Subject("fietswrak", None, "vth")
    assert place([writing, LAMP_CASE], asked, NOW, bike_words) == Placement(579, ask=False)
    lone = replace(LAMP_CASE, last_resident_message_at=NOW - timedelta(minutes=1))
    assert place([lone], asked, NOW, Subject("fietswrak", "Zamenhofdreef", "vth")) == Placement(578, ask=True)


def test_place_a_waiting_case_keeps_its_answer_unless_it_is_about_another_case() -> None:
    waiting = replace(BIKE_CASE, waits_on_resident=True)
    assert place([waiting, LAMP_CASE], None, NOW, Subject(None, None)) == Placement(579, ask=False)
    assert place([waiting, LAMP_CASE], None, NOW, LIGHT) == Placement(578, ask=True)


async def test_a_guessed_subject_of_another_vakdienst_is_asked_about(bot: Wijkbot, resident: Harness,
                                                                     clock: FrozenClock) -> None:
    """A trial's fietswrak, right after a loose tile without a street, was filed silently on the tile case: the
    router was unsure of the wreck (triage), and the tile case had no street to differ from."""
    await resident.say("Er ligt een stoeptegel los, je struikelt er zo over")
    tile = resident.reference
    clock.advance(minutes=3)
    text = "En er staat ook een fietswrak al maanden tegen de lantaarnpaal"
    got = await resident.say(text)
    assert resident.buttons(), "asked, not silently added to the tile case"
    assert f"bij nummer {tile}" in got[0] and "toegevoegd" not in got[0]
    await resident.choose(resident.buttons()[-1][1], "Iets nieuws")
    assert await case_of_message(bot, text) not in (None, tile)
    # The resident's own follow-up on the tile, minutes later, still joins it without a question.
    clock.advance(minutes=2)
    await resident.say("De tegel ligt vlak voor de deur van nummer 12")
    assert await case_of_message(bot, "De tegel ligt vlak voor de deur van nummer 12") == tile


async def test_a_photo_of_the_case_just_opened_is_not_asked_about(bot: Wijkbot, resident: Harness,
                                                                   clock: FrozenClock) -> None:
    """A Telegram trial sent a photo with "Hier is een foto van de rommel" seconds after a grofvuil report and
    was asked "which case?" with one case open: the caption's word is another category of the same vakdienst."""
    from wijkbot.domain.model import Attachment, InboundMessage, ReplyAddress

    await resident.say("Er ligt al een week grofvuil op de stoep aan de Amsterdamsestraatweg")
    rubbish = resident.reference
    clock.advance(seconds=7)
    caption = "Hier is een foto van de rommel"
    await bot.inbound.receive(InboundMessage(
        ReplyAddress(resident.channel.name, resident.address), "foto-1", caption, bot.clock(),
        attachments=(Attachment("image/jpeg", "foto.jpg", b"\xff\xd8jpeg", 6),)))
    got = await resident.received()
    assert resident.buttons() == () and rubbish in got[0], got
    assert await case_of_message(bot, caption) == rubbish


async def test_something_new_without_words_asks_for_them(bot: Wijkbot, resident: Harness, clock: FrozenClock) -> None:
    """A Telegram trial pressed "Iets nieuws" under a photo without words: the new case was opened with nothing
    to say what it is about, and only a street was asked for."""
    from wijkbot.domain.model import Attachment, InboundMessage, ReplyAddress

    await resident.say(LAMP)
    lamp = resident.reference
    clock.advance(hours=2)
    await bot.inbound.receive(InboundMessage(
        ReplyAddress(resident.channel.name, resident.address), "foto-2", "", bot.clock(),
        attachments=(Attachment("image/jpeg", "foto.jpg", b"\xff\xd8jpeg", 6),)))
    await resident.received()
    assert resident.buttons(), "which case? asked about the photo"
    got = await resident.choose(resident.buttons()[-1][1], "Iets nieuws")
    new = resident.reference
    assert new != lamp
    assert "paar woorden" in got[-1] and "wat er aan de hand is" in got[-1]
    # the words that follow go with the new case
    clock.advance(minutes=2)
    await resident.say("Er staat een kapotte fiets tegen het hek")
    assert await case_of_message(bot, "Er staat een kapotte fiets tegen het hek") == new


async def test_a_follow_up_on_a_triage_case_about_the_same_thing_is_not_asked_about(
        bot: Wijkbot, resident: Harness, clock: FrozenClock) -> None:
    """A review found "which case?" asked about a plain follow-up on a triage case: the triage department said the
    case was of another vakdienst than the router's (unsure) guess of the follow-up."""
    await resident.say("En er staat ook een fietswrak al maanden tegen de lantaarnpaal")  # unsure: triage
    wreck = resident.reference
    clock.advance(minutes=2)
    text = "Dat fietswrak staat nog steeds tegen de lantaarnpaal"
    await resident.say(text)
    assert resident.buttons() == ()
    assert await case_of_message(bot, text) == wreck


async def test_a_status_question_in_own_words_gets_the_status_of_each_case(bot: Wijkbot, resident: Harness,
                                                                          clock: FrozenClock) -> None:
    """A trial's "hoe staat het met mijn melding" was added to a case ("Stadswerken leest het mee"), and /status
    read "bij een medewerker, Stadswerken" twice, for two cases of one vakdienst."""
    lamp, bike = await two_open_cases(resident, clock)
    clock.advance(hours=1)
    got = await resident.say("hoe staat het met mijn melding?")
    assert len(got) == 1 and "toegevoegd" not in got[0] and resident.buttons() == ()
    lines = got[0].splitlines()
    assert lines[0].startswith(f"{lamp} (Straatverlichting kapot): ") and lines[1].startswith(f"{bike} (")
    assert await case_of_message(bot, "hoe staat het met mijn melding?") is None  # kept, not filed on a case


async def test_another_subject_is_no_answer_to_where_is_it(bot: Wijkbot, resident: Harness,
                                                          clock: FrozenClock) -> None:
    """We asked where the lamp is; grofvuil on a street is no answer to that (a review found it filed on the lamp
    case, which took the grofvuil's street): asked about, and the lamp keeps no street; a plain street still is the
    answer."""
    await resident.say("De lantaarnpaal is kapot")
    lamp = resident.reference
    clock.advance(minutes=5)
    await resident.say("Er ligt grofvuil naast de container op de Amsterdamsestraatweg")
    assert resident.buttons(), "asked which case"
    async with bot.db.read() as conn:
        case = await repository.case_by_reference(conn, lamp)
    assert case is not None and case["street"] is None
