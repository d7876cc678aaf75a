"""Conversations through the real services: a resident writes, we look at what they received."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from wijkbot.app import Wijkbot
from wijkbot.storage import repository
from wijkbot.storage.tables import followups
from wijkbot.testing import FrozenClock, Harness, RecordingChannel

ROOT = Path(__file__).resolve().parents[2]


async def case_of(bot: Wijkbot, reference: str) -> dict:
    async with bot.db.read() as conn:
        row = await repository.case_by_reference(conn, reference)
        assert row is not None
        return dict(row)


async def test_melding_is_acknowledged_with_reference_department_area_and_date(any_bot: Wijkbot,
                                                                              channel: RecordingChannel) -> None:
    resident = Harness(any_bot, channel)
    got = await resident.say("Er ligt al een week grofvuil naast de container op de Amsterdamsestraatweg")
    assert len(got) == 1
    ack = got[0]
    assert resident.reference in ack
    assert "Stadswerken" in ack
    assert "Noordwest" in ack
    assert "uiterlijk" in ack and "2026" in ack  # "uiterlijk donderdag 26 november 2026"
    case = await case_of(any_bot, resident.reference)
    assert case["kind"] == "melding"
    assert case["department"] == "stadswerken"
    assert case["wijk"] == "Noordwest"
    assert case["officer_id"] is not None  # a named ambtenaar, not just a team
    assert case["status"] == "toegewezen"


async def test_due_date_skips_weekend_and_holidays(bot: Wijkbot, resident: Harness, clock: FrozenClock) -> None:
    from datetime import UTC, datetime

    clock.set(datetime(2026, 12, 24, 10, 0, tzinfo=UTC))  # Thursday before Kerst
    await resident.say("Er ligt grofvuil naast de container in de Kanaalstraat")
    case = await case_of(bot, resident.reference)
    category = bot.rules.categories[case["category"]]
    from wijkbot.domain.workdays import add_working_days

    assert case["due_date"] == add_working_days(datetime(2026, 12, 24).date(), category.sla_days)
    assert case["due_date"].weekday() < 5
    assert case["due_date"] not in {datetime(2026, 12, 25).date(), datetime(2026, 12, 26).date()}


async def test_english_when_the_resident_asks_for_it(bot: Wijkbot, channel: RecordingChannel) -> None:
    resident = Harness(bot, channel, locale="en")
    got = await resident.say("Er ligt grofvuil naast de container in de Kanaalstraat")
    assert "Thank you" in got[0]
    assert resident.reference in got[0]


async def test_redelivered_message_creates_nothing_new(any_bot: Wijkbot, channel: RecordingChannel) -> None:
    resident = Harness(any_bot, channel)
    first = await resident.say("De lantaarnpaal in de Kanaalstraat is kapot", external_id="upd-1")
    reference = resident.reference
    again = await resident.say("De lantaarnpaal in de Kanaalstraat is kapot", external_id="upd-1")
    assert first and not again  # nothing sent the second time
    assert resident.last is not None and resident.last.duplicate and resident.last.reference == reference
    async with any_bot.db.read() as conn:
        messages = await repository.messages_of(conn, (await case_of(any_bot, reference))["id"])
    assert len([m for m in messages if m["direction"] == "in"]) == 1


async def test_second_message_is_added_to_the_open_case(bot: Wijkbot, resident: Harness) -> None:
    await resident.say("De lantaarnpaal in de Kanaalstraat is kapot")
    reference = resident.reference
    got = await resident.say("Het is de paal bij de moskee")
    assert resident.reference == reference
    assert reference in got[0]


async def test_empty_message_gets_a_friendly_question(bot: Wijkbot, resident: Harness) -> None:
    got = await resident.say("   \n\t ")
    assert resident.last is not None and resident.last.reference is None
    assert "Waar kunnen we u mee helpen?" in got[0]


@pytest.mark.parametrize("text", ["!!!???", "asdfgh qwerty zxcv", "blablabla qwerty zxcv asdf"])
async def test_nonsense_gets_asked_what_is_wrong(bot: Wijkbot, resident: Harness, text: str) -> None:
    got = await resident.say(text)
    assert resident.last is not None and resident.last.reference is None  # no case, but the message is kept
    assert "wat er aan de hand is" in got[0]


@pytest.mark.parametrize(("text", "greeted"), [
    ("Hallo", "Hallo! Waar kunnen we u mee helpen?"),
    ("Goedemorgen, is daar iemand?", "Hallo! Waar kunnen we u mee helpen?"),
    ("hi there", "Hallo! Waar kunnen we u mee helpen?"),
    ("Hallo, de lantaarnpaal", None),  # more than a greeting: not greeted as one
])
async def test_a_greeting_is_greeted_back(bot: Wijkbot, resident: Harness, text: str, greeted: str | None) -> None:
    """A Telegram trial's first "hallo" was answered "Sorry, dat begrijpen we niet goed"."""
    got = await resident.say(text)
    if greeted is None:
        assert "Hallo!" not in got[0]
    else:
        assert resident.last is not None and resident.last.reference is None
        assert got[0].startswith(greeted) and "Sorry" not in got[0] and "wat er aan de hand is" in got[0]


@pytest.mark.parametrize("text", ["ik wil gewoon een mens spreken", "Kan ik iemand spreken?",
                                  "I want to talk to a real person"])
async def test_asking_for_a_person_gets_the_phone_number_not_a_case(bot: Wijkbot, resident: Harness,
                                                                    text: str) -> None:
    """A trial's "ik wil gewoon een mens spreken" became a case and was asked for a street."""
    got = await resident.say(text)
    assert resident.last is not None and resident.last.reference is None  # kept, no case
    assert "14 030" in got[0] and "straat of bij welke postcode" not in got[0]


async def test_asking_for_a_person_with_a_case_open_goes_with_the_case(bot: Wijkbot, resident: Harness,
                                                                       clock: FrozenClock) -> None:
    """With a case open (a crisis case, a case asking for the street) the words go with it, where a person reads
    them (a review found "ik wil met iemand praten" after "ik wil niet meer leven" answered with a phone number and
    kept with no case)."""
    await resident.say("Ik wil niet meer leven")
    crisis = resident.reference
    clock.advance(minutes=2)
    got = await resident.say("Ik wil met iemand praten")
    assert "14 030" not in got[0] and crisis in got[0]
    async with bot.db.read() as conn:
        case = await repository.case_by_reference(conn, crisis)
        assert case is not None
        bodies = [m["body"] for m in await repository.messages_of(conn, case["id"]) if m["direction"] == "in"]
    assert "Ik wil met iemand praten" in bodies


@pytest.mark.parametrize("text", ["Ik weet niet goed bij wie ik moet zijn hiermee",
                                  "Who can I talk to about this"])
async def test_words_without_a_known_subject_still_reach_a_person(bot: Wijkbot, resident: Harness,
                                                                  text: str) -> None:
    got = await resident.say(text)
    assert resident.reference is not None and resident.reference in got[0]  # triage: a person reads it


async def test_long_message_is_stored_whole_and_the_resident_is_told(bot: Wijkbot, resident: Harness) -> None:
    text = "Er ligt grofvuil naast de container in de Kanaalstraat. " + "Het stinkt echt enorm. " * 400
    assert len(text) > 5000
    got = await resident.say(text)
    assert "lang" in got[0]
    async with bot.db.read() as conn:
        messages = await repository.messages_of(conn, (await case_of(bot, resident.reference))["id"])
    assert messages[0]["body"] == text


async def test_gas_smell_gets_112_at_once_and_is_still_recorded(bot: Wijkbot, resident: Harness) -> None:
    got = await resident.say("Ik ruik een sterke gaslucht in de Kanaalstraat")
    assert "112" in got[0]
    case = await case_of(bot, resident.reference)
    assert case["urgent"] is True


async def test_acute_danger_is_promised_an_answer_by_the_next_working_day(bot: Wijkbot, resident: Harness,
                                                                          clock: FrozenClock) -> None:
    """Trials' gas smell, burning container and tree across the road heard "U hoort uiterlijk" a week ahead;
    policies.yaml `acute` gives them the next working day (Utrecht's, and the built-in default)."""
    clock.set(datetime(2026, 12, 4, 20, 0, tzinfo=UTC))  # a Friday evening
    got = await resident.say("Op de Croeselaan ligt een boom over de weg na de storm, gevaarlijk voor fietsers")
    assert "112" in got[0] and "U hoort uiterlijk maandag 7 december 2026 van ons." in got[0]
    case = await case_of(bot, resident.reference)
    assert case["urgent"] is True and case["due_date"] == date(2026, 12, 7)
    clock.advance(minutes=1)
    await Harness(bot, resident.channel, address="another-resident").say("De lantaarnpaal in de Kanaalstraat is kapot")
    assert (await case_of(bot, "UT-2026-000002"))["due_date"] > date(2026, 12, 8)  # an ordinary case: its own term


@pytest.mark.parametrize(("text", "locale", "advice"), [
    # a trial's gas smell got only "Bel 112" and a date: the grid operators' number says what to do
    ("Ik ruik een sterke gaslucht in de Kanaalstraat", None, "Ruikt u gas? Doe ramen en deuren open"),
    ("het ruikt heel erg naar gas in de Biltstraat", None, "Bel meteen het gratis storingsnummer 0800 9009"),
    ("I smell gas in the stairwell on Kanaalstraat", "en", "Call the free emergency number 0800 9009"),
    ("Er staat een auto in brand in de Kanaalstraat", None, None),  # acute, but no gas: no gas advice
    ("De gasten van de buren parkeren op de stoep", None, None),  # not acute: no advice (and "gasten" is no gas)
])
async def test_acute_gas_gets_the_gas_emergency_number_after_112(bot: Wijkbot, channel: RecordingChannel, text: str,
                                                                 locale: str | None, advice: str | None) -> None:
    got = await Harness(bot, channel, locale=locale).say(text)
    if advice is None:
        assert "0800 9009" not in got[0]
    else:
        assert advice in got[0] and got[0].index("112") < got[0].index("0800 9009")


async def test_a_resident_in_crisis_hears_of_113_and_nothing_they_must_do_for_us(bot: Wijkbot,
                                                                                 resident: Harness) -> None:
    got = await resident.say("ik zie het niet meer zitten, ik wil er een eind aan maken")
    assert len(got) == 1
    assert "113" in got[0] and "0800-0113" in got[0] and "112" in got[0]
    assert resident.reference is not None and resident.reference in got[0]  # kept, and a person reads it
    assert "uiterlijk" not in got[0] and "straat" not in got[0]  # no date to wait for, no question back
    case = await case_of(bot, resident.reference)
    assert case["urgent"] is True and case["triage"] is True


async def test_a_crisis_in_english_is_answered_in_english(bot: Wijkbot, resident: Harness) -> None:
    await resident.command("taal", "en")
    got = await resident.say("I don't see the point anymore, I want to end my life")
    assert "113" in got[-1] and "Suicide Prevention" in got[-1]


async def test_danger_from_a_resident_with_an_open_case_opens_its_own_case_with_112(bot: Wijkbot,
                                                                                    resident: Harness) -> None:
    await resident.say("Er ligt grofvuil naast de container in de Kanaalstraat")
    first = resident.reference
    got = await resident.say("Nu ruikt het hier heel sterk naar gas in het portiek")
    assert "112" in got[-1]
    assert not resident.buttons()  # not asked which case it is about: no time for that
    assert resident.reference != first  # a case of its own, in triage, marked acute
    case = await case_of(bot, resident.reference)
    assert case["urgent"] is True and case["triage"] is True


async def test_passport_gets_a_pointer_to_the_right_service(bot: Wijkbot, resident: Harness) -> None:
    got = await resident.say("Hoe kan ik een nieuw paspoort aanvragen?")
    case = await case_of(bot, resident.reference)
    assert case["out_of_scope"] is True
    assert case["status"] == "afgehandeld"
    assert "utrecht.nl" in got[0]
    assert "Publieksdienstverlening" in got[0]


async def test_hostile_text_is_stored_exactly_and_answered(bot: Wijkbot, resident: Harness) -> None:
    text = "<script>alert('x')</script> grofvuil \x00 in de Kanaalstraat \ud800"
    got = await resident.say(text)
    assert got, "the resident always gets an answer"
    async with bot.db.read() as conn:
        messages = await repository.messages_of(conn, (await case_of(bot, resident.reference))["id"])
    assert messages[0]["body"] == text.replace("\x00", "\ufffd").replace("\ud800", "\ufffd")


async def test_status_of_a_closed_case_gives_its_outcome_not_a_due_date(bot: Wijkbot, resident: Harness) -> None:
    await resident.say("Er ligt grofvuil naast de container in de Kanaalstraat")
    case = await case_of(bot, resident.reference)
    async with bot.db.read() as conn:
        officer = await repository.officer(conn, case["officer_id"])
    await bot.actions.close(resident.reference, await bot.actions.actor(officer["email"]), "Het grofvuil is opgehaald.")
    reference = resident.reference
    await bot.delivery.drain()
    await resident.received()  # the closing notice
    status = (await resident.command("status", reference))[-1]
    assert reference in status and "afgehandeld" in status
    assert "Het grofvuil is opgehaald." in status and "Uiterlijk" not in status


async def test_a_complaint_is_not_asked_for_a_street(bot: Wijkbot, resident: Harness) -> None:
    """A complaint about how we worked has no place; a melding without one is asked for it."""
    complaint = (await resident.say("Ik wil een klacht indienen over een onvriendelijke medewerker aan de balie"))[0]
    assert "klacht" in complaint.lower() and "in welke straat" not in complaint
    other = Harness(bot, resident.channel)
    assert "in welke straat" in (await other.say("De lantaarnpaal is al een week kapot"))[0]


async def test_the_triage_acknowledgement_names_who_reads_it_as_the_municipality_says(
        sqlite_url: str, clock: FrozenClock, channel: RecordingChannel) -> None:
    from wijkbot.app import build
    from wijkbot.settings import Settings

    root = ROOT
    unclear = "Ik weet niet goed bij wie ik moet zijn hiermee"
    for municipality, lang, who in (("utrecht", "nl", "Een medewerker van het wijkbureau kijkt"),
                                    ("katwijk", "nl", "De wijkregisseur van uw kern kijkt"),
                                    ("katwijk", "en", "The neighbourhood coordinator for your village will decide"),
                                    ("utrecht", "en", "A member of staff at the neighbourhood office will decide")):
        settings = Settings(database_url=sqlite_url, rules_dir=root / "routing_rules" / municipality,  # type: ignore[call-arg]
                            locales_dir=root / "locales", _env_file=None)
        bot = await build(settings, clock, extra_channels={channel.name: channel})
        try:
            got = await Harness(bot, channel, locale=lang).say(unclear)
        finally:
            await bot.close()
        assert len(got) == 1 and who in got[0], (municipality, lang, got)


async def test_the_crisis_answer_names_who_reads_it_as_the_municipality_says(
        sqlite_url: str, clock: FrozenClock, channel: RecordingChannel) -> None:
    """Katwijk has no wijkbureau: the 113 answer names the configured reader (a trial found "het wijkbureau")."""
    from wijkbot.app import build
    from wijkbot.settings import Settings

    settings = Settings(database_url=sqlite_url, rules_dir=ROOT / "routing_rules" / "katwijk",  # type: ignore[call-arg]
                        locales_dir=ROOT / "locales", _env_file=None)
    bot = await build(settings, clock, extra_channels={channel.name: channel})
    try:
        resident = Harness(bot, channel)
        first = await resident.say("ik wil niet meer leven")
        again = await resident.say("ik zie het echt niet meer zitten")
        nonsense = await Harness(bot, channel).say("blablabla xyzzy qwerty")
        streets = set(bot.rules.streets)
    finally:
        await bot.close()
    for got in (first, again):
        assert "0800-0113" in got[0] and "De wijkregisseur van uw kern leest het." in got[0], got
        assert "wijkbureau" not in got[0]
    # the example in the answer to nonsense names one of Katwijk's streets, not Utrecht's Kanaalstraat
    example = nonsense[0].split("'De lantaarnpaal in de ")[1].split(" is kapot")[0]
    assert example in streets and "Kanaalstraat" not in nonsense[0], nonsense


async def _officer_team(bot: Wijkbot, officer_id: int | None) -> set[str]:
    from sqlalchemy import select

    from wijkbot.storage.tables import officer_teams

    async with bot.db.read() as conn:
        return set((await conn.execute(select(officer_teams.c.team)
                                       .where(officer_teams.c.officer_id == officer_id))).scalars())


async def test_the_street_a_resident_sends_when_asked_gives_the_case_its_place_and_team(
        any_bot: Wijkbot, channel: RecordingChannel) -> None:
    resident = Harness(any_bot, channel)
    got = await resident.say("De lantaarnpaal is kapot")
    assert "in welke straat" in got[0]
    before = await case_of(any_bot, resident.reference)
    assert before["wijk"] is None and before["team"] == "stadswerken-west"  # the department's first team
    got = await resident.say("Het is aan de Oudegracht")
    assert len(got) == 1 and f"plek toegevoegd aan nummer {resident.reference}: Oudegracht" in got[0]
    assert "Binnenstad" in got[0] and "Stadswerken gaat ermee aan de slag" in got[0]
    case = await case_of(any_bot, resident.reference)
    assert (case["street"], case["wijk"]) == ("Oudegracht", "Binnenstad")
    team = any_bot.rules.team_for("stadswerken", "Binnenstad")
    assert team is not None and case["team"] == team.id != "stadswerken-west"
    assert case["officer_id"] is not None and team.id in await _officer_team(any_bot, case["officer_id"])
    async with any_bot.db.read() as conn:
        placed = [e["data"] for e in await repository.events_of(conn, case["id"]) if e["type"] == "plaats aangevuld"]
    assert placed == [{"straat": "Oudegracht", "wijk": "Binnenstad", "buurt": case["buurt"],
                       "team": {"van": "stadswerken-west", "naar": team.id}}]
    got = await resident.say("Hij knippert ook")  # the place is known now: an ordinary addition
    assert "toegevoegd aan nummer" in got[0]


async def test_a_case_someone_works_on_gets_its_place_but_keeps_its_team(bot: Wijkbot, resident: Harness) -> None:
    from tests.followup.test_never_silent import officer_of

    await resident.say("De lantaarnpaal is kapot")
    actor = await officer_of(bot, resident.reference)
    await bot.actions.reply(resident.reference, actor, "In welke straat staat hij?")
    await resident.received()
    got = await resident.say("Taagdreef")
    assert "toegevoegd aan nummer" in got[0] and ": Taagdreef" in got[0]
    case = await case_of(bot, resident.reference)
    assert case["wijk"] == "Overvecht" and case["team"] == "stadswerken-west"
    assert case["officer_id"] == actor.officer_id  # the ambtenaar who asked keeps it


async def test_a_case_a_teamleider_assigned_by_hand_keeps_its_team_when_the_street_comes(
        bot: Wijkbot, resident: Harness) -> None:
    await resident.say("De lantaarnpaal is kapot")
    bram = await bot.actions.actor("bram.deproef@example.org")
    assert (await case_of(bot, resident.reference))["officer_id"] != bram.officer_id
    await bot.actions.assign(resident.reference, bram, bram.officer_id)  # the teamleider takes it himself
    await resident.received()  # "Bram van Stadswerken gaat uw bericht behandelen"
    got = await resident.say("Het is aan de Oudegracht")
    assert "toegevoegd aan nummer" in got[0] and ": Oudegracht" in got[0]
    case = await case_of(bot, resident.reference)
    assert case["wijk"] == "Binnenstad" and case["status"] == "toegewezen"
    assert (case["team"], case["officer_id"]) == ("stadswerken-west", bram.officer_id)  # where Bram put it


async def test_the_resident_reads_the_wijkbureau_of_their_wijk_not_a_city_wide_name(bot: Wijkbot,
                                                                                     resident: Harness) -> None:
    """Utrecht's wijkbureaus are one department ("Wijkbureau Utrecht", `named_by_team`): a resident must read the
    office of their own wijk, in the first answer and in /status."""
    got = await resident.say("We willen een buurtbarbecue organiseren in de Kanaalstraat in Lombok")
    assert "Wijkbureau West" in got[0] and "Wijkbureau Utrecht" not in got[0]
    status = await resident.command("status")
    assert "Wijkbureau West" in status[0] and "Wijkbureau Utrecht" not in status[0]


@pytest.mark.parametrize("text", ["zelfmoord", "Gasgeur!", "suïcidaal"])
async def test_a_short_cry_for_help_is_answered_not_asked_to_explain(bot: Wijkbot, resident: Harness,
                                                                   text: str) -> None:
    got = await resident.say(text)
    assert "Sorry, dat begrijpen we niet" not in got[0] and ("112" in got[0] or "113" in got[0])
    assert resident.reference in got[0]


async def test_a_crisis_conversation_stays_one_case(bot: Wijkbot, resident: Harness) -> None:
    await resident.say("ik zie het niet meer zitten, ik wil er een eind aan maken")
    first = resident.reference
    got = await resident.say("ik wil niet meer leven, bel me alsjeblieft")
    assert resident.reference == first  # with the person who reads the first, not a second triage case
    # written again in distress: where to turn is said again, not only that we filed it
    assert len(got) == 1 and first in got[0] and "0800-0113" in got[0] and "112" in got[0], got
    got = await resident.say("mijn buurvrouw komt zo langs")  # nothing acute in these words: only "toegevoegd"
    assert got and first in got[0] and "113" not in got[0], got


async def test_danger_written_again_hears_112_again_in_the_same_case(bot: Wijkbot, resident: Harness) -> None:
    await resident.say("Ik ruik een sterke gaslucht in de Kanaalstraat")
    first = resident.reference
    got = await resident.say("Het stinkt nu nog erger naar gas in het hele portiek")
    assert resident.reference == first and first in got[0] and "112" in got[0], got
    assert "113" not in got[0]  # danger, no crisis


async def test_without_a_known_wijk_the_resident_reads_no_wijkbureau_of_another_wijk(bot: Wijkbot,
                                                                                   resident: Harness) -> None:
    await resident.say("We willen een buurtbarbecue organiseren")  # no place: the case waits with a holding team
    status = await resident.command("status")
    assert "Wijkbureau Binnenstad" not in status[0] and "Wijkbureau Utrecht" in status[0]


async def test_a_resident_in_crisis_gets_no_automatic_update_with_a_date(bot: Wijkbot, resident: Harness) -> None:
    await resident.say("ik wil niet meer leven")
    async with bot.db.read() as conn:
        case = await case_of(bot, resident.reference)
        kinds = {r[0] for r in await conn.execute(select(followups.c.kind).where(followups.c.case_id == case["id"]))}
    assert "update" not in kinds and kinds  # the ambtenaren's reminder and escalation are still planned


# A review's probes: a second message in distress must reach the case a person reads, with where to turn, in
# whatever branch of the answer, and without a date.
async def test_a_crisis_message_that_names_a_street_gets_113_and_no_date(bot: Wijkbot, resident: Harness) -> None:
    await resident.say("ik wil niet meer leven")
    first = resident.reference
    got = await resident.say("ik sta nu bij de Kanaalstraat en ik wil niet meer leven")
    assert resident.reference == first and "0800-0113" in got[0] and "112" in got[0], got
    assert "uiterlijk" not in got[0]
    calm = await resident.say("ik ben in de Biltstraat")  # a street in a crisis case: still no date
    assert calm and "uiterlijk" not in calm[0], calm


async def test_danger_while_in_a_crisis_conversation_stays_with_it_and_names_112(bot: Wijkbot,
                                                                                 resident: Harness) -> None:
    await resident.say("ik wil niet meer leven")
    first = resident.reference
    got = await resident.say("het ruikt heel erg naar gas in de Biltstraat")
    assert resident.reference == first and "112" in got[0] and resident.buttons() == (), got


async def test_crisis_words_go_to_the_acute_case_not_to_a_case_waiting_on_the_resident(
        bot: Wijkbot, resident: Harness) -> None:
    from tests.services.test_actions import officer
    from wijkbot.domain.workflow import Status

    await resident.say("Er ligt grofvuil naast de container in de Kanaalstraat")
    rubbish = resident.reference
    await bot.actions.set_status(rubbish, await officer(bot, rubbish), Status.WACHT_OP_BEWONER,
                                 question="Welk huisnummer is het?")
    await resident.say("ik wil niet meer leven")
    crisis = resident.reference
    assert crisis != rubbish
    got = await resident.say("ik wil dood")
    assert "0800-0113" in got[0] and crisis in got[0] and rubbish not in got[0], got
    async with bot.db.read() as conn:
        rows = await repository.messages_of(conn, (await case_of(bot, crisis))["id"])
    assert [m["body"] for m in rows if m["direction"] == "in"][-1] == "ik wil dood"


async def test_the_english_welcome_says_where_to_go_in_english(bot: Wijkbot, channel: RecordingChannel) -> None:
    """An English trial read "Call 14 030 or visit het wijkbureau in uw wijk" (municipality.yaml wijkbureau_en)."""
    resident = Harness(bot, channel)
    await resident.command("taal", "en")
    welcome = (await resident.command("start"))[0]
    assert "visit the wijkbureau (neighbourhood office) in your wijk" in welcome and "uw wijk" not in welcome
    dutch = (await Harness(bot, channel).command("start"))[0]
    assert "het wijkbureau in uw wijk" in dutch


async def test_plainly_english_on_the_dutch_page_is_answered_in_english(bot: Wijkbot, channel: RecordingChannel,
                                                                        clock: FrozenClock) -> None:
    """A trial's English message in the Dutch web chat got Dutch answers throughout (the handover notice too)."""
    resident = Harness(bot, channel, locale="nl")
    got = await resident.say("Hi, there is a huge pile of garbage bags next to the container on the Kanaalstraat")
    assert got[0].startswith("Thank you") and resident.reference is not None
    got = await resident.say("Het ligt er nog steeds")  # the contact is English now; Dutch words do not switch it
    assert "Thank you" in got[0] or "added" in got[0]
    other = Harness(bot, channel, address="nederlands", locale="nl")
    got = await other.say("De lamp is broken in de Kanaalstraat")
    assert got[0].startswith("Bedankt")
