"""`wijkbot learn`: import a municipality's history of meldingen, train the router, list or roll back models.

Invariants: bad rows are reported with their line number and skipped, never silently; an unusable file
changes nothing (no history replaced, no model stored); a model is stored only when training finished, and
becomes active for every running process within `WIJKBOT_MODEL_REFRESH_SECONDS`.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from wijkbot.settings import Settings


def register(sub: Any, progress: Any, fail: Any) -> None:
    learn = sub.add_parser("learn", help="leer van eerdere meldingen en van correcties uit de inbox")
    learn.add_argument("--rules", help="map met de configuratie van de gemeente (standaard: WIJKBOT_RULES_DIR)")
    learn.add_argument("--history", help="CSV-export van eerdere meldingen: text + category en/of team "
                                         "(street, pc4, town als die er zijn)")
    learn.add_argument("--list", action="store_true", help="toon de opgeslagen modellen")
    learn.add_argument("--activate", type=int, metavar="ID", help="zet een eerder model terug")

    async def run(args: argparse.Namespace, settings: Settings) -> int:
        return await cmd_learn(args, settings, progress, fail)

    learn.set_defaults(func=run)


async def cmd_learn(args: argparse.Namespace, settings: Settings, progress: Any, fail: Any) -> int:
    from wijkbot.domain.routing import Router
    from wijkbot.learning.build import check_learnable
    from wijkbot.learning.history import HistoryError, load_history
    from wijkbot.ports import system_clock
    from wijkbot.rulefiles import load_rules
    from wijkbot.services.learning import Learning
    from wijkbot.storage import learning_rows
    from wijkbot.storage.db import Database
    from wijkbot.storage.migrate import migrate

    rules = load_rules(Path(args.rules) if args.rules else settings.rules_dir)
    history = None
    if args.history:
        try:
            history = load_history(Path(args.history), rules)
            check_learnable(history)  # before anything is stored: an unusable file changes nothing
        except (HistoryError, OSError) as error:
            return int(fail(f"{error}; er is niets veranderd"))
        for problem in history.problems:
            print(f"  - {args.history}: {problem}", file=sys.stderr)
    db = Database(settings.database_url)
    try:
        await migrate(db)
        learning = Learning(db, rules, Router(rules), system_clock)
        name = rules.municipality.id
        if args.list:
            async with db.read() as conn:
                for row in await learning_rows.models(conn, name):
                    print(f"{'*' if row['active'] else ' '} {row['id']:>4}  {row['created_at']:%Y-%m-%d %H:%M}  "
                          f"{row['examples']:>6} voorbeelden  {row['source']}")
            return 0
        if args.activate is not None:
            async with db.write() as conn:
                if not await learning_rows.activate(conn, name, args.activate):
                    return int(fail(f"geen model {args.activate} voor {name}; zie 'wijkbot learn --list'"))
            print(f"model {args.activate} is nu in gebruik")
            return 0
        if history is not None:
            imported = await learning.import_history(history)
            print(f"{imported} meldingen ingelezen uit {args.history} ({history.encoding}), "
                  f"{len(history.problems)} regel(s) overgeslagen")
        started = time.monotonic()
        source = Path(args.history).name if args.history else "opgeslagen geschiedenis"
        trained = await learning.retrain(progress, source=source)
        if trained is None:
            return int(fail("nog niets om van te leren: geef --history met een CSV-export van eerdere meldingen"))
        print(f"model {trained.model_id} in gebruik: geleerd van {trained.history} meldingen en "
              f"{trained.corrections} correcties, {trained.labels} categorieën, "
              f"{time.monotonic() - started:.0f} s")
        return 0
    finally:
        await db.dispose()
