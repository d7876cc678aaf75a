"""Wiring of the X channel for the composition root: the guard and reply routes always (the inbox asks them),
the adapter and the pollers only when X credentials are set.

Invariants: without credentials nothing of X runs and nothing reaches X; with credentials X refuses, the
channel stops itself (see services/x_guard.py) and the service runs on; the polling task stops with the
other workers and the HTTP session is closed with the service.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

from wijkbot.channels.x import Credentials, XChannel
from wijkbot.domain.x import Limits, Stream
from wijkbot.ports import Clock
from wijkbot.services.inbound import Inbound
from wijkbot.services.texts import Texts
from wijkbot.services.x_guard import XGuard
from wijkbot.services.x_polling import XPoller
from wijkbot.services.x_replies import XReplies
from wijkbot.settings import Settings
from wijkbot.storage.db import Database

log = logging.getLogger("wijkbot.x")


@dataclass
class XParts:
    """The X channel's pieces; `channel` and `poller` are None when X is switched off."""

    guard: XGuard
    replies: XReplies
    channel: XChannel | None = None
    poller: XPoller | None = None
    _tasks: list[asyncio.Task[Any]] = field(default_factory=list)

    def start(self, stop: asyncio.Event) -> list[asyncio.Task[Any]]:
        """The polling task (checks the credentials first, then polls both streams until `stop`)."""
        if self.poller is None:
            return []
        self._tasks = [asyncio.create_task(self._run(self.poller, stop), name="x-polling")]
        return self._tasks

    async def _run(self, poller: XPoller, stop: asyncio.Event) -> None:
        try:
            await poller.start()
        except Exception:  # e.g. the database is away for a moment: the pollers check again on their own
            log.exception("X channel start-up check failed; polling goes on")
        await asyncio.gather(poller.run(Stream.MENTIONS, stop), poller.run(Stream.DM_EVENTS, stop))

    async def close(self) -> None:
        if self.channel is not None:
            await self.channel.close()


def limits_from(settings: Settings) -> Limits:
    return Limits(reads=settings.x_budget_reads, writes=settings.x_budget_writes, amount=settings.x_budget_amount,
                  price_read=settings.x_price_read, price_write=settings.x_price_write)


def _secret(value: Any) -> str | None:
    return value.get_secret_value() if value is not None else None


def build_x(settings: Settings, db: Database, inbound: Inbound, texts: Texts, clock: Clock) -> XParts:
    guard = XGuard(db, limits_from(settings), clock, texts, enabled=settings.x_enabled)
    replies = XReplies(db, texts, clock)
    parts = XParts(guard, replies)
    if not settings.x_enabled:
        return parts
    credentials = Credentials(
        bearer_token=_secret(settings.x_bearer_token), consumer_key=_secret(settings.x_api_key),
        consumer_secret=_secret(settings.x_api_secret), access_token=_secret(settings.x_access_token),
        access_token_secret=_secret(settings.x_access_token_secret),
    )
    parts.channel = XChannel(credentials, guard, replies.route, clock, api_url=settings.x_api_url,
                             account_id=settings.x_account_id)
    parts.poller = XPoller(db, inbound, parts.channel, guard, clock, {
        Stream.MENTIONS: settings.x_mentions_interval_seconds, Stream.DM_EVENTS: settings.x_dm_interval_seconds,
    }, account_id=settings.x_account_id, texts=texts)
    # Debug only: every CLI command builds the service; "X channel running" is logged when the pollers start.
    log.debug("X channel configured (%s)", "OAuth 1.0a" if credentials.oauth1 else "OAuth 2.0 token")
    return parts
