"""Several residents report the same thing at the same place: one cluster, one ambtenaar, every reporter hears."""

from __future__ import annotations

from wijkbot.app import Wijkbot
from wijkbot.services.action_base import Actor
from wijkbot.storage import repository
from wijkbot.testing import FrozenClock, Harness, RecordingChannel

LAMP = "De lantaarnpaal in de Kanaalstraat is al dagen kapot"


async def case_of(bot: Wijkbot, reference: str) -> dict:
    async with bot.db.read() as conn:
        row = await repository.case_by_reference(conn, reference)
        assert row is not None
        return dict(row)


async def event_types(bot: Wijkbot, reference: str) -> list[str]:
    async with bot.db.read() as conn:
        return [e["type"] for e in await repository.events_of(conn, (await case_of(bot, reference))["id"])]


async def test_second_reporter_is_linked_and_both_hear_the_outcome(any_bot: Wijkbot,
                                                                   channel: RecordingChannel) -> None:
    first, second = Harness(any_bot, channel), Harness(any_bot, channel)
    await first.say(LAMP)
    got = await second.say("lantaarn kapot in de kanaalstraat, het is zo donker")
    lead, linked = await case_of(any_bot, first.reference), await case_of(any_bot, second.reference)
    assert second.reference != first.reference  # each reporter keeps their own case and reference
    assert linked["duplicate_of"] == lead["id"]
    assert linked["officer_id"] == lead["officer_id"]  # one person sees the whole cluster
    assert "ook al door iemand anders gemeld" in got[0]
    assert any(first.reference in r for r in linked["routing"]["reasons"])
    assert "dubbele gekoppeld" in await event_types(any_bot, first.reference)  # the name the inbox uses too

    async with any_bot.db.read() as conn:
        officer = await repository.officer(conn, lead["officer_id"])
    actor = await any_bot.actions.actor(officer["email"])
    await any_bot.actions.close(first.reference, actor, "De lamp is vervangen.")
    assert any("De lamp is vervangen." in t for t in await first.received())
    assert any("De lamp is vervangen." in t for t in await second.received())
    assert (await case_of(any_bot, second.reference))["status"] == "afgehandeld"


async def test_other_street_other_subject_or_too_old_is_not_linked(bot: Wijkbot, channel: RecordingChannel,
                                                                  clock: FrozenClock) -> None:
    first = Harness(bot, channel)
    await first.say(LAMP)
    other_street = Harness(bot, channel)
    await other_street.say("De lantaarnpaal in de Damstraat is kapot")
    other_subject = Harness(bot, channel)
    await other_subject.say("Er ligt grofvuil naast de container in de Kanaalstraat")
    clock.advance(days=15)
    late = Harness(bot, channel)
    await late.say(LAMP)
    for resident in (other_street, other_subject, late):
        assert (await case_of(bot, resident.reference))["duplicate_of"] is None


async def lamp_cluster(bot: Wijkbot, channel: RecordingChannel, reporters: int) -> tuple[list[Harness], dict, Actor]:
    """Residents reporting the same lamp, one after the other: their harnesses, the lead case and its ambtenaar."""
    texts = [LAMP, "lantaarn kapot in de kanaalstraat, het is zo donker",
             "Lantaarnpaal Kanaalstraat kapot, hij hangt scheef"]
    residents = [Harness(bot, channel) for _ in range(reporters)]
    for resident, text in zip(residents, texts, strict=False):
        await resident.say(text)
    lead = await case_of(bot, residents[0].reference)
    for resident in residents[1:]:
        assert (await case_of(bot, resident.reference))["duplicate_of"] == lead["id"]
    async with bot.db.read() as conn:
        officer = await repository.officer(conn, lead["officer_id"])
    return residents, lead, await bot.actions.actor(officer["email"])


async def test_a_duplicate_handed_to_another_department_leaves_the_cluster(bot: Wijkbot,
                                                                           channel: RecordingChannel) -> None:
    """It is another vakdienst's subject now: closing the lead must not close it with the lead's outcome."""
    (first, second, third), lead, actor = await lamp_cluster(bot, channel, 3)
    await bot.actions.hand_over(second.reference, actor, "veiligheid", "er wordt daar gedeald, geen lamp")
    await bot.actions.hand_over(third.reference, actor, "stadswerken", "andere ploeg",
                                team=next(t.id for t in bot.rules.teams
                                          if t.department == "stadswerken" and t.id != lead["team"]))
    moved = await case_of(bot, second.reference)
    assert moved["duplicate_of"] is None and moved["department"] == "veiligheid"
    assert "ontkoppeld" in await event_types(bot, second.reference)
    assert (await case_of(bot, third.reference))["duplicate_of"] == lead["id"]  # same vakdienst: still linked

    await bot.actions.close(first.reference, actor, "De lamp is vervangen.")
    assert (await case_of(bot, second.reference))["status"] != "afgehandeld"
    assert not any("De lamp is vervangen." in t for t in await second.received())
    assert (await case_of(bot, third.reference))["status"] == "afgehandeld"


async def test_a_lead_handed_to_another_department_takes_its_duplicates_along(
        bot: Wijkbot, channel: RecordingChannel) -> None:
    """The duplicates are the same problem: they move with the lead and stay linked (trial finding: they used
    to be unlinked and left at the old vakdienst, and their reporters never heard the outcome)."""
    (first, second, third), _lead, actor = await lamp_cluster(bot, channel, 3)
    await bot.actions.hand_over(first.reference, actor, "mobiliteit", "deze lantaarnpalen beheert ReMo")
    lead = await case_of(bot, first.reference)
    for follower in (second, third):
        moved = await case_of(bot, follower.reference)
        assert moved["duplicate_of"] == lead["id"]
        assert (moved["department"], moved["team"], moved["officer_id"]) == (
            lead["department"], lead["team"], lead["officer_id"])
        assert "mee overgedragen" in await event_types(bot, follower.reference)
        assert "ontkoppeld" not in await event_types(bot, follower.reference)

    async with bot.db.read() as conn:
        remo = await bot.actions.actor((await repository.officer(conn, lead["officer_id"]))["email"])
    await bot.actions.close(first.reference, remo, "De lamp is vervangen.")
    for resident in (first, second, third):
        assert any("De lamp is vervangen." in t for t in await resident.received())
        assert (await case_of(bot, resident.reference))["status"] == "afgehandeld"


async def test_a_duplicate_with_another_category_leaves_the_cluster(bot: Wijkbot, channel: RecordingChannel) -> None:
    (first, second), _lead, actor = await lamp_cluster(bot, channel, 2)
    await bot.actions.change_category(second.reference, actor, "grofvuil", "er staat een kapotte kast")
    moved = await case_of(bot, second.reference)
    assert moved["duplicate_of"] is None and moved["category"] == "grofvuil"
    await bot.actions.close(first.reference, actor, "De lamp is vervangen.")
    assert (await case_of(bot, second.reference))["status"] != "afgehandeld"


async def test_two_house_numbers_far_apart_on_one_street_are_two_places(any_bot: Wijkbot,
                                                                        channel: RecordingChannel) -> None:
    """A trial's lamp at Kanaalstraat 45 was linked to the one at 120, and its reporter heard "gerepareerd" while
    theirs was still out. A few doors apart is the same lamp; a number not given is no difference."""
    first, far, near, unknown = (Harness(any_bot, channel) for _ in range(4))
    await first.say("De lantaarnpaal voor Kanaalstraat 120, 3531 CJ is kapot")
    await far.say("De lantaarnpaal bij Kanaalstraat 45 doet het niet")
    await near.say("De lantaarnpaal bij Kanaalstraat 124 is kapot, het is donker")
    await unknown.say("lantaarnpaal kapot in de kanaalstraat")
    lead = await case_of(any_bot, first.reference)
    assert lead["house_number"] == 120
    assert (await case_of(any_bot, far.reference))["duplicate_of"] is None
    assert (await case_of(any_bot, near.reference))["duplicate_of"] == lead["id"]
    assert (await case_of(any_bot, unknown.reference))["duplicate_of"] == lead["id"]


async def test_the_planned_date_reaches_every_reporter_of_the_cluster(bot: Wijkbot, channel: RecordingChannel,
                                                                       clock: FrozenClock) -> None:
    """A trial's "het werk staat gepland op woensdag 9 december" went only to the lead's reporter."""
    from datetime import timedelta

    from wijkbot.domain.workdays import is_working_day

    first, second = Harness(bot, channel), Harness(bot, channel)
    await first.say(LAMP)
    await second.say("lantaarn kapot in de kanaalstraat, het is zo donker")
    await first.received(), await second.received()
    lead = await case_of(bot, first.reference)
    async with bot.db.read() as conn:
        officer = await repository.officer(conn, lead["officer_id"])
    day = clock().date() + timedelta(days=2)
    while not is_working_day(day):
        day += timedelta(days=1)
    await bot.actions.plan(first.reference, await bot.actions.actor(officer["email"]), day)
    heard_first, heard_second = await first.received(), await second.received()
    assert len(heard_first) == 1 and len(heard_second) == 1
    assert second.reference in heard_second[0] and "gepland" in heard_second[0]
    assert "gepland" in await event_types(bot, second.reference)
