"""Trial findings: cancelling a case tells the resident why (and what happens to a cancelled lead's cluster), a
lead handed over takes its duplicates along, and work is never planned on a weekend day or a public holiday.

Each test is a conversation: residents write, an ambtenaar acts, and the test reads what the residents received
through their channel and what the case and its history show."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.services.test_duplicate_meldingen import LAMP, case_of, lamp_cluster
from wijkbot.app import Wijkbot
from wijkbot.domain.workflow import Status
from wijkbot.services.action_base import ActionError, Actor
from wijkbot.storage import repository
from wijkbot.storage.tables import followups
from wijkbot.testing import Harness, RecordingChannel

GROFVUIL = "Er ligt grofvuil naast de container in de Kanaalstraat"
REASON = "U heeft ons laten weten dat u het zelf met de buurman heeft opgelost."


async def officer_of(bot: Wijkbot, reference: str) -> Actor:
    async with bot.db.read() as conn:
        case = await repository.case_by_reference(conn, reference)
        row = await repository.officer(conn, case["officer_id"])
    return await bot.actions.actor(row["email"])


async def events(bot: Wijkbot, reference: str, kind: str | None = None) -> list[tuple[str, dict]]:
    async with bot.db.read() as conn:
        case = await repository.case_by_reference(conn, reference)
        return [(e["type"], dict(e["data"] or {})) for e in await repository.events_of(conn, case["id"])
                if kind is None or e["type"] == kind]


async def open_followups(bot: Wijkbot, reference: str) -> int:
    case = await case_of(bot, reference)
    async with bot.db.read() as conn:
        rows = await conn.execute(select(followups.c.status).where(followups.c.case_id == case["id"]))
        return sum(1 for r in rows if r.status != "cancelled")


# 1. Cancelling ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("reason", ["", "   \n "])
async def test_cancelling_without_a_reason_is_refused_and_nothing_is_sent(bot: Wijkbot, resident: Harness,
                                                                          reason: str) -> None:
    await resident.say(GROFVUIL)
    await resident.received()
    actor = await officer_of(bot, resident.reference)
    with pytest.raises(ActionError, match="geef een reden om de zaak te annuleren"):
        await bot.actions.set_status(resident.reference, actor, Status.GEANNULEERD, reason=reason)
    assert await resident.received() == []
    assert (await case_of(bot, resident.reference))["status"] != Status.GEANNULEERD.value
    assert await events(bot, resident.reference, "status") == []


async def test_a_cancelled_case_tells_the_resident_why_and_what_they_can_do(any_bot: Wijkbot,
                                                                            channel: RecordingChannel) -> None:
    resident = Harness(any_bot, channel)
    await resident.say(GROFVUIL)
    await resident.received()
    actor = await officer_of(any_bot, resident.reference)
    await any_bot.actions.set_status(resident.reference, actor, Status.GEANNULEERD, reason=REASON)

    got = await resident.received()
    assert len(got) == 1
    assert resident.reference in got[0] and "niet verder" in got[0]
    assert REASON in got[0]
    assert "Stuur ons dan een nieuw bericht" in got[0]  # what the resident can do
    case = await case_of(any_bot, resident.reference)
    assert case["status"] == "geannuleerd" and case["outcome"] == REASON and case["closed_at"] is not None
    assert (await events(any_bot, resident.reference, "status"))[-1] == (
        "status", {"van": "toegewezen", "naar": "geannuleerd", "reden": REASON})
    assert await open_followups(any_bot, resident.reference) == 0  # no "we zijn er nog mee bezig" afterwards
    got = await resident.command("status", resident.reference)
    assert REASON in got[0]  # /status shows why it stopped


async def test_a_cancellation_reaches_the_resident_in_their_language(bot: Wijkbot,
                                                                     channel: RecordingChannel) -> None:
    resident = Harness(bot, channel, locale="en")
    await resident.say("There is bulky waste next to the container in the Kanaalstraat")
    await resident.received()
    await bot.actions.cancel(resident.reference, await officer_of(bot, resident.reference), "Reported twice.")
    got = await resident.received()
    assert len(got) == 1 and "We have stopped working on number" in got[0] and "Reported twice." in got[0]


async def test_a_resident_waiting_for_our_question_is_told_too(bot: Wijkbot, resident: Harness) -> None:
    await resident.say(GROFVUIL)
    actor = await officer_of(bot, resident.reference)
    await bot.actions.set_status(resident.reference, actor, Status.WACHT_OP_BEWONER,
                                 question="Welk huisnummer is het?")
    await resident.received()
    await bot.actions.set_status(resident.reference, actor, Status.GEANNULEERD, reason=REASON)
    got = await resident.received()
    assert len(got) == 1 and REASON in got[0]
    assert await open_followups(bot, resident.reference) == 0  # no "we sluiten uw melding" later on


async def test_a_cancelled_lead_releases_its_duplicates_which_go_on_and_still_hear_their_outcome(
        bot: Wijkbot, channel: RecordingChannel) -> None:
    """Cancelling is a decision on one report, not an outcome of the problem the others reported: the other
    reports stay a cluster (under the oldest), keep their ambtenaar, and hear the outcome when it comes."""
    (first, second, third), lead, actor = await lamp_cluster(bot, channel, 3)
    await bot.actions.cancel(first.reference, actor, "Per ongeluk aangemaakt bij een test.")

    assert any("Per ongeluk aangemaakt bij een test." in t for t in await first.received())
    assert await second.received() == [] and await third.received() == []  # their reports simply go on
    new_lead, other = await case_of(bot, second.reference), await case_of(bot, third.reference)
    assert new_lead["duplicate_of"] is None and other["duplicate_of"] == new_lead["id"]
    assert new_lead["status"] != "geannuleerd" and other["status"] != "geannuleerd"
    assert new_lead["officer_id"] == other["officer_id"] == lead["officer_id"]
    assert ("ontkoppeld", {"van": first.reference, "reden": f"de hoofdzaak {first.reference} is geannuleerd"}) \
        in await events(bot, second.reference)
    assert ("gekoppeld", {"aan": second.reference, "reden": f"de hoofdzaak {first.reference} is geannuleerd"}) \
        in await events(bot, third.reference)
    # and the cancelled lead says where its reports went
    assert ("meldingen doorgegeven", {"aan": second.reference,
                                      "reden": f"de hoofdzaak {first.reference} is geannuleerd"}) \
        in await events(bot, first.reference)

    await bot.actions.close(second.reference, actor, "De lamp is vervangen.")
    assert any("De lamp is vervangen." in t for t in await second.received())
    assert any("De lamp is vervangen." in t for t in await third.received())
    assert await first.received() == []  # the cancelled report is not closed a second time
    assert (await case_of(bot, first.reference))["status"] == "geannuleerd"


async def test_a_cancelled_duplicate_leaves_the_lead_and_its_cluster_alone(bot: Wijkbot,
                                                                           channel: RecordingChannel) -> None:
    (first, second, third), _lead, actor = await lamp_cluster(bot, channel, 3)
    await bot.actions.cancel(second.reference, actor, "Dit bericht ging over een andere paal.")
    assert any("Dit bericht ging over een andere paal." in t for t in await second.received())
    assert await first.received() == [] and await third.received() == []
    await bot.actions.close(first.reference, actor, "De lamp is vervangen.")
    assert any("De lamp is vervangen." in t for t in await third.received())
    assert await second.received() == []
    assert (await case_of(bot, second.reference))["status"] == "geannuleerd"


# 2. A lead handed over takes its duplicates along -------------------------------------------------------------

async def test_the_duplicates_move_with_a_lead_handed_over_and_every_reporter_hears_the_outcome(
        any_bot: Wijkbot, channel: RecordingChannel) -> None:
    (first, second), _lead, actor = await lamp_cluster(any_bot, channel, 2)
    assert "U hoort de uitkomst ook" in channel.texts_to(second.address)[0]  # the promise to be kept
    await any_bot.actions.hand_over(first.reference, actor, "mobiliteit", "deze lantaarnpalen beheert ReMo")

    lead, linked = await case_of(any_bot, first.reference), await case_of(any_bot, second.reference)
    assert linked["duplicate_of"] == lead["id"]
    assert (linked["department"], linked["team"], linked["officer_id"]) == (
        "mobiliteit", lead["team"], lead["officer_id"])
    assert linked["handover_count"] == 0  # not a hand-over of its own (the router does not learn from it twice)
    moved = await events(any_bot, second.reference, "mee overgedragen")
    assert len(moved) == 1 and moved[0][1]["met"] == first.reference
    assert (moved[0][1]["van"], moved[0][1]["naar"]) == ("stadswerken", "mobiliteit")
    assert await events(any_bot, second.reference, "ontkoppeld") == []
    for resident in (first, second):  # both hear who has it now
        got = await resident.received()
        assert len(got) == 1 and "uw bericht is nu bij Mobiliteit (ReMo). Zij gaan hierover" in got[0]

    remo = await officer_of(any_bot, first.reference)
    await any_bot.actions.close(first.reference, remo, "De lamp is vervangen.")
    for resident in (first, second):
        assert any("De lamp is vervangen." in t for t in await resident.received())
        assert (await case_of(any_bot, resident.reference))["status"] == "afgehandeld"


async def test_a_lead_given_to_another_team_takes_its_duplicates_along(bot: Wijkbot,
                                                                       channel: RecordingChannel) -> None:
    (first, second), lead, actor = await lamp_cluster(bot, channel, 2)
    other = next(t.id for t in bot.rules.teams if t.department == "stadswerken" and t.id != lead["team"])
    await bot.actions.hand_over(first.reference, actor, None, "dit stuk straat hoort bij hun gebied", team=other)
    linked = await case_of(bot, second.reference)
    assert linked["team"] == other and linked["duplicate_of"] == lead["id"]
    assert linked["officer_id"] == (await case_of(bot, first.reference))["officer_id"]


async def test_a_new_report_after_the_hand_over_still_joins_the_moved_cluster(bot: Wijkbot,
                                                                              channel: RecordingChannel) -> None:
    (first, _second), lead, actor = await lamp_cluster(bot, channel, 2)
    await bot.actions.hand_over(first.reference, actor, "mobiliteit", "deze lantaarnpalen beheert ReMo")
    late = Harness(bot, channel)
    await late.say(LAMP)
    joined = await case_of(bot, late.reference)
    assert joined["duplicate_of"] == lead["id"]
    assert joined["officer_id"] == (await case_of(bot, first.reference))["officer_id"]


# 3. Planning only on a working day ----------------------------------------------------------------------------

@pytest.mark.parametrize(("day", "message"), [
    (date(2026, 12, 25), "25 december 2026 is een feestdag (Eerste Kerstdag); kies een werkdag"),
    (date(2026, 12, 26), "26 december 2026 is een feestdag (Tweede Kerstdag)"),
    (date(2026, 11, 28), "28 november 2026 is een zaterdag; kies een werkdag"),
    (date(2026, 11, 29), "29 november 2026 is een zondag; kies een werkdag"),
    (date(2027, 1, 1), "1 januari 2027 is een feestdag (Nieuwjaarsdag)"),
])
async def test_work_is_not_planned_on_a_holiday_or_in_the_weekend(bot: Wijkbot, resident: Harness, day: date,
                                                                   message: str) -> None:
    await resident.say(GROFVUIL)
    await resident.received()
    actor = await officer_of(bot, resident.reference)
    with pytest.raises(ActionError) as refused:
        await bot.actions.plan(resident.reference, actor, day)
    assert message in str(refused.value)
    assert await resident.received() == []
    assert await events(bot, resident.reference, "gepland") == []


async def test_the_working_day_after_christmas_can_be_planned(bot: Wijkbot, resident: Harness) -> None:
    await resident.say(GROFVUIL)
    await resident.received()
    assert await bot.actions.plan(resident.reference, await officer_of(bot, resident.reference),
                                  date(2026, 12, 28)) is True
    got = await resident.received()
    assert len(got) == 1 and "maandag 28 december 2026" in got[0]
