"""In the inbox: a resident who sent /stop cannot be replied to (and the ambtenaar sees why, without losing
the typed text); planning the work sends the resident the date."""

from __future__ import annotations

import re
from datetime import date, timedelta

from tests.inbox.conftest import AFVAL, Officer, new_case, signed_in
from tests.inbox.test_case_actions import case_row, events
from wijkbot.app import Wijkbot
from wijkbot.testing import FrozenClock, RecordingChannel


async def test_after_stop_the_page_says_so_and_a_stale_reply_is_kept_as_a_note_draft(
        officers: dict[str, Officer], inbox_bot: Wijkbot, channel: RecordingChannel) -> None:
    resident = await new_case(inbox_bot, channel, AFVAL)
    reference = resident.reference
    anouk = await signed_in(officers, "anouk")
    before = await anouk.get(f"/inbox/zaak/{reference}")  # opened before the resident says /stop
    assert 'id="reply-form"' in before.html and 'id="resident-stopped"' not in before.html
    await resident.command("stop")
    await resident.received()

    page = await anouk.get(f"/inbox/zaak/{reference}")
    assert 'id="resident-stopped"' in page.html and 'id="reply-form"' not in page.html
    assert "De bewoner heeft /stop gestuurd" in page.text

    refused = await anouk.post(f"/inbox/zaak/{reference}/antwoord",
                               {"version": before.field("version"), "csrf": before.field("csrf"),
                                "reply": "We komen donderdag."})
    assert refused.status in (400, 409)
    note = re.search(r'<textarea id="note-text"[^>]*>(.*?)</textarea>', refused.html, re.S)
    assert note is not None and "We komen donderdag." in note.group(1)
    assert await resident.received() == []


async def test_plan_the_work_from_the_case_page(officers: dict[str, Officer], inbox_bot: Wijkbot,
                                                channel: RecordingChannel, clock: FrozenClock) -> None:
    resident = await new_case(inbox_bot, channel, AFVAL)
    anouk = await signed_in(officers, "anouk")
    day = clock().date() + timedelta(days=4)
    done = await anouk.act(resident.reference, "inplannen", day=day.isoformat())
    assert done.url.endswith(resident.reference) and "De datum is opgeslagen" in done.text
    assert "gepland" in done.text and day.isoformat() in done.text  # the history shows it
    got = await resident.received()
    assert len(got) == 1 and inbox_bot.translator.date(day, "nl") in got[0]
    assert ("gepland", {"datum": day.isoformat()}) in await events(inbox_bot, resident.reference)
    assert (await case_row(inbox_bot, resident.reference))["status"] == "in behandeling"


async def test_a_bad_date_gets_a_clear_answer_next_to_the_form(officers: dict[str, Officer], inbox_bot: Wijkbot,
                                                               channel: RecordingChannel) -> None:
    resident = await new_case(inbox_bot, channel, AFVAL)
    anouk = await signed_in(officers, "anouk")
    page = await anouk.act(resident.reference, "inplannen", day="31-02-2027")
    assert page.status == 400 and "vul een datum in" in page.text
    assert 'id="form-inplannen" open' in page.html
    page = await anouk.act(resident.reference, "inplannen", day=date(2020, 1, 1).isoformat())
    assert page.status == 400 and "vanaf vandaag" in page.text
    assert await resident.received() == []


async def test_planning_after_stop_says_the_resident_is_not_told(officers: dict[str, Officer], inbox_bot: Wijkbot,
                                                                 channel: RecordingChannel,
                                                                 clock: FrozenClock) -> None:
    resident = await new_case(inbox_bot, channel, AFVAL)
    reference = resident.reference
    await resident.command("stop")
    await resident.received()
    anouk = await signed_in(officers, "anouk")
    page = await anouk.get(f"/inbox/zaak/{reference}")
    assert "De bewoner krijgt geen bericht" in page.text  # the hint under the date field
    done = await anouk.act(reference, "inplannen", day=(clock().date() + timedelta(days=2)).isoformat())
    assert "De datum is opgeslagen. De bewoner krijgt geen bericht" in done.text
    assert await resident.received() == []
