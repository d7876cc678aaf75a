"""What the resident hears while the term runs: an honest update once it has passed, a hand-over that
restarts the update clock under the new department's policy, and a moved term that shows in the history."""

from __future__ import annotations

from datetime import timedelta

from tests.followup.test_never_silent import AMS, GROFVUIL, case_of, events, officer_of, planned
from wijkbot.app import Wijkbot
from wijkbot.domain.workflow import Status
from wijkbot.testing import FrozenClock, Harness

FIETSWRAK = "Er staat al een half jaar een verroeste fiets tegen het hek in de Damstraat"


async def test_an_update_after_the_term_apologises_instead_of_naming_a_past_date(
        bot: Wijkbot, resident: Harness, clock: FrozenClock) -> None:
    await resident.say(FIETSWRAK)  # a term of 15 working days, news every 5
    reference = resident.reference
    case = await case_of(bot, reference)
    await resident.received()
    updates = []
    for _week in range(4):
        clock.advance(days=7)
        await bot.followups.run_due()
        updates.extend(text for text in await resident.received() if "nog mee bezig" in text)
    assert len(updates) == 4
    promised = bot.translator.date(case["due_date"], "nl")
    assert all(promised in text for text in updates[:3])  # within the term: the day it ends
    assert "langer" in updates[3] and "Excuses" in updates[3] and promised not in updates[3]


async def test_a_hand_over_restarts_the_update_clock_under_the_new_policy(bot: Wijkbot, resident: Harness,
                                                                          clock: FrozenClock) -> None:
    await resident.say(GROFVUIL)
    reference = resident.reference
    await resident.received()
    clock.advance(days=1)
    actor = await officer_of(bot, reference)
    await bot.actions.hand_over(reference, actor, "veiligheid", "Gaat over overlast")
    got = await resident.received()
    assert len(got) == 1 and "Veiligheid" in got[0]
    case = await case_of(bot, reference)
    update = (await planned(bot, case["id"]))["update"]
    # Veiligheid keeps residents informed every 3 working days (policies.yaml), counted from the notice.
    handed = clock().astimezone(AMS).date()
    assert (update.astimezone(AMS).date() - handed) <= timedelta(days=5)
    assert case["last_contact_at"] == clock()


async def test_a_hand_over_within_the_department_is_no_contact(bot: Wijkbot, resident: Harness,
                                                               clock: FrozenClock) -> None:
    await resident.say(GROFVUIL)
    reference = resident.reference
    await resident.received()
    before = await case_of(bot, reference)
    clock.advance(days=1)
    actor = await officer_of(bot, reference)
    await bot.actions.hand_over(reference, actor, None, "Andere wijk", team="stadswerken-centrum-oost")
    assert await resident.received() == []
    assert (await case_of(bot, reference))["last_contact_at"] == before["last_contact_at"]


async def test_the_history_says_how_far_the_term_moved(bot: Wijkbot, resident: Harness, clock: FrozenClock) -> None:
    await resident.say(GROFVUIL)
    reference = resident.reference
    actor = await officer_of(bot, reference)
    await bot.actions.set_status(reference, actor, Status.IN_BEHANDELING)
    await bot.actions.set_status(reference, actor, Status.WACHT_OP_BEWONER,
                                 question="Welk huisnummer is het?")
    clock.advance(days=3)
    await resident.say("Het staat voor nummer 12")
    case = await case_of(bot, reference)
    moved = await events(bot, reference, "termijn verschoven")
    assert len(moved) == 1 and moved[0]["termijn"] == case["due_date"].isoformat()
    assert moved[0]["werkdagen"] == case["paused_days"] > 0
    assert {"van": "wacht op bewoner", "naar": "in behandeling"} in await events(bot, reference, "status")
