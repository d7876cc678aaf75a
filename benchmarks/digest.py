"""How long the weekly digest takes for a busy wijk: N cases over 12 weeks (SQLite), figures and rendering.

Usage: python benchmarks/digest.py [cases]   (default 20000 cases in one wijk)
"""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from wijkbot.app import build  # noqa: E402
from wijkbot.domain.weeks import IsoWeek  # noqa: E402
from wijkbot.settings import Settings  # noqa: E402
from wijkbot.storage.tables import case_events, cases, contacts, messages  # noqa: E402
from wijkbot.testing import FrozenClock  # noqa: E402

WEEK = IsoWeek(2026, 15)


async def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        clock = FrozenClock(datetime(2026, 4, 13, 6, 0, tzinfo=UTC))
        settings = Settings(database_url=f"sqlite:///{folder}/bench.db", rules_dir=ROOT / "routing_rules" / "utrecht",
                            locales_dir=ROOT / "locales", _env_file=None)  # type: ignore[call-arg]
        bot = await build(settings, clock)
        rules = bot.rules
        buurten = [b for b in rules.buurten if b.wijk == "Overvecht"]
        categories = list(rules.categories.values())
        streets = [s for s, code in rules.streets.items() if code in {b.code for b in buurten}]
        rng = random.Random(7)
        start = WEEK.shifted(-11).start("Europe/Amsterdam")
        span = (WEEK.end("Europe/Amsterdam") - start).total_seconds()
        began = time.perf_counter()
        async with bot.db.write() as conn:
            await conn.execute(insert(contacts), [{"channel": "telegram", "address": f"b-{n}", "created_at": start}
                                                  for n in range(count)])
            rows = []
            for n in range(count):
                created = start + timedelta(seconds=rng.random() * span)
                category = rng.choice(categories)
                buurt = rng.choice(buurten)
                closed = created + timedelta(hours=rng.random() * 400) if rng.random() < 0.7 else None
                rows.append({"reference": f"UT-B-{n}", "kind": category.kind.value,
                             "status": "afgehandeld" if closed else rng.choice(["toegewezen", "wacht op bewoner"]),
                             "category": category.id, "department": category.department, "team": "t",
                             "wijk": "Overvecht", "buurt": buurt.name, "buurt_code": buurt.code,
                             "street": rng.choice(streets), "contact_id": n + 1, "sla_days": 5,
                             "due_date": (created + timedelta(days=7)).date(), "created_at": created,
                             "updated_at": created, "last_contact_at": created, "closed_at": closed,
                             "handover_count": rng.choice([0, 0, 0, 1, 2]), "routing": {}})
            await conn.execute(insert(cases), rows)
            await conn.execute(insert(messages), [{"case_id": n + 1, "contact_id": n + 1, "direction": "in",
                                                   "channel": "telegram", "body": "x", "created_at": r["created_at"],
                                                   "meta": {}} for n, r in enumerate(rows)])
            await conn.execute(insert(case_events), [
                {"case_id": n + 1, "at": r["created_at"] + timedelta(hours=rng.random() * 48), "actor": "1",
                 "type": "antwoord", "data": {}} for n, r in enumerate(rows)] + [
                {"case_id": n + 1, "at": r["closed_at"] + timedelta(hours=2), "actor": "systeem",
                 "type": "tevredenheid", "data": {"score": rng.randint(1, 5), "opgelost": rng.random() < 0.6,
                                                  "toelichting": "Het ging goed, dank u wel"}}
                for n, r in enumerate(rows) if r["closed_at"]])
        print(f"seeded {count} cases in {time.perf_counter() - began:.1f} s")
        timings = []
        for _ in range(5):
            began = time.perf_counter()
            figures = await bot.digests.figures("Overvecht", WEEK)
            middle = time.perf_counter()
            rendered = await bot.digests.render("Overvecht", WEEK)
            timings.append((middle - began, time.perf_counter() - middle))
        figures_s = min(t[0] for t in timings)
        render_s = min(t[1] for t in timings)
        print(f"cases this week: {figures.inflow.cases.this_week}, open at the end: {figures.open_cases}")
        print(f"figures (queries + summarise): {figures_s * 1000:.0f} ms; render (figures + HTML + text): "
              f"{render_s * 1000:.0f} ms; HTML {len(rendered.html) / 1024:.0f} KiB, text "
              f"{len(rendered.text) / 1024:.0f} KiB")
        await bot.close()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000))
