"""Seeds demo ambtenaren so `make run` shows assignment to named people out of the box.

Invariants: idempotent (an officer whose e-mail exists is left alone); team ids are checked against the
loaded rule set, so a demo file cannot point at a team that does not exist. A demo file named on purpose
(--file, WIJKBOT_DEMO_OFFICERS_FILE) that does not fit is an error; the default file (Utrecht's) under another
municipality's rules is replaced by two made-up accounts (`fitting_officers`), so `make run` works for any
municipality by configuration alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wijkbot.domain.rules import RuleProblem, RuleSet
from wijkbot.ports import system_clock
from wijkbot.rulefiles import RuleFileError, load_officers, load_rules
from wijkbot.settings import Settings
from wijkbot.simulation.staff import demo_officers
from wijkbot.storage import repository
from wijkbot.storage.db import Database
from wijkbot.storage.migrate import migrate


def fitting_officers(rules: RuleSet, path: Path) -> tuple[list[dict[str, Any]], str]:
    """The default demo file's ambtenaren when they fit these rules; else one demo ambtenaar of each role (a
    behandelaar and a teamleider of every vakdienst's team, a wijkregisseur of every area in the triage teams, a
    beheerder),
    so a trial can see every view (the digest is the wijkregisseur's), with why (in Dutch) the file was not
    used."""
    officers, not_used = demo_officers(rules, path)
    if not not_used:
        return officers, ""
    # The triage teams are the wijkregisseur's: in them, the demo behandelaar and teamleider would be handed the
    # triage and acute cases that the resident is told the wijkregisseur reads (assignment knows no roles).
    triage_teams = [team.id for team in rules.teams if team.department == rules.municipality.triage_department]
    every_team = [team.id for team in rules.teams if team.id not in triage_teams] or triage_teams
    domain = f"{rules.municipality.id}.example.org"
    return [
        {"name": "Demo Behandelaar", "email": f"demo.behandelaar@{domain}", "role": "behandelaar",
         "teams": every_team, "wijken": []},
        {"name": "Demo Teamleider", "email": f"demo.teamleider@{domain}", "role": "teamleider",
         "teams": every_team, "wijken": []},
        {"name": "Demo Wijkregisseur", "email": f"demo.wijkregisseur@{domain}", "role": "wijkregisseur",
         "teams": triage_teams or every_team, "wijken": list(rules.wijken)},
        {"name": "Demo Beheerder", "email": f"demo.beheerder@{domain}", "role": "beheerder",
         "teams": [], "wijken": []},
    ], not_used


async def seed_officers(settings: Settings, path: Path, officers: list[dict[str, Any]] | None = None) -> int:
    rules = load_rules(settings.rules_dir)
    team_ids = {t.id for t in rules.teams}
    officers = load_officers(path) if officers is None else officers
    unknown = [RuleProblem(path.name, o["email"], "teams", f"onbekend team '{t}'")
               for o in officers for t in o["teams"] if t not in team_ids]
    if unknown:
        raise RuleFileError(path, unknown)
    db = Database(settings.database_url, create_directory=settings.database_is_default)
    added = 0
    try:
        await migrate(db)
        async with db.write() as conn:
            for officer in officers:
                if await repository.officer_by_email(conn, officer["email"]) is not None:
                    continue
                await repository.add_officer(conn, name=officer["name"], email=officer["email"], role=officer["role"],
                                             teams=officer["teams"], wijken=officer["wijken"], now=system_clock())
                added += 1
    finally:
        await db.dispose()
    return added


async def seed_accounts(settings: Settings, path: Path, officers: list[dict[str, Any]] | None = None) -> list[str]:
    """Inbox accounts for the demo ambtenaren; returns what to print.

    A new demo account gets no password: a one-time set-password link is printed for it (once, on the
    seed that creates it). Only when WIJKBOT_DEMO_PASSWORD is set explicitly do demo accounts without a
    password get that one, for demos; there is never a default password.
    """
    from wijkbot.services.passwords import PasswordHasher
    from wijkbot.services.people import People
    from wijkbot.storage import people as people_rows

    rules = load_rules(settings.rules_dir)
    emails = [o["email"] for o in (load_officers(path) if officers is None else officers)]
    db = Database(settings.database_url, create_directory=settings.database_is_default)
    lines: list[str] = []
    try:
        hasher = PasswordHasher(settings.password_hash_time_cost, settings.password_hash_memory_kib)
        directory = People(db, rules, system_clock, hasher, settings.password_link_hours)
        async with db.read() as conn:
            ids = await people_rows.officer_ids_by_email(conn, emails)
        created = await directory.ensure_accounts(list(ids.values()))
        base = (settings.public_url or f"http://{settings.host}:{settings.port}").rstrip("/")
        demo = settings.demo_password.get_secret_value() if settings.demo_password else None
        profiles = {p.officer_id: p for p in await directory.all()}
        for officer_id in created:
            profile = profiles[officer_id]
            if demo:
                await directory.set_password(officer_id, demo)
                continue
            token = await directory.password_link(officer_id, by="seed-demo")
            lines.append(f"  {profile.name} ({', '.join(profile.roles)}): {base}/inbox/wachtwoord/{token}")
        if created and demo:
            lines.insert(0, f"{len(created)} demo-accounts kregen het wachtwoord uit WIJKBOT_DEMO_PASSWORD")
        elif created:
            hours = settings.password_link_hours
            lines.insert(0, f"{len(created)} demo-accounts voor de inbox; kies een wachtwoord via een eenmalige link "
                            f"({hours} uur geldig; later: wijkbot users set-password-link EMAIL):")
    finally:
        await db.dispose()
    return lines
