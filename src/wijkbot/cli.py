"""The `wijkbot` command: serve, migrate, seed-demo, check-rules, route, chat and the ambtenaar's actions.

Invariants: every command exits 0 on success, 1 on a problem the user can fix (with a one-line reason on
stderr, never a traceback: a bad setting, the database, the session key; the traceback only at
WIJKBOT_LOG_LEVEL=DEBUG), 2 on wrong usage (argparse); texts for ambtenaren are Dutch; a setting is named,
never its value (nor the database password); an unknown WIJKBOT_* variable is warned about, by name.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import logging
import os
import sys
import traceback
import uuid
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from wijkbot import cli_backup, cli_cases, cli_digest, cli_learning, cli_outbox, cli_simulate, cli_users, cli_words
from wijkbot.cli_database import database_problem
from wijkbot.cli_output import describe_file_error, list_problems
from wijkbot.cli_output import fail as _fail
from wijkbot.cli_output import progress_bar as _progress_bar
from wijkbot.dotenv_check import check_dotenv
from wijkbot.keys import SecretKeyError, secret_key_problem
from wijkbot.log_format import OperatorFormatter
from wijkbot.rulefiles import RuleFileError, check_examples, load_rules, load_templates
from wijkbot.rulefiles.notices import examples_in_triage, foreign_contacts, shared_postcodes
from wijkbot.settings import Settings, problems, unknown_variables
from wijkbot.storage.schema_version import SchemaTooNew

Command = Callable[[argparse.Namespace, Settings], Coroutine[Any, Any, int]]


async def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from wijkbot.serving import PortUnavailable, serve

    try:
        await serve(settings)
    except PortUnavailable as error:
        return _fail(str(error))
    return 0


async def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    from wijkbot.storage.db import Database
    from wijkbot.storage.migrate import migrate

    db = Database(settings.database_url, create_directory=settings.database_is_default)
    try:
        done = await migrate(db)
    finally:
        await db.dispose()
    if done.steps:
        print(f"database bijgewerkt naar versie {done.after} ({done.steps} {'stap' if done.steps == 1 else 'stappen'})")
    else:
        print(f"database is al bij (versie {done.after or '-'})")
    return 0


async def cmd_seed_demo(args: argparse.Namespace, settings: Settings) -> int:
    from wijkbot.seed import fitting_officers, seed_accounts, seed_officers

    path = Path(args.file) if args.file else settings.demo_officers_file
    officers = None  # a file named on purpose is used as it is, and refused when it does not fit
    if not args.file and "demo_officers_file" not in settings.model_fields_set:
        rules = load_rules(settings.rules_dir)
        officers, not_used = fitting_officers(rules, path)
        if not_used:
            print(f"{path.name} past niet bij {rules.municipality.name} ({not_used}): in de plaats één demo-account "
                  "per rol (behandelaar, teamleider, wijkregisseur, beheerder). Echte accounts maakt u met "
                  "wijkbot users add")
    added = await seed_officers(settings, path, officers)
    print(f"{added} demo-ambtenaren toegevoegd" if added else "demo-ambtenaren staan er al")
    for line in await seed_accounts(settings, path, officers):
        print(line)
    return 0


async def cmd_check_rules(args: argparse.Namespace, settings: Settings) -> int:
    directory = Path(args.dir) if args.dir else settings.rules_dir
    from wijkbot.domain.routing import Router

    rules = load_rules(directory)
    templates = load_templates(directory, rules)
    router = Router(rules)  # (built once: the examples and the notices route the same sentences)
    problems = check_examples(rules, router)
    examples = sum(len(c.examples) for c in rules.categories.values())
    if problems:
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        wrong = len({(p.rule, p.key.split(".")[0]) for p in problems})  # one sentence may be off in two ways
        files = ", ".join(sorted({p.file for p in problems}))
        return _fail(f"{wrong} van de {examples} voorbeeldzinnen in {directory} {'komt' if wrong == 1 else 'komen'} "
                     f"anders uit dan in {files} staat")
    for notice in [*shared_postcodes(rules), *examples_in_triage(rules, router), *foreign_contacts(rules, templates)]:
        print(f"wijkbot: let op: {notice}", file=sys.stderr)
    print(f"{directory}: OK ({len(rules.departments)} vakdiensten, {len(rules.categories)} categorieën, "
          f"{len(rules.teams)} teams, {len(rules.buurten)} buurten, {len(rules.streets)} straten, "
          f"{examples} voorbeeldzinnen kloppen, {len(templates.templates)} antwoordsjablonen)")
    return 0


async def cmd_route(args: argparse.Namespace, settings: Settings) -> int:
    """One text, explained, with the model the service routes with (or --history's, or --rules-only the rules
    alone); or a whole CSV file, with --history's model or the rules alone (never the database's model: the
    same file and configuration give the same result anywhere)."""
    from wijkbot.domain.routing import NO_AMBITION, Router
    from wijkbot.domain.routing_reasons import no_ambitions_for_area, no_area_for_ambition
    from wijkbot.learning.history import HistoryError, load_history
    from wijkbot.learning.router import LearnedRouter

    rules = load_rules(Path(args.rules) if args.rules else settings.rules_dir)
    if (args.input is None) != (args.output is None) or (args.input is None) == (args.text is None):
        return _fail("geef een tekst, of --input IN.csv --output OUT.csv")
    if args.text is not None and not args.text.strip():
        return _fail("de tekst is leeg: geef de tekst van een bericht (een bewoner met een leeg bericht krijgt een "
                     "vraag terug, geen beslissing)")
    router = LearnedRouter(Router(rules))
    used, how = cli_learning.RULES_ALONE, "met alleen de regels"
    try:
        if args.input:
            from wijkbot.learning.batch import check_output

            check_output(Path(args.input), Path(args.output))  # before the history is read and learned from
        if args.history:
            from wijkbot.learning.build import train_models

            history = load_history(Path(args.history), rules)
            cli_learning.report_skipped(args.history, history.problems, history.unknown)
            try:
                models = train_models(history, router.router, _progress_bar)
            except HistoryError as error:
                return _fail(f"{cli_learning.why_not_learned(error)}; er is geen model geleerd en er is niets "
                             f"gerouteerd")
            router = LearnedRouter(router.router, models)
            used = f"geleerd van {len(history.examples)} meldingen uit {args.history} (niet opgeslagen)"
            how = f"met een model geleerd van {len(history.examples)} meldingen"
        if args.input:
            from wijkbot.learning.batch import route_file

            problems: list[str] = []
            count = route_file(router, rules, Path(args.input), Path(args.output), problems)
            list_problems(args.input, problems, "zo")
            print(f"{count} {'bericht' if count == 1 else 'berichten'} gerouteerd naar {args.output} {how}"
                  + (f" (let op: {len(problems)} {'regel' if len(problems) == 1 else 'regels'} hierboven)"
                     if problems else ""), file=sys.stderr)
            return 0
    except HistoryError as error:
        cli_learning.report_skipped(args.history, error.problems, error.unknown)
        return _fail(f"{error}")
    except csv.Error as error:
        return _fail(f"{args.input}: geen leesbare CSV ({error})")
    except OSError as error:
        from wijkbot.learning.batch import OutputError

        return _fail(describe_file_error(error, writing=isinstance(error, OutputError)))
    if not args.history and not args.rules_only:
        models_in_use, used = await cli_learning.service_model(settings, rules)
        if models_in_use is not None:
            router = LearnedRouter(router.router, models_in_use)
    decision = router.route(args.text, args.street, args.postcode, args.town)
    team = rules.team_for(decision.department, decision.area.wijk)
    category = rules.categories.get(decision.category or decision.suggested_category or "")
    guess = rules.team_guess(decision.department, decision.area.wijk) if not decision.out_of_scope else None
    reasons = [*decision.reasons, guess] if guess else list(decision.reasons)
    fields = {
        "soort": decision.kind.value,
        "categorie": category.name if category else "-",
        "vakdienst": rules.departments[decision.department].name,
        "wijk": decision.area.wijk or "-",
        "buurt": decision.area.buurt or "-",
        "team": team.name if team else "-",
        "zekerheid": f"{decision.confidence:.2f}",
        "triage": "ja" if decision.triage else "nee",
        "acuut (112)": "ja" if decision.urgent else "nee",
        "crisis (113)": "ja" if decision.crisis else "nee",
        "buiten het wijkbureau": "ja" if decision.out_of_scope else "nee",
        "gevonden woorden": ", ".join(decision.matched_terms) or "-",
    }
    if decision.ambition is not None:
        ambition = router.router.ambition(decision.ambition)
        fields["wijkambitie"] = (ambition.title if ambition is not None
                                 else "past bij geen wijkambitie" if decision.ambition == NO_AMBITION
                                 else no_area_for_ambition(rules.municipality.area_label) if decision.area.wijk is None
                                 else no_ambitions_for_area(rules.municipality.area_label))
    if args.json:
        print(json.dumps(fields | {"waarom": reasons, "model": used, "regels": str(args.rules or settings.rules_dir)},
                         ensure_ascii=False, indent=2))
        return 0
    # On screen: the configuration's own word for the area ("kern"), and a triage case's category as what it
    # is, a suggestion (the JSON above keeps its keys and values, for scripts).
    shown = {(rules.municipality.area_label if key == "wijk" else key): value for key, value in fields.items()}
    if decision.category is None and category is not None:
        shown["categorie"] = f"- (voorstel: {category.name})"
    width = max(len(k) for k in shown)
    for key, value in shown.items():
        print(f"{key:<{width}}  {value}")
    print("waarom:")
    for reason in reasons:
        print(f"  - {reason}")
    # which configuration decided: without --rules it is WIJKBOT_RULES_DIR's (Utrecht's by default), and a
    # beheerder trying their own rules must see that it was not theirs
    print(f"regels: {rules.municipality.name} ({args.rules or settings.rules_dir})")
    print(f"model: {used}")
    return 0


async def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    from wijkbot.app import build
    from wijkbot.domain import commands
    from wijkbot.domain.model import InboundMessage, ReplyAddress

    bot = await build(settings)
    address = f"terminal-{uuid.uuid4().hex[:8]}"
    print("Schrijf uw bericht (leeg + Enter om te stoppen; /status toont uw meldingen, /help meer).")
    try:
        while True:
            line = await asyncio.to_thread(_read_line)
            if line is None or not line.strip():
                return 0
            command = commands.parse(line.strip())
            if command is not None and commands.resolve(command[0]) is None:
                command = None
            await bot.inbound.receive(InboundMessage(
                ReplyAddress("console", address), uuid.uuid4().hex, line, bot.clock(), locale=args.lang,
                command=command[0] if command else None, command_args=command[1] if command else ""))
            await bot.delivery.drain()
    finally:
        await bot.close()


def _read_line() -> str | None:
    try:
        return input("u> ")
    except EOFError:
        return None


def parser() -> argparse.ArgumentParser:
    cli_words.install()  # wrong usage and --help in Dutch, like every other line the command prints
    top = argparse.ArgumentParser(prog="wijkbot", description="Het bewonerscontact van het wijkbureau.")
    sub = top.add_subparsers(dest="command", required=True, metavar="opdracht")
    sub.add_parser("serve", help="start de dienst (web chat, API, bezorging, opvolging)").set_defaults(func=cmd_serve)
    sub.add_parser("migrate", help="breng de database bij").set_defaults(func=cmd_migrate)
    seed = sub.add_parser("seed-demo", help="voeg demo-ambtenaren toe (idempotent)")
    seed.add_argument("--file")
    seed.set_defaults(func=cmd_seed_demo)
    check = sub.add_parser("check-rules", help="controleer een configuratie en haar voorbeeldzinnen")
    check.add_argument("dir", nargs="?")
    check.set_defaults(func=cmd_check_rules)
    route = sub.add_parser("route", help="laat zien hoe een bericht gerouteerd wordt, en waarom; of een heel CSV")
    route.add_argument("text", nargs="?")
    route.add_argument("--rules")
    learned = route.add_mutually_exclusive_group()
    learned.add_argument("--history", help="CSV met eerdere meldingen om van te leren (text + category/team)")
    learned.add_argument("--rules-only", action="store_true",
                         help="alleen de regels, ook als de dienst een geleerd model gebruikt")
    route.add_argument("--input", help="CSV met id,text[,street,pc4,town]")
    route.add_argument("--output", help="CSV om de beslissingen in te schrijven")
    route.add_argument("--street")
    route.add_argument("--postcode")
    route.add_argument("--town")
    route.add_argument("--json", action="store_true")
    route.set_defaults(func=cmd_route)
    chat = sub.add_parser("chat", help="praat als bewoner met de bot in de terminal")
    chat.add_argument("--lang", choices=["nl", "en"], default=None)
    chat.set_defaults(func=cmd_chat)
    cli_backup.register(sub)
    cli_cases.register(sub)
    cli_learning.register(sub)
    cli_digest.register(sub)
    cli_outbox.register(sub)
    cli_simulate.register(sub)
    cli_users.add_parser(sub)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    dotenv = check_dotenv()
    if dotenv.fatal is not None:
        return _fail(f"ongeldige instellingen: {dotenv.fatal}")
    for warning in [*dotenv.warnings, *unknown_variables([*os.environ, *dotenv.names])]:
        print(f"wijkbot: let op: {warning}", file=sys.stderr)
    try:
        settings = Settings()
    except ValidationError as error:  # one line per bad setting, by name: str(error) would quote the values
        for problem in problems(error):
            _fail(f"ongeldige instelling {problem}" if problem.startswith("WIJKBOT_") else
                  f"ongeldige instelling: {problem}")
        return 1
    except Exception as error:  # pydantic-settings' own (a .env it cannot parse): its text names the field only
        return _fail(f"ongeldige instellingen: {error}")
    key_problem = secret_key_problem(settings)
    if key_problem is not None:
        return _fail(f"ongeldige instelling {key_problem}")
    # The service logs for its operator; a command talks to the person who typed it in Dutch, so its own log lines
    # (English, for operators) show only as warnings, unless WIJKBOT_LOG_LEVEL is set on purpose.
    level = (settings.log_level if args.command == "serve" or "log_level" in settings.model_fields_set
             else "WARNING")
    handler = logging.StreamHandler()
    handler.setFormatter(OperatorFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level.upper(), handlers=[handler])
    # httpx logs every request URL at INFO, and a Bot API URL contains the bot token; python-telegram-bot logs
    # request parameters (chat ids, texts) at DEBUG. Neither belongs in our logs.
    for chatty in ("alembic", "apscheduler", "httpx", "httpcore", "telegram"):
        logging.getLogger(chatty).setLevel(max(logging.WARNING, logging.getLogger().level))
    try:
        return int(asyncio.run(args.func(args, settings)))
    except BrokenPipeError:
        # `wijkbot route ... | head`: the reader stopped reading; no traceback, and none at exit either
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except (RuleFileError, SchemaTooNew) as error:
        return _fail(str(error))
    except SecretKeyError as error:
        _traceback_at_debug(settings, error)
        return _fail(str(error))
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        db_problem = database_problem(error, settings.database_url)
        if db_problem is None:
            raise
        _traceback_at_debug(settings, error)
        return _fail(db_problem)


def _traceback_at_debug(settings: Settings, error: BaseException) -> None:
    if settings.log_level == "DEBUG":
        traceback.print_exception(error, file=sys.stderr)
