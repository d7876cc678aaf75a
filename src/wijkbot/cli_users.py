"""`wijkbot users add|list|disable|set-password-link`: inbox accounts from the command line.

Invariants: a password is read from stdin only (never an argument, so it stays out of shell history and
process lists), or the officer gets a one-time set-password link; output never contains a password or a
password hash; `disable` says how many open cases went back to their team; problems exit 1 with a Dutch
one-line reason, and a refused command changes nothing.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from wijkbot.cli_output import fail
from wijkbot.settings import Settings


async def _with_bot(settings: Settings, work: Any) -> int:
    from wijkbot.app import build
    from wijkbot.services.passwords import PasswordProblem
    from wijkbot.services.people import PeopleError

    bot = await build(settings)
    try:
        return int(await work(bot))
    except (PeopleError, PasswordProblem) as error:
        return fail(str(error))
    finally:
        await bot.close()


def link_url(bot: Any, token: str) -> str:
    return f"{bot.inbox_config.public_url.rstrip('/')}/inbox/wachtwoord/{token}"


async def cmd_add(args: argparse.Namespace, settings: Settings) -> int:
    async def work(bot: Any) -> int:
        password = sys.stdin.readline().rstrip("\n") if args.password_stdin else None
        # the password is checked before anything is stored: a refused one leaves no account behind
        profile = await bot.inbox.people.add(name=args.name, email=args.email, roles=args.role, teams=args.team or [],
                                             wijken=args.wijk or [], by="cli", password=password)
        if password is not None:
            print(f"account voor {profile.email} aangemaakt, met wachtwoord")
        else:
            token = await bot.inbox.people.password_link(profile.officer_id, by="cli")
            print(f"account voor {profile.email} aangemaakt; wachtwoord instellen (eenmalig, "
                  f"{settings.password_link_hours} uur geldig):\n{link_url(bot, token)}")
        return 0
    return await _with_bot(settings, work)


async def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    async def work(bot: Any) -> int:
        for p in await bot.inbox.people.all():
            state = ("geen account" if not p.has_account else "uit" if not p.active
                     else "actief" if p.password_set else "nog geen wachtwoord")
            extra = f"  {bot.rules.municipality.areas_label}: {', '.join(p.wijken)}" if p.wijken else ""
            print(f"{p.email:<40} {p.name:<28} {','.join(p.roles):<24} {state:<20} {','.join(p.teams)}{extra}")
        return 0
    return await _with_bot(settings, work)


async def cmd_disable(args: argparse.Namespace, settings: Settings) -> int:
    async def work(bot: Any) -> int:
        profile = await bot.inbox.people.by_email(args.email)
        if profile is None:
            return fail(f"geen ambtenaar met e-mailadres {args.email}")
        returned = await bot.inbox.people.set_active(profile.officer_id, False, "cli")
        print(f"account van {profile.email} staat uit; ingelogde sessies zijn beëindigd")
        print(f"{returned} open {'zaak' if returned == 1 else 'zaken'} terug naar het team (zonder behandelaar)")
        return 0
    return await _with_bot(settings, work)


async def cmd_link(args: argparse.Namespace, settings: Settings) -> int:
    async def work(bot: Any) -> int:
        profile = await bot.inbox.people.by_email(args.email)
        if profile is None:
            return fail(f"geen ambtenaar met e-mailadres {args.email}")
        if not profile.has_account:
            await bot.inbox.people.ensure_accounts([profile.officer_id])
        token = await bot.inbox.people.password_link(profile.officer_id, by="cli")
        print(link_url(bot, token))
        return 0
    return await _with_bot(settings, work)


def add_parser(sub: Any) -> None:
    users = sub.add_parser("users", help="accounts voor de inbox")
    commands = users.add_subparsers(dest="users_command", required=True, metavar="opdracht")
    add = commands.add_parser("add", help="maak een account (en zo nodig de ambtenaar)")
    add.add_argument("email")
    add.add_argument("--name", required=True)
    add.add_argument("--role", action="append", required=True,
                     help="behandelaar, teamleider, wijkregisseur of beheerder (mag vaker)")
    add.add_argument("--team", action="append", help="team-id uit teams.yaml (mag vaker)")
    add.add_argument("--wijk", action="append", help="wijk, voor een wijkregisseur (mag vaker)")
    add.add_argument("--password-stdin", action="store_true", help="lees het wachtwoord van stdin (anders: een link)")
    add.set_defaults(func=cmd_add)
    commands.add_parser("list", help="alle ambtenaren en hun account").set_defaults(func=cmd_list)
    disable = commands.add_parser("disable", help="zet een account uit (sessies eindigen meteen; open zaken gaan "
                                                   "terug naar hun team)")
    disable.add_argument("email")
    disable.set_defaults(func=cmd_disable)
    link = commands.add_parser("set-password-link", help="een nieuwe eenmalige link om een wachtwoord te kiezen")
    link.add_argument("email")
    link.set_defaults(func=cmd_link)
