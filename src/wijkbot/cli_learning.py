"""`wijkbot learn`: import a municipality's history of meldingen, train the router, list or roll back models.

Invariants: bad rows are reported with their line number and skipped, never silently, also when the file is
then refused; an unusable file changes nothing (no history replaced, no model stored), and the message says
what keeps routing (the model in use, or the rules); a model is stored only when training finished, and becomes
active (or, with --rules-only, no model is) for every running process within `WIJKBOT_MODEL_REFRESH_SECONDS`;
Ctrl-C while reading or training stops the training at its next step, stores nothing and says so (exit 130).
`service_model` reads the active model for `wijkbot route` without changing the database.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wijkbot.cli_output import describe_file_error, fail, list_problems, progress_bar
from wijkbot.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

    from wijkbot.domain.rules import RuleSet
    from wijkbot.learning.router import LearnedModels

RULES_ALONE = "geen, alleen de regels"


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


def report_skipped(source: str, problems: Any, unknown: Counter[str] | None = None) -> None:
    """The rows skipped, each with its line (the first cli_output.MAX_LISTED), before anything else is said about
    the file; when there were more, the labels the configuration does not know, most frequent first."""
    if list_problems(source, list(problems), "overgeslagen") and unknown:
        common = ", ".join(f"{label} ({count} keer)" for label, count in unknown.most_common(5))
        print(f"  - {source}: het vaakst onbekend: {common}", file=sys.stderr)


def why_not_learned(error: Exception) -> str:
    """Why no model could be trained (what happens next depends on the command, which says it itself)."""
    return str(error)


def what_stays(active: Any) -> str:
    """What keeps routing when nothing changes: the active model's row, or None (the rules)."""
    if active is None:
        return "er is geen model in gebruik, de regels blijven routeren"
    return f"het model dat in gebruik is (nr. {active['id']}), blijft in gebruik"


class _Stopped(Exception):
    """Raised in the training thread at its next step once Ctrl-C was pressed (nothing of it is kept)."""


@dataclass
class Interruption:
    """Ctrl-C during `wijkbot learn`: the training (in its own thread, which asyncio cannot cancel) stops at its
    next step, so the command ends at once instead of when the training would have finished; and one line says
    what keeps routing (`stays`: what_stays, once the database was read)."""

    stays: str = "wat in gebruik was (een model of alleen de regels), blijft in gebruik"
    stop: threading.Event = field(default_factory=threading.Event)

    def progress(self, step: str, done: int, total: int) -> None:
        """The progress bar, and the place where a stopped training ends."""
        if self.stop.is_set():
            raise _Stopped
        progress_bar(step, done, total)

    def interrupted(self) -> None:
        self.stop.set()
        start = "\n" if sys.stderr.isatty() else ""  # after a progress bar or the terminal's ^C
        print(f"{start}Afgebroken: er is niets veranderd; {self.stays}.", file=sys.stderr, flush=True)


def _no_sqlite_file(url: URL) -> bool:
    """An SQLite database that is not there yet (opening it would make the file): there is no model in it."""
    if url.get_backend_name() != "sqlite":
        return False
    return not (url.database and url.database != ":memory:" and Path(url.database).is_file())


async def service_model(settings: Settings, rules: RuleSet) -> tuple[LearnedModels | None, str]:
    """The model the service routes with for this municipality (the active one in `routing_models`, as
    `learning_rows.active_model` finds it), and how to name it on screen. Reads only: no migration, and a
    database file that does not exist is not made; no database, no table or no active model means the rules
    alone. Only the columns every version of the table has are read, so a database a newer wijkbot has not yet
    migrated is read as the service that uses it reads it."""
    from sqlalchemy import inspect, select
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    from wijkbot.learning.persist import ModelFormatError, from_bytes
    from wijkbot.storage.db import Database
    from wijkbot.storage.tables import routing_models as models_table

    try:
        if _no_sqlite_file(make_url(settings.database_url)):
            return None, RULES_ALONE
    except ArgumentError:
        return None, f"{RULES_ALONE} (WIJKBOT_DATABASE_URL is geen database-adres)"
    db = Database(settings.database_url, create_directory=settings.database_is_default)

    async def read() -> Any:
        async with db.read() as conn:
            if not await conn.run_sync(lambda sync: inspect(sync).has_table("routing_models")):
                return None
            active = (select(models_table.c.id, models_table.c.examples, models_table.c.data)
                      .where(models_table.c.rules_name == rules.municipality.id, models_table.c.active.is_(True))
                      .order_by(models_table.c.id.desc()).limit(1))
            return (await conn.execute(active)).mappings().first()

    try:
        row = await asyncio.wait_for(read(), timeout=15)
    except (SQLAlchemyError, OSError, TimeoutError):
        return None, f"{RULES_ALONE} (de modellen in de database konden niet gelezen worden)"
    finally:
        await db.dispose()
    if row is None:
        return None, RULES_ALONE
    try:
        models = from_bytes(row["data"])
    except ModelFormatError:
        return None, (f"{RULES_ALONE} (model nr. {row['id']} is niet bruikbaar; de dienst routeert ook met alleen "
                      f"de regels, tot er een nieuw model geleerd is)")
    return models, f"nr. {row['id']} (in gebruik in de dienst, geleerd van {row['examples']} meldingen)"


async def cmd_learn(args: argparse.Namespace, settings: Settings) -> int:
    interruption = Interruption()
    try:
        return await _learn(args, settings, interruption)
    except asyncio.CancelledError:  # Ctrl-C: asyncio.run cancels the command, main() exits with 130
        if not (args.list or args.activate is not None or args.rules_only):  # those take a moment, maybe done
            interruption.interrupted()
        raise


async def _learn(args: argparse.Namespace, settings: Settings, interruption: Interruption) -> int:
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
            report_skipped(args.history, error.problems, error.unknown)
            return fail(f"{error}; er is niets veranderd")
        except OSError as error:
            return fail(f"{describe_file_error(error)}; er is niets veranderd")
        report_skipped(args.history, history.problems, history.unknown)
        print(f"{len(history.examples)} meldingen gelezen uit {args.history} ({history.encoding}), "
              f"{len(history.problems)} regel(s) overgeslagen")
    db = Database(settings.database_url, create_directory=settings.database_is_default)
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
        async with db.read() as conn:
            interruption.stays = what_stays(await learning_rows.active_model(conn, name, with_data=False))
        try:
            if history is not None:
                trained = await learning.learn_history(history, interruption.progress,
                                                       source=Path(args.history).name)
            else:
                trained = await learning.retrain(interruption.progress, source="opnieuw geleerd")
        except HistoryError as error:
            return fail(f"{why_not_learned(error)}; er is niets veranderd: {interruption.stays}")
        except ModelSuperseded as error:
            return fail(f"{error}; er is niets veranderd")
        print(f"model {trained.model_id} in gebruik: geleerd van {trained.history} meldingen en "
              f"{trained.corrections} {'correctie' if trained.corrections == 1 else 'correcties'}, "
              f"{trained.labels} categorieën, "
              f"{time.monotonic() - started:.0f} s")
        return 0
    finally:
        await db.dispose()
