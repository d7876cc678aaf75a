"""Fixtures for the digest: the service with two recording channels, a wijkregisseur for Overvecht, a seeded week.

The seeded week (Overvecht, 2026-W15: Monday 6 April is Tweede Paasdag; the trend includes 2026-W13, which
lost an hour to daylight saving on Sunday 29 March) is written by the real services (intake, replies,
hand-overs, closing) at set clock times; only the events the follow-up service (issue 6) will write,
"geëscaleerd" and "tevredenheid", are inserted as that service will write them. Known answers in SEEDED.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert

from wijkbot.app import Wijkbot, build
from wijkbot.domain.workflow import Status
from wijkbot.seed import seed_officers
from wijkbot.settings import Settings
from wijkbot.storage import repository
from wijkbot.storage.tables import officer_wijken
from wijkbot.testing import FrozenClock, Harness, RecordingChannel

ROOT = Path(__file__).resolve().parents[2]
AMS = ZoneInfo("Europe/Amsterdam")
REGISSEUR = "sanne.regisseur@example.org"


def local(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=AMS)


def digest_settings(database_url: str, **extra: Any) -> Settings:
    return Settings(database_url=database_url, rules_dir=ROOT / "routing_rules" / "utrecht",  # type: ignore[call-arg]
                    locales_dir=ROOT / "locales", _env_file=None, **extra)


async def make_bot(settings: Settings, clock: FrozenClock) -> Wijkbot:
    bot = await build(settings, clock, extra_channels={"telegram": RecordingChannel("telegram"),
                                                        "x": RecordingChannel("x")})
    await seed_officers(settings, ROOT / "deploy" / "demo" / "utrecht_officers.yaml")
    async with bot.db.write() as conn:
        officer = await repository.add_officer(conn, name="Sanne Regisseur", email=REGISSEUR, role="wijkregisseur",
                                               teams=["wijkbureau-overvecht"], now=clock())
        await conn.execute(insert(officer_wijken).values(officer_id=officer, wijk="Overvecht"))
    return bot


@pytest.fixture
async def digest_bot(database_url: str, clock: FrozenClock) -> AsyncIterator[Wijkbot]:
    bot = await make_bot(digest_settings(database_url), clock)
    yield bot
    await bot.close()


class Seeder:
    """Residents writing and an ambtenaar answering at given local times."""

    def __init__(self, bot: Wijkbot, clock: FrozenClock) -> None:
        self.bot, self.clock = bot, clock
        self.residents: dict[str, Harness] = {}

    async def case(self, label: str, moment: datetime, text: str, channel: str = "telegram") -> str:
        self.clock.set(moment)
        resident = Harness(self.bot, self.bot.channels[channel], f"{channel}-{uuid.uuid4().hex[:10]}")  # type: ignore[arg-type]
        await resident.say(text)
        self.residents[label] = resident
        return resident.reference

    async def say(self, label: str, moment: datetime, text: str) -> None:
        self.clock.set(moment)
        await self.residents[label].say(text)

    async def officer(self, label: str) -> Any:
        """The ambtenaar the case is assigned to now (only they, and their team, may act on it)."""
        async with self.bot.db.read() as conn:
            case = await repository.case_by_reference(conn, self.residents[label].reference)
            assert case is not None
            row = await repository.officer(conn, case["officer_id"]) if case["officer_id"] else None
        # a case nobody in the team was assigned to is in reach of the wijk's wijkregisseur
        return await self.bot.actions.actor(row["email"] if row else REGISSEUR)

    async def reply(self, label: str, moment: datetime, text: str = "We kijken ernaar.") -> None:
        self.clock.set(moment)
        await self.bot.actions.reply(self.residents[label].reference, await self.officer(label), text)

    async def close(self, label: str, moment: datetime) -> None:
        self.clock.set(moment)
        await self.bot.actions.close(self.residents[label].reference, await self.officer(label), "Het is opgelost.")

    async def event(self, label: str, moment: datetime, type_: str, data: dict[str, Any]) -> None:
        async with self.bot.db.write() as conn:
            case = await repository.case_by_reference(conn, self.residents[label].reference)
            assert case is not None
            await repository.add_event(conn, case["id"], moment, "systeem", type_, data)


async def seed_week(bot: Wijkbot, clock: FrozenClock) -> dict[str, str]:
    """Overvecht, weeks 2026-W11 to W16 (W15 is the digest's week). Returns case references by label."""
    s = Seeder(bot, clock)
    # W11: four cases that are still open at the end of W15
    await s.case("a", local(3, 9, 10), "De lantaarnpaal in de Taagdreef is kapot")
    await s.case("b", local(3, 10, 10), "Hangjongeren maken overlast bij de Neckardreef", "x")
    await s.case("c", local(3, 11, 10), "Er ligt grofvuil bij de Bostondreef")
    await s.case("d", local(3, 12, 10), "Ik heb een idee: een buurtfeest organiseren op het plein bij de Einsteindreef")
    # W12: b handed over twice, c waits on the resident
    clock.set(local(3, 17, 10))
    await bot.actions.hand_over(s.residents["b"].reference, await s.officer("b"), "vth", "Gaat over handhaving")
    clock.set(local(3, 18, 10))
    await bot.actions.hand_over(s.residents["b"].reference, await s.officer("b"), "mobiliteit",
                                "Gaat over de inrichting")
    await s.reply("c", local(3, 16, 11), "Waar ligt het precies?")
    clock.set(local(3, 16, 12))
    await bot.actions.set_status(s.residents["c"].reference, await s.officer("c"), Status.WACHT_OP_BEWONER,
                                 question="Welk huisnummer is het?")
    # W13 (Sunday 29 March: clocks go forward) and W14 (Goede Vrijdag is a working day)
    await s.case("w13a", local(3, 23, 10), "Er ligt grofvuil bij de Amazonedreef")
    await s.close("w13a", local(3, 23, 15))
    await s.case("w13b", local(3, 29, 23, 30), "De lantaarnpaal bij de Carnegiedreef is kapot")  # W13, 21:30 UTC
    await s.case("w14a", local(3, 30, 0, 30), "De stoeptegels liggen los in de Zambesidreef")  # W14, Sunday 22:30 UTC
    await s.close("w14a", local(3, 30, 15))
    await s.case("w14b", local(4, 3, 10), "Er zit een gat in de weg op de Vechtzoom", "x")
    await s.close("w14b", local(4, 3, 15))
    # W15: Monday 6 April is Tweede Paasdag
    await s.case("lamp", local(4, 6, 0, 30), "De lantaarnpaal in de Zamenhofdreef is kapot")  # Sunday 22:30 UTC
    await s.say("lamp", local(4, 6, 9), "Hij is nog steeds kapot")
    await s.reply("lamp", local(4, 7, 9))
    await s.reply("a", local(4, 7, 10))
    await s.case("vuil1", local(4, 7, 11), "Er ligt grofvuil bij de Zamenhofdreef")
    await s.case("vuil2", local(4, 8, 11), "Er ligt grofvuil bij de Zamenhofdreef")
    await s.case("vuil3", local(4, 9, 11), "Er ligt grofvuil bij de Zamenhofdreef")
    await s.close("w13b", local(4, 7, 15))
    await s.close("lamp", local(4, 8, 12))
    await s.event("a", local(4, 8, 9), "geëscaleerd", {"stap": 2, "naar": "teamleider"})
    await s.case("jongeren", local(4, 8, 14), "Hangjongeren maken overlast bij de Taagdreef", "x")
    await s.reply("jongeren", local(4, 8, 14, 30))
    await s.event("lamp", local(4, 9, 9), "tevredenheid",
                  {"score": 4, "opgelost": True, "toelichting": "Snel opgelost, dank! Groeten, Piet Jansen"})
    await s.case("moestuin", local(4, 9, 10), "Ik wil een moestuin beginnen in de Wolgadreef voor de buurt")
    await s.close("jongeren", local(4, 10, 16))
    await s.case("vraag", local(4, 11, 11), "Waar kan ik een parkeervergunning aanvragen, ik woon aan de Neckardreef",
                 "x")
    await s.reply("vraag", local(4, 11, 13))
    await s.close("vraag", local(4, 11, 13, 5))
    await s.event("vraag", local(4, 12, 18), "tevredenheid",
                  {"score": 2, "opgelost": False,
                   "toelichting": "Ik heb nog steeds geen vergunning. Bel me op 06-12345678."})
    await s.case("klacht", local(4, 12, 23, 30),
                 "Ik wil een klacht indienen over de behandeling van mijn melding, Tigrisdreef", "x")
    # W16: not in the digest
    await s.case("later", local(4, 13, 0, 30), "De lantaarnpaal bij de Zambesidreef is kapot")
    await s.event("jongeren", local(4, 13, 0, 30), "tevredenheid", {"score": 1, "opgelost": False,
                                                                     "toelichting": "Te laat"})
    return {label: h.reference for label, h in s.residents.items()}
