"""`wijkbot digest`: print a wijk's weekly digest, write it as a page, or mail it to the wijkregisseur(s).

Invariants: printing and --html only read (nothing is archived or sent); --send archives and mails, and refuses
a week that was already sent unless --force; an unknown wijk names the known ones, a malformed week shows the
expected form; exit codes as every command (0 done, 1 a problem the user can fix, 2 wrong usage).
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

from wijkbot.cli_output import describe_file_error, fail
from wijkbot.settings import Settings


def register(sub: Any) -> None:
    digest = sub.add_parser("digest", help="het weekoverzicht van een wijk: tonen, als pagina opslaan of mailen")
    digest.add_argument("--wijk", required=True, help="naam van de wijk of kern (areas.csv), bijvoorbeeld Overvecht")
    digest.add_argument("--week", help="ISO-week, bijvoorbeeld 2026-W47 (standaard: de vorige week)")
    digest.add_argument("--html", metavar="FILE", help="schrijf de pagina (HTML) naar dit bestand")
    digest.add_argument("--send", action="store_true", help="mail het naar de wijkregisseur(s) en archiveer het")
    digest.add_argument("--force", action="store_true", help="stuur opnieuw, ook als deze week al verstuurd is")
    digest.add_argument("--lang", choices=["nl", "en"], help="taal (standaard: WIJKBOT_DIGEST_LANG)")

    async def run(args: argparse.Namespace, settings: Settings) -> int:
        return await cmd_digest(args, settings)

    digest.set_defaults(func=run)


async def cmd_digest(args: argparse.Namespace, settings: Settings) -> int:
    from wijkbot.app import build
    from wijkbot.domain.weeks import IsoWeek, WeekError
    from wijkbot.services.digests import DigestError

    if args.force and not args.send:
        return fail("--force hoort bij --send")
    bot = await build(settings)
    try:
        wijk = bot.digests.wijk(args.wijk)
        week = IsoWeek.parse(args.week) if args.week else bot.digests.last_week()
        if args.send:
            count = await bot.digests.send(wijk, week, force=args.force, lang=args.lang)
            print(f"weekoverzicht {wijk} {week} verstuurd aan {count} wijkregisseur(s)")
            return 0
        rendered = await bot.digests.render(wijk, week, args.lang, base=None)
        if args.html:
            await asyncio.to_thread(Path(args.html).write_text, rendered.html, encoding="utf-8")
            print(f"pagina geschreven naar {args.html}")
        else:
            print(rendered.text, end="")
        return 0
    except WeekError as error:
        return fail(f"ongeldige week: {error}")
    except DigestError as error:
        return fail(str(error))
    except OSError as error:
        return fail(f"kan niet schrijven: {describe_file_error(error)}")
    finally:
        await bot.close()
