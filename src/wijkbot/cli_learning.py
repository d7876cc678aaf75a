"""`wijkbot learn`: import a municipality's history of meldingen, train the router, list or roll back models.

Invariants: bad rows are reported with their line number and skipped, never silently, also when the file is
then refused; an unusable file changes nothing (no history replaced, no model stored); a model is stored only
when training finished, and becomes active (or, with --rules-only, no model is) for every running process
within `WIJKBOT_MODEL_REFRESH_SECONDS`.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from wijkbot.cli_output import describe_file_error, fail, progress_bar
from wijkbot.settings import Settings


def register(sub: Any) -> None:
    learn = sub.add_parser("learn", help="leer van eerdere meldingen en van correcties uit de inbox")
    learn.add_argument("--rules", help="map met de configuratie van de gemeente (standaard: WIJKBOT_RULES_DIR)")
    what = learn.add_mutually_exclusive_group()
    what.add_argument("--history", help="CSV-export van eerdere meldingen: text + category (team, street, pc4, "
                                        "town als die er zijn)")
    what.add_argument("--list", action="store_true", help="toon de opgeslagen modellen")
    what.add_argument("--activate", type=int, metavar="ID", help="zet een eerder model terug")
    what.add_argument("--rules-only", action="store_true",
                      help="gebruik geen model meer: alleen de regels routeren (terug met --activate)")

    async def run(args: argparse.Namespace, settings: Settings) -> int:
        return await cmd_learn(args, settings)

    learn.set_defaults(func=run)


def _report(source: str, problems: Any) -> None:
    """The rows skipped, each with its line, before anything else is said about the file."""
    for problem in problems:
        print(f"  - {source}: {problem}", file=sys.stderr)


async def cmd_learn(args: argparse.Namespace, settings: Settings) -> int:
    from wijkbot.domain.routing import Router
    from wijkbot.learning.history import HistoryError, load_history
    from wijkbot.ports import system_clock
    from wijkbot.rulefiles import load_rules
    from wijkbot.services.learning import Learning, ModelSuperseded
    from wijkbot.storage import learning_rows
    from wijkbot.storage.db import Database
    from wijkbot.storage.migrate import migrate

    rules = load_rules(Path(args.rules) if args.rules else settings.rules_dir)
    history = None
    if args.history:
        try:
            history = load_history(Path(args.history), rules)
        except HistoryError as error:
            _report(args.history, error.problems)
            return fail(f"{error}; er is niets veranderd")
        except OSError as error:
            return fail(f"{describe_file_error(error)}; er is niets veranderd")
        _report(args.history, history.problems)
        print(f"{len(history.examples)} meldingen gelezen uit {args.history} ({history.encoding}), "
              f"{len(history.problems)} regel(s) overgeslagen")
    db = Database(settings.database_url)
    try:
        await migrate(db)
        learning = Learning(db, rules, Router(rules), system_clock)
        name = rules.municipality.id
        if args.list:
            async with db.read() as conn:
                stored = await learning_rows.models(conn, name)
            for row in stored:
                print(f"{'*' if row['active'] else ' '} {row['id']:>4}  {row['created_at']:%Y-%m-%d %H:%M}  "
                      f"{row['examples']:>6} voorbeelden  {row['source']}")
            if not stored:
                print(f"nog geen modellen voor {name} ({rules.municipality.name}): de regels routeren; "
                      f"kies een andere gemeente met --rules")
            elif not any(row["active"] for row in stored):
                print("geen model in gebruik: de regels routeren")
            return 0
        if args.activate is not None:
            async with db.write() as conn:
                if not await learning_rows.activate(conn, name, args.activate):
                    return fail(f"geen model {args.activate} voor {name}; zie 'wijkbot learn --list'")
            print(f"model {args.activate} is nu in gebruik")
            return 0
        if args.rules_only:
            async with db.write() as conn:
                await learning_rows.deactivate(conn, name)
            print(f"geen model meer in gebruik voor {name}: de regels routeren (terugzetten: 'wijkbot learn "
                  f"--activate ID')")
            return 0
        started = time.monotonic()
        try:
            if history is not None:
                trained = await learning.learn_history(history, progress_bar, source=Path(args.history).name)
            else:
                trained = await learning.retrain(progress_bar, source="opgeslagen geschiedenis")
        except (HistoryError, ModelSuperseded) as error:
            return fail(f"{error}; er is niets veranderd")
        print(f"model {trained.model_id} in gebruik: geleerd van {trained.history} meldingen en "
              f"{trained.corrections} correcties, {trained.labels} categorieën, "
              f"{time.monotonic() - started:.0f} s")
        return 0
    finally:
        await db.dispose()
