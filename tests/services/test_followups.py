"""Follow-ups: a quiet case gets a 'still on it' message in working hours, exactly once, and not when closed."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from wijkbot.app import Wijkbot
from wijkbot.storage import repository
from wijkbot.storage.tables import followups
from wijkbot.testing import FrozenClock, Harness

AMS = ZoneInfo("Europe/Amsterdam")


async def test_quiet_case_gets_an_update_once_in_working_hours(bot: Wijkbot, resident: Harness,
                                                               clock: FrozenClock) -> None:
    await resident.say("Er ligt grofvuil naast de container in de Kanaalstraat")
    async with bot.db.read() as conn:
        planned = {r.kind: r.due_at for r in await conn.execute(select(followups.c.kind, followups.c.due_at))}
    update_at = planned["update"]
    local = update_at.astimezone(AMS)
    assert 8 <= local.hour < 21 and local.weekday() < 5
    clock.set(update_at - timedelta(minutes=1))
    await bot.followups.run_due()
    assert await resident.received() == []
    clock.set(update_at + timedelta(minutes=1))
    await bot.followups.run_due()
    await bot.followups.run_due()  # a second tick must not send it again
    got = await resident.received()
    assert len(got) == 1 and "nog mee bezig" in got[0] and resident.reference in got[0]


async def test_closed_case_gets_no_update(bot: Wijkbot, resident: Harness, clock: FrozenClock) -> None:
    await resident.say("Er ligt grofvuil naast de container in de Kanaalstraat")
    async with bot.db.read() as conn:
        case = await repository.case_by_reference(conn, resident.reference)
        officer = await repository.officer(conn, case["officer_id"])
    await bot.actions.close(resident.reference, await bot.actions.actor(officer["email"]), "Opgehaald.")
    await resident.received()
    clock.advance(days=30)
    await bot.followups.run_due()
    assert await resident.received() == []
