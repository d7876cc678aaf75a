"""Duplicate links in the case history read the same whoever made them: intake (two residents report one lamp)
and an ambtenaar (the "koppelen" form) both write "gekoppeld" on the duplicate and "dubbele gekoppeld" on the
lead, and the case page shows both in words, in Dutch and English, with the other case as a link. The cluster
block and the list it links to hold the same cases (cases.duplicate_of, as the digest counts them).
"""

from __future__ import annotations

import re

from tests.inbox.conftest import Officer, Page, new_case, signed_in
from wijkbot.app import Wijkbot
from wijkbot.storage import repository
from wijkbot.testing import RecordingChannel

LAMP = "De lantaarnpaal in de Kanaalstraat is al dagen kapot"


def history(page: Page) -> list[str]:
    block = page.html.split('id="history-title"')[1].split("</section>")[0]
    return [re.sub(r"\s+", " ", Page(200, item, "").text).strip() for item in block.split("<li>")[1:]]


def cluster(page: Page) -> list[str]:
    block = page.html.split('id="cluster-title"')[1].split("</section>")[0]
    return re.findall(r">(UT-\d{4}-\d{6})<", block.split("</ul>")[0])


async def test_both_ways_of_linking_read_the_same_in_the_history(officers: dict[str, Officer], inbox_bot: Wijkbot,
                                                                 channel: RecordingChannel) -> None:
    lead = await new_case(inbox_bot, channel, LAMP)
    second = await new_case(inbox_bot, channel, "lantaarn kapot in de kanaalstraat, het is zo donker")
    third = await new_case(inbox_bot, channel, "De lantaarnpaal in de Damstraat is kapot")
    async with inbox_bot.db.read() as conn:
        lead_id = (await repository.case_by_reference(conn, lead.reference))["id"]
        assert (await repository.case_by_reference(conn, second.reference))["duplicate_of"] == lead_id  # by intake
    anouk = await signed_in(officers, "anouk")
    linked = await anouk.act(third.reference, "koppelen", lead=lead.reference)  # by hand
    assert linked.status == 200

    lead_page = await anouk.get(f"/inbox/zaak/{lead.reference}")
    lines = [line for line in history(lead_page) if "dubbele melding gekoppeld" in line]
    assert [line.split(" · ")[-1] for line in lines] == [second.reference, third.reference]
    assert f'<a href="/inbox/zaak/{second.reference}">{second.reference}</a>' in lead_page.html
    assert [line.split(" · ")[2:] for line in history(await anouk.get(f"/inbox/zaak/{second.reference}"))
            if "gekoppeld aan een hoofdzaak" in line] == [
        ["gekoppeld aan een hoofdzaak", lead.reference, "automatisch: zelfde onderwerp op dezelfde plek"]]
    assert [line.split(" · ")[2:] for line in history(await anouk.get(f"/inbox/zaak/{third.reference}"))
            if "gekoppeld aan een hoofdzaak" in line] == [["gekoppeld aan een hoofdzaak", lead.reference]]

    await anouk.post("/inbox/taal", {"lang": "en", "next": f"/inbox/zaak/{lead.reference}"})
    english = history(await anouk.get(f"/inbox/zaak/{lead.reference}"))
    assert sum("duplicate report linked" in line for line in english) == 2
    english = history(await anouk.get(f"/inbox/zaak/{second.reference}"))
    assert any("linked to a lead case" in line and "automatically: same subject at the same place" in line
               for line in english)
    assert not any("zelfde melding" in line for line in english)  # intake's Dutch reason is not shown raw

    # the cluster block and the list it links to: the lead and both duplicates
    page = await anouk.get(f"/inbox/zaak/{third.reference}")
    members = cluster(page)
    assert members == [lead.reference, second.reference, third.reference]
    href = re.search(r'<a href="([^"]+)" id="cluster-list">', page.html).group(1).replace("&amp;", "&")
    assert set((await anouk.get(href)).references()) == set(members)
