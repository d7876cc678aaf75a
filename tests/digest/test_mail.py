"""The digest reaches the wijkregisseur through a real SMTP server (aiosmtpd) with a text and an HTML part,
exactly once per wijk and week: a second send needs --force, and the scheduled job on two processes sharing
one PostgreSQL database mails once.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.digest.conftest import REGISSEUR, digest_settings, local, make_bot, seed_week
from tests.support.pg_cluster import PgCluster
from wijkbot.app import Wijkbot
from wijkbot.domain.weeks import IsoWeek
from wijkbot.services.digests import DigestError
from wijkbot.storage import digest_archive
from wijkbot.testing import FrozenClock

W15 = IsoWeek(2026, 15)


@dataclass
class Inbox:
    """What the SMTP server received."""

    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.recipients.append(list(envelope.rcpt_tos))
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    with socket.socket() as probe:  # aiosmtpd needs a concrete port: ask the OS for a free one
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
async def mail_bot(database_url: str, clock: FrozenClock, smtp: tuple[Inbox, int]) -> AsyncIterator[Wijkbot]:
    settings = digest_settings(database_url, smtp_host="127.0.0.1", smtp_port=smtp[1], smtp_starttls=False,
                               smtp_from="wijkbot@utrecht.example", public_url="https://wijkbot.example.org")
    bot = await make_bot(settings, clock)
    yield bot
    await bot.close()


def parts(message: EmailMessage) -> dict[str, str]:
    return {part.get_content_type(): part.get_content() for part in message.walk() if not part.is_multipart()}


async def test_the_digest_arrives_with_text_and_html(mail_bot: Wijkbot, clock: FrozenClock,
                                                    smtp: tuple[Inbox, int]) -> None:
    inbox, _port = smtp
    await seed_week(mail_bot, clock)
    clock.set(local(4, 13, 8))

    assert await mail_bot.digests.send("Overvecht", W15) == 1

    assert len(inbox.messages) == 1 and inbox.recipients == [[REGISSEUR]]
    message = inbox.messages[0]
    assert message["Subject"] == "Weekoverzicht Overvecht, week 15 van 2026"
    assert message["From"] == "wijkbot@utrecht.example" and message["To"] == REGISSEUR
    assert message.get_content_type() == "multipart/alternative"
    body = parts(message)
    assert set(body) == {"text/plain", "text/html"}
    assert "Deze week kwamen er 8 nieuwe zaken binnen." in body["text/plain"]
    assert "https://wijkbot.example.org/inbox/zaken?queue=all&wijk=Overvecht&overdue=2026-W15" in body["text/plain"]
    assert "<svg" in body["text/html"] and "<script" not in body["text/html"]
    assert 'href="https://wijkbot.example.org/inbox/zaken?queue=all&amp;wijk=Overvecht&amp;week=2026-W15"' \
        in body["text/html"]

    async with mail_bot.db.read() as conn:
        row = await digest_archive.find(conn, "Overvecht", "2026-W15")
    assert row is not None and row["recipients"] == 1 and row["sends"] == 1 and row["sent_at"] is not None
    assert row["html"] == body["text/html"].replace("\r\n", "\n")  # SMTP carries CRLF line ends
    assert await mail_bot.digests.page("Overvecht", W15) == row["html"]  # the inbox shows what was mailed


async def test_sending_the_same_week_twice_needs_force(mail_bot: Wijkbot, clock: FrozenClock,
                                                      smtp: tuple[Inbox, int]) -> None:
    inbox, _port = smtp
    clock.set(local(4, 13, 8))
    await mail_bot.digests.send("Overvecht", W15)
    with pytest.raises(DigestError, match=r"al verstuurd.*--force"):
        await mail_bot.digests.send("Overvecht", W15)
    assert len(inbox.messages) == 1
    assert await mail_bot.digests.send("Overvecht", W15, force=True) == 1
    assert len(inbox.messages) == 2
    async with mail_bot.db.read() as conn:
        row = await digest_archive.find(conn, "Overvecht", "2026-W15")
    assert row is not None and row["sends"] == 2


async def test_a_week_that_is_not_over_is_not_mailed(mail_bot: Wijkbot, clock: FrozenClock,
                                                      smtp: tuple[Inbox, int]) -> None:
    inbox, _port = smtp
    await seed_week(mail_bot, clock)
    clock.set(local(4, 12, 23, 59))  # Sunday evening: W15 still runs
    with pytest.raises(DigestError, match=r"week 2026-W15 is nog niet voorbij"):
        await mail_bot.digests.send("Overvecht", W15)
    with pytest.raises(DigestError, match=r"nog niet voorbij"):
        await mail_bot.digests.send("Overvecht", W15, force=True)
    assert inbox.messages == []
    async with mail_bot.db.read() as conn:
        assert await digest_archive.find(conn, "Overvecht", "2026-W15") is None
    page = await mail_bot.digests.page("Overvecht", W15)  # the inbox shows the running week as it stands
    assert "week 15 van 2026, tot nu toe" in page and "zondag 12 april 2026 23:59" in page
    assert "Nu staan er" in page
    clock.set(local(4, 13, 0, 1))
    assert await mail_bot.digests.send("Overvecht", W15) == 1
    assert "tot nu toe" not in parts(inbox.messages[0])["text/plain"]


async def test_the_weekly_job_mails_each_wijk_once_and_archives_the_rest(
        mail_bot: Wijkbot, clock: FrozenClock, smtp: tuple[Inbox, int]) -> None:
    inbox, _port = smtp
    clock.set(local(4, 13, 8))
    first = await mail_bot.digests.run_weekly()
    assert first["Overvecht"] == "verstuurd aan 1"
    assert first["Noordwest"] == "verstuurd aan 1"  # the demo wijkregisseurs of Noordwest, Binnenstad and West
    assert first["Zuid"] == "gearchiveerd"  # no wijkregisseur: archived for the inbox, not mailed
    mailed = len(inbox.messages)
    assert mailed == 4
    again = await mail_bot.digests.run_weekly()
    assert set(again.values()) == {"al gedaan"}
    assert len(inbox.messages) == mailed
    async with mail_bot.db.read() as conn:
        assert len(await digest_archive.weeks_of(conn, "Zuid")) == 1


async def test_a_failed_send_is_tried_again_by_the_catch_up(database_url: str, clock: FrozenClock,
                                                           smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    settings = digest_settings(database_url, smtp_host="127.0.0.1", smtp_port=1, smtp_starttls=False,
                               smtp_timeout_seconds=2)
    bot = await make_bot(settings, clock)
    try:
        clock.set(local(4, 13, 8))
        outcome = await bot.digests.run_weekly()
        assert outcome["Overvecht"].startswith("versturen mislukt: mail server 127.0.0.1:1")
        async with bot.db.read() as conn:
            row = await digest_archive.find(conn, "Overvecht", "2026-W15")
        assert row is not None and row["sent_at"] is None and row["claimed_at"] is None and row["last_error"]
        bot.digests.mailer = type(bot.digests.mailer)("127.0.0.1", port, starttls=False)  # the server is back
        clock.set(local(4, 13, 8, 15))
        assert (await bot.digests.catch_up())["Overvecht"] == "verstuurd aan 1"
        clock.set(local(4, 13, 7, 59) + (local(4, 20, 0) - local(4, 13, 0)))  # next Monday before 08:00
        assert await bot.digests.catch_up() == {}
        assert [m["Subject"] for m in inbox.messages].count("Weekoverzicht Overvecht, week 15 van 2026") == 1
    finally:
        await bot.close()


@pytest.mark.postgres
async def test_two_processes_on_one_database_mail_once(pg_cluster: PgCluster, clock: FrozenClock,
                                                       smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    url = pg_cluster.create_database("t_digest_two_processes")
    settings = digest_settings(url, smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False)
    first = await make_bot(settings, clock)
    from wijkbot.app import build

    other = await build(settings, clock)
    try:
        clock.set(local(4, 13, 8))
        outcomes = await asyncio.gather(first.digests.run_weekly(), other.digests.run_weekly(),
                                        first.digests.catch_up(), other.digests.catch_up())
        subjects = [m["Subject"] for m in inbox.messages]
        assert subjects.count("Weekoverzicht Overvecht, week 15 van 2026") == 1
        assert len(subjects) == len(set(subjects)) == 4
        assert sum(o.get("Overvecht", "").startswith("verstuurd") for o in outcomes) == 1
    finally:
        await first.close()
        await other.close()
