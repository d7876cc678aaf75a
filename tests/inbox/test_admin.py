"""The beheerder manages people in the inbox: add with a one-time link, change roles and teams, disable; at least
one beheerder always remains; the audit log says whom each row concerns."""

from __future__ import annotations

import asyncio
import re
from html import unescape

from tests.inbox.conftest import AFVAL, EMAIL, Officer, Page, new_case, signed_in
from wijkbot.app import Wijkbot
from wijkbot.services.people import PeopleError
from wijkbot.testing import RecordingChannel


def audit_rows(page: Page) -> list[list[str]]:
    """The audit table as the beheerder reads it: per row the cells Wanneer, Wie, Wat, Betreft, Reden."""
    body = page.html.split('id="audit"')[1].split("<tbody>")[1].split("</tbody>")[0]
    return [[" ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split())
             for cell in re.findall(r"<td>(.*?)</td>", row, flags=re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)]


async def test_beheerder_adds_changes_and_disables_a_person(officers: dict[str, Officer], inbox_bot: Wijkbot) -> None:
    olaf = await signed_in(officers, "olaf")
    await olaf.get("/inbox/beheer/mensen")
    bad = await olaf.post("/inbox/beheer/mensen", {"name": "Zoë", "email": "zoe@example.org", "roles": "baas"})
    assert bad.status == 400 and "onbekende rol" in bad.text and 'value="Zoë"' in bad.html
    added = await olaf.post("/inbox/beheer/mensen", {"name": "Zoë Nieuw", "email": "Zoe.Nieuw@example.org",
                                                     "roles": "behandelaar", "teams": "vth"})
    link = re.search(r"http://[^<\s]+/inbox/wachtwoord/[A-Za-z0-9_-]+", added.html).group(0)
    zoe = officers["zoe"]
    path = link[link.index("/inbox/"):]  # the link names the public URL; the test server listens elsewhere
    await zoe.get(path)
    await zoe.post(path, {"password": "zoë kiest een wachtzin", "password_again": "zoë kiest een wachtzin"})
    assert (await zoe.login("zoe.nieuw@example.org", "zoë kiest een wachtzin")).url.endswith("/inbox/zaken")

    profile = await inbox_bot.inbox.people.by_email("zoe.nieuw@example.org")
    await olaf.get("/inbox/beheer/mensen")
    changed = await olaf.post(f"/inbox/beheer/mensen/{profile.officer_id}/wijzigen",
                              {"roles": "wijkregisseur", "teams": "wijkbureau-west", "wijken": "West"})
    assert changed.url.endswith("/inbox/beheer/mensen")
    profile = await inbox_bot.inbox.people.by_email("zoe.nieuw@example.org")
    assert (profile.roles, profile.teams, profile.wijken) == (("wijkregisseur",), ("wijkbureau-west",), ("West",))
    asked = await olaf.post(f"/inbox/beheer/mensen/{profile.officer_id}/uitzetten", {})  # a confirm step first
    assert asked.status == 200 and "Account van Zoë Nieuw uitzetten?" in asked.text
    assert (await zoe.get("/inbox/zaken")).url.endswith("/inbox/zaken")  # nothing switched off yet
    done = await olaf.post(f"/inbox/beheer/mensen/{profile.officer_id}/uitzetten", {"bevestigd": "ja"})
    assert "Het account van Zoë Nieuw staat uit. Er waren geen open zaken." in done.text
    assert (await zoe.get("/inbox/zaken")).url.endswith("/inbox/login")
    audit = await olaf.get("/inbox/beheer/audit")
    for action in ("account aangemaakt", "wachtwoordlink gemaakt", "rollen en teams gewijzigd", "account uitgezet"):
        assert action in audit.text


async def test_the_last_beheerder_keeps_the_role(officers: dict[str, Officer], inbox_bot: Wijkbot) -> None:
    olaf = await signed_in(officers, "olaf")  # the demo's only beheerder
    me = await inbox_bot.inbox.people.by_email(EMAIL["olaf"])
    await olaf.get("/inbox/beheer/mensen")
    refused = await olaf.post(f"/inbox/beheer/mensen/{me.officer_id}/wijzigen",
                              {"roles": "behandelaar", "teams": "vth"})
    assert refused.status == 400 and "er moet minstens één beheerder blijven" in refused.text
    refused = await olaf.post(f"/inbox/beheer/mensen/{me.officer_id}/uitzetten", {})
    assert refused.status == 400 and "er moet minstens één beheerder blijven" in refused.text
    me = await inbox_bot.inbox.people.by_email(EMAIL["olaf"])
    assert me.roles == ("beheerder",) and me.active
    assert (await olaf.get("/inbox/beheer/mensen")).status == 200  # he still manages people

    ilse = await inbox_bot.inbox.people.by_email(EMAIL["ilse"])
    await olaf.post(f"/inbox/beheer/mensen/{ilse.officer_id}/wijzigen", {"roles": "beheerder", "teams": "vth"})
    moved = await olaf.post(f"/inbox/beheer/mensen/{me.officer_id}/wijzigen", {"roles": "behandelaar",
                                                                                "teams": "vth"})
    assert moved.status == 403 and moved.url.endswith("/inbox/beheer/mensen")  # saved; now not his page
    assert (await inbox_bot.inbox.people.by_email(EMAIL["olaf"])).roles == ("behandelaar",)
    audit = audit_rows(await (await signed_in(officers, "ilse")).get("/inbox/beheer/audit"))
    changes = [(row[3], row[4]) for row in audit if row[2] == "rollen en teams gewijzigd"]
    assert changes == [("Olaf Teststede", "rollen: beheerder → behandelaar; teams: geen → vth"),
                       ("Ilse van Proefhoven", "rollen: behandelaar → beheerder")]


async def test_the_audit_log_says_whom_a_row_concerns(officers: dict[str, Officer], inbox_bot: Wijkbot,
                                                      channel: RecordingChannel) -> None:
    resident = await new_case(inbox_bot, channel, AFVAL)
    anouk = await signed_in(officers, "anouk")
    await anouk.get(f"/inbox/zaak/{resident.reference}")
    await anouk.post(f"/inbox/zaak/{resident.reference}/contact", {"reason": "Terugbellen"})
    olaf = await signed_in(officers, "olaf")
    await olaf.get("/inbox/beheer/mensen")
    await olaf.post("/inbox/beheer/mensen", {"name": "Test Een", "email": "test.een@example.org",
                                             "roles": "behandelaar", "teams": "vth"})
    test_een = await inbox_bot.inbox.people.by_email("test.een@example.org")
    await olaf.post(f"/inbox/beheer/mensen/{test_een.officer_id}/uitzetten", {"bevestigd": "ja"})
    rows = [row[1:] for row in audit_rows(await olaf.get("/inbox/beheer/audit"))]
    assert rows == [
        ["Olaf Teststede", "account uitgezet", "Test Een", ""],
        ["Olaf Teststede", "wachtwoordlink gemaakt", "Test Een", ""],
        ["Olaf Teststede", "account aangemaakt", "Test Een", ""],
        ["Anouk Voorbeeld", "contactgegevens bekeken", resident.reference, "Terugbellen"],
    ]


async def test_two_beheerders_switching_each_other_off_at_once_leave_one(any_inbox_bot: Wijkbot) -> None:
    people = any_inbox_bot.inbox.people
    olaf, ilse = (await people.by_email(EMAIL["olaf"]), await people.by_email(EMAIL["ilse"]))
    await people.update(ilse.officer_id, roles=["beheerder"], teams=[], wijken=[], by="test")
    results = await asyncio.gather(people.set_active(olaf.officer_id, False, "test"),
                                   people.set_active(ilse.officer_id, False, "test"), return_exceptions=True)
    refused = [r for r in results if isinstance(r, PeopleError)]
    assert len(refused) == 1 and "minstens één beheerder" in str(refused[0]), results
    left = [p.name for p in await people.all() if "beheerder" in p.roles and p.active]
    assert len(left) == 1


async def test_older_account_rows_name_the_account_too(officers: dict[str, Officer], inbox_bot: Wijkbot) -> None:
    """Rows written before account rows carried the officer id held the e-mail address or the bare id."""
    from wijkbot.storage import audit

    anouk = await inbox_bot.inbox.people.by_email(EMAIL["anouk"])
    async with inbox_bot.db.write() as conn:
        await audit.write(conn, inbox_bot.clock(), "cli", "account aangemaakt", reason=EMAIL["anouk"])
        await audit.write(conn, inbox_bot.clock(), "cli", "account uitgezet", reason=str(anouk.officer_id))
        await audit.write(conn, inbox_bot.clock(), "cli", "account aangemaakt", reason="weg@example.org")
    olaf = await signed_in(officers, "olaf")
    rows = [row[1:4] for row in audit_rows(await olaf.get("/inbox/beheer/audit"))]
    by_cli = "beheerder (opdrachtregel)"  # who acted from the command line, in words
    assert rows == [[by_cli, "account aangemaakt", "weg@example.org"],
                    [by_cli, "account uitgezet", "Anouk Voorbeeld"],
                    [by_cli, "account aangemaakt", "Anouk Voorbeeld"]]
