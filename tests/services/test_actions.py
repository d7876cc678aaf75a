"""The ambtenaar's actions, seen from the resident's side and from the case history."""

from __future__ import annotations

import pytest

from wijkbot.app import Wijkbot
from wijkbot.domain.workflow import Status
from wijkbot.services.actions import ActionError
from wijkbot.storage import repository
from wijkbot.testing import Harness


async def officer(bot: Wijkbot, reference: str):
    async with bot.db.read() as conn:
        case = await repository.case_by_reference(conn, reference)
        row = await repository.officer(conn, case["officer_id"])
    return await bot.actions.actor(row["email"])


async def history(bot: Wijkbot, reference: str) -> list[str]:
    async with bot.db.read() as conn:
        case = await repository.case_by_reference(conn, reference)
        return [e["type"] for e in await repository.events_of(conn, case["id"])]


async def test_reply_reaches_the_resident_through_their_channel(any_bot: Wijkbot, channel) -> None:
    resident = Harness(any_bot, channel)
    await resident.say("Er ligt grofvuil naast de container in de Kanaalstraat")
    actor = await officer(any_bot, resident.reference)
    await any_bot.actions.reply(resident.reference, actor, "We halen het morgen op.")
    got = await resident.received()
    assert len(got) == 1
    assert "We halen het morgen op." in got[0]
    assert actor.name in got[0]  # a named person answers, not "the municipality"
    assert "antwoord" in await history(any_bot, resident.reference)


async def test_note_is_never_sent(bot: Wijkbot, resident: Harness) -> None:
    await resident.say("Er ligt grofvuil naast de container in de Kanaalstraat")
    actor = await officer(bot, resident.reference)
    await bot.actions.note(resident.reference, actor, "Buurman belt vaker, bekende situatie")
    assert await resident.received() == []
    assert "notitie" in await history(bot, resident.reference)


async def test_hand_over_needs_a_reason_and_keeps_one_lead_department(bot: Wijkbot, resident: Harness) -> None:
    await resident.say("Er ligt grofvuil naast de container in de Kanaalstraat")
    actor = await officer(bot, resident.reference)
    with pytest.raises(ActionError, match="reden"):
        await bot.actions.hand_over(resident.reference, actor, "vth", "  ")
    with pytest.raises(ActionError, match="onbekende vakdienst"):
        await bot.actions.hand_over(resident.reference, actor, "nergens", "omdat")
    await bot.actions.hand_over(resident.reference, actor, "vth", "Bedrijfsafval: handhaving nodig")
    async with bot.db.read() as conn:
        case = await repository.case_by_reference(conn, resident.reference)
    assert case["department"] == "vth"
    assert case["handover_count"] == 1
    got = await resident.received()
    assert any("VTH" in text or "Vergunningen" in text for text in got)


async def test_close_tells_the_outcome_and_cancels_followups(bot: Wijkbot, resident: Harness) -> None:
    await resident.say("Er ligt grofvuil naast de container in de Kanaalstraat")
    actor = await officer(bot, resident.reference)
    await bot.actions.close(resident.reference, actor, "Het grofvuil is opgehaald.")
    got = await resident.received()
    assert any("Het grofvuil is opgehaald." in text and "afgehandeld" in text for text in got)
    with pytest.raises(ActionError, match=r"kan niet naar"):
        await bot.actions.close(resident.reference, actor, "nog een keer")
    from sqlalchemy import select

    from wijkbot.storage.tables import followups

    async with bot.db.read() as conn:
        statuses = {r.status for r in await conn.execute(select(followups.c.status))}
    assert statuses == {"cancelled"}


async def test_waiting_on_the_resident_needs_a_question_they_can_answer(bot: Wijkbot, resident: Harness) -> None:
    """A trial's resident was told "lees ons vorige bericht" after the welcome; a review found a question typed with
    another status recorded as asked, and one typed after /stop lost."""
    await resident.say("De lantaarnpaal in de Kanaalstraat is kapot")
    reference = resident.reference
    actor = await officer(bot, reference)
    with pytest.raises(ActionError, match="schrijf wat u van de bewoner nodig heeft"):
        await bot.actions.set_status(reference, actor, Status.WACHT_OP_BEWONER)
    with pytest.raises(ActionError, match="gaat mee met 'wacht op bewoner'"):
        await bot.actions.set_status(reference, actor, Status.IN_BEHANDELING, question="Welk huisnummer?")
    with pytest.raises(ActionError, match="te lang"):
        await bot.actions.set_status(reference, actor, Status.WACHT_OP_BEWONER, question="x" * 20_001)
    assert await resident.received() == []  # nothing of this reached the resident
    await resident.command("stop")
    await resident.received()
    with pytest.raises(ActionError, match="/stop gestuurd"):
        await bot.actions.set_status(reference, actor, Status.WACHT_OP_BEWONER, question="Welk huisnummer?")
    await bot.actions.set_status(reference, actor, Status.WACHT_OP_BEWONER)  # nothing is sent, none is needed
    assert await resident.received() == []
    async with bot.db.read() as conn:
        case = await repository.case_by_reference(conn, reference)
    assert case is not None and case["status"] == Status.WACHT_OP_BEWONER.value
