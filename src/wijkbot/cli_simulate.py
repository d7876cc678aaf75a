"""`wijkbot simulate`: a month of residents and ambtenaren in fake time; prints the follow-up report.

Invariants: never touches the configured database (a temporary SQLite file is used and removed); the same
seed gives the same report; works for any configuration (the demo ambtenaren of WIJKBOT_DEMO_OFFICERS_FILE
when they fit it, otherwise ambtenaren made up from it: simulation.staff); exits 0 whether or not the
targets were met (the report says so), 1 on a broken configuration.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from wijkbot.cli_output import fail
from wijkbot.settings import Settings


def register(sub: Any) -> None:
    simulate = sub.add_parser("simulate", help="simuleer bewoners en ambtenaren over een aantal dagen (nep-klok)")
    simulate.add_argument("--days", type=int, default=30, help="aantal kalenderdagen (standaard 30)")
    simulate.add_argument("--residents", type=int, default=500, help="aantal bewoners, elk met één melding")
    simulate.add_argument("--seed", type=int, default=1, help="zaadje voor het toeval (zelfde zaadje, zelfde uitkomst)")
    simulate.add_argument("--rules", help="map met de configuratie van de gemeente (standaard: WIJKBOT_RULES_DIR)")
    simulate.add_argument("--json", action="store_true", help="het rapport als JSON")

    async def run(args: argparse.Namespace, settings: Settings) -> int:
        return await cmd_simulate(args, settings)

    simulate.set_defaults(func=run)


async def cmd_simulate(args: argparse.Namespace, settings: Settings) -> int:
    from wijkbot.rulefiles import RuleFileError
    from wijkbot.simulation import format_report, simulate
    from wijkbot.simulation.report import to_json

    if args.days < 1 or args.residents < 1:
        return fail("--days en --residents moeten minstens 1 zijn")
    rules_dir = Path(args.rules) if args.rules else settings.rules_dir
    try:
        report = await simulate(args.days, args.residents, args.seed, rules_dir, settings.locales_dir,
                                settings.demo_officers_file)
    except RuleFileError as error:
        return fail(str(error))
    print(to_json(report) if args.json else format_report(report, args.days, args.residents, args.seed))
    return 0
