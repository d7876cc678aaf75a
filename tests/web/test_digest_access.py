"""Who reads which weekly digest in the inbox (trial finding: every account opened every wijk's digest).

The digest is the wijkregisseur's report on their wijk: a wijkregisseur reads their wijken, a teamleider the
wijken their teams cover (a city-wide team: all), a beheerder every wijk; a behandelaar none (the inbox's 403
page). The inbox header links to "Weekoverzicht" for whoever reads at least one: /inbox/digest opens the running
week of their one wijk, or lists their wijken. Uses the inbox's real-HTTP helpers (tests/inbox/conftest.py).
"""

from __future__ import annotations

import re

from tests.inbox.conftest import Officer, Pool, signed_in
from tests.web.inbox_pages import inbox_bot_fixture, officers_fixture  # noqa: F401  (fixtures: bot, officers)
from wijkbot.app import Wijkbot
from wijkbot.domain.access import Person, Role
from wijkbot.domain.weeks import IsoWeek
from wijkbot.web.digest import digest_wijken

NAV_LINK = '<a href="/inbox/digest">Weekoverzicht</a>'




def this_week(bot: Wijkbot) -> str:
    return str(IsoWeek.containing(bot.clock(), bot.rules.municipality.timezone))


def listed_wijken(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/inbox/digest/[^"/]+/[^"]+">([^<]+)</a>', html)


async def test_a_wijkregisseur_reads_their_own_wijk_only(bot: Wijkbot, officers: Pool) -> None:
    noor = await signed_in(officers, "noor")  # wijkregisseur West
    week = this_week(bot)
    assert (await noor.get(f"/inbox/digest/West/{week}")).status == 200
    assert (await noor.get("/inbox/digest/west")).status == 200  # the archive, any case of the name
    for path in (f"/inbox/digest/Binnenstad/{week}", "/inbox/digest/Binnenstad"):
        page = await noor.get(path)
        assert page.status == 403, path
        assert "Dat mag u niet doen" in page.text  # the inbox's own 403 page, with its header
        assert "Weekoverzicht Binnenstad" not in page.text
    unknown = await noor.get(f"/inbox/digest/Atlantis/{week}")
    assert unknown.status == 404 and "bekende wijken" in unknown.text  # unchanged: an unknown wijk is named


async def test_a_behandelaar_reads_no_digest_and_has_no_link(bot: Wijkbot, officers: Pool) -> None:
    anouk = await signed_in(officers, "anouk")  # behandelaar Stadswerken West
    week = this_week(bot)
    for path in (f"/inbox/digest/West/{week}", "/inbox/digest/West", "/inbox/digest"):
        page = await anouk.get(path)
        assert page.status == 403, path
        assert "Dat mag u niet doen" in page.text
    assert NAV_LINK not in (await anouk.get("/inbox/zaken")).html


async def test_the_header_link_opens_the_wijkregisseurs_running_week(bot: Wijkbot, officers: Pool) -> None:
    noor = await signed_in(officers, "noor")
    queue = await noor.get("/inbox/zaken")
    assert NAV_LINK in queue.html
    page = await noor.get("/inbox/digest")
    assert page.status == 200
    assert page.url.endswith(f"/inbox/digest/West/{this_week(bot)}")
    assert "Weekoverzicht West" in page.text


async def test_a_teamleider_reads_the_wijken_their_team_covers(bot: Wijkbot, officers: Pool) -> None:
    bram = await signed_in(officers, "bram")  # teamleider Stadswerken West: wijken West and Noordwest
    week = this_week(bot)
    assert NAV_LINK in (await bram.get("/inbox/zaken")).html
    assert (await bram.get(f"/inbox/digest/West/{week}")).status == 200
    assert (await bram.get(f"/inbox/digest/Noordwest/{week}")).status == 200
    assert (await bram.get(f"/inbox/digest/Binnenstad/{week}")).status == 403
    index = await bram.get("/inbox/digest")
    assert index.status == 200 and index.url.endswith("/inbox/digest")
    assert listed_wijken(index.html) == ["West", "Noordwest"]
    assert f'href="/inbox/digest/Noordwest/{week}"' in index.html
    assert 'href="/inbox/zaken"' in index.html  # the way back to the inbox


async def test_a_beheerder_reads_every_wijk(bot: Wijkbot, officers: Pool) -> None:
    olaf = await signed_in(officers, "olaf")
    week = this_week(bot)
    assert NAV_LINK in (await olaf.get("/inbox/zaken")).html
    for wijk in ("Binnenstad", "West", "Leidsche Rijn"):
        assert (await olaf.get(f"/inbox/digest/{wijk}/{week}")).status == 200, wijk
    index = await olaf.get("/inbox/digest")
    assert listed_wijken(index.html) == list(bot.rules.wijken)
    assert 'href="/inbox/digest/Leidsche%20Rijn/' in index.html


async def test_signed_out_visitors_are_asked_to_log_in(bot: Wijkbot, officers: Pool) -> None:
    stranger: Officer = officers["nobody"]
    page = await stranger.get(f"/inbox/digest/West/{this_week(bot)}")
    assert page.url.split("?")[0].endswith("/inbox/login")
    assert "Weekoverzicht West" not in page.text


def test_the_rule_itself(bot: Wijkbot) -> None:
    rules = bot.rules

    def who(*roles: Role, teams: tuple[str, ...] = (), wijken: tuple[str, ...] = ()) -> Person:
        return Person(1, "Test", frozenset(roles), frozenset(teams), frozenset(wijken))

    assert digest_wijken(who(Role.WIJKREGISSEUR, wijken=("Overvecht",)), rules) == ("Overvecht",)
    assert digest_wijken(who(Role.WIJKREGISSEUR, wijken=("overvecht",)), rules) == ("Overvecht",)
    assert digest_wijken(who(Role.BEHEERDER), rules) == rules.wijken
    assert digest_wijken(who(Role.TEAMLEIDER, teams=("vth",)), rules) == rules.wijken  # a city-wide team
    assert digest_wijken(who(Role.BEHANDELAAR, teams=("vth",)), rules) == ()
    assert digest_wijken(who(Role.BEHANDELAAR, wijken=("West",)), rules) == ()  # wijken count for regisseurs only
    assert digest_wijken(who(Role.TEAMLEIDER, teams=("stadswerken-west",)), rules) == ("West", "Noordwest")


async def test_the_digest_opens_in_the_language_of_the_inbox(bot: Wijkbot, officers: Pool) -> None:
    """An English trial opened a Dutch digest from the English inbox (only ?lang=en gave English)."""
    noor = await signed_in(officers, "noor")
    week = this_week(bot)
    dutch = await noor.get(f"/inbox/digest/West/{week}")
    await noor.get("/inbox/zaken")
    await noor.post("/inbox/taal", {"lang": "en", "next": "/inbox/zaken"})
    english = await noor.get(f"/inbox/digest/West/{week}")
    assert dutch.status == english.status == 200
    assert '<html lang="nl"' in dutch.html and '<html lang="en"' in english.html
    asked = await noor.get(f"/inbox/digest/West/{week}?lang=nl")  # a link's own ?lang= still decides
    assert '<html lang="nl"' in asked.html
