"""The `wijkbot` command: serve, migrate, seed-demo, check-rules, route, chat and the ambtenaar's actions.

Invariants: every command exits 0 on success, 1 on a problem the user can fix (with a one-line reason on
stderr, never a traceback), 2 on wrong usage (argparse); texts for ambtenaren are Dutch.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import logging
import sys
import uuid
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from wijkbot import cli_digest, cli_learning, cli_simulate, cli_users
from wijkbot.rulefiles import RuleFileError, check_examples, load_rules, load_templates
from wijkbot.settings import Settings

Command = Callable[[argparse.Namespace, Settings], Coroutine[Any, Any, int]]


def _progress_bar(step: str, done: int, total: int) -> None:
    """A progress bar on stderr (only when it is a terminal, so logs and CI stay clean)."""
    if not sys.stderr.isatty():
        return
    width = 30
    filled = int(width * done / max(total, 1))
    end = "\n" if done >= total else ""
    print(f"\r{step:<10} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end=end, file=sys.stderr)


def _fail(message: str) -> int:
    print(f"wijkbot: {message}", file=sys.stderr)
    return 1


async def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from wijkbot.app import serve

    await serve(settings)
    return 0


async def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    from wijkbot.storage.db import Database
    from wijkbot.storage.migrate import migrate

    db = Database(settings.database_url)
    try:
        await migrate(db)
    finally:
        await db.dispose()
    print("database is up to date")
    return 0


async def cmd_seed_demo(args: argparse.Namespace, settings: Settings) -> int:
    from wijkbot.seed import seed_accounts, seed_officers

    path = Path(args.file) if args.file else settings.demo_officers_file
    added = await seed_officers(settings, path)
    print(f"{added} demo-ambtenaren toegevoegd" if added else "demo-ambtenaren staan er al")
    for line in await seed_accounts(settings, path):
        print(line)
    return 0


async def cmd_check_rules(args: argparse.Namespace, settings: Settings) -> int:
    directory = Path(args.dir) if args.dir else settings.rules_dir
    rules = load_rules(directory)
    templates = load_templates(directory, rules)
    problems = check_examples(rules)
    examples = sum(len(c.examples) for c in rules.categories.values())
    if problems:
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return _fail(f"{len(problems)} of {examples} example sentence(s) in {directory} route differently")
    print(f"{directory}: OK ({len(rules.departments)} vakdiensten, {len(rules.categories)} categorieën, "
          f"{len(rules.teams)} teams, {len(rules.buurten)} buurten, {len(rules.streets)} straten, "
          f"{examples} voorbeeldzinnen kloppen, {len(templates.templates)} antwoordsjablonen)")
    return 0


async def cmd_route(args: argparse.Namespace, settings: Settings) -> int:
    from wijkbot.domain.routing import Router
    from wijkbot.learning.history import HistoryError, load_history
    from wijkbot.learning.router import LearnedRouter

    rules = load_rules(Path(args.rules) if args.rules else settings.rules_dir)
    if (args.input is None) != (args.output is None) or (args.input is None) == (args.text is None):
        return _fail("geef een tekst, of --input IN.csv --output OUT.csv")
    router = LearnedRouter(Router(rules))
    try:
        if args.history:
            from wijkbot.learning.build import train_models

            history = load_history(Path(args.history), rules)
            for problem in history.problems:
                print(f"  - {args.history}: {problem}", file=sys.stderr)
            router = LearnedRouter(router.router, train_models(history, router.router, _progress_bar))
        if args.input:
            from wijkbot.learning.batch import route_file

            count = route_file(router, rules, Path(args.input), Path(args.output))
            print(f"{count} berichten gerouteerd naar {args.output}", file=sys.stderr)
            return 0
    except HistoryError as error:
        for problem in error.problems:
            print(f"  - {args.history}: {problem}", file=sys.stderr)
        return _fail(f"{error}")
    except csv.Error as error:
        return _fail(f"{args.input}: geen leesbare CSV ({error})")
    except OSError as error:
        return _fail(cli_learning.describe_file_error(error))
    decision = router.route(args.text, args.street, args.postcode, args.town)
    team = rules.team_for(decision.department, decision.area.wijk)
    category = rules.categories.get(decision.category or decision.suggested_category or "")
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
        "buiten het wijkbureau": "ja" if decision.out_of_scope else "nee",
        "gevonden woorden": ", ".join(decision.matched_terms) or "-",
    }
    if decision.ambition is not None:
        fields["wijkambitie"] = decision.ambition
    if args.json:
        print(json.dumps(fields | {"waarom": list(decision.reasons)}, ensure_ascii=False, indent=2))
        return 0
    width = max(len(k) for k in fields)
    for key, value in fields.items():
        print(f"{key:<{width}}  {value}")
    print("waarom:")
    for reason in decision.reasons:
        print(f"  - {reason}")
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


async def _with_actions(settings: Settings, work: Callable[[Any], Coroutine[Any, Any, str]]) -> int:
    from wijkbot.app import build
    from wijkbot.services.actions import ActionError

    bot = await build(settings)
    try:
        print(await work(bot))
        await bot.delivery.drain()
        return 0
    except ActionError as error:
        return _fail(str(error))
    finally:
        await bot.close()


async def cmd_reply(args: argparse.Namespace, settings: Settings) -> int:
    async def work(bot: Any) -> str:
        actor = await bot.actions.actor(args.officer)
        await bot.actions.reply(args.reference, actor, args.text)
        return f"antwoord op {args.reference} verstuurd"
    return await _with_actions(settings, work)


async def cmd_note(args: argparse.Namespace, settings: Settings) -> int:
    async def work(bot: Any) -> str:
        await bot.actions.note(args.reference, await bot.actions.actor(args.officer), args.text)
        return f"notitie bij {args.reference} opgeslagen"
    return await _with_actions(settings, work)


async def cmd_handover(args: argparse.Namespace, settings: Settings) -> int:
    async def work(bot: Any) -> str:
        actor = await bot.actions.actor(args.officer)
        team = await bot.actions.hand_over(args.reference, actor, args.to, args.reason)
        return f"{args.reference} overgedragen aan {team}"
    return await _with_actions(settings, work)


async def cmd_close(args: argparse.Namespace, settings: Settings) -> int:
    async def work(bot: Any) -> str:
        await bot.actions.close(args.reference, await bot.actions.actor(args.officer), args.outcome)
        return f"{args.reference} afgehandeld"
    return await _with_actions(settings, work)


_DIRECTIONS = {"in": "van de bewoner", "out": "aan de bewoner", "note": "interne notitie"}


async def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    """A case for an operator: its fields by name, messages, files and history (no contact data)."""
    from wijkbot.storage import attachments, repository
    from wijkbot.storage.db import Database

    rules = load_rules(settings.rules_dir)
    db = Database(settings.database_url)  # no service is started: no model to load, no jobs
    try:
        async with db.read() as conn:
            case = await repository.case_by_reference(conn, args.reference)
            if case is None:
                return _fail(f"geen zaak met nummer {args.reference}")
            messages = await repository.messages_of(conn, case["id"])
            events = await repository.events_of(conn, case["id"])
            files = await attachments.of_case(conn, case["id"])
            officer = await repository.officer(conn, case["officer_id"]) if case["officer_id"] else None
    finally:
        await db.dispose()
    category = rules.categories.get(case["category"] or "")
    suggested = rules.categories.get(case["suggested_category"] or "")
    department = rules.departments.get(case["department"])
    team = next((t for t in rules.teams if t.id == case["team"]), None)
    fields = {
        "nummer": case["reference"],
        "soort": case["kind"],
        "status": case["status"],
        "categorie": (f"{category.name} ({category.id})" if category
                      else f"- (voorstel: {suggested.name})" if suggested else "-"),
        "vakdienst": f"{department.name} ({case['department']})" if department else case["department"],
        "team": f"{team.name} ({team.id})" if team else case["team"] or "-",
        "ambtenaar": officer["name"] if officer else "nog niemand",
        rules.municipality.area_label: case["wijk"] or "-",
        "buurt": case["buurt"] or "-",
        "uiterlijk": case["due_date"] or "-",
        "overdrachten": case["handover_count"],
        "uitkomst": case["outcome"] or "-",
    }
    for key, value in fields.items():
        print(f"{key:<15} {value}")
    if case["latitude"] is not None:
        print(f"{'locatie':<15} {case['latitude']:.6f}, {case['longitude']:.6f}")
    print("berichten:")
    for m in messages:
        direction = _DIRECTIONS.get(m["direction"], m["direction"])
        print(f"  [{m['created_at']:%Y-%m-%d %H:%M}] {direction}: {m['body']}")
    if files:
        print("bijlagen (wijkbot attachment ID BESTAND --as E-MAIL):")
    for f in files:
        print(f"  {f['id']}: {f['file_name']} ({f['content_type']}, {f['size']} bytes), bericht {f['message_id']}")
    print("geschiedenis:")
    for e in events:
        details = ", ".join(f"{k}: {v}" for k, v in (e["data"] or {}).items() if v not in (None, ""))
        print(f"  [{e['at']:%Y-%m-%d %H:%M}] {e['actor']}: {e['type']}{f' ({details})' if details else ''}")
    return 0


async def cmd_attachment(args: argparse.Namespace, settings: Settings) -> int:
    """Save a resident's photo or file to disk, for an ambtenaar; the audit log records who opened it."""
    from wijkbot.app import build
    from wijkbot.services.actions import ActionError
    from wijkbot.storage import attachments

    bot = await build(settings)
    try:
        actor = await bot.actions.actor(args.officer)
        async with bot.db.write() as conn:
            found = await attachments.read_by(conn, args.id, f"{actor.officer_id}", bot.clock())
        if found is None:
            return _fail(f"geen bijlage met nummer {args.id}")
        meta, content = found
        await asyncio.to_thread(Path(args.file).write_bytes, content)
        print(f"{meta['file_name']} ({meta['content_type']}, {len(content)} bytes) opgeslagen als {args.file}")
        return 0
    except ActionError as error:
        return _fail(str(error))
    finally:
        await bot.close()


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="wijkbot", description="Het bewonerscontact van het wijkbureau.")
    sub = top.add_subparsers(dest="command", required=True)
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
    route.add_argument("--history", help="CSV met eerdere meldingen om van te leren (text + category/team)")
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
    for name, func, extra in (
        ("reply", cmd_reply, ("text",)), ("note", cmd_note, ("text",)),
    ):
        p = sub.add_parser(name, help={"reply": "stuur de bewoner een antwoord", "note": "interne notitie"}[name])
        p.add_argument("reference")
        p.add_argument("--as", dest="officer", required=True, help="e-mailadres van de ambtenaar")
        for e in extra:
            p.add_argument(e)
        p.set_defaults(func=func)
    handover = sub.add_parser("handover", help="draag een zaak over aan een andere vakdienst")
    handover.add_argument("reference")
    handover.add_argument("--as", dest="officer", required=True)
    handover.add_argument("--to", required=True, help="id van de vakdienst")
    handover.add_argument("--reason", required=True)
    handover.set_defaults(func=cmd_handover)
    close = sub.add_parser("close", help="handel een zaak af met een uitkomst")
    close.add_argument("reference")
    close.add_argument("--as", dest="officer", required=True)
    close.add_argument("--outcome", required=True)
    close.set_defaults(func=cmd_close)
    show = sub.add_parser("show", help="toon een zaak met berichten en geschiedenis")
    show.add_argument("reference")
    show.set_defaults(func=cmd_show)
    cli_learning.register(sub, _progress_bar, _fail)
    cli_digest.register(sub, _fail)
    cli_simulate.register(sub, _fail)
    cli_users.add_parser(sub)
    attachment = sub.add_parser("attachment", help="sla een foto of bestand van een bewoner op (wordt gelogd)")
    attachment.add_argument("id", type=int)
    attachment.add_argument("file")
    attachment.add_argument("--as", dest="officer", required=True, help="e-mailadres van de ambtenaar")
    attachment.set_defaults(func=cmd_attachment)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = Settings()
    except Exception as error:  # pydantic ValidationError: name the bad setting, no traceback
        return _fail(f"ongeldige instelling: {error}")
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # httpx logs every request URL at INFO, and a Bot API URL contains the bot token; python-telegram-bot logs
    # request parameters (chat ids, texts) at DEBUG. Neither belongs in our logs.
    for chatty in ("alembic", "apscheduler", "httpx", "httpcore", "telegram"):
        logging.getLogger(chatty).setLevel(max(logging.WARNING, logging.getLogger().level))
    try:
        return int(asyncio.run(args.func(args, settings)))
    except RuleFileError as error:
        return _fail(str(error))
    except KeyboardInterrupt:
        return 130
