"""Contact data a resident types into a message (user trial, AVG): "Mijn telefoon is 06-12345678 en mail
jan.jansen@voorbeeld.nl" is left out of the queue list and search results for everyone, out of the case page
for whoever does not handle the case (a beheerder, an invited colleague from another vakdienst, the wijkregisseur
following the wijk) unless they used the audited "Contactgegevens tonen", and out of `wijkbot show`; the case's
officer and team read it as written. An invited colleague reveals contact data only with a reason, like a
beheerder.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from tests.inbox.conftest import EMAIL, ROOT, Pool, inbox_settings, signed_in, start_inbox
from tests.web.inbox_pages import inbox_bot_fixture, officers_fixture  # noqa: F401  (fixtures: bot, officers)
from wijkbot.app import Wijkbot
from wijkbot.cli import main
from wijkbot.testing import FrozenClock, Harness, RecordingChannel

PHONE, MAIL, LANDLINE = "06-12345678", "jan.jansen@voorbeeld.nl", "030 286 12 34"
FIRST = (f"Er ligt grofvuil naast de container in de Kanaalstraat. Mijn telefoon is {PHONE} en mail {MAIL}. "
         f"Voor de kosten: NL91ABNA0417164300")
SECOND = f"Overdag ben ik beter bereikbaar op {LANDLINE}, na 17 uur op mijn mobiel."
CONTACT = (PHONE, MAIL, LANDLINE)
MASK = "[weggelaten]"




async def web_chat(officers: Pool, text: str, session: str = "bewoner-kanaalstraat-01") -> str | None:
    """The resident writes in the web chat (the same server as the inbox)."""
    browser = officers["resident"]
    async with browser.session.post(browser.server.make_url("/api/webchat/messages"),
                                    json={"session": session, "text": text}) as response:
        assert response.status == 202, await response.text()
        return (await response.json())["case"]


async def resident_case(officers: Pool) -> str:
    reference = await web_chat(officers, FIRST)
    assert reference is not None
    assert await web_chat(officers, SECOND) == reference  # the follow-up joins the case
    return reference


def conversation(html: str) -> str:
    return html.split('id="conversation-title"')[1].split("</section>")[0]


def rows(html: str) -> str:
    """The table's rows ("" for an empty list)."""
    return html.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in html else ""


async def officer_id(bot: Wijkbot, name: str) -> int:
    return (await bot.inbox.people.by_email(f"{name}@example.org")).officer_id


async def audit_rows(officers: Pool) -> str:
    olaf = officers["olaf"] if officers["olaf"].cookie() else await signed_in(officers, "olaf")
    return rows((await olaf.get("/inbox/beheer/audit")).html)


async def test_the_case_officer_and_team_read_the_message_as_written_the_list_never_shows_it(
        officers: Pool) -> None:
    reference = await resident_case(officers)
    anouk = await signed_in(officers, "anouk")  # behandelaar, the case is hers (Stadswerken West)
    listed = await anouk.get("/inbox/zaken?queue=mine")
    assert reference in listed.references()
    for number in CONTACT:
        assert number not in listed.html
    assert MASK in rows(listed.html) and "Er ligt grofvuil naast de container" in rows(listed.html)

    page = await anouk.get(f"/inbox/zaak/{reference}")
    for number in CONTACT:
        assert number in conversation(page.html)  # she may need to call the resident back

    bram = await signed_in(officers, "bram")  # teamleider of the same team
    page = await bram.get(f"/inbox/zaak/{reference}")
    assert PHONE in conversation(page.html) and MAIL in conversation(page.html)
    assert "contactgegevens bekeken" not in await audit_rows(officers)  # reading the case reveals nothing


async def test_search_by_the_number_finds_the_case_without_printing_it(officers: Pool) -> None:
    reference = await resident_case(officers)
    anouk = await signed_in(officers, "anouk")
    for query in (PHONE, MAIL, "jansen", "ABNA"):  # her own case: she reads it all, and finds it by any part
        found = await anouk.post("/inbox/zaken", {"queue": "all", "q": query})
        assert found.status == 200 and found.references() == [reference]
        assert query not in rows(found.html) and MASK in rows(found.html)


async def test_who_reads_the_number_masked_cannot_find_the_case_by_it(officers: Pool) -> None:
    """A beheerder or the wijkregisseur reads the number as [weggelaten]; finding the case by it would tell them
    whose number it is. Words of the message, the street and the reference still find it."""
    reference = await resident_case(officers)
    for name in ("olaf", "noor"):  # beheerder; wijkregisseur West (the Kanaalstraat lies in West)
        reader = await signed_in(officers, name)
        assert reference in (await reader.post("/inbox/zaken", {"queue": "all", "q": "grofvuil"})).references()
        # parts of a masked e-mail address, IBAN or name in it find nothing either
        for query in (PHONE, MAIL, "12345678", "voorbeeld.nl", "jansen", "voorbeeld", "jan.jansen", "ABNA"):
            found = await reader.post("/inbox/zaken", {"queue": "all", "q": query})
            assert found.status == 200 and reference not in found.references(), (name, query)
        assert reference in (await reader.post("/inbox/zaken", {"queue": "all", "q": reference})).references()


async def test_a_beheerder_reads_it_masked_until_a_reasoned_reveal_which_is_audited(
        officers: Pool, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    reference = await resident_case(officers)
    olaf = await signed_in(officers, "olaf")
    page = await olaf.get(f"/inbox/zaak/{reference}")
    assert page.status == 200
    for number in CONTACT:
        assert number not in page.html
    assert f"Mijn telefoon is {MASK} en mail {MASK}" in conversation(page.html)
    assert f"bereikbaar op {MASK}, na 17 uur" in conversation(page.html)

    refused = await olaf.post(f"/inbox/zaak/{reference}/contact", {"reason": " "})
    assert refused.status == 400 and "als beheerder" in refused.text
    for number in CONTACT:
        assert number not in refused.html

    shown = await olaf.post(f"/inbox/zaak/{reference}/contact", {"reason": "Verzoek inzage (AVG)"})
    assert shown.status == 200 and 'id="contact-details"' in shown.html
    for number in CONTACT:
        assert number in conversation(shown.html)  # the view he revealed, and only that one
    again = await olaf.get(f"/inbox/zaak/{reference}")
    for number in CONTACT:
        assert number not in again.html
    audit = await audit_rows(officers)
    assert audit.count("contactgegevens bekeken") == 1 and "Verzoek inzage (AVG)" in audit
    assert PHONE not in audit and MAIL not in audit
    # The operator's log says that it happened, never what was shown or why.
    shown_lines = [r.getMessage() for r in caplog.records if "contact details of" in r.getMessage()]
    assert len(shown_lines) == 1 and reference in shown_lines[0]
    assert all(PHONE not in r.getMessage() and MAIL not in r.getMessage() and "Verzoek" not in r.getMessage()
               for r in caplog.records)


async def test_an_invited_colleague_from_another_vakdienst_needs_a_reason_to_reveal(
        officers: Pool, bot: Wijkbot) -> None:
    reference = await resident_case(officers)
    anouk = await signed_in(officers, "anouk")
    invited = await anouk.act(reference, "uitnodigen", officer=str(await officer_id(bot, "ilse.vanproefhoven")),
                              reason="Is dit ook een bouwzaak?")
    assert "Uw collega is uitgenodigd" in invited.text
    ilse = await signed_in(officers, "ilse")  # behandelaar at VTH: may read and write notes
    page = await ilse.get(f"/inbox/zaak/{reference}")
    assert page.status == 200 and 'id="note-text"' in page.html
    for number in CONTACT:
        assert number not in page.html
    assert f"Mijn telefoon is {MASK} en mail {MASK}" in conversation(page.html)

    refused = await ilse.post(f"/inbox/zaak/{reference}/contact", {"reason": ""})
    assert refused.status == 400 and "ziet u contactgegevens alleen met een reden" in refused.text
    assert 'id="contact-details"' not in refused.html
    for number in CONTACT:
        assert number not in refused.html
    assert "contactgegevens bekeken" not in await audit_rows(officers)

    shown = await ilse.post(f"/inbox/zaak/{reference}/contact", {"reason": "Bouwtekening opvragen"})
    assert shown.status == 200 and 'id="contact-details"' in shown.html
    assert PHONE in conversation(shown.html) and MAIL in conversation(shown.html)
    audit = await audit_rows(officers)
    assert audit.count("contactgegevens bekeken") == 1
    assert "Ilse van Proefhoven" in audit and "Bouwtekening opvragen" in audit and reference in audit


async def test_the_case_page_label_asks_the_helper_for_a_reason_and_the_handler_not(officers: Pool,
                                                                                 bot: Wijkbot) -> None:
    reference = await resident_case(officers)
    anouk = await signed_in(officers, "anouk")
    own = await anouk.get(f"/inbox/zaak/{reference}")
    await anouk.act(reference, "uitnodigen", officer=str(await officer_id(bot, "ilse.vanproefhoven")),
                    reason="Meekijken")
    helper = await (await signed_in(officers, "ilse")).get(f"/inbox/zaak/{reference}")
    beheerder = await (await signed_in(officers, "olaf")).get(f"/inbox/zaak/{reference}")

    def label(html: str) -> str:
        return html.split('<label for="contact-reason">')[1].split("</label>")[0]

    assert label(helper.html) == label(beheerder.html) != label(own.html)


async def test_the_wijkregisseur_reads_it_masked_and_reveals_without_a_reason(officers: Pool) -> None:
    reference = await resident_case(officers)
    noor = await signed_in(officers, "noor")  # wijkregisseur West: may handle every case in her wijk
    page = await noor.get(f"/inbox/zaak/{reference}")
    assert page.status == 200 and 'id="reply-form"' in page.html
    for number in CONTACT:
        assert number not in page.html
    shown = await noor.post(f"/inbox/zaak/{reference}/contact", {"reason": ""})
    assert shown.status == 200 and PHONE in conversation(shown.html)
    assert "Noor van Verzonnen" in await audit_rows(officers)


async def test_the_marker_is_in_the_readers_language(officers: Pool) -> None:
    reference = await resident_case(officers)
    olaf = await signed_in(officers, "olaf")
    await olaf.post("/inbox/taal", {"lang": "en", "next": f"/inbox/zaak/{reference}"})
    page = await olaf.get(f"/inbox/zaak/{reference}")
    assert "Mijn telefoon is [left out] en mail [left out]" in conversation(page.html)
    listed = await olaf.get("/inbox/zaken?queue=all")
    assert "[left out]" in rows(listed.html) and PHONE not in listed.html


async def test_a_cut_off_preview_shows_no_half_number(officers: Pool) -> None:
    padding = "Er ligt grofvuil naast de container in de Kanaalstraat, al de hele week. " * 3
    text = padding[:150] + " Bel 0612345678 of mail me"
    assert len(text) > 160 and text[150:160] == " Bel 06123"
    reference = await web_chat(officers, text, session="bewoner-lang-bericht")
    anouk = await signed_in(officers, "anouk")
    listed = rows((await anouk.get("/inbox/zaken?queue=all")).html)
    assert reference in listed and "06123" not in listed and "Bel…" in listed
    assert "0612345678" in conversation((await anouk.get(f"/inbox/zaak/{reference}")).html)


async def test_wijkbot_show_masks_contact_data(tmp_path: Path, clock: FrozenClock, channel: RecordingChannel,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'show.db'}"
    bot = await start_inbox(inbox_settings(url), clock, channel)
    resident = Harness(bot, channel)  # the test channel this time
    await resident.say(FIRST)
    await resident.say(SECOND)
    reference = resident.reference
    await bot.close()
    for key, value in {"WIJKBOT_DATABASE_URL": url, "WIJKBOT_RULES_DIR": str(ROOT / "routing_rules" / "utrecht"),
                       "WIJKBOT_LOCALES_DIR": str(ROOT / "locales"), "WIJKBOT_LOG_LEVEL": "WARNING"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)  # no .env of the checkout

    assert await asyncio.to_thread(main, ["show", reference]) == 0
    out = capsys.readouterr().out
    assert f"van de bewoner: Er ligt grofvuil naast de container in de Kanaalstraat. Mijn telefoon is {MASK} " \
           f"en mail {MASK}" in out
    assert f"bereikbaar op {MASK}, na 17 uur" in out
    for number in (*CONTACT, resident.address):
        assert number not in out



async def test_a_number_in_an_ambtenaars_reason_is_masked_for_the_beheerder_too(officers: Pool, bot: Wijkbot) -> None:
    reference = await resident_case(officers)
    anouk = await bot.actions.actor(EMAIL["anouk"])
    await bot.actions.hand_over(reference, anouk, "vth", f"de bewoner belt liever op {LANDLINE}")
    olaf = await signed_in(officers, "olaf")
    page = await olaf.get(f"/inbox/zaak/{reference}")
    assert page.status == 200 and LANDLINE not in page.html and f"belt liever op {MASK}" in page.text
