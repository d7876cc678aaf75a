"""Trial findings in the inbox's forms: cancelling needs a reason (a clear error next to the form, the input
kept) and tells the resident; a holiday cannot be planned; the search never comes from a URL.

Uses the inbox's real-HTTP helpers (tests/inbox/conftest.py): one cookie jar per ambtenaar, real forms."""

from __future__ import annotations

import re

from tests.inbox.conftest import AFVAL, Officer, Pool, new_case, signed_in
from tests.web.inbox_pages import inbox_bot_fixture, officers_fixture  # noqa: F401  (fixtures: bot, officers)
from wijkbot.app import Wijkbot
from wijkbot.storage import repository
from wijkbot.testing import RecordingChannel

REASON = "U heeft de melding zelf ingetrokken."




async def history(bot: Wijkbot, reference: str) -> list[tuple[str, dict]]:
    async with bot.db.read() as conn:
        case = await repository.case_by_reference(conn, reference)
        return [(e["type"], dict(e["data"] or {})) for e in await repository.events_of(conn, case["id"])]


async def status_of(bot: Wijkbot, reference: str) -> str:
    async with bot.db.read() as conn:
        return str((await repository.case_by_reference(conn, reference))["status"])


def status_form(html: str) -> str:
    return html.split('id="form-status"')[1].split("</details>")[0]


async def test_cancelling_without_a_reason_is_refused_next_to_the_form(officers: Pool, bot: Wijkbot,
                                                                       channel: RecordingChannel) -> None:
    resident = await new_case(bot, channel, AFVAL)
    anouk = await signed_in(officers, "anouk")
    page = await anouk.act(resident.reference, "status", status="geannuleerd", reason="  ")
    assert page.status == 400
    assert "geef een reden om de zaak te annuleren: de bewoner leest die" in page.text
    form = status_form(page.html)
    assert 'id="form-status" open' in page.html and 'id="error-status"' in form
    assert re.search(r'<option value="geannuleerd"\s+selected>', form)  # the choice is kept
    assert await status_of(bot, resident.reference) != "geannuleerd"
    assert await resident.received() == []


async def test_a_stale_cancel_keeps_the_typed_reason(officers: Pool, bot: Wijkbot,
                                                     channel: RecordingChannel) -> None:
    resident = await new_case(bot, channel, AFVAL)
    anouk = await signed_in(officers, "anouk")
    page = await anouk.get(f"/inbox/zaak/{resident.reference}")
    await anouk.act(resident.reference, "status", status="in behandeling")  # the first page is stale now
    refused = await anouk.post(f"/inbox/zaak/{resident.reference}/status",
                               {"version": page.field("version"), "csrf": page.field("csrf"),
                                "status": "geannuleerd", "reason": REASON})
    assert refused.status == 409
    assert REASON in status_form(refused.html)
    assert await resident.received() == []


async def test_cancelling_with_a_reason_tells_the_resident_and_the_history_keeps_it(
        officers: Pool, bot: Wijkbot, channel: RecordingChannel) -> None:
    resident = await new_case(bot, channel, AFVAL)
    anouk = await signed_in(officers, "anouk")
    before = await anouk.get(f"/inbox/zaak/{resident.reference}")
    assert 'id="status-reason"' in status_form(before.html)
    done = await anouk.act(resident.reference, "status", status="geannuleerd", reason=REASON)
    assert done.status == 200 and done.url.endswith(resident.reference)
    assert "De zaak is geannuleerd. De bewoner krijgt de reden." in done.text
    assert f"reden: {REASON}" in done.text  # the history on the page
    got = await resident.received()
    assert len(got) == 1 and REASON in got[0] and resident.reference in got[0]
    assert ("status", {"van": "toegewezen", "naar": "geannuleerd", "reden": REASON}) \
        in await history(bot, resident.reference)


async def test_other_status_changes_need_no_reason(officers: Pool, bot: Wijkbot, channel: RecordingChannel) -> None:
    resident = await new_case(bot, channel, AFVAL)
    anouk = await signed_in(officers, "anouk")
    done = await anouk.act(resident.reference, "status", status="in behandeling")
    assert "De status is gewijzigd" in done.text
    assert await status_of(bot, resident.reference) == "in behandeling"


async def test_christmas_cannot_be_planned(officers: Pool, bot: Wijkbot, channel: RecordingChannel) -> None:
    resident = await new_case(bot, channel, AFVAL)
    anouk = await signed_in(officers, "anouk")
    page = await anouk.act(resident.reference, "inplannen", day="2026-12-25")
    assert page.status == 400
    assert "25 december 2026 is een feestdag (Eerste Kerstdag); kies een werkdag" in page.text
    assert 'id="form-inplannen" open' in page.html and 'value="2026-12-25"' in page.html  # the date is kept
    assert await resident.received() == []
    assert not [e for e in await history(bot, resident.reference) if e[0] == "gepland"]


async def test_a_search_in_the_url_is_dropped_and_the_posted_search_works(officers: Pool, bot: Wijkbot,
                                                                          channel: RecordingChannel) -> None:
    afval = await new_case(bot, channel, AFVAL)
    other = await new_case(bot, channel, "De lantaarnpaal in de Damstraat is kapot")
    olaf: Officer = await signed_in(officers, "olaf")
    page = await olaf.get("/inbox/zaken?queue=all&q=Kanaalstraat")
    assert page.status == 200 and "q=" not in page.url and "queue=all" in page.url  # redirected without it
    assert {afval.reference, other.reference} <= set(page.references())  # not filtered by the URL's q
    assert 'value="Kanaalstraat"' not in page.html
    linked = await olaf.get("/inbox/zaken?queue=all&category=grofvuil&q=06-12345678")
    assert "q=" not in linked.url and "category=grofvuil" in linked.url  # a link's other filters still hold
    assert afval.reference in linked.references() and other.reference not in linked.references()
    found = await olaf.post("/inbox/zaken", {"queue": "all", "q": "kanaalstraat"})
    assert found.references() == [afval.reference]
