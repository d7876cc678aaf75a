"""The running week's digest, read mid-week: a case is over its term only when its date has passed (not when it
falls later this week), ages count to now, and the figure's inbox link lists exactly the cases it counts."""

from __future__ import annotations

from datetime import UTC

from tests.digest.conftest import REGISSEUR, Seeder, local
from wijkbot.app import Wijkbot
from wijkbot.domain.weeks import IsoWeek
from wijkbot.storage import repository
from wijkbot.testing import FrozenClock

W15 = IsoWeek(2026, 15)


async def test_mid_week_only_passed_dates_are_over_the_term(digest_bot: Wijkbot, clock: FrozenClock) -> None:
    s = Seeder(digest_bot, clock)
    early = await s.case("early", local(3, 23, 10), "De lantaarnpaal in de Taagdreef is kapot")  # due in W14
    fresh = await s.case("fresh", local(4, 7, 9), "Er ligt grofvuil bij de Zamenhofdreef")  # due later this week
    async with digest_bot.db.read() as conn:
        due = {ref: (await repository.case_by_reference(conn, ref))["due_date"] for ref in (early, fresh)}
    clock.set(local(4, 8, 10))  # Wednesday of W15
    today = clock().astimezone(local(4, 8, 10).tzinfo).date()
    assert due[early] < today <= due[fresh] <= W15.sunday

    digest = await digest_bot.digests.figures("Overvecht", W15)
    overdue = [c.reference for c in digest.stuck.overdue]
    assert overdue == [early]  # the grofvuil is due later this week: not late yet
    ages = {c.reference: c.age_days for c in digest.stuck.overdue}
    elapsed = local(4, 8, 10).astimezone(UTC) - local(3, 23, 10).astimezone(UTC)  # summer time began in between
    assert ages[early] == elapsed.days  # counted to now, not to Sunday

    person = (await digest_bot.actions.actor(REGISSEUR)).person
    assert person is not None
    queues = digest_bot.inbox.queues
    listed = await queues.show(person, queues.parse(person, {"queue": "all", "wijk": "Overvecht",
                                                             "overdue": str(W15)}))
    assert [r["reference"] for r in listed.rows] == overdue  # the tile's link: the same cases

    clock.set(local(4, 13, 9))  # the week is over: its Sunday counts
    after = await digest_bot.digests.figures("Overvecht", W15)
    assert {c.reference for c in after.stuck.overdue} == {r for r in (early, fresh) if due[r] <= W15.sunday}
