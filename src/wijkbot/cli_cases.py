"""The ambtenaar's case actions from the command line: reply, note, hand over, change the category, close,
show a case, save a resident's file.

Invariants: every action names the ambtenaar (`--as EMAIL`) and passes the same access checks and audit as
the inbox; a refused action exits 1 with the reason in Dutch; `show` prints no contact data: not the
resident's address, nor a phone number or e-mail address typed into a message (those read "[weggelaten]").
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable, Coroutine
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from wijkbot.cli_output import fail
from wijkbot.rulefiles import load_rules
from wijkbot.settings import Settings


async def _with_actions(settings: Settings, work: Callable[[Any], Coroutine[Any, Any, str]]) -> int:
    from wijkbot.app import build
    from wijkbot.services.actions import ActionError

    bot = await build(settings)
    try:
        print(await work(bot))
        await bot.delivery.drain()
        return 0
    except ActionError as error:
        return fail(str(error))
    finally:
        await bot.close()


async def cmd_reply(args: argparse.Namespace, settings: Settings) -> int:
    async def work(bot: Any) -> str:
        actor = await bot.actions.actor(args.officer)
        held_until = await bot.actions.reply(args.reference, actor, args.text)
        from wijkbot.services.delivery import cause_of, channel_name, plain_reason

        if held_until is not None:  # 21:00-08:00 nothing we start goes out
            queued = await bot.delivery.latest(args.reference)
            via = f" via {channel_name(queued['channel'])}" if queued else ""
            local = held_until.astimezone(ZoneInfo(bot.rules.municipality.timezone))
            return (f"antwoord op {args.reference} klaargezet; het gaat om {local:%H:%M} weg{via} "
                    "(tussen 21:00 en 08:00 sturen we niets)")
        await bot.delivery.drain()  # one try now; the running service keeps trying if the channel is down
        row = await bot.delivery.latest(args.reference)
        via = channel_name(row["channel"]) if row else "het kanaal van de bewoner"
        if row is not None and row["status"] == "sent":
            return f"antwoord op {args.reference} verstuurd via {via}"
        if row is not None and row["status"] == "failed":
            why = plain_reason(cause_of(str(row["last_error"] or "")), str(row["channel"]))
            return (f"antwoord op {args.reference} niet bezorgd: {why} "
                    "(zie de geschiedenis van de zaak; in de inbox kunt u het opnieuw versturen)")
        if row is not None and row["status"] == "withheld":
            return f"antwoord op {args.reference} niet verstuurd: de bewoner heeft /stop gestuurd"
        tried = " (nog niet bezorgd: het kanaal is nu niet bereikbaar; de dienst blijft het proberen)" \
            if row is not None and row["last_error"] else ""
        return f"antwoord op {args.reference} klaargezet; het gaat via {via} naar de bewoner{tried}"
    return await _with_actions(settings, work)


async def cmd_note(args: argparse.Namespace, settings: Settings) -> int:
    async def work(bot: Any) -> str:
        await bot.actions.note(args.reference, await bot.actions.actor(args.officer), args.text)
        return f"notitie bij {args.reference} opgeslagen"
    return await _with_actions(settings, work)


async def cmd_handover(args: argparse.Namespace, settings: Settings) -> int:
    if not args.to and not args.team:
        return fail("geef --to VAKDIENST of --team TEAM")

    async def work(bot: Any) -> str:
        actor = await bot.actions.actor(args.officer)
        team = await bot.actions.hand_over(args.reference, actor, args.to, args.reason, team=args.team)
        return f"{args.reference} overgedragen aan {_team_name(bot, team)}"
    return await _with_actions(settings, work)


async def cmd_category(args: argparse.Namespace, settings: Settings) -> int:
    async def work(bot: Any) -> str:
        from wijkbot.domain.text import normalise

        wanted = normalise(args.to)
        found = next((c.id for c in bot.rules.categories.values() if wanted in (normalise(c.id), normalise(c.name))),
                     args.to)
        actor = await bot.actions.actor(args.officer)
        team = await bot.actions.change_category(args.reference, actor, found, args.reason)
        moved = f", en overgedragen aan {_team_name(bot, team)}" if team else ""
        return f"categorie van {args.reference} is nu {bot.rules.categories[found].name}{moved}"
    return await _with_actions(settings, work)


def _team_name(bot: Any, team_id: str) -> str:
    """A team by its configured name ("Vergunningen, Toezicht en Handhaving (VTH)"), not its id."""
    return next((t.name for t in bot.rules.teams if t.id == team_id), team_id)


async def cmd_close(args: argparse.Namespace, settings: Settings) -> int:
    async def work(bot: Any) -> str:
        await bot.actions.close(args.reference, await bot.actions.actor(args.officer), args.outcome)
        return f"{args.reference} afgehandeld"
    return await _with_actions(settings, work)


_DIRECTIONS = {"in": "van de bewoner", "out": "aan de bewoner", "note": "interne notitie"}


async def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    """A case for an operator: its fields by name, messages, files, routing and history (no contact data).

    `show` names no ambtenaar, so nobody is known to handle the case: contact data residents typed into their
    messages (or a file name, or a survey explanation in the history) is masked as in the inbox's lists. The
    history reads as on the inbox's case page (services.case_history): who acted by name, what happened and why.
    """
    from wijkbot.domain.quotes import mask_contact
    from wijkbot.i18n import Translator
    from wijkbot.services import case_history as history
    from wijkbot.storage import attachments, repository
    from wijkbot.storage.casefile import officer_names
    from wijkbot.storage.db import Database

    rules = load_rules(settings.rules_dir)
    translator = Translator.load(settings.locales_dir, settings.default_locale).for_area(rules.municipality.area_label,
                                                                    rules.municipality.areas_label)
    # no service is started: no model to load, no jobs
    db = Database(settings.database_url, create_directory=settings.database_is_default)
    try:
        async with db.read() as conn:
            case = await repository.case_by_reference(conn, args.reference)
            if case is None:
                return fail(f"geen zaak met nummer {args.reference}")
            messages = await repository.messages_of(conn, case["id"])
            events = await repository.events_of(conn, case["id"])
            files = await attachments.of_case(conn, case["id"])
            names = await officer_names(conn)
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
        "ambtenaar": names.get(case["officer_id"], "?") if case["officer_id"] else "nog niemand",
        rules.municipality.area_label: case["wijk"] or "-",
        "buurt": case["buurt"] or "-",
        "uiterlijk": case["due_date"] or "-",
        "overdrachten": case["handover_count"],
        "uitkomst": case["outcome"] or "-",
    }
    if case["kind"] == "initiatief":
        fields["wijkambitie"] = history.ambition_label(rules, case["ambition"], case["wijk"])
    for key, value in fields.items():
        print(f"{key:<15} {value}")
    if case["latitude"] is not None:
        print(f"{'locatie':<15} {case['latitude']:.6f}, {case['longitude']:.6f}")
    tz = ZoneInfo(rules.municipality.timezone)  # the times an ambtenaar sees in the inbox
    print(f"berichten ({rules.municipality.timezone}):")
    for m in messages:
        direction = _DIRECTIONS.get(m["direction"], m["direction"])
        body = mask_contact(m["body"]) if m["body"].strip() else _only_files(files, m["id"])
        print(f"  [{m['created_at'].astimezone(tz):%Y-%m-%d %H:%M}] {direction}: {body}")
    if files:
        print("bijlagen (wijkbot attachment ID BESTAND --as E-MAIL):")
    for f in files:
        print(f"  {f['id']}: {mask_contact(f['file_name'])} ({f['content_type']}, {f['size']} bytes), "
              f"bericht {f['message_id']}")
    routing = case["routing"] or {}
    if routing.get("reasons"):
        print("routering:")
    for reason in routing.get("reasons", []):
        print(f"  - {mask_contact(str(reason))}")

    def text(key: str, **values: Any) -> str:
        return translator.text(key, "nl", **values)

    def when(moment: datetime) -> str:
        return f"{moment.astimezone(tz):%Y-%m-%d %H:%M}"

    namer = history.Namer(rules)
    print("geschiedenis:")
    for e in events:
        parts = [history.event_label(text, e["type"]),
                 *(mask_contact(p) for p in history.event_details(e, text, namer, when))]
        print(f"  [{when(e['at'])}] {history.actor_name(str(e['actor']), names)}: {' · '.join(parts)}")
    return 0


def _only_files(files: list[Any], message_id: int) -> str:
    """What a message without words brought (a photo sent on its own), instead of an empty line."""
    numbers = [str(f["id"]) for f in files if f["message_id"] == message_id]
    if not numbers:
        return "(geen tekst)"
    return f"(alleen {'een bijlage' if len(numbers) == 1 else 'bijlagen'}: {', '.join(numbers)})"


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
            return fail(f"geen bijlage met nummer {args.id}")
        meta, content = found
        await asyncio.to_thread(Path(args.file).write_bytes, content)
        print(f"{meta['file_name']} ({meta['content_type']}, {len(content)} bytes) opgeslagen als {args.file}")
        return 0
    except ActionError as error:
        return fail(str(error))
    finally:
        await bot.close()



def register(sub: Any) -> None:
    for name, func, helptext in (("reply", cmd_reply, "stuur de bewoner een antwoord"),
                                 ("note", cmd_note, "interne notitie")):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("reference")
        p.add_argument("--as", dest="officer", required=True, help="e-mailadres van de ambtenaar")
        p.add_argument("text")
        p.set_defaults(func=func)
    handover = sub.add_parser("handover", help="draag een zaak over aan een andere vakdienst of een ander team")
    handover.add_argument("reference")
    handover.add_argument("--as", dest="officer", required=True)
    handover.add_argument("--to", help="id van de vakdienst (zijn team voor de wijk van de zaak)")
    handover.add_argument("--team", help="id van een team (van --to, als die er ook is)")
    handover.add_argument("--reason", required=True)
    handover.set_defaults(func=cmd_handover)
    category = sub.add_parser("category", help="verander de categorie van een zaak (een correctie, om van te leren)")
    category.add_argument("reference")
    category.add_argument("--as", dest="officer", required=True)
    category.add_argument("--to", required=True, help="id of naam van de categorie")
    category.add_argument("--reason", default="", help="nodig als de zaak daarmee naar een andere vakdienst gaat")
    category.set_defaults(func=cmd_category)
    close = sub.add_parser("close", help="handel een zaak af met een uitkomst")
    close.add_argument("reference")
    close.add_argument("--as", dest="officer", required=True)
    close.add_argument("--outcome", required=True)
    close.set_defaults(func=cmd_close)
    show = sub.add_parser("show", help="toon een zaak met berichten en geschiedenis")
    show.add_argument("reference")
    show.set_defaults(func=cmd_show)
    attachment = sub.add_parser("attachment", help="sla een foto of bestand van een bewoner op (wordt gelogd)")
    attachment.add_argument("id", type=int)
    attachment.add_argument("file")
    attachment.add_argument("--as", dest="officer", required=True, help="e-mailadres van de ambtenaar")
    attachment.set_defaults(func=cmd_attachment)
