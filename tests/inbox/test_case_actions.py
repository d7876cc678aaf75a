"""Every action on the case page, as an ambtenaar does it in the browser, and what the resident gets."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from sqlalchemy import select

from tests.inbox.conftest import AFVAL, VEILIGHEID, Officer, new_case, signed_in
from wijkbot.app import Wijkbot
from wijkbot.storage import repository
from wijkbot.storage.tables import followups
from wijkbot.testing import FrozenClock, Harness, RecordingChannel


async def events(bot: Wijkbot, reference: str) -> list[tuple[str, dict]]:
    async with bot.db.read() as conn:
        case = await repository.case_by_reference(conn, reference)
        return [(e["type"], e["data"]) for e in await repository.events_of(conn, case["id"])]


async def case_row(bot: Wijkbot, reference: str):
    async with bot.db.read() as conn:
        return await repository.case_by_reference(conn, reference)


async def test_reply_with_a_template_reaches_the_resident(any_officers: dict[str, Officer], any_inbox_bot: Wijkbot,
                                                          channel: RecordingChannel) -> None:
    resident = await new_case(any_inbox_bot, channel, AFVAL)
    anouk = await signed_in(any_officers, "anouk")
    assert resident.reference in (await anouk.get("/inbox/zaken?queue=mine")).references()
    page = await anouk.get(f"/inbox/zaak/{resident.reference}?sjabloon=grofvuil-ophalen")
    draft = re.search(r'<textarea id="reply-text"[^>]*>(.*?)</textarea>', page.html, re.S).group(1)
    assert "Wat wij doen:" in draft and "Andere mogelijkheden:" in draft
    sent = await anouk.post(f"/inbox/zaak/{resident.reference}/antwoord",
                            {"version": page.field("version"), "reply": "Wat wij doen:\nWe halen het afval weg."})
    assert sent.url.endswith(resident.reference) and "Uw antwoord gaat nu naar de bewoner" in sent.text
    got = await resident.received()
    signature = f"Anouk Voorbeeld, Stadswerken (nummer {resident.reference})"
    assert got == [f"Wat wij doen:\nWe halen het afval weg.\n\n{signature}"]
    assert (await case_row(any_inbox_bot, resident.reference))["status"] == "in behandeling"


async def test_a_template_sent_unchanged_is_refused_until_its_brackets_are_filled_in(
        officers: dict[str, Officer], inbox_bot: Wijkbot, channel: RecordingChannel) -> None:
    """A trial sent "Vraag om meer informatie" as it stood: the resident read "[Vul aan wat u nodig heeft.]"."""
    resident = await new_case(inbox_bot, channel, AFVAL)
    anouk = await signed_in(officers, "anouk")
    page = await anouk.get(f"/inbox/zaak/{resident.reference}?sjabloon=meer-informatie")
    draft = re.search(r'<textarea id="reply-text"[^>]*>(.*?)</textarea>', page.html, re.S).group(1)
    assert "[Vul aan wat u nodig heeft.]" in draft
    refused = await anouk.post(f"/inbox/zaak/{resident.reference}/antwoord",
                               {"version": page.field("version"), "reply": draft})
    assert refused.status == 400, refused.text
    assert "vul eerst in wat tussen [ ] staat en haal de haken weg: [Vul aan wat u nodig heeft.]" in refused.text
    assert "[Vul aan wat u nodig heeft.]" in refused.html.split('id="reply-text"')[1]  # the draft is kept
    closing = await anouk.post(f"/inbox/zaak/{resident.reference}/afhandelen",
                               {"version": page.field("version"), "outcome": "Opgehaald op [datum]"})
    assert closing.status == 400 and "[datum]" in closing.text
    assert await resident.received() == []  # nothing left
    filled = draft.replace(" [Vul aan wat u nodig heeft.]", "").replace("&#39;", "'").replace("&#34;", '"')
    sent = await anouk.post(f"/inbox/zaak/{resident.reference}/antwoord",
                            {"version": page.field("version"), "reply": filled + "\nIk citeer: [weggelaten]"})
    assert "Uw antwoord gaat nu naar de bewoner" in sent.text, sent.text
    assert len(await resident.received()) == 1


async def test_the_case_page_says_in_which_language_the_resident_reads(officers: dict[str, Officer],
                                                                         inbox_bot: Wijkbot,
                                                                         channel: RecordingChannel) -> None:
    """A trial's English resident read "Number ... has been dealt with. De lamp is gerepareerd": nothing on the
    page said they read English."""
    english = Harness(inbox_bot, channel, locale="en")
    await english.say("There is a pile of rubbish next to the container in the Kanaalstraat")
    dutch = await new_case(inbox_bot, channel, AFVAL)
    anouk = await signed_in(officers, "anouk")
    page = await anouk.get(f"/inbox/zaak/{english.reference}")
    assert "De bewoner leest Engels. Schrijf uw antwoord en de uitkomst in het Engels" in page.text
    assert 'id="resident-language"' not in (await anouk.get(f"/inbox/zaak/{dutch.reference}")).html


async def test_preview_shows_the_text_as_the_channel_will(officers: dict[str, Officer], inbox_bot: Wijkbot,
                                                          channel: RecordingChannel) -> None:
    resident = await new_case(inbox_bot, channel, AFVAL)
    anouk = await signed_in(officers, "anouk")
    page = await anouk.act(resident.reference, "voorbeeld", reply="We komen morgen.")
    assert page.status == 200 and "Zo ziet de bewoner het" in page.text
    assert f"We komen morgen.\n\nAnouk Voorbeeld, Stadswerken (nummer {resident.reference})" in page.text
    assert "We komen morgen." in page.html.split('id="reply-text"')[1]  # the draft is kept
    async with anouk.session.post(anouk.server.make_url(f"/inbox/zaak/{resident.reference}/voorbeeld"),
                                  data={"reply": "Kort"}, headers={"Accept": "application/json",
                                                                   "X-CSRF-Token": page.field("csrf")}) as response:
        shown = await response.json()
    assert shown["parts"] == [f"Kort\n\nAnouk Voorbeeld, Stadswerken (nummer {resident.reference})"]
    assert await resident.received() == []  # a preview sends nothing


async def test_a_stale_form_never_overwrites_a_newer_change(any_officers: dict[str, Officer],
                                                            any_inbox_bot: Wijkbot, channel: RecordingChannel) -> None:
    resident = await new_case(any_inbox_bot, channel, AFVAL)
    anouk, bram = await signed_in(any_officers, "anouk"), await signed_in(any_officers, "bram")
    old = await anouk.get(f"/inbox/zaak/{resident.reference}")
    first = await bram.act(resident.reference, "antwoord", reply="Bram was eerst.")
    assert "Uw antwoord gaat nu naar de bewoner" in first.text
    late = await anouk.post(f"/inbox/zaak/{resident.reference}/afhandelen",
                            {"version": old.field("version"), "outcome": "Opgelost volgens Anouk"})
    assert late.status == 409 and "intussen gewijzigd door iemand anders" in late.text
    assert "Opgelost volgens Anouk" in late.html  # what she typed is still in the form
    # The language switch on this page returns to the case page, not to the POST-only address of the form.
    assert late.field("next") == f"/inbox/zaak/{resident.reference}"
    assert "Bram was eerst." in late.text  # and she sees the newer state
    case = await case_row(any_inbox_bot, resident.reference)
    assert case["status"] == "in behandeling" and case["outcome"] is None
    assert [t for t in await resident.received()] == [
        f"Bram was eerst.\n\nBram de Proef, Stadswerken (nummer {resident.reference})"]



async def test_a_colleagues_note_stops_a_reply_from_a_page_opened_before_it(
        officers: dict[str, Officer], inbox_bot: Wijkbot, channel: RecordingChannel) -> None:
    """Bram notes "niet antwoorden, ik bel zelf" while Anouk has the case open: her reply is held back, she
    sees the note and keeps her text. Her own note never stops her own reply from the same page."""
    resident = await new_case(inbox_bot, channel, AFVAL)
    anouk, bram = await signed_in(officers, "anouk"), await signed_in(officers, "bram")
    opened = await anouk.get(f"/inbox/zaak/{resident.reference}")
    await bram.act(resident.reference, "notitie", note="Niet antwoorden, ik bel de bewoner zelf.")
    late = await anouk.post(f"/inbox/zaak/{resident.reference}/antwoord",
                            {"version": opened.field("version"), "reply": "We komen morgen kijken."})
    assert late.status == 409 and "Niet antwoorden, ik bel de bewoner zelf." in late.text
    assert "We komen morgen kijken." in late.html  # what she typed is kept
    assert await resident.received() == []

    page = await anouk.get(f"/inbox/zaak/{resident.reference}")
    noted = await anouk.post(f"/inbox/zaak/{resident.reference}/notitie",
                             {"version": page.field("version"), "note": "Bram belt, ik stuur daarna de uitkomst."})
    assert noted.status == 200
    replied = await anouk.post(f"/inbox/zaak/{resident.reference}/antwoord",
                               {"version": page.field("version"), "reply": "We bellen u vandaag."})
    assert replied.status == 200 and "Uw antwoord gaat nu naar de bewoner" in replied.text

    # ... but a resident's message after her own note still makes that page's form stale.
    page = await anouk.get(f"/inbox/zaak/{resident.reference}")
    await anouk.post(f"/inbox/zaak/{resident.reference}/notitie", {"version": page.field("version"),
                                                                   "note": "Wacht op zijn antwoord."})
    await resident.say("Ik ben vandaag niet thuis, bel morgen maar.")
    stale = await anouk.post(f"/inbox/zaak/{resident.reference}/antwoord",
                             {"version": page.field("version"), "reply": "Goed, morgen dan."})
    assert stale.status == 409 and "Ik ben vandaag niet thuis" in stale.text

async def test_a_second_reply_to_an_answered_message_is_warned_about(officers: dict[str, Officer],
                                                                    inbox_bot: Wijkbot,
                                                                    channel: RecordingChannel) -> None:
    resident = await new_case(inbox_bot, channel, AFVAL)
    anouk, bram = await signed_in(officers, "anouk"), await signed_in(officers, "bram")
    await bram.act(resident.reference, "antwoord", reply="Eerste antwoord.")
    page = await anouk.act(resident.reference, "antwoord", reply="Tweede antwoord.")
    assert page.status == 409 and "Bram de Proef heeft het laatste bericht van de bewoner al beantwoord" in page.text
    assert "Tweede antwoord." in page.html
    confirmed = await anouk.post(f"/inbox/zaak/{resident.reference}/antwoord",
                                 {"version": page.field("version"), "reply": "Tweede antwoord.", "confirm": "ja"})
    assert "Uw antwoord gaat nu naar de bewoner" in confirmed.text
    assert len(await resident.received()) == 2
    await resident.say("Dank, maar het ligt er nog steeds")
    await resident.received()
    page = await anouk.get(f"/inbox/zaak/{resident.reference}")
    assert 'id="answered-warning"' not in page.html  # a new resident message is not answered yet


async def test_ones_own_second_reply_is_no_collision(officers: dict[str, Officer], inbox_bot: Wijkbot,
                                                     channel: RecordingChannel) -> None:
    """A trial's behandelaar read "Let op: <own name> heeft het laatste bericht al beantwoord" after their own
    reply, on every later action too; the warning is about a colleague's reply."""
    resident = await new_case(inbox_bot, channel, AFVAL)
    anouk = await signed_in(officers, "anouk")
    await anouk.act(resident.reference, "antwoord", reply="Eerste antwoord.")
    page = await anouk.get(f"/inbox/zaak/{resident.reference}")
    assert 'id="answered-warning"' not in page.html
    second = await anouk.act(resident.reference, "antwoord", reply="En nog iets: de container komt vrijdag.")
    assert second.status == 200 and "Uw antwoord gaat nu naar de bewoner" in second.text
    assert len(await resident.received()) == 2


async def test_note_with_a_mention_puts_the_case_under_mentioned(officers: dict[str, Officer], inbox_bot: Wijkbot,
                                                                channel: RecordingChannel) -> None:
    resident = await new_case(inbox_bot, channel, AFVAL)
    anouk = await signed_in(officers, "anouk")
    unknown = await anouk.act(resident.reference, "notitie", note="Wat vind jij, @niemand.hier?")
    assert unknown.status == 400 and "onbekende collega: @niemand.hier" in unknown.text
    outside = await anouk.act(resident.reference, "notitie", note="@gijs.namaakers kijk jij mee?")
    assert outside.status == 400 and "nodig hem of haar eerst uit" in outside.text
    saved = await anouk.act(resident.reference, "notitie", note="@bram.deproef kun jij dit morgen doen?")
    assert "Interne notitie van Anouk Voorbeeld" in saved.text
    bram = await signed_in(officers, "bram")
    assert resident.reference in (await bram.get("/inbox/zaken?queue=mentioned")).references()
    await bram.get(f"/inbox/zaak/{resident.reference}")  # seen
    assert resident.reference not in (await bram.get("/inbox/zaken?queue=mentioned")).references()
    assert await resident.received() == []  # notes never reach the resident
    assert ("notitie", {"mentions": [(await inbox_bot.inbox.people.by_email("bram.deproef@example.org")).officer_id]}) \
        in await events(inbox_bot, resident.reference)


async def test_hand_over_to_a_department_needs_a_reason_and_is_counted(any_officers: dict[str, Officer],
                                                                       any_inbox_bot: Wijkbot,
                                                                       channel: RecordingChannel) -> None:
    resident = await new_case(any_inbox_bot, channel, AFVAL)
    anouk = await signed_in(any_officers, "anouk")
    refused = await anouk.act(resident.reference, "overdragen", target="dept:vth", reason=" ")
    assert refused.status == 400 and "geef een reden" in refused.text
    moved = await anouk.act(resident.reference, "overdragen", target="dept:vth", reason="Bedrijfsafval: handhaving")
    assert moved.url.endswith("/inbox/zaken") and "De zaak is overgedragen" in moved.text
    assert (await anouk.get(f"/inbox/zaak/{resident.reference}")).status == 404  # out of her reach now
    case = await case_row(any_inbox_bot, resident.reference)
    assert (case["department"], case["team"], case["handover_count"]) == ("vth", "vth", 1)
    assert any("Vergunningen" in text for text in await resident.received())
    ilse = await signed_in(any_officers, "ilse")
    page = await ilse.get(f"/inbox/zaak/{resident.reference}")
    assert "1 keer overgedragen" in page.text and "Bedrijfsafval: handhaving" in page.text
    # a trial saw "Anouk ... bekijkt deze zaak ook" after she had handed it away and lost access
    assert "Anouk Voorbeeld bekijkt deze zaak ook" not in page.text


async def test_hand_over_to_another_team_of_the_same_department(officers: dict[str, Officer], inbox_bot: Wijkbot,
                                                               channel: RecordingChannel) -> None:
    resident = await new_case(inbox_bot, channel, AFVAL)
    anouk = await signed_in(officers, "anouk")
    await anouk.act(resident.reference, "overdragen", target="team:stadswerken-centrum-oost", reason="Ligt in Oost")
    case = await case_row(inbox_bot, resident.reference)
    assert (case["department"], case["team"]) == ("stadswerken", "stadswerken-centrum-oost")
    kind, data = (await events(inbox_bot, resident.reference))[-1]
    assert kind == "overgedragen" and data["van_team"] == "stadswerken-west" and data["reden"] == "Ligt in Oost"
    assert await resident.received() == []  # same department: nothing changes for the resident
    lars = await signed_in(officers, "lars")
    assert (await lars.get(f"/inbox/zaak/{resident.reference}")).status == 200


async def test_change_category_is_recorded_for_learning_and_moves_the_case(any_officers: dict[str, Officer],
                                                                           any_inbox_bot: Wijkbot,
                                                                           channel: RecordingChannel) -> None:
    resident = await new_case(any_inbox_bot, channel, AFVAL)
    anouk = await signed_in(any_officers, "anouk")
    same_department = await anouk.act(resident.reference, "categorie", category="zwerfafval", reason="")
    assert "De categorie is gewijzigd" in same_department.text
    assert ("categorie gewijzigd", {"van": "grofvuil", "naar": "zwerfafval", "reden": ""}) \
        in await events(any_inbox_bot, resident.reference)
    no_reason = await anouk.act(resident.reference, "categorie", category="fietswrak", reason="")
    assert no_reason.status == 400 and "geef een reden" in no_reason.text
    moved = await anouk.act(resident.reference, "categorie", category="fietswrak", reason="Het is een fietswrak")
    assert moved.url.endswith("/inbox/zaken")
    history = await events(any_inbox_bot, resident.reference)
    assert history[-2] == ("categorie gewijzigd", {"van": "zwerfafval", "naar": "fietswrak",
                                                   "reden": "Het is een fietswrak"})
    assert history[-1][0] == "overgedragen" and history[-1][1]["naar"] == "vth"
    case = await case_row(any_inbox_bot, resident.reference)
    assert (case["category"], case["department"], case["handover_count"]) == ("fietswrak", "vth", 1)


async def test_status_close_and_reopen(officers: dict[str, Officer], inbox_bot: Wijkbot,
                                       channel: RecordingChannel, clock: FrozenClock) -> None:
    resident = await new_case(inbox_bot, channel, AFVAL)
    anouk = await signed_in(officers, "anouk")
    # Waiting needs something to wait for: a trial's resident was told "lees ons vorige bericht" after the welcome.
    refused = await anouk.act(resident.reference, "status", status="wacht op bewoner")
    assert refused.status == 400 and "schrijf wat u van de bewoner nodig heeft" in refused.text
    waiting = await anouk.act(resident.reference, "status", status="wacht op bewoner",
                              question="Staat het grofvuil voor nummer 12 of 14?")
    assert "De status is gewijzigd" in waiting.text
    told = await resident.received()
    assert len(told) == 1 and "Staat het grofvuil voor nummer 12 of 14?" in told[0] and "vorige bericht" not in told[0]
    page = await anouk.get(f"/inbox/zaak/{resident.reference}")
    assert "vraag aan de bewoner: Staat het grofvuil voor nummer 12 of 14?" in page.text
    assert resident.reference in (await anouk.get("/inbox/zaken?queue=waiting")).references()
    bad = await anouk.act(resident.reference, "status", status="afgehandeld")
    assert bad.status == 400
    empty = await anouk.act(resident.reference, "afhandelen", outcome="")
    assert empty.status == 400 and "beschrijf de uitkomst" in empty.text
    closed = await anouk.act(resident.reference, "afhandelen", outcome="Het grofvuil is opgehaald.")
    assert "De zaak is afgehandeld" in closed.text
    assert any("Het grofvuil is opgehaald." in t for t in await resident.received())
    before = await case_row(inbox_bot, resident.reference)
    clock.advance(days=3)
    anouk = await signed_in(officers, "anouk")  # (days later: a new session)
    reopened = await anouk.act(resident.reference, "heropenen", reason="Bewoner meldt: ligt er weer")
    assert "De zaak is weer geopend" in reopened.text
    case = await case_row(inbox_bot, resident.reference)
    assert case["status"] == "heropend"
    # a trial saw the old "Uitkomst" and the old term on the reopened case: a new term, no outcome yet
    assert case["outcome"] is None and case["due_date"] > before["due_date"]
    async with inbox_bot.db.read() as conn:
        planned = {r.kind for r in await conn.execute(select(followups.c.kind).where(
            followups.c.case_id == case["id"], followups.c.status == "planned"))}
    assert {"update", "reminder"} <= planned and any(k.startswith("escalat") for k in planned), planned
    assert "Het grofvuil is opgehaald." in reopened.text  # the old outcome stays in the history


async def test_link_and_unlink_duplicates(officers: dict[str, Officer], inbox_bot: Wijkbot,
                                          channel: RecordingChannel) -> None:
    first = await new_case(inbox_bot, channel, AFVAL)
    second = await new_case(inbox_bot, channel, "Bij de container in de Kanaalstraat staat een oude bank")
    anouk = await signed_in(officers, "anouk")
    missing = await anouk.act(second.reference, "koppelen", lead="UT-2026-999999")
    assert missing.status == 400
    # A case of another team answers exactly like one that does not exist: the form cannot probe numbers.
    elsewhere = await new_case(inbox_bot, channel, VEILIGHEID)
    hidden = await anouk.act(second.reference, "koppelen", lead=elsewhere.reference)
    assert hidden.status == 400 and f"geen zaak met nummer {elsewhere.reference}" in hidden.text
    linked = await anouk.act(second.reference, "koppelen", lead=first.reference)
    assert "gekoppeld aan de hoofdzaak" in linked.text
    lead_page = await anouk.get(f"/inbox/zaak/{first.reference}")
    cluster = lead_page.html.split('id="cluster-title"')[1].split("</section>")[0]
    assert first.reference in cluster and second.reference in cluster and "hoofdzaak" in cluster
    assert "De koppeling is opgeheven" in (await anouk.act(second.reference, "ontkoppelen")).text
    assert (await case_row(inbox_bot, second.reference))["duplicate_of"] is None


async def test_who_else_has_the_case_open(officers: dict[str, Officer], inbox_bot: Wijkbot,
                                         channel: RecordingChannel, clock: FrozenClock) -> None:
    resident = await new_case(inbox_bot, channel, AFVAL)
    anouk, bram = await signed_in(officers, "anouk"), await signed_in(officers, "bram")
    tz = ZoneInfo(inbox_bot.rules.municipality.timezone)
    opened = clock().astimezone(tz).strftime("%H:%M")
    page = await anouk.get(f"/inbox/zaak/{resident.reference}")
    assert "bekijkt deze zaak ook" not in page.text
    clock.advance(minutes=1)
    page = await bram.get(f"/inbox/zaak/{resident.reference}")
    # a time of day, not "1 minuut": the notice is a live region and must not change with every refresh
    assert f"Anouk Voorbeeld bekijkt deze zaak ook (sinds {opened})" in page.text
    async with anouk.session.post(anouk.server.make_url(f"/inbox/zaak/{resident.reference}/aanwezig"),
                                  headers={"X-CSRF-Token": anouk.last.field("csrf")}) as response:
        state = await response.json()
    assert state["viewers"] == [f"Bram de Proef bekijkt deze zaak ook (sinds {clock().astimezone(tz):%H:%M})"]
    clock.advance(minutes=3)  # Bram closed the tab: no sign of life for longer than two minutes
    async with anouk.session.post(anouk.server.make_url(f"/inbox/zaak/{resident.reference}/aanwezig"),
                                  headers={"X-CSRF-Token": anouk.last.field("csrf")}) as response:
        assert (await response.json())["viewers"] == []


async def test_resident_html_is_shown_as_text(any_officers: dict[str, Officer], any_inbox_bot: Wijkbot,
                                              channel: RecordingChannel) -> None:
    resident = await new_case(any_inbox_bot, channel,
                              'Grofvuil in de Kanaalstraat <script>alert("x")</script><img src=x onerror=alert(1)>')
    anouk = await signed_in(any_officers, "anouk")
    queue = await anouk.get("/inbox/zaken?queue=mine")
    page = await anouk.get(f"/inbox/zaak/{resident.reference}")
    for html in (queue.html, page.html):
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html or "&lt;script&gt;" in html
    assert '<script>alert("x")</script>' in page.text  # shown as text


async def test_contact_details_are_hidden_and_every_view_is_audited(officers: dict[str, Officer],
                                                                    inbox_bot: Wijkbot,
                                                                    channel: RecordingChannel) -> None:
    resident = await new_case(inbox_bot, channel, AFVAL)
    anouk = await signed_in(officers, "anouk")
    page = await anouk.get(f"/inbox/zaak/{resident.reference}")
    assert resident.address not in page.html
    shown = await anouk.post(f"/inbox/zaak/{resident.reference}/contact", {"reason": "Terugbellen"})
    assert resident.address in shown.text and "auditlog" in shown.text
    olaf = await signed_in(officers, "olaf")
    refused = await olaf.post(f"/inbox/zaak/{resident.reference}/contact",
                              {"csrf": (await olaf.get(f"/inbox/zaak/{resident.reference}")).field("csrf"),
                               "reason": " "})
    assert refused.status == 400 and resident.address not in refused.html
    granted = await olaf.post(f"/inbox/zaak/{resident.reference}/contact", {"reason": "Verzoek inzage (AVG)"})
    assert resident.address in granted.text
    audit = await olaf.get("/inbox/beheer/audit")
    rows = audit.html.split("<tbody>")[1]
    assert rows.count("contactgegevens bekeken") == 2
    assert "Verzoek inzage (AVG)" in rows and "Terugbellen" in rows and "Anouk Voorbeeld" in rows
    assert resident.address not in audit.html
    assert resident.address not in (await anouk.get("/inbox/zaken?queue=mine")).html


async def test_a_web_chat_session_id_is_never_shown_as_contact_data(officers: dict[str, Officer],
                                                                    inbox_bot: Wijkbot) -> None:
    """The session id is the resident's key: whoever knows it reads the conversation and writes as them."""
    anouk = officers["anouk"]
    session = "bewoner-sessie-geheim-0042"
    async with anouk.session.post(anouk.server.make_url("/api/webchat/messages"), json={
            "session": session, "text": "Er ligt grofvuil naast de container in de Kanaalstraat"}) as response:
        assert response.status == 202
        reference = (await response.json())["case"]
    await signed_in(officers, "anouk")
    shown = await anouk.post(f"/inbox/zaak/{reference}/contact", {"reason": "Terugbellen"})
    assert shown.status == 200 and session not in shown.html
    assert "bij de webchat is dit de sleutel van het gesprek" in shown.text


async def test_hostile_input_gets_a_clear_answer_and_changes_nothing(officers: dict[str, Officer],
                                                                     inbox_bot: Wijkbot,
                                                                     channel: RecordingChannel) -> None:
    resident = await new_case(inbox_bot, channel, AFVAL)
    anouk = await signed_in(officers, "anouk")
    too_long = await anouk.act(resident.reference, "antwoord", reply="x" * 20_001)
    assert too_long.status == 400 and "te lang" in too_long.text
    no_version = await anouk.post(f"/inbox/zaak/{resident.reference}/afhandelen",
                                  {"version": "abc", "outcome": "klaar"})
    assert no_version.status == 409  # a form that cannot prove it saw the newest state is stale
    assert (await anouk.get("/inbox/zaak/UT-2026-999999")).status == 404
    assert (await anouk.get("/inbox/zaak/%3Cscript%3E")).status == 404
    assert (await anouk.act(resident.reference, "bestaat-niet")).status == 404
    unknown_officer = await anouk.act(resident.reference, "uitnodigen", officer="niet-een-getal")
    assert unknown_officer.status == 400
    nul = await anouk.act(resident.reference, "notitie", note="nul\x00teken")
    assert "Uw notitie is opgeslagen" in nul.text and "nul\ufffdteken" in nul.text
    assert (await case_row(inbox_bot, resident.reference))["status"] == "toegewezen"
    assert await resident.received() == []


async def test_a_reply_at_night_says_it_waits_for_the_morning(officers: dict[str, Officer], inbox_bot: Wijkbot,
                                                             channel: RecordingChannel, clock: FrozenClock) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    resident = await new_case(inbox_bot, channel, AFVAL)
    await resident.received()
    clock.set(datetime(2026, 11, 23, 22, 30, tzinfo=ZoneInfo("Europe/Amsterdam")))
    anouk = await signed_in(officers, "anouk")
    sent = await anouk.act(resident.reference, "antwoord", reply="We komen morgen.")
    assert "Uw antwoord staat klaar. Het gaat om 08:00 weg" in sent.text
    assert "Uw antwoord gaat nu naar de bewoner" not in sent.text
    assert "antwoord aan de bewoner · klaargezet tot 24 nov 2026, 08:00" in sent.text
    assert await resident.received() == []
    clock.set(datetime(2026, 11, 24, 8, 0, tzinfo=ZoneInfo("Europe/Amsterdam")))
    assert len(await resident.received()) == 1
    anouk = await signed_in(officers, "anouk")  # a new working day, a new login
    by_day = await anouk.act(resident.reference, "antwoord", reply="Het is opgehaald.", confirm="ja")
    assert "Uw antwoord gaat nu naar de bewoner" in by_day.text
    assert by_day.text.count("klaargezet tot") == 1  # the daytime reply left at once


async def test_a_reopen_request_waits_in_its_queue_until_someone_decides(any_officers: dict[str, Officer],
                                                                         any_inbox_bot: Wijkbot,
                                                                         channel: RecordingChannel) -> None:
    first = await new_case(any_inbox_bot, channel, AFVAL)
    second = await new_case(any_inbox_bot, channel, "Er ligt grofvuil naast de container in de Kanaalstraat bij 40")
    anouk = await signed_in(any_officers, "anouk")
    for resident in (first, second):
        await anouk.act(resident.reference, "afhandelen", outcome="Opgehaald.")
        await resident.received()
    assert (await anouk.get("/inbox/zaken?queue=reopen")).references() == []
    for resident in (first, second):
        got = await resident.say("Het ligt er nog steeds")
        assert "opnieuw mee aan de slag gaan" in got[0]
    queue = await anouk.get("/inbox/zaken?queue=reopen")
    assert sorted(queue.references()) == sorted([first.reference, second.reference])
    assert 'data-queue="reopen">Heropenverzoeken <span class="count">(2)</span>' in queue.html
    await anouk.get(f"/inbox/zaak/{first.reference}")  # only looking does not decide it
    assert first.reference in (await anouk.get("/inbox/zaken?queue=reopen")).references()
    await anouk.act(first.reference, "heropenen", reason="Het ligt er nog")
    await anouk.act(second.reference, "antwoord", reply="Dit is ander afval; dat halen we maandag op.",
                    confirm="ja")
    assert (await anouk.get("/inbox/zaken?queue=reopen")).references() == []
    assert (await case_row(any_inbox_bot, second.reference))["status"] == "afgehandeld"


async def test_a_double_click_says_the_first_click_changed_the_case(officers: dict[str, Officer], inbox_bot: Wijkbot,
                                                                    channel: RecordingChannel) -> None:
    resident = await new_case(inbox_bot, channel, AFVAL)
    anouk = await signed_in(officers, "anouk")
    page = await anouk.get(f"/inbox/zaak/{resident.reference}")
    form = {"version": page.field("version"), "reply": "We komen morgen kijken."}
    first = await anouk.post(f"/inbox/zaak/{resident.reference}/antwoord", form)
    assert first.status == 200 and "Uw antwoord gaat nu naar de bewoner" in first.text
    second = await anouk.post(f"/inbox/zaak/{resident.reference}/antwoord", form)
    assert second.status == 409 and "intussen gewijzigd door uzelf (bijvoorbeeld met een tweede klik)" in second.text
    assert len(await resident.received()) == 1  # the resident got it once


async def test_a_pressed_button_reads_as_a_button_not_as_typed_words(officers: dict[str, Officer],
                                                                     inbox_bot: Wijkbot, clock: FrozenClock) -> None:
    anouk = officers["anouk"]

    async def chat(**body: str) -> dict:
        async with anouk.session.post(anouk.server.make_url("/api/webchat/messages"),
                                      json={"session": "knoppen-sessie-0001", **body}) as response:
            assert response.status == 202
            return await response.json()

    async def sent() -> list[dict]:
        await inbox_bot.delivery.drain()
        async with anouk.session.get(anouk.server.make_url("/api/webchat/messages"),
                                     params={"session": "knoppen-sessie-0001"}) as response:
            return (await response.json())["messages"]

    await chat(text="De lantaarnpaal in de Kanaalstraat is kapot")
    clock.advance(hours=3)
    await chat(text="Er ligt grofvuil naast de container")  # no street: it may be the lamp's, so it is asked
    new = (await sent())[-1]["actions"][-1]
    assert new["label"] == "Iets nieuws"
    reference = (await chat(text=new["label"], choice=new["value"]))["case"]
    await signed_in(officers, "anouk")
    page = await anouk.get(f"/inbox/zaak/{reference}")
    assert page.status == 200 and "drukte op een knop" in page.text


async def test_the_conversation_shows_what_wijkbot_told_the_resident(officers: dict[str, Officer],
                                                                      inbox_bot: Wijkbot,
                                                                      channel: RecordingChannel) -> None:
    """A trial's behandelaar saw only the resident's side and the replies: not the acknowledgement with its
    promised date, nor the question we asked. Now it stands in the conversation, in order, with its state."""
    resident = Harness(inbox_bot, channel)
    acknowledged = (await resident.say(AFVAL))[0]
    anouk = await signed_in(officers, "anouk")
    await anouk.act(resident.reference, "antwoord", reply="We halen het vrijdag op.")
    await resident.received()
    page = await anouk.get(f"/inbox/zaak/{resident.reference}")
    conversation = page.html.split('id="conversation-title"')[1].split("</section>")[0]
    first_line = acknowledged.splitlines()[0]
    assert first_line in page.text and conversation.count("msg-auto") == 1
    # in the order the resident read it: their message, our acknowledgement, then the reply
    assert conversation.index("msg-in") < conversation.index("msg-auto") < conversation.index("We halen het vrijdag op")
    auto = conversation.split("msg-auto")[1].split("</li>")[0]
    assert "Gemeente (automatisch)" in auto and 'data-state="sent"' in auto
