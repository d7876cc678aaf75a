"""A failure that repeats, logged so an operator can read the log: the first time with its traceback, then at most
one line a minute while it lasts, and one line when it works again.

Invariants: never more than one line per `every` seconds per worker while a failure lasts (an operator's trial
stopped PostgreSQL and got 2,313 lines in 36 seconds: a traceback every 2 seconds from delivery and one per
follow-up run); the error's type is named, never its text (it may quote data).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable


class Outage:
    """One worker's view of a failure that may repeat."""

    def __init__(self, log: logging.Logger, what: str, every: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.log = log
        self.what = what
        self.every = every
        self.clock = clock
        self.failures = 0
        self._since = 0.0
        self._last = 0.0

    def failed(self, error: BaseException) -> None:
        now = self.clock()
        self.failures += 1
        if self.failures == 1:
            self._since = self._last = now
            self.log.error("%s failed; will retry", self.what, exc_info=error)
        elif now - self._last >= self.every:
            self._last = now
            self.log.warning("%s still failing (%d times in %.0f s, now %s); will retry", self.what, self.failures,
                             now - self._since, type(error).__name__)

    def succeeded(self) -> None:
        if self.failures:
            self.log.warning("%s works again after %d failure(s) in %.0f s", self.what, self.failures,
                             self.clock() - self._since)
            self.failures = 0


def guarded(job: Callable[[], Awaitable[object]], outage: Outage) -> Callable[[], Awaitable[None]]:
    """`job` for a scheduler: its failures go to `outage` instead of a traceback per run."""

    async def run() -> None:
        try:
            await job()
        except Exception as error:
            outage.failed(error)
        else:
            outage.succeeded()

    run.__name__ = getattr(job, "__name__", "job")
    return run


# asyncpg's own errors for a server that went away or is shutting down (this layer does not import the driver)
_GONE = frozenset({"CannotConnectNowError", "ConnectionDoesNotExistError", "ConnectionFailureError",
                   "AdminShutdownError", "TooManyConnectionsError"})


def unreachable(error: BaseException) -> bool:
    """Whether the error, or one it came from, is a database (or other service) that cannot be reached: a
    connection refused, reset or timed out, or a PostgreSQL server that shut down. An operator's trial stopped
    PostgreSQL: every chat message got a 500 with a traceback in the log, where 503 with Retry-After is meant."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, (ConnectionError, TimeoutError)) or type(current).__name__ in _GONE:
            return True
        current = current.__cause__ or current.__context__
    return False
