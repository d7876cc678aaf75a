"""Outbound pacing for the Telegram Bot API: about 30 messages a second overall, one a second per chat.

Telegram counts requests when they arrive, and we cannot see that moment: between our decision to send and the
request reaching Telegram lie our own event loop (busy with a burst of inbound messages it can hold a request
back for half a second) and the network. So the rules here are stated on what bounds the arrival: a request
arrives after it started and before its answer came back.

Invariants (per process):
- per chat, FIFO: a resident's messages and the parts of one long message keep their order, and the next one
  starts at least `chat_interval` after the previous one was answered (so they arrive at least that far apart);
- overall, a request starts only while fewer than `per_second` requests are in flight or were answered in the
  last `window` (1 s plus a margin): every request that could arrive within the same second as this one is
  counted, so no second at Telegram ever holds more than `per_second` of ours, however late they leave;
  starts are also spaced 1/`per_second` apart, so a burst is spread rather than bunched;
- a send that would have to wait longer than `max_wait` is not started but refused with `Busy(retry_after)`,
  so the outbox row goes back with a due time instead of being held past its lease (storage.outbox.LEASE,
  60 s) and claimed, and sent, a second time;
- a 429 holds the chat and everything else back by its retry_after;
- memory stays bounded: idle chats are forgotten once their interval has passed.
Several processes each pace on their own: run Telegram delivery in one process, or divide `per_second`.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

SWEEP_ABOVE = 1000  # chats remembered before idle ones are dropped
EPSILON = 1e-6  # a clock read right after sleeping exactly `wait` may be a hair short of it


class Busy(Exception):
    """The send would wait too long for its turn; try again after `retry_after` seconds."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"paced: next slot in {retry_after:.1f} s")
        self.retry_after = retry_after


@dataclass
class _Chat:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    pending: int = 0  # parts queued or in flight for this chat
    last: float = float("-inf")  # when the last request to this chat was answered


class Turn:
    """One message's turn in its chat: `async with turn.slot(): <one request>` for each part."""

    def __init__(self, pacer: Pacer, chat: _Chat) -> None:
        self._pacer = pacer
        self._chat = chat
        self.used = 0

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        await self._pacer._acquire(self._chat)
        self.used += 1
        try:
            yield
        finally:
            self._pacer._release(self._chat)


class Pacer:
    def __init__(self, per_second: float = 29.0, chat_interval: float = 1.05, max_wait: float = 20.0,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[object]] = asyncio.sleep, margin: float = 0.05) -> None:
        if per_second <= 0 or chat_interval < 0:
            raise ValueError("per_second must be positive and chat_interval not negative")
        self.spacing = 1.0 / per_second
        self.limit = max(int(per_second), 1)
        self.window = 1.0 + margin
        self.chat_interval = chat_interval
        self.max_wait = max_wait
        self._clock = clock
        self._sleep = sleep
        self._chats: dict[str, _Chat] = {}
        self._next_slot = float("-inf")
        self._pending = 0
        self._in_flight = 0
        self._answered: deque[float] = deque()  # when recent requests were answered, oldest first
        self._answer = asyncio.Event()

    def estimate(self, key: str, parts: int = 1) -> float:
        """Seconds until the first of `parts` new parts to chat `key` could start (a lower bound)."""
        now = self._clock()
        chat = self._chats.get(key)
        chat_wait = 0.0
        if chat is not None:
            chat_wait = max(0.0, chat.last + self.chat_interval - now) + chat.pending * self.chat_interval
        global_wait = max(0.0, self._next_slot - now) + self._pending * self.spacing
        return max(chat_wait, global_wait)

    @asynccontextmanager
    async def turn(self, key: str, parts: int = 1, max_wait: float | None = None) -> AsyncIterator[Turn]:
        """Queue `parts` requests to chat `key`; raises Busy instead of queueing past `max_wait`."""
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

    async def _acquire(self, chat: _Chat) -> None:
        await self._until(chat.last + self.chat_interval)
        start = max(self._clock(), self._next_slot)
        self._next_slot = start + self.spacing
        await self._until(start)
        while True:
            now = self._clock()
            while self._answered and now - self._answered[0] >= self.window - EPSILON:
                self._answered.popleft()
            if self._in_flight + len(self._answered) < self.limit:
                break
            if self._answered:  # the oldest answer leaves the window
                await self._until(self._answered[0] + self.window)
            else:  # all in flight: wait for one to be answered
                self._answer.clear()
                await self._answer.wait()
        self._in_flight += 1  # no await since the check: no other request can slip in between
        chat.pending -= 1
        self._pending -= 1

    def _release(self, chat: _Chat) -> None:
        now = self._clock()
        self._in_flight -= 1
        self._answered.append(now)
        chat.last = max(chat.last, now)
        self._answer.set()

    async def _until(self, moment: float) -> None:
        wait = moment - self._clock()
        if wait > EPSILON:
            await self._sleep(wait)

    def _sweep(self) -> None:
        now = self._clock()
        self._chats = {k: c for k, c in self._chats.items()
                       if c.pending or c.lock.locked() or now - c.last < self.chat_interval}
