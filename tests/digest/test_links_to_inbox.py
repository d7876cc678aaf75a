"""Following the digest's links into the inbox: the wijkregisseur, signed in, gets exactly the cases each figure
counts (same number, same references), on SQLite and PostgreSQL; a behandelaar of another wijk following the
same links sees none of them (a filter never widens what a person may see).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy import insert

from tests.digest.conftest import REGISSEUR, digest_settings, local, make_bot, seed_week
from tests.inbox.conftest import Officer, Page
from wijkbot.app import Wijkbot
from wijkbot.digest.compose import Composer
from wijkbot.digest.links import NOT_SET, PARAMETERS, case_list_url
from wijkbot.digest.wording import Wording
from wijkbot.domain.digest.figures import Digest
from wijkbot.domain.weeks import IsoWeek
from wijkbot.services.case_filters import FILTERS
from wijkbot.storage import repository
from wijkbot.storage.case_filters import NOT_SET as STORAGE_NOT_SET
from wijkbot.storage.tables import messages
from wijkbot.testing import FrozenClock

W15 = IsoWeek(2026, 15)
PASSWORD = "een zin als wachtwoord voor de test"
OTHER_WIJK = "anouk.voorbeeld@example.org"  # behandelaar, Stadswerken West


@dataclass(frozen=True)
class Link:
    where: str  # which figure, for the failure message
    text: str
    href: str
    numeric: bool


@dataclass
class Seeded:
    bot: Wijkbot
    refs: dict[str, str]
    digest: Digest
    links: list[Link]
    browsers: dict[str, Officer]


def links_of(bot: Wijkbot, digest: Digest, now: Any) -> list[Link]:
    """Every linked figure of the digest document, as the page and the mail show them."""
    words = Wording(bot.rules, bot.translator, "nl")
    document = Composer(digest, words, "", bot.digests.options.policy).document(now)
    found = [Link(f"tile {t.label}", t.value, t.href, True) for t in document.tiles]
    for section in document.sections:
        for table in section.tables:
            for row in table.rows:
                found += [Link(f"{table.caption} / {row[0].text} / {table.headers[n]}", c.text, c.href, c.numeric)
                          for n, c in enumerate(row) if c.href]
            if table.href:
                found.append(Link(f"{table.caption} (table)", "", table.href, False))
    return found


@pytest.fixture
async def seeded(database_url: str, clock: FrozenClock) -> AsyncIterator[Seeded]:
    bot = await make_bot(digest_settings(database_url, password_hash_time_cost=1, password_hash_memory_kib=8192),
                         clock)
    refs = await seed_week(bot, clock)
    async with bot.db.write() as conn:  # a survey answer is stored as an inbound message; it is no message
        case = await repository.case_by_reference(conn, refs["w13b"])
        await conn.execute(insert(messages).values(
            case_id=case["id"], contact_id=case["contact_id"], direction="in", channel="telegram", body="4",
            created_at=local(4, 8, 9), meta={"survey": True, "choice": "survey:t:score:4"}))
    for email in (REGISSEUR, OTHER_WIJK):
        profile = await bot.inbox.people.by_email(email)
        await bot.inbox.people.ensure_accounts([profile.officer_id])
        await bot.inbox.people.set_password(profile.officer_id, PASSWORD)
    digest = await bot.digests.figures("Overvecht", W15)
    async with TestServer(bot.web_app()) as server:
        sessions = [aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) for _ in range(2)]
        browsers = {"regisseur": Officer(server, sessions[0]), "anouk": Officer(server, sessions[1])}
        for name, email in (("regisseur", REGISSEUR), ("anouk", OTHER_WIJK)):
            page = await browsers[name].login(email, PASSWORD)
            assert page.status == 200 and page.url.endswith("/inbox/zaken"), (page.status, page.url)
        try:
            yield Seeded(bot, refs, digest, links_of(bot, digest, clock()), browsers)
        finally:
            for session in sessions:
                await session.close()
    await bot.close()


def total(page: Page) -> int:
    found = re.search(r'id="result-count">[^<0-9]*(\d+)', page.html)
    assert found, page.html[:500]
    return int(found.group(1))


async def follow(officer: Officer, href: str) -> tuple[int, set[str]]:
    page = await officer.get(href)
    assert page.status == 200, (href, page.status)
    assert "notice-error" not in page.html, href  # no filter the inbox does not understand
    return total(page), set(page.references())


def link(seeded: Seeded, where: str) -> Link:
    found = [x for x in seeded.links if x.where.startswith(where)]
    assert len(found) >= 1, (where, [x.where for x in seeded.links])
    return found[0]


def test_the_digest_speaks_the_inboxs_parameter_names() -> None:
    assert PARAMETERS == FILTERS
    assert NOT_SET == STORAGE_NOT_SET  # "none": a case without category or buurt


@pytest.mark.parametrize(("filters", "url"), [
    ({}, "/inbox/zaken?queue=all"),
    ({"overdue": "2026-W15", "wijk": "Leidsche Rijn"}, "/inbox/zaken?queue=all&wijk=Leidsche+Rijn&overdue=2026-W15"),
    ({"week": "2026-W15", "category": ["grofvuil", NOT_SET], "buurt": None},  # the "other" row: any of these
     "/inbox/zaken?queue=all&week=2026-W15&category=grofvuil&category=none"),
    ({"status": "wacht op bewoner", "handovers": 2, "street": ""},
     "/inbox/zaken?queue=all&status=wacht+op+bewoner&handovers=2"),
])
def test_case_list_urls(filters: dict[str, Any], url: str) -> None:
    assert case_list_url("", **filters) == url
    assert case_list_url("https://wijkbot.example.org/", **filters) == "https://wijkbot.example.org" + url


def test_an_unknown_filter_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="achterstallig"):
        case_list_url(achterstallig=1)


async def test_every_count_in_the_digest_is_the_length_of_the_list_it_links_to(seeded: Seeded) -> None:
    regisseur = seeded.browsers["regisseur"]
    counted = 0
    for item in seeded.links:
        if "inbound=" in item.href:  # counts messages, not cases: checked below
            continue
        if item.numeric and item.text.isdigit():
            shown, _ = await follow(regisseur, item.href)
            assert shown == int(item.text), f"{item.where}: digest says {item.text}, the inbox lists {shown}"
            counted += 1
        elif re.fullmatch(r"UT-\d{4}-\d{6}", item.text):
            shown, references = await follow(regisseur, item.href)
            assert item.text in references, item.where
            if "case=" in item.href:
                assert references == {item.text}, item.where
    assert counted > 40  # tiles, every breakdown row, the trend, hot spots, clusters, service, initiatives


async def test_the_lists_hold_the_same_cases_as_the_figures(seeded: Seeded) -> None:
    d, refs, regisseur = seeded.digest, seeded.refs, seeded.browsers["regisseur"]

    async def cases(where: str) -> set[str]:
        return (await follow(regisseur, link(seeded, where).href))[1]

    w15 = {refs[x] for x in ("lamp", "vuil1", "vuil2", "vuil3", "jongeren", "moestuin", "vraag", "klacht")}
    assert await cases("tile Nieuwe zaken") == w15
    assert await cases("tile Berichten van bewoners") == w15  # the week's nine messages were written on these
    assert d.inflow.messages.this_week == 9  # the survey answer on w13b is not one of them
    assert await cases("tile Over de termijn") == {c.reference for c in d.stuck.overdue} == {
        refs[x] for x in ("a", "b", "c", "d", "vuil1")}
    assert await cases("tile Opgeschaald") == {e.case.reference for e in d.stuck.escalations} == {refs["a"]}
    assert await cases("tile Rapportcijfer") == {refs["lamp"], refs["vraag"]}
    grofvuil = {refs["vuil1"], refs["vuil2"], refs["vuil3"]}
    assert await cases("Nieuwe zaken per onderwerp / Grofvuil en bijgeplaatst afval / Deze week") == grofvuil
    assert await cases("Onderwerpen die zich opstapelen / Grofvuil en bijgeplaatst afval / Deze week") == grofvuil
    assert await cases(f"Dezelfde melding van meerdere bewoners / {refs['vuil1']} / Meldingen") == grofvuil
    handed_over = await cases("Open zaken die vaker dan één keer zijn overgedragen (1) (table)")
    assert handed_over == {c.reference for c in d.stuck.handed_over} == {refs["b"]}
    waiting = await cases("Open zaken die wachten op de bewoner (1) (table)")
    assert waiting == {c.reference for c in d.stuck.waiting} == {refs["c"]}
    answered = link(seeded, "Snelheid per vakdienst / Hele wijk / Eerste antwoorden")
    assert (await follow(regisseur, answered.href))[1] == {refs[x] for x in ("lamp", "a", "jongeren", "vraag")}
    closed = link(seeded, "Snelheid per vakdienst / Hele wijk / Afgehandeld")
    assert (await follow(regisseur, closed.href))[1] == {refs[x] for x in ("w13b", "lamp", "jongeren", "vraag")}
    assert await cases("Initiatieven per wijkambitie / geen wijkambitie ingevuld / Nieuw") == {refs["moestuin"]}
    assert await cases("Initiatieven per wijkambitie / geen wijkambitie ingevuld / Lopend") == {refs["d"]}
    assert await cases("Initiatieven per wijkambitie (table)") == {c.reference for c in d.initiatives.lines}


async def test_a_link_never_shows_more_than_the_reader_may_see(seeded: Seeded) -> None:
    anouk = seeded.browsers["anouk"]  # a behandelaar in West: none of Overvecht's cases are hers
    for where in ("tile Nieuwe zaken", "tile Over de termijn", "Dezelfde melding van meerdere bewoners",
                  "Open zaken die vaker dan één keer"):
        shown, references = await follow(anouk, link(seeded, where).href)
        assert (shown, references) == (0, set()), where
    page = await anouk.get(link(seeded, "tile Nieuwe zaken").href)  # the empty list says why
    assert "De zaken in Overvecht zijn van andere teams" in page.text
    regisseur = seeded.browsers["regisseur"]
    empty = await regisseur.get("/inbox/zaken?queue=all&wijk=Overvecht&category=bestaat-niet")
    assert total(empty) == 0 and "van andere teams" not in empty.text  # her own wijk: simply nothing there


async def test_the_digests_cluster_is_the_case_pages_cluster(seeded: Seeded) -> None:
    """Both read cases.duplicate_of: the lead and every case pointing at it."""
    refs, regisseur = seeded.refs, seeded.browsers["regisseur"]
    [cluster] = seeded.digest.clusters
    assert cluster.lead_reference == refs["vuil1"]
    listed = (await follow(regisseur, link(seeded, f"Dezelfde melding van meerdere bewoners / {refs['vuil1']}").href))
    page = await regisseur.get(f"/inbox/zaak/{refs['vuil3']}")
    block = page.html.split('id="cluster-title"')[1].split("</ul>")[0]
    on_the_page = set(re.findall(r">(UT-\d{4}-\d{6})<", block))
    assert listed == (cluster.reports, on_the_page) == (3, {refs["vuil1"], refs["vuil2"], refs["vuil3"]})
