"""`wijkbot outbox`: the messages to residents that were given up, behind /health's `outbox_failed_7d`.

Invariants: it only reads (no service is built, nothing is migrated); a line names the outbox row, the case (or
"geen zaak" for a message that belongs to none, such as the answer to /stop), the channel, what kind of message
it was, when it was given up and why in plain Dutch: never the resident's address or the message text (an
operator need not read them to act).
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from wijkbot.settings import Settings

# What kind of message a row was (outbox.purpose), as an operator reads it.
PURPOSES = {"ack": "ontvangstbevestiging", "reply": "antwoord", "update": "voortgangsbericht",
            "status": "statusbericht", "survey": "vraag om een oordeel", "outcome": "uitkomst",
            "notice": "bericht", "catch_up": "antwoord op een gemist bericht",
            "question": "vraag terug (bij een leeg of onduidelijk bericht)", "choice": "vraag bij welke zaak het hoort"}


def _days(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 365:
        raise argparse.ArgumentTypeError(f"{value!r} is geen aantal dagen van 1 tot en met 365")
    return int(value)


def register(sub: Any) -> None:
    listing = sub.add_parser("outbox", help="berichten aan bewoners die niet bezorgd zijn (zonder adres of tekst)")
    listing.add_argument("--days", type=_days, default=7, metavar="DAGEN",
                         help="hoeveel dagen terug (1-365, standaard 7: zoals outbox_failed_7d in /health)")

    async def run(args: argparse.Namespace, settings: Settings) -> int:
        return await cmd_outbox(args, settings)

    listing.set_defaults(func=run)


async def cmd_outbox(args: argparse.Namespace, settings: Settings) -> int:
    # Only reads: no service is built, nothing migrated, no session key made (as `wijkbot show`).
    from wijkbot.rulefiles import load_rules
    from wijkbot.services.delivery import given_up
    from wijkbot.storage.db import Database

    zone = ZoneInfo(load_rules(settings.rules_dir).municipality.timezone)
    db = Database(settings.database_url, create_directory=settings.database_is_default)
    try:
        count, rows = await given_up(db, datetime.now(UTC) - timedelta(days=args.days))
    finally:
        await db.dispose()
    print("\n".join(report(count, rows, args.days, zone)))
    return 0


def report(count: int, rows: list[dict[str, Any]], days: int, zone: ZoneInfo) -> list[str]:
    """The lines `wijkbot outbox` prints for what `given_up` found (`count` in all, the newest as `rows`)."""
    from wijkbot.services.delivery import channel_name

    if not count:
        return [f"geen berichten opgegeven in de laatste {days} dagen"]
    shown = f", de nieuwste {len(rows)} hieronder" if len(rows) < count else ""
    lines = [f"{count} bericht(en) niet bezorgd in de laatste {days} dagen (nieuwste eerst{shown}):"]
    for row in rows:
        case = row["reference"] or "geen zaak"
        kind = PURPOSES.get(str(row["purpose"]), str(row["purpose"]))
        given_up_at = row["next_attempt_at"].astimezone(zone)
        lines.append(f"  rij {row['id']} · {case} · {kind} via {channel_name(str(row['channel']))} · opgegeven "
                     f"{given_up_at:%d-%m-%Y %H:%M} na {row['attempts']} poging(en): {row['reason']}")
    lines.append("Een bericht van een zaak kan opnieuw verstuurd worden op de pagina van die zaak in de inbox.")
    return lines
