"""Repository functions for ambtenaren as inbox users: accounts, roles, teams, set-password links, failed logins.

Invariants: run inside the caller's transaction; a password is only ever stored as its argon2id hash and a
link only as the SHA-256 of its token; an officer's roles are officers.role plus any rows in officer_roles.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from wijkbot.storage.repository import OPEN
from wijkbot.storage.tables import (
    accounts,
    cases,
    login_failures,
    officer_roles,
    officer_teams,
    officer_wijken,
    officers,
    password_links,
)


async def officer_ids_by_email(conn: AsyncConnection, emails: Iterable[str]) -> dict[str, int]:
    wanted = [e.strip().lower() for e in emails]
    rows = await conn.execute(select(officers.c.id, officers.c.email).where(func.lower(officers.c.email).in_(wanted)))
    return {r.email.lower(): int(r.id) for r in rows}


async def profile(conn: AsyncConnection, officer_id: int) -> dict[str, Any] | None:
    """An officer with roles, teams and wijken (plain lists), or None."""
    return (await profiles(conn, [officer_id])).get(officer_id)


async def profiles(conn: AsyncConnection, officer_ids: Iterable[int] | None = None) -> dict[int, dict[str, Any]]:
    """Officers (all, or the given ids) with account state, roles, teams and wijken."""
    query = (select(officers, accounts.c.active.label("account_active"), accounts.c.password_hash,
                    accounts.c.session_epoch, accounts.c.officer_id.label("has_account"))
             .outerjoin(accounts, accounts.c.officer_id == officers.c.id).order_by(officers.c.name))
    ids = None if officer_ids is None else list(officer_ids)
    if ids is not None:
        if not ids:
            return {}
        query = query.where(officers.c.id.in_(ids))
    found: dict[int, dict[str, Any]] = {}
    for row in (await conn.execute(query)).mappings():
        found[int(row["id"])] = dict(row) | {"roles": [row["role"]], "teams": [], "wijken": [],
                                             "password_set": row["password_hash"] is not None}
    if not found:
        return found
    keys = list(found)
    for table, column, target in ((officer_roles, officer_roles.c.role, "roles"),
                                  (officer_teams, officer_teams.c.team, "teams"),
                                  (officer_wijken, officer_wijken.c.wijk, "wijken")):
        rows = await conn.execute(select(table.c.officer_id, column).where(table.c.officer_id.in_(keys))
                                  .order_by(column))
        for officer_id, value in rows:
            if value not in found[officer_id][target]:
                found[officer_id][target].append(value)
    return found


async def add_account(conn: AsyncConnection, officer_id: int, now: datetime) -> None:
    await conn.execute(insert(accounts).values(officer_id=officer_id, active=True, session_epoch=0, created_at=now))


async def account(conn: AsyncConnection, officer_id: int) -> RowMapping | None:
    return (await conn.execute(select(accounts).where(accounts.c.officer_id == officer_id))).mappings().first()


async def active_beheerders(conn: AsyncConnection) -> set[int]:
    """The officers with an active account and the beheerder role.

    The active account rows are locked first (FOR UPDATE on PostgreSQL; SQLite holds the write lock), so two
    transactions that each take away a beheerder run one after the other and the second sees the first.
    """
    active = {int(r.officer_id) for r in await conn.execute(
        select(accounts.c.officer_id).where(accounts.c.active.is_(True)).with_for_update())}
    if not active:
        return set()
    primary = select(officers.c.id).where(officers.c.id.in_(active), officers.c.role == "beheerder")
    extra = select(officer_roles.c.officer_id).where(officer_roles.c.officer_id.in_(active),
                                                      officer_roles.c.role == "beheerder")
    return {int(r[0]) for r in await conn.execute(primary.union(extra))}


async def set_password_hash(conn: AsyncConnection, officer_id: int, password_hash: str, now: datetime) -> None:
    await conn.execute(update(accounts).where(accounts.c.officer_id == officer_id).values(
        password_hash=password_hash, password_set_at=now, session_epoch=accounts.c.session_epoch + 1))


async def set_active(conn: AsyncConnection, officer_id: int, active: bool) -> None:
    await conn.execute(update(accounts).where(accounts.c.officer_id == officer_id).values(
        active=active, session_epoch=accounts.c.session_epoch + 1))
    await conn.execute(update(officers).where(officers.c.id == officer_id).values(available=active))


async def open_cases_of(conn: AsyncConnection, officer_id: int, *, lock: bool = False) -> list[RowMapping]:
    """The open cases an officer is the behandelaar of (id, reference, team, status), oldest first; `lock` takes
    them FOR UPDATE (PostgreSQL; SQLite's write transaction holds the database)."""
    query = (select(cases.c.id, cases.c.reference, cases.c.team, cases.c.status)
             .where(cases.c.officer_id == officer_id, cases.c.status.in_(OPEN)).order_by(cases.c.id))
    return list((await conn.execute(query.with_for_update() if lock else query)).mappings())


async def replace_memberships(conn: AsyncConnection, officer_id: int, *, role: str, extra_roles: Iterable[str],
                              teams: Iterable[str], wijken: Iterable[str]) -> None:
    """Set an officer's primary role, extra roles, teams and wijken (replacing what was there)."""
    await conn.execute(update(officers).where(officers.c.id == officer_id).values(role=role))
    for table, column, values in ((officer_roles, "role", extra_roles), (officer_teams, "team", teams),
                                  (officer_wijken, "wijk", wijken)):
        await conn.execute(delete(table).where(table.c.officer_id == officer_id))
        rows = [{"officer_id": officer_id, column: v} for v in dict.fromkeys(values)]
        if rows:
            await conn.execute(insert(table), rows)


async def add_password_link(conn: AsyncConnection, officer_id: int, token_hash: str, now: datetime,
                            expires_at: datetime) -> None:
    await conn.execute(insert(password_links).values(token_hash=token_hash, officer_id=officer_id, created_at=now,
                                                     expires_at=expires_at))


async def password_link(conn: AsyncConnection, token_hash: str) -> RowMapping | None:
    return (await conn.execute(select(password_links).where(password_links.c.token_hash == token_hash))
            ).mappings().first()


async def use_password_link(conn: AsyncConnection, token_hash: str, now: datetime) -> None:
    await conn.execute(update(password_links).where(password_links.c.token_hash == token_hash).values(used_at=now))


async def record_failure(conn: AsyncConnection, email: str, address: str, now: datetime,
                         forget_before: datetime) -> None:
    """Count one failed login; failures older than `forget_before` are deleted (they no longer matter)."""
    await conn.execute(delete(login_failures).where(login_failures.c.at < forget_before))
    await conn.execute(insert(login_failures).values(at=now, email=email[:320], address=address[:64]))


async def failures_since(conn: AsyncConnection, since: datetime, *, email: str | None = None,
                         address: str | None = None) -> tuple[int, datetime | None]:
    """Failed logins since `since` for an e-mail or an address, and the oldest of them."""
    query = select(func.count(), func.min(login_failures.c.at)).where(login_failures.c.at >= since)
    if email is not None:
        query = query.where(login_failures.c.email == email[:320])
    if address is not None:
        query = query.where(login_failures.c.address == address[:64])
    count, oldest = (await conn.execute(query)).one()
    return int(count), oldest


async def clear_failures(conn: AsyncConnection, email: str) -> None:
    await conn.execute(delete(login_failures).where(login_failures.c.email == email[:320]))
