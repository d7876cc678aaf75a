"""Signing in to the inbox: password check with throttling per account and per client address.

Invariants: after `max_per_account` failed attempts for one e-mail address, or `max_per_address` from one
client address, within the window, further attempts are refused without checking the password until the
oldest failure leaves the window; the answer never tells whether an e-mail address has an account; a
disabled account, or one without a password, cannot sign in; a success clears the account's failures;
signing out ends every session of the account (its session epoch moves on). Log lines name the account by its
internal id at most: never the e-mail address typed, never the client address.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import update

from wijkbot.domain.access import Person
from wijkbot.ports import Clock
from wijkbot.services.passwords import PasswordHasher
from wijkbot.services.people import People, Profile
from wijkbot.storage import people
from wijkbot.storage.db import Database
from wijkbot.storage.tables import accounts

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Throttle:
    max_per_account: int = 5
    max_per_address: int = 20
    window: timedelta = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class LoginResult:
    """Either a person with their session epoch, or a refusal (`retry_after` seconds when throttled)."""

    person: Person | None = None
    epoch: int = 0
    retry_after: int | None = None


class Login:
    def __init__(self, db: Database, directory: People, hasher: PasswordHasher, clock: Clock,
                 throttle: Throttle | None = None) -> None:
        self.db = db
        self.directory = directory
        self.hasher = hasher
        self.clock = clock
        self.throttle = throttle or Throttle()

    async def sign_in(self, email: str, password: str, address: str) -> LoginResult:
        email = email.strip().lower()[:320]
        now = self.clock()
        since = now - self.throttle.window
        async with self.db.read() as conn:
            by_account = await people.failures_since(conn, since, email=email)
            by_address = await people.failures_since(conn, since, address=address)
        waits = {kind: max(1, math.ceil((oldest + self.throttle.window - now).total_seconds()))
                 for kind, (count, oldest), limit in (("account", by_account, self.throttle.max_per_account),
                                                      ("address", by_address, self.throttle.max_per_address))
                 if count >= limit and oldest is not None}
        if waits:
            log.warning("sign-in throttled (%s): refused without a password check, retry after %d s",
                        " and ".join(waits), max(waits.values()))
            return LoginResult(retry_after=max(waits.values()))
        profile = await self.directory.by_email(email) if email else None
        usable = profile is not None and profile.has_account and profile.active
        stored_hash = None
        epoch = 0
        if usable and profile is not None:
            async with self.db.read() as conn:
                account = await people.account(conn, profile.officer_id)
            stored_hash = account["password_hash"] if account else None
            epoch = int(account["session_epoch"]) if account else 0
        if not await self.hasher.verify(stored_hash, password) or profile is None:
            async with self.db.write() as conn:
                await people.record_failure(conn, email, address, now, now - self.throttle.window * 4)
            log.info("sign-in refused: %s", _why_refused(profile, stored_hash))
            return LoginResult()
        async with self.db.write() as conn:
            await people.clear_failures(conn, email)
        log.info("signed in: account %d", profile.officer_id)
        return LoginResult(person=profile.person(), epoch=epoch)

    async def sign_out(self, officer_id: int, epoch: int) -> None:
        """End this session and every other one of the account: the cookie is the whole session, so a copy
        of it (another device, a stolen cookie) stays valid unless the account's session epoch moves on.
        A session that was already ended changes nothing."""
        async with self.db.write() as conn:
            await conn.execute(update(accounts).where(accounts.c.officer_id == officer_id,
                                                      accounts.c.session_epoch == epoch)
                               .values(session_epoch=accounts.c.session_epoch + 1))

    async def current(self, officer_id: int, epoch: int) -> Person | None:
        """The person behind a session, if the account is still active and the session not revoked."""
        async with self.db.read() as conn:
            account = await people.account(conn, officer_id)
        if account is None or not account["active"] or int(account["session_epoch"]) != epoch:
            return None
        profile = await self.directory.get(officer_id)
        return profile.person() if profile else None


def _why_refused(profile: Profile | None, stored_hash: str | None) -> str:
    """Why a sign-in failed, for the operator's log: the account's internal id at most, never the e-mail."""
    if profile is None or not profile.has_account:
        return "no such account"
    if not profile.active:
        return f"account {profile.officer_id} is switched off"
    if stored_hash is None:
        return f"account {profile.officer_id} has no password yet"
    return f"wrong password for account {profile.officer_id}"
