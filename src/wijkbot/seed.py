"""Seeds demo ambtenaren so `make run` shows assignment to named people out of the box.

Invariants: idempotent (an officer whose e-mail exists is left alone); team ids are checked against the
loaded rule set, so a demo file cannot point at a team that does not exist.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import insert

from wijkbot.domain.rules import RuleProblem
from wijkbot.ports import system_clock
from wijkbot.rulefiles import RuleFileError, load_officers, load_rules
from wijkbot.settings import Settings
from wijkbot.storage import repository
from wijkbot.storage.db import Database
from wijkbot.storage.migrate import migrate
from wijkbot.storage.tables import officer_wijken


async def seed_officers(settings: Settings, path: Path) -> int:
    rules = load_rules(settings.rules_dir)
    team_ids = {t.id for t in rules.teams}
    officers = load_officers(path)
    unknown = [RuleProblem(path.name, o["email"], "teams", f"unknown team '{t}'")
               for o in officers for t in o["teams"] if t not in team_ids]
    if unknown:
        raise RuleFileError(path, unknown)
    db = Database(settings.database_url)
    added = 0
    try:
        await migrate(db)
        async with db.write() as conn:
            for officer in officers:
                if await repository.officer_by_email(conn, officer["email"]) is not None:
                    continue
                new_id = await repository.add_officer(conn, name=officer["name"], email=officer["email"],
                                                      role=officer["role"], teams=officer["teams"], now=system_clock())
                if officer["wijken"]:
                    await conn.execute(insert(officer_wijken), [{"officer_id": new_id, "wijk": w}
                                                                for w in officer["wijken"]])
                added += 1
    finally:
        await db.dispose()
    return added
