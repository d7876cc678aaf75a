"""Filters from a link on the queue page: shown in a "Filters" line, each removable, kept while paging and
searching; a bad week or an unknown filter says so and lists nothing; a filter never widens what a person sees.
On SQLite and PostgreSQL where SQL is involved.
"""

from __future__ import annotations

import re

from sqlalchemy import text

from tests.inbox.conftest import AFVAL, VEILIGHEID, Officer, Page, new_case, signed_in
from wijkbot.app import Wijkbot
from wijkbot.storage import repository
from wijkbot.testing import RecordingChannel

WEEK = "2026-W48"  # the test clock's week (Monday 23 November 2026)


def chips(page: Page) -> list[str]:
    found = re.findall(r'<li class="chip[^"]*" data-filter="[^"]+">\s*<span>([^<]+)</span>', page.html)
    return [re.sub(r"\s+", " ", c).strip() for c in found]


def hidden(page: Page) -> list[tuple[str, str]]:
    form = page.html.split('id="filters"')[1].split("</form>")[0]
    return re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form)


async def test_link_filters_are_shown_removable_and_kept(any_officers: dict[str, Officer], any_inbox_bot: Wijkbot,
                                                         channel: RecordingChannel) -> None:
    afval = await new_case(any_inbox_bot, channel, AFVAL)
    await new_case(any_inbox_bot, channel, "Er ligt grofvuil bij de Amsterdamsestraatweg")
    olaf = await signed_in(any_officers, "olaf")  # the beheerder reads every case
    page = await olaf.get(f"/inbox/zaken?queue=all&week={WEEK}&category=grofvuil&street=kanaalstraat")
    assert page.status == 200 and page.references() == [afval.reference]
    assert "Deze lijst is gefilterd op" in page.text
    assert chips(page) == ["Binnengekomen in: week 48 van 2026 (23 nov t/m 29 nov)",
                           "Categorie: Grofvuil en bijgeplaatst afval", "Straat: kanaalstraat"]
    assert 'aria-label="Filter weghalen: Straat: kanaalstraat"' in page.html
    # the form has a field for the category; the week and the street travel along as hidden fields
    assert ("week", WEEK) in hidden(page) and ("street", "kanaalstraat") in hidden(page)
    assert ("category", "grofvuil") not in hidden(page)

    form = {"queue": "all", "week": WEEK, "street": "kanaalstraat", "category": "grofvuil", "status": ""}
    removed = await olaf.post("/inbox/zaken", form | {"remove": "street"})  # the street's "weghalen" button
    assert removed.status == 200 and len(removed.references()) == 2
    assert [c.split(":")[0] for c in chips(removed)] == ["Binnengekomen in", "Categorie"]
    searched = await olaf.post("/inbox/zaken", form | {"q": "Amsterdamsestraatweg"})  # the search keeps them
    assert searched.references() == [] and "Straat: kanaalstraat" in chips(searched)
    paged = await olaf.post("/inbox/zaken", form | {"page": "1"})
    assert paged.references() == [afval.reference]

    await olaf.post("/inbox/taal", {"lang": "en", "next": "/inbox/zaken"})
    english = await olaf.get(f"/inbox/zaken?queue=all&week={WEEK}&handovers=1&open={WEEK}")
    assert chips(english) == ["Came in during: week 48 of 2026 (23 Nov to 29 Nov)",
                              "Still open at the end of: week 48 of 2026 (23 Nov to 29 Nov)",
                              "Handed over at least: 1"]
    assert english.references() == []  # nothing was handed over yet


async def test_empty_fields_repeated_values_and_not_filled_in(any_officers: dict[str, Officer],
                                                              any_inbox_bot: Wijkbot,
                                                              channel: RecordingChannel) -> None:
    afval = await new_case(any_inbox_bot, channel, AFVAL)
    drugs = await new_case(any_inbox_bot, channel, VEILIGHEID)
    vague = await new_case(any_inbox_bot, channel, "Ik heb een vraag")
    async with any_inbox_bot.db.read() as conn:
        rows = {r: await repository.case_by_reference(conn, r) for r in (afval.reference, drugs.reference,
                                                                          vague.reference)}
    without_category = {r for r, row in rows.items() if row["category"] is None}
    without_buurt = {r for r, row in rows.items() if row["buurt_code"] is None}
    assert vague.reference in without_category and vague.reference in without_buurt
    olaf = await signed_in(any_officers, "olaf")
    page = await olaf.get("/inbox/zaken?queue=all&category=none")
    assert set(page.references()) == without_category and "Categorie: niet ingevuld" in chips(page)
    page = await olaf.get("/inbox/zaken?queue=all&buurt=none")
    assert set(page.references()) == without_buurt
    afval_category = rows[afval.reference]["category"]
    page = await olaf.get(f"/inbox/zaken?queue=all&category={afval_category}&category=none")  # "any of these"
    assert set(page.references()) == without_category | {afval.reference}
    assert ("category", afval_category) in hidden(page) and ("category", "none") in hidden(page)
    buurt = rows[afval.reference]["buurt_code"]
    page = await olaf.get(f"/inbox/zaken?queue=all&buurt={buurt}")  # a buurt by its code, shown by its name
    assert page.references() == [afval.reference]
    assert f"Buurt: {rows[afval.reference]['buurt']}" in chips(page)
    assert f'<option value="{buurt}" selected>' in page.html


async def test_bad_filters_say_so_and_list_nothing(officers: dict[str, Officer], inbox_bot: Wijkbot,
                                                   channel: RecordingChannel) -> None:
    await new_case(inbox_bot, channel, AFVAL)
    olaf = await signed_in(officers, "olaf")
    bad_week = await olaf.get("/inbox/zaken?queue=all&week=2026-47")
    assert bad_week.status == 400 and bad_week.references() == []
    assert "“2026-47” is geen week. Schrijf een week zo: 2026-W15." in bad_week.text
    old_name = await olaf.get("/inbox/zaken?queue=all&wijk=West&achterstallig=1")
    assert old_name.status == 400 and old_name.references() == []
    assert "De inbox kent het filter “achterstallig” niet." in old_name.text
    unknown = await olaf.get("/inbox/zaken?queue=all&category=bestaat-niet")
    assert unknown.status == 200 and unknown.references() == []
    assert "Categorie: bestaat-niet (niet geldig, daarom is de lijst leeg)" in chips(unknown)
    hostile = await olaf.get("/inbox/zaken?queue=all&street=%3Cscript%3Ealert(1)%3C/script%3E")
    assert hostile.status == 200 and "<script>alert" not in hostile.html and "&lt;script&gt;" in hostile.html


async def test_a_filter_never_widens_what_a_person_sees(officers: dict[str, Officer], inbox_bot: Wijkbot,
                                                        channel: RecordingChannel) -> None:
    afval = await new_case(inbox_bot, channel, AFVAL)
    drugs = await new_case(inbox_bot, channel, VEILIGHEID)
    anouk = await signed_in(officers, "anouk")  # behandelaar Stadswerken West
    assert (await anouk.get("/inbox/zaken?queue=all")).references() == [afval.reference]
    async with inbox_bot.db.read() as conn:
        drugs_case = await repository.case_by_reference(conn, drugs.reference)
    assert drugs_case is not None
    for link in ("department=veiligheid", f"case={drugs.reference}", f"cluster={drugs.reference}",
                 "wijk=Binnenstad", f"week={WEEK}&department=veiligheid", f"officer={drugs_case['officer_id']}",
                 "officer=none&department=veiligheid"):
        assert (await anouk.get(f"/inbox/zaken?queue=all&{link}")).references() == [], link


async def test_a_teamleider_narrows_the_list_to_one_behandelaar(any_officers: dict[str, Officer],
                                                                 any_inbox_bot: Wijkbot,
                                                                 channel: RecordingChannel) -> None:
    """A trial's teamleider had no way to see what one behandelaar has on their plate."""
    resident = await new_case(any_inbox_bot, channel, AFVAL)
    async with any_inbox_bot.db.read() as conn:
        case = await repository.case_by_reference(conn, resident.reference)
        names = {int(r[0]): r[1] for r in await conn.execute(text("SELECT id, name FROM officers"))}
    assert case is not None and case["officer_id"] is not None
    handler = str(case["officer_id"])
    bram = await signed_in(any_officers, "bram")  # teamleider Stadswerken West
    page = await bram.get("/inbox/zaken?queue=team")
    options = page.html.split('id="f-officer"')[1].split("</select>")[0]
    assert f'value="{handler}"' in options and names[case["officer_id"]] in options
    assert '<option value="none"' in page.html  # "nog niemand"
    # what each behandelaar of the team has, linked to their list (a trial's teamleider had no overview)
    load = page.html.split('id="team-load"')[1].split("</section>")[0]
    assert f'officer={handler}"' in load and f"{names[case['officer_id']]}</a>: 1" in load
    mine = await bram.get(f"/inbox/zaken?queue=team&officer={handler}")
    assert resident.reference in mine.references()
    assert f"Behandelaar: {names[case['officer_id']]}" in " ".join(mine.text.split())  # the active filter, by name
    assert resident.reference not in (await bram.get("/inbox/zaken?queue=team&officer=none")).references()
    for bad in ("anouk", "²", "99999999999"):  # not an id: an empty list, never all cases (and no error page)
        page = await bram.get(f"/inbox/zaken?queue=team&officer={bad}")
        assert page.status == 200 and page.references() == [], bad
    # the options are the people of his own teams: not a behandelaar of another vakdienst
    async with any_inbox_bot.db.read() as conn:
        ilse = (await conn.execute(text("SELECT id FROM officers WHERE email LIKE 'ilse.%'"))).scalar_one()
    options = (await bram.get("/inbox/zaken?queue=team")).html.split('id="f-officer"')[1].split("</select>")[0]
    assert f'value="{handler}"' in options and f'value="{ilse}"' not in options
