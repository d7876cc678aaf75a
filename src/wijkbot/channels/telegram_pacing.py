"""Outbound pacing for the Telegram Bot API: about 30 messages a second overall, one a second per chat.

Invariants (per process): every send first waits for its chat's turn (FIFO, so a resident's messages and the
parts of one long message keep their order and are at least `chat_interval` apart) and then for a global slot:
slots are spaced 1/`per_second` apart, and, measured on the moments sends really start (a busy event loop can
wake several late at once), never more than `per_second` of them fall within 1 s plus a safety `margin`, so
network jitter does not push Telegram's count over its limit; a send that would have to wait longer than
`max_wait` is not started at all but refused with `Busy(retry_after)`, so the outbox row goes back with a due
time instead of being held past its lease (storage.outbox.LEASE, 60 s) and claimed, and sent, a second time;
a 429 pushes the chat and the global clock back by its retry_after. Memory stays bounded: idle chats are forgotten once
their interval has passed. Several processes each pace on their own: run Telegram delivery in one process,
or divide `per_second` between them.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

SWEEP_ABOVE = 1000  # chats remembered before idle ones are dropped


class Busy(Exception):
    """The send would wait too long for its turn; try again after `retry_after` seconds."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"paced: next slot in {retry_after:.1f} s")
        self.retry_after = retry_after


@dataclass
class _Chat:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    pending: int = 0  # parts queued or in flight for this chat
    last: float = float("-inf")  # when the last part to this chat started


class Turn:
    """One message's turn in its chat: `await turn.go()` before each part."""

    def __init__(self, pacer: Pacer, chat: _Chat) -> None:
        self._pacer = pacer
        self._chat = chat
        self.used = 0

    async def go(self) -> None:
        await self._pacer._wait_for_slot(self._chat)
        self.used += 1


class Pacer:
    def __init__(self, per_second: float = 29.0, chat_interval: float = 1.05, max_wait: float = 20.0,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[object]] = asyncio.sleep, margin: float = 0.05) -> None:
        if per_second <= 0 or chat_interval < 0:
            raise ValueError("per_second must be positive and chat_interval not negative")
        self.spacing = 1.0 / per_second
        self.window = 1.0 + margin
        self._started: deque[float] = deque(maxlen=max(int(per_second), 1))
        self.chat_interval = chat_interval
        self.max_wait = max_wait
        self._clock = clock
        self._sleep = sleep
        self._chats: dict[str, _Chat] = {}
        self._next_slot = float("-inf")
        self._pending = 0

    def estimate(self, key: str, parts: int = 1) -> float:
        """Seconds until the first of `parts` new parts to chat `key` could start."""
        now = self._clock()
        chat = self._chats.get(key)
        chat_wait = 0.0
        if chat is not None:
            chat_wait = max(0.0, chat.last + self.chat_interval - now) + chat.pending * self.chat_interval
        global_wait = max(0.0, self._next_slot - now) + self._pending * self.spacing
        return max(chat_wait, global_wait)

    @asynccontextmanager
    async def turn(self, key: str, parts: int = 1, max_wait: float | None = None) -> AsyncIterator[Turn]:
        """Queue `parts` sends to chat `key`; raises Busy instead of queueing past `max_wait`."""
        wait = self.estimate(key, parts)
        if wait > (self.max_wait if max_wait is None else max_wait):
            raise Busy(wait)
        if len(self._chats) > SWEEP_ABOVE:
            self._sweep()
        chat = self._chats.setdefault(key, _Chat())
        chat.pending += parts
        self._pending += parts
        turn = Turn(self, chat)
        try:
            async with chat.lock:
                yield turn
        finally:
            unused = max(parts - turn.used, 0)
            chat.pending -= unused
            self._pending -= unused

    def hold(self, seconds: float, key: str | None = None) -> None:
        """Telegram said 429: nothing more to this chat, nor anything at all, for `seconds`."""
        until = self._clock() + seconds
        self._next_slot = max(self._next_slot, until)
        if key is not None and key in self._chats:
            chat = self._chats[key]
            chat.last = max(chat.last, until - self.chat_interval)

    async def _wait_for_slot(self, chat: _Chat) -> None:
        now = self._clock()
        if chat.last + self.chat_interval > now:
            await self._sleep(chat.last + self.chat_interval - now)
        now = self._clock()
        start = max(now, self._next_slot)
        self._next_slot = start + self.spacing
        if start > now:
            await self._sleep(start - now)
        while len(self._started) == self._started.maxlen:
            wait = self._started[0] + self.window - self._clock()
            if wait <= 1e-6:  # (a float tolerance: a clock read after sleeping exactly `wait` may be 1 ulp short)
                break
            await self._sleep(wait)
        chat.last = self._clock()
        self._started.append(chat.last)  # no await since the check: no other send can slip in between
        chat.pending -= 1
        self._pending -= 1

    def _sweep(self) -> None:
        now = self._clock()
        self._chats = {k: c for k, c in self._chats.items()
                       if c.pending or c.lock.locked() or now - c.last < self.chat_interval}
