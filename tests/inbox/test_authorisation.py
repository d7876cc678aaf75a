"""The authorisation matrix: every role against a case inside and outside its reach, on the server.

Cases: an Afval melding (Stadswerken West, wijk West) and a Veiligheid melding (Veiligheid Binnenstad,
wijk Binnenstad). For each ambtenaar: the case page (200 or 404, as if the case did not exist), the "all
cases" queue, writing a note and sending a reply. A form posted by hand, without the page, is refused too.
"""

from __future__ import annotations

import pytest

from tests.inbox.conftest import AFVAL, VEILIGHEID, Officer, new_case, signed_in
from wijkbot.app import Wijkbot
from wijkbot.testing import RecordingChannel

HANDLE, READ, NONE = "handle", "read", "none"
MATRIX = {
    # name: (afval, veiligheid)
    "anouk": (HANDLE, NONE),  # behandelaar Stadswerken West: a Veiligheid case is not hers to read
    "bram": (HANDLE, NONE),  # teamleider Stadswerken West
    "lars": (NONE, NONE),  # behandelaar Stadswerken Binnenstad/Oost: wrong team for both
    "gijs": (NONE, HANDLE),  # behandelaar Veiligheid Binnenstad
    "hanna": (NONE, HANDLE),  # teamleider of every Veiligheid team
    "noor": (HANDLE, NONE),  # wijkregisseur West: every case in West
    "eva": (NONE, HANDLE),  # wijkregisseur Binnenstad
    "olaf": (READ, READ),  # beheerder: reads, never handles
}


@pytest.fixture
async def two_cases(any_inbox_bot: Wijkbot, channel: RecordingChannel) -> dict[str, str]:
    afval = await new_case(any_inbox_bot, channel, AFVAL)
    veiligheid = await new_case(any_inbox_bot, channel, VEILIGHEID)
    return {"afval": afval.reference, "veiligheid": veiligheid.reference}


@pytest.mark.parametrize("name", list(MATRIX))
async def test_each_role_sees_and_handles_only_what_is_within_reach(
        any_officers: dict[str, Officer], two_cases: dict[str, str], name: str) -> None:
    officer = await signed_in(any_officers, name)
    listed = (await officer.get("/inbox/zaken?queue=all")).references()
    for (case, reference), expected in zip(two_cases.items(), MATRIX[name], strict=True):
        page = await officer.get(f"/inbox/zaak/{reference}")
        if expected == NONE:
            assert page.status == 404, (name, case)
            assert reference not in listed
            assert "Er dealen jongeren" not in page.text and "grofvuil" not in page.text
        else:
            assert page.status == 200, (name, case)
            assert reference in listed
        version = page.field("version") if page.has_field("version") else "1"
        csrf = page.field("csrf")
        note = await officer.post(f"/inbox/zaak/{reference}/notitie",
                                  {"csrf": csrf, "version": version, "note": "Ik kijk mee"})
        reply = await officer.post(f"/inbox/zaak/{reference}/antwoord",
                                   {"csrf": csrf, "version": version, "reply": "Hallo"})
        expected_status = {HANDLE: (200, 200), READ: (403, 403), NONE: (404, 404)}[expected]
        assert (note.status, reply.status) == expected_status, (name, case)
        if expected == HANDLE:
            assert note.url.endswith(reference) and "Uw notitie is opgeslagen" in note.text


async def test_beheerder_sees_no_action_forms(officers: dict[str, Officer], inbox_bot: Wijkbot,
                                             channel: RecordingChannel) -> None:
    resident = await new_case(inbox_bot, channel, AFVAL)
    olaf = await signed_in(officers, "olaf")
    page = await olaf.get(f"/inbox/zaak/{resident.reference}")
    assert page.status == 200
    for action in ("antwoord", "notitie", "overdragen", "afhandelen"):
        assert f"/{action}\"" not in page.html


async def test_an_invited_colleague_reads_and_notes_but_does_not_reply(
        officers: dict[str, Officer], inbox_bot: Wijkbot, channel: RecordingChannel) -> None:
    resident = await new_case(inbox_bot, channel, VEILIGHEID)
    anouk = await signed_in(officers, "anouk")
    assert (await anouk.get(f"/inbox/zaak/{resident.reference}")).status == 404
    gijs = await signed_in(officers, "gijs")
    anouk_id = (await inbox_bot.inbox.people.by_email("anouk.voorbeeld@example.org")).officer_id
    invited = await gijs.act(resident.reference, "uitnodigen", officer=str(anouk_id), reason="Ligt er ook afval?")
    assert "Uw collega is uitgenodigd" in invited.text
    page = await anouk.get(f"/inbox/zaak/{resident.reference}")
    assert page.status == 200 and "Gijs Namaakers" in page.text
    assert resident.reference in (await anouk.get("/inbox/zaken?queue=mine")).references()
    assert "Uw notitie is opgeslagen" in (await anouk.act(resident.reference, "notitie", note="Ja, ook afval")).text
    assert (await anouk.act(resident.reference, "antwoord", reply="Hallo")).status == 403
    assert await resident.received() == []


async def test_a_behandelaar_claims_but_only_a_teamleider_assigns_to_someone_else(
        officers: dict[str, Officer], inbox_bot: Wijkbot, channel: RecordingChannel) -> None:
    resident = await new_case(inbox_bot, channel, AFVAL)
    ids = {p.name.split()[0].lower(): p.officer_id for p in await inbox_bot.inbox.people.all()}
    anouk = await signed_in(officers, "anouk")
    page = await anouk.act(resident.reference, "toewijzen", officer=str(ids["bram"]))
    assert page.status == 403 and "teamleider" in page.text
    bram = await signed_in(officers, "bram")
    assert "U heeft de zaak opgepakt" in (await bram.act(resident.reference, "oppakken")).text
    assert "De zaak is toegewezen" in (await bram.act(resident.reference, "toewijzen", officer=str(ids["anouk"]))).text
    page = await bram.get(f"/inbox/zaak/{resident.reference}")
    assert "Anouk Voorbeeld" in page.html.split('id="case-officer">')[1].split("<")[0]
    assert (await bram.act(resident.reference, "toewijzen", officer=str(ids["gijs"]))).status == 400  # not in team


async def test_admin_pages_are_for_the_beheerder_only(officers: dict[str, Officer]) -> None:
    anouk = await signed_in(officers, "anouk")
    assert (await anouk.get("/inbox/beheer/mensen")).status == 403
    assert (await anouk.get("/inbox/beheer/audit")).status == 403
    assert (await anouk.post("/inbox/beheer/mensen", {"name": "X", "email": "x@example.org",
                                                      "roles": "beheerder"})).status == 403
    olaf = await signed_in(officers, "olaf")
    assert (await olaf.get("/inbox/beheer/mensen")).status == 200
