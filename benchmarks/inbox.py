"""Inbox benchmark: queue counts, a page of cases and the portable full-text search on 10,000 cases.

Fills a temporary SQLite database (or the PostgreSQL database in --database-url) with N resident messages
through the real intake (each its own resident, so each message opens a case), then times what
an ambtenaar's page asks for, through the services the inbox uses:
  1. the counts of every queue a teamleider sees (the queue page runs these on every view),
  2. one page of 50 cases of "all cases", and of "my team",
  3. a search for a word in the message texts (case-insensitive LIKE with escaped wildcards), rare and common,
  4. opening the case page (messages, history, presence write),
  5. the lists the weekly digest links to (filters by ISO week: created, open or overdue at its end, closed,
     first answered; they use the same SQL as the digest's figures).
Usage: python benchmarks/inbox.py [--cases 10000] [--database-url URL] [--repeat 20]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from wijkbot.app import build  # noqa: E402
from wijkbot.domain.model import InboundMessage, ReplyAddress  # noqa: E402
from wijkbot.domain.weeks import IsoWeek  # noqa: E402
from wijkbot.seed import seed_officers  # noqa: E402
from wijkbot.services.queues import QueueQuery  # noqa: E402
from wijkbot.settings import Settings  # noqa: E402
from wijkbot.storage.queues import Filters  # noqa: E402

TEXTS = [
    "Er ligt al een week grofvuil naast de container op de Amsterdamsestraatweg",
    "De lantaarnpaal in de Kanaalstraat is kapot",
    "Veel hondenpoep op het grasveld bij de Croeselaan",
    "Wij willen een buurtbarbecue organiseren in Lombok",
    "Er staat een fietswrak al maanden tegen het hek bij het station",
    "Jongeren maken elke avond herrie bij het winkelcentrum in Overvecht",
]


def ms(values: list[float]) -> str:
    ordered = sorted(values)
    return f"median {statistics.median(ordered) * 1000:6.1f} ms, max {ordered[-1] * 1000:6.1f} ms"


async def fill(bot, cases: int) -> None:
    batch = 500
    for start in range(0, cases, batch):
        messages = []
        for n in range(start, min(cases, start + batch)):
            address = f"bench-{n}"
            text = TEXTS[n % len(TEXTS)] + (" uniekwoord" if n == cases // 2 else "")
            messages.append(InboundMessage(ReplyAddress("webchat", address), uuid.uuid4().hex, text, bot.clock()))
        await asyncio.gather(*(bot.intake.receive(m) for m in messages))
        print(f"\r  {min(cases, start + batch)}/{cases} cases", end="", file=sys.stderr)
    print(file=sys.stderr)


def digest_links(bot) -> list[tuple[str, dict[str, str]]]:
    week = str(IsoWeek.containing(bot.clock(), bot.rules.municipality.timezone))
    return [("created in the week", {"week": week}),
            ("overdue at the end of the week", {"overdue": week}),
            ("open, handed over twice", {"open": week, "handovers": "2"}),
            ("closed in the week, one department", {"closed": week, "department": "stadswerken"}),
            ("first answered in the week", {"answered": week}),
            ("a category in a street", {"week": week, "category": "grofvuil", "street": "Amsterdamsestraatweg"})]


async def timed(repeat: int, work) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        await work()
        times.append(time.perf_counter() - started)
    return times


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--database-url")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="wijkbot-inbox-bench-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.db'}"
    settings = Settings(database_url=url, rules_dir=ROOT / "routing_rules" / "utrecht", locales_dir=ROOT / "locales",
                        secret_key="benchmark-" + "x" * 32, _env_file=None)  # type: ignore[call-arg]
    bot = await build(settings)
    await seed_officers(settings, ROOT / "deploy" / "demo" / "utrecht_officers.yaml")
    started = time.perf_counter()
    await fill(bot, args.cases)
    print(f"database: {'sqlite' if bot.db.is_sqlite else 'postgresql'}; {args.cases} cases made in "
          f"{time.perf_counter() - started:.1f} s")
    queues = bot.inbox.queues
    bram = (await bot.inbox.people.by_email("bram.deproef@example.org")).person()  # teamleider Stadswerken West
    olaf = (await bot.inbox.people.by_email("olaf.teststede@example.org")).person()  # beheerder: every case
    all_cases = QueueQuery("all")
    page = await queues.show(olaf, all_cases)
    print(f"all cases visible to the beheerder: {page.total}; of those in Bram's team: "
          f"{page.counts.get('all', 0) and (await queues.show(bram, QueueQuery('team'))).total}")
    for label, person, query in (
        ("queue page, teamleider (counts + page of 50)", bram, QueueQuery("team")),
        ("queue page, beheerder, all cases", olaf, all_cases),
        ("search, rare word (1 case)", olaf, QueueQuery("all", Filters(text="uniekwoord"))),
        ("search, common word (1/6 of cases)", olaf, QueueQuery("all", Filters(text="lantaarnpaal"))),
        ("search, no hit", olaf, QueueQuery("all", Filters(text="bestaatnergens"))),
        *((f"digest link: {label}", olaf, queues.parse(olaf, {"queue": "all", "wijk": "West", **params}))
          for label, params in digest_links(bot)),
    ):
        times = await timed(args.repeat, lambda p=person, q=query: queues.show(p, q))
        print(f"{label:<50} {ms(times)}")
    reference = page.rows[0]["reference"]
    times = await timed(args.repeat, lambda: bot.inbox.casefile.open(olaf, reference))
    print(f"{'case page (messages, history, presence write)':<50} {ms(times)}")
    await bot.close()


if __name__ == "__main__":
    asyncio.run(main())
