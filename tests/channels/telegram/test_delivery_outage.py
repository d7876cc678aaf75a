"""A channel that is down for a long time: the answer is kept trying for two days, the ambtenaar sees when it was
not delivered and sends it again, operators see it in /health.

Real HTTP all the way: the service talks to the fake Bot API (tests/support/fake_telegram.py), which a test
takes off the network (connections refused, as the tester saw: `httpx.ConnectError`) and brings back on the
same port; the ambtenaar uses the inbox's pages with their CSRF token. Only the clock is the test's (FrozenClock),
so two days pass without a sleep.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy import select

from tests.channels.telegram.conftest import CHAT, TelegramWorld, open_world
from tests.inbox.conftest import PASSWORD, Officer, Pool
from tests.support.fake_telegram import FakeTelegram
from wijkbot.app import Wijkbot
from wijkbot.cli_outbox import report
from wijkbot.storage import people, repository
from wijkbot.storage.tables import outbox
from wijkbot.testing import FrozenClock

GROFVUIL = "Er ligt grofvuil naast de container op de Amsterdamsestraatweg"
ANSWER = "We halen het grofvuil donderdag op."
REFERENCE = re.compile(r"UT-\d{4}-\d{6}")


class Outage:
    """Takes the fake Bot API off its port (every request: connection refused) and puts it back."""

    def __init__(self, fake: FakeTelegram) -> None:
        self.fake = fake

    async def begin(self) -> None:
        await self.fake.go_down()

    async def end(self) -> None:
        await self.fake.come_back()


@pytest.fixture
async def world(tmp_path: Path, clock: FrozenClock, fake: FakeTelegram) -> AsyncIterator[TelegramWorld]:
    async with open_world(f"sqlite:///{tmp_path / 'wijkbot.db'}", clock, fake, "webhook",
                          secret_key="test-secret-" + "x" * 32, password_hash_time_cost=1,
                          password_hash_memory_kib=8192) as opened:
        yield opened


async def reply_row(bot: Wijkbot) -> dict[str, Any]:
    async with bot.db.read() as conn:
        return dict((await conn.execute(select(outbox).where(outbox.c.purpose == "reply"))).mappings().one())


async def next_attempt(world: TelegramWorld) -> dict[str, Any]:
    """Let the clock run to the reply's next attempt, and let delivery make it."""
    row = await reply_row(world.bot)
    world.clock.set(max(world.clock.now, row["next_attempt_at"]))
    await world.bot.delivery.drain()
    return await reply_row(world.bot)


async def officer_browser(world: TelegramWorld, pool: Pool, reference: str) -> Officer:
    """The case's behandelaar, signed in to the inbox (an account with a password first)."""
    async with world.bot.db.read() as conn:
        case = await repository.case_by_reference(conn, reference)
        assert case is not None
        officer = await repository.officer(conn, case["officer_id"])
    assert officer is not None
    await world.bot.inbox.people.ensure_accounts([int(officer["id"])])
    password_hash = await world.bot.inbox.people.hasher.hash(PASSWORD)
    async with world.bot.db.write() as conn:
        await people.set_password_hash(conn, int(officer["id"]), password_hash, world.clock())
    browser = pool[str(officer["email"])]
    await sign_in(browser, str(officer["email"]))
    return browser


async def sign_in(browser: Officer, email: str) -> None:
    page = await browser.login(email)
    assert page.status == 200 and page.url.endswith("/inbox/zaken"), (page.status, page.url)


async def test_an_answer_survives_a_channel_that_is_down_for_half_an_hour(world: TelegramWorld,
                                                                          fake: FakeTelegram) -> None:
    reference = REFERENCE.search((await world.say(GROFVUIL))[0])
    assert reference is not None
    outage = Outage(fake)
    await outage.begin()
    actor = await world.bot.actions.actor(await _officer_email(world.bot, reference.group()))
    await world.bot.actions.reply(reference.group(), actor, ANSWER)
    queued = world.clock.now
    await world.bot.delivery.drain()
    row = await reply_row(world.bot)
    assert row["status"] == "pending" and row["attempts"] == 1 and "NetworkError" in row["last_error"]
    tried = [world.clock.now]
    while world.clock.now - queued < timedelta(minutes=30):  # the old limit gave up after about 10.6 minutes
        row = await next_attempt(world)
        tried.append(world.clock.now)
        assert row["status"] == "pending", row["last_error"]
    gaps = [round((b - a).total_seconds()) for a, b in itertools.pairwise(tried)]
    assert gaps[:5] == [5, 10, 20, 40, 80]  # the existing backoff: 5 s doubling
    assert not any(ANSWER in t for t in fake.texts_to(CHAT))  # nothing reached the resident yet
    health = await world.bot.health()
    assert health["status"] == "ok" and health["outbox_pending"] == 1 and health["outbox_failed_7d"] == 0
    assert isinstance(health["outbox_oldest_pending_seconds"], int)
    assert health["outbox_oldest_pending_seconds"] >= 30 * 60  # operators see how long it has waited

    await outage.end()
    for _ in range(3):  # the client may first find its old connections closed: that is one more retry
        row = await next_attempt(world)
        if row["status"] == "sent":
            break
    assert row["status"] == "sent"
    got = [t for t in await world.received() if ANSWER in t]
    assert len(got) == 1  # once
    assert (await world.bot.health())["outbox_oldest_pending_seconds"] is None


async def test_given_up_after_48_hours_shown_counted_and_sent_again_from_the_case_page(
        world: TelegramWorld, fake: FakeTelegram) -> None:
    reference = REFERENCE.search((await world.say(GROFVUIL))[0])
    assert reference is not None
    ref = reference.group()
    outage = Outage(fake)
    async with TestServer(world.bot.web_app()) as server:
        pool = Pool(server)
        try:
            officer = await officer_browser(world, pool, ref)
            await outage.begin()
            sent = await officer.act(ref, "antwoord", reply=ANSWER)
            assert sent.status == 200 and sent.url.endswith(ref)
            assert 'data-state="pending"' in sent.html and "Klaargezet: het gaat via Telegram" in sent.text

            queued = world.clock.now
            row = await next_attempt(world)
            while row["status"] == "pending":
                assert world.clock.now - queued <= timedelta(hours=48)
                row = await next_attempt(world)
            assert row["status"] == "failed"
            assert world.clock.now - queued == timedelta(hours=48)  # the last try is made at the give-up moment
            assert row["attempts"] > 40  # about hourly once the backoff reached its cap

            health = await (await officer.session.get(server.make_url("/health"))).json()
            assert health["status"] == "ok"  # a channel outage does not take the process out of service
            assert health["outbox_failed_7d"] == 1 and health["outbox_pending"] == 0

            await sign_in(officer, _email_of(pool, officer))  # two days later: a new session
            queue = await officer.get("/inbox/zaken?queue=all")
            assert 'id="undelivered-cases"' in queue.html and f'href="/inbox/zaak/{ref}"' in queue.html
            assert "niet bezorgd" in queue.text

            page = await officer.get(f"/inbox/zaak/{ref}")
            failed = _between(page.html, f'id="delivery-{row["id"]}"', "</div>")
            assert 'data-state="failed"' in failed and "niet bezorgd" in failed
            assert "Telegram was 48 uur niet bereikbaar" in failed
            assert "Opnieuw versturen" in failed
            history = _between(page.html, 'id="history-title"', "</section>")
            assert "bericht kon niet worden bezorgd" in history and "Telegram was 48 uur niet bereikbaar" in history
            for technical in ("gave up", "given up", "NetworkError", "httpx", "ConnectError"):
                assert technical not in page.html

            await outage.end()
            resend = await officer.post(f"/inbox/zaak/{ref}/opnieuw-versturen",
                                        {"version": page.field("version"), "outbox": str(row["id"])})
            assert resend.status == 200 and resend.url.endswith(ref)
            assert "Het bericht staat weer klaar" in resend.text
            assert "opnieuw verstuurd" in _between(resend.html, 'id="history-title"', "</section>")
            for _ in range(3):
                row = await next_attempt(world)
                if row["status"] == "sent":
                    break
            assert row["status"] == "sent"
            assert [t for t in await world.received() if ANSWER in t] != []
            assert sum(ANSWER in t for t in fake.texts_to(CHAT)) == 1  # delivered once

            again = await officer.post(f"/inbox/zaak/{ref}/opnieuw-versturen",
                                       {"version": page.field("version"), "outbox": str(row["id"]),
                                        "csrf": page.field("csrf")})
            assert again.status == 400 and "al opnieuw klaargezet of al bezorgd" in again.text
            shown = await officer.get(f"/inbox/zaak/{ref}")
            assert 'data-state="sent"' in _between(shown.html, f'id="delivery-{row["id"]}"', "</p>")
            assert sum(ANSWER in t for t in fake.texts_to(CHAT)) == 1
            assert (await world.bot.health())["outbox_failed_7d"] == 0
            async with world.bot.db.read() as conn:
                case = await repository.case_by_reference(conn, ref)
                assert case is not None
                events = [e for e in await repository.events_of(conn, case["id"]) if e["type"] == "opnieuw verstuurd"]
            assert len(events) == 1 and events[0]["actor"].isdigit() and events[0]["data"]["outbox_id"] == row["id"]
        finally:
            await pool.close()


@asynccontextmanager
async def blocked_reply(world: TelegramWorld, fake: FakeTelegram) -> AsyncIterator[tuple[str, Officer, dict[str, Any]]]:
    """A melding, the bot blocked by the resident, and the officer's reply given up at once: (reference, the
    signed-in officer, the failed outbox row)."""
    reference = REFERENCE.search((await world.say(GROFVUIL))[0])
    assert reference is not None
    ref = reference.group()
    async with TestServer(world.bot.web_app()) as server:
        pool = Pool(server)
        try:
            officer = await officer_browser(world, pool, ref)
            fake.block(CHAT)
            await officer.act(ref, "antwoord", reply=ANSWER)
            await world.bot.delivery.drain()
            yield ref, officer, await reply_row(world.bot)
        finally:
            await pool.close()


async def test_a_blocked_bot_still_fails_at_once_and_says_so(world: TelegramWorld, fake: FakeTelegram) -> None:
    async with blocked_reply(world, fake) as (ref, officer, row):
            assert row["status"] == "failed" and row["attempts"] == 1  # permanent: not tried again
            page = await officer.get(f"/inbox/zaak/{ref}")
            failed = _between(page.html, f'id="delivery-{row["id"]}"', "</div>")
            assert "niet bezorgd" in failed and "De bewoner heeft de bot geblokkeerd" in failed
            english = await officer.post("/inbox/taal", {"lang": "en", "next": f"/inbox/zaak/{ref}"})
            failed = _between(english.html, f'id="delivery-{row["id"]}"', "</div>")
            assert "not delivered" in failed and "The resident has blocked the bot" in failed
            assert "Send again" in failed


async def test_429_waits_retry_after_without_using_up_attempts(world: TelegramWorld, fake: FakeTelegram) -> None:
    reference = REFERENCE.search((await world.say(GROFVUIL))[0])
    assert reference is not None
    # The pacer holds back for a 429's retry_after on its own clock: give it the test's, so nothing sleeps.
    world.channel.pacer._clock = lambda: world.clock.now.timestamp()
    world.bot.delivery.max_attempts = 1  # an operator's optional limit: flood control must not spend it
    actor = await world.bot.actions.actor(await _officer_email(world.bot, reference.group()))
    fake.fail("sendMessage", 429, retry_after=30)
    await world.bot.actions.reply(reference.group(), actor, ANSWER)
    await world.bot.delivery.drain()
    for round_ in range(3):
        row = await reply_row(world.bot)
        assert row["status"] == "pending" and "429" in row["last_error"] and row["attempts"] == 0
        assert row["next_attempt_at"] == world.clock.now + timedelta(seconds=30)  # Telegram's retry_after
        world.clock.advance(seconds=29)
        await world.bot.delivery.drain()
        assert fake.count("sendMessage", 429) == round_ + 1  # not asked again before retry_after
        world.clock.advance(seconds=1)
        if round_ < 2:
            fake.fail("sendMessage", 429, retry_after=30)
        await world.bot.delivery.drain()
    row = await reply_row(world.bot)
    assert row["status"] == "sent" and row["attempts"] == 1
    assert fake.count("sendMessage", 429) == 3
    assert sum(ANSWER in t for t in fake.texts_to(CHAT)) == 1


async def _officer_email(bot: Wijkbot, reference: str) -> str:
    async with bot.db.read() as conn:
        case = await repository.case_by_reference(conn, reference)
        assert case is not None
        officer = await repository.officer(conn, case["officer_id"])
    assert officer is not None
    return str(officer["email"])


def _email_of(pool: Pool, browser: Officer) -> str:
    return next(name for name, b in pool.items() if b is browser)


def _between(html: str, start: str, end: str) -> str:
    at = html.index(start)
    return html[at:html.index(end, at)]


async def test_after_stop_nothing_is_sent_again(world: TelegramWorld, fake: FakeTelegram) -> None:
    """A resident who sent /stop gets no message we give up on sent again, whatever it was: the page says so and
    nothing is queued (the page offers no button for it)."""
    async with blocked_reply(world, fake) as (ref, officer, row):
            assert row["status"] == "failed"
            await world.say("/stop")  # the resident writes again (so is reachable) and asks for silence
            page = await officer.get(f"/inbox/zaak/{ref}")
            notice = _between(page.html, f'id="delivery-{row["id"]}"', "</div>")
            assert f'id="resend-{row["id"]}"' not in notice  # no button that can only be refused
            assert "kunt u dit bericht niet opnieuw versturen" in notice
            # a page opened before the /stop still has the button: pressing it is refused
            refused = await officer.post(f"/inbox/zaak/{ref}/opnieuw-versturen",
                                         {"version": page.field("version"), "outbox": str(row["id"])})
            assert refused.status == 400 and "wil geen berichten meer van ons" in refused.text
            assert (await reply_row(world.bot))["status"] == "failed"


async def test_the_operator_finds_every_message_behind_the_failed_count(world: TelegramWorld,
                                                                         fake: FakeTelegram) -> None:
    """/health counts given-up messages, also those of no case (the answer to /stop); `wijkbot outbox` lists
    each of them with case, kind, channel and reason, and never the resident's chat id or the text."""
    async with blocked_reply(world, fake) as (ref, _officer, row):
            await world.say("/stop")  # its confirmation belongs to no case, and the bot is still blocked
            await world.bot.delivery.drain()
            assert (await world.bot.health())["outbox_failed_7d"] == 2
            count, rows = await world.bot.delivery.given_up()
            assert count == 2 and {(r["reference"], r["purpose"]) for r in rows} == {(ref, "reply"), (None, "notice")}
            lines = report(count, rows, 7, ZoneInfo("Europe/Amsterdam"))
            assert lines[0].startswith("2 bericht(en) niet bezorgd in de laatste 7 dagen")
            reply_line = next(line for line in lines if f"rij {row['id']} " in line)
            assert f"{ref} · antwoord via Telegram" in reply_line
            assert reply_line.endswith("de bewoner heeft de bot geblokkeerd")
            assert any("geen zaak · bericht via Telegram" in line for line in lines)
            printed = "\n".join(lines)
            assert str(CHAT) not in printed and ANSWER not in printed
            # more given up than listed: the count says all, the header says only the newest are shown
            assert report(250, rows, 7, ZoneInfo("Europe/Amsterdam"))[0].startswith(
                "250 bericht(en) niet bezorgd in de laatste 7 dagen (nieuwste eerst, de nieuwste 2 hieronder)")
