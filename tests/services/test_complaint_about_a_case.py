"""A klacht that names the resident's own case by its number is about that case: the inbox sees which, and it goes
to that case's wijk instead of a guess. Someone else's number gives nothing away (a trial's klacht about
UT-2026-000001 landed "wijk onbekend" with another wijk's team, without a link)."""

from __future__ import annotations

from tests.services.test_actions import officer
from wijkbot.app import Wijkbot
from wijkbot.storage import repository
from wijkbot.testing import Harness, RecordingChannel

LAMP = "De lantaarnpaal in de Kanaalstraat is kapot"


async def case_of(bot: Wijkbot, reference: str | None) -> dict:
    async with bot.db.read() as conn:
        row = await repository.case_by_reference(conn, reference)
        assert row is not None
        events = [(e["type"], e["data"]) for e in await repository.events_of(conn, row["id"])]
        return dict(row) | {"events": events}


async def test_a_complaint_about_the_residents_own_case_goes_where_that_case_played(
        bot: Wijkbot, channel: RecordingChannel) -> None:
    resident = Harness(bot, channel)
    await resident.say(LAMP)
    lamp = resident.reference
    await bot.actions.close(lamp, await officer(bot, lamp), "De lamp is vervangen.")
    await resident.say(f"Ik wil een klacht indienen over de behandeling van mijn melding {lamp.lower()}, "
                       "niemand heeft me teruggebeld")
    complaint = await case_of(bot, resident.reference)
    assert resident.reference != lamp and complaint["kind"] == "klacht"
    assert complaint["wijk"] == "West" and complaint["street"] == "Kanaalstraat"
    reasons = complaint["routing"]["reasons"]
    assert f"gaat over zaak {lamp}" in reasons and f"zaak {lamp} -> Lombok-West, West" in reasons, reasons
    assert not any("wijk onbekend" in r for r in reasons)
    assert ("verwijst naar", {"aan": lamp}) in complaint["events"]


async def test_another_residents_case_number_links_nothing_and_places_nothing(
        bot: Wijkbot, channel: RecordingChannel) -> None:
    owner, other = Harness(bot, channel), Harness(bot, channel)
    await owner.say(LAMP)
    lamp = owner.reference
    await bot.actions.close(lamp, await officer(bot, lamp), "De lamp is vervangen.")
    await other.say(f"Ik wil een klacht indienen over de behandeling van melding {lamp}")
    complaint = await case_of(bot, other.reference)
    assert complaint["kind"] == "klacht" and complaint["wijk"] is None
    assert not any(lamp in r for r in complaint["routing"]["reasons"])
    assert not any(kind == "verwijst naar" for kind, _ in complaint["events"])


async def test_a_complaint_about_an_open_case_is_a_klacht_of_its_own_linked_to_it(
        bot: Wijkbot, channel: RecordingChannel) -> None:
    """A retest: with the named case still open, the klacht was asked "which case?" and then filed as a message
    on the melding (read by the team complained about) or opened without the link."""
    resident = Harness(bot, channel)
    await resident.say(LAMP)
    lamp = resident.reference
    got = await resident.say(f"Ik wil een klacht indienen over {lamp}: niemand reageert en de medewerker was "
                             "onvriendelijk")
    assert resident.buttons() == () and resident.reference != lamp, got
    complaint = await case_of(bot, resident.reference)
    assert complaint["kind"] == "klacht" and complaint["wijk"] == "West"
    assert ("verwijst naar", {"aan": lamp}) in complaint["events"]
    melding = await case_of(bot, lamp)
    assert not any(kind == "bericht" for kind, _ in melding["events"][1:])  # nothing filed on the melding
