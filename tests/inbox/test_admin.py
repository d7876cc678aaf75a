"""The beheerder manages people in the inbox: add with a one-time link, change roles and teams, disable."""

from __future__ import annotations

import re

from tests.inbox.conftest import Officer, signed_in
from wijkbot.app import Wijkbot


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
    await olaf.post(f"/inbox/beheer/mensen/{profile.officer_id}/uitzetten", {})
    assert (await zoe.get("/inbox/zaken")).url.endswith("/inbox/login")
    audit = await olaf.get("/inbox/beheer/audit")
    for action in ("account aangemaakt", "wachtwoordlink gemaakt", "rollen en teams gewijzigd", "account uitgezet"):
        assert action in audit.text
