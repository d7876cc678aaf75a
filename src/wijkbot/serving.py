"""Running the service as a process: listen, start the workers, wait for SIGINT or SIGTERM, shut down in order.

Invariants: a port that cannot be used stops start-up with a Dutch message that names the setting to change; so
does a session key that cannot be made or kept (checked first, before the database is opened);
shutdown stops taking messages first (the web server), then finishes the deliveries already queued, then closes
the database, so no accepted message and no queued answer is lost.
"""

from __future__ import annotations

import asyncio
import errno
import gc
import logging
import signal
import socket
from contextlib import suppress

from aiohttp import web

from wijkbot.app import build
from wijkbot.keys import session_key
from wijkbot.rulefiles import check_examples
from wijkbot.settings import Settings
from wijkbot.storage.db import sqlite_folder

log = logging.getLogger("wijkbot")


class PortUnavailable(RuntimeError):
    """The web server cannot listen where the settings say."""


def quiet_http_library() -> None:
    """aiohttp's server logger writes a malformed request's raw first line (path and query string) at DEBUG: keep
    it at INFO or above even when WIJKBOT_LOG_LEVEL=DEBUG. Its errors (a failure outside our middleware) stay."""
    server_log = logging.getLogger("aiohttp.server")
    server_log.setLevel(max(logging.INFO, logging.getLogger().getEffectiveLevel()))


def listen_problem(error: OSError) -> str:
    """Why the service cannot listen, in Dutch, with the setting to change (the OS's own words are English)."""
    if error.errno == errno.EADDRINUSE:
        return "de poort is al in gebruik (kies een andere met WIJKBOT_PORT)"
    if error.errno == errno.EADDRNOTAVAIL:
        return ("dit adres hoort niet bij deze machine (kies een ander met WIJKBOT_HOST, bijvoorbeeld 127.0.0.1 of "
                "0.0.0.0)")
    if error.errno == errno.EACCES:
        return ("geen toestemming voor deze poort (poorten onder 1024 vragen rechten: kies een andere met "
                "WIJKBOT_PORT)")
    if isinstance(error, socket.gaierror):
        return "deze naam is onbekend (controleer WIJKBOT_HOST)"
    return f"{error.strerror or type(error).__name__} (controleer WIJKBOT_HOST en WIJKBOT_PORT)"


async def serve(settings: Settings) -> None:
    """Run the service until SIGINT or SIGTERM, then shut down cleanly."""
    quiet_http_library()
    # A mistyped SQLite folder is refused first: the session key would otherwise make the folder beside it.
    sqlite_folder(settings.database_url, create=settings.database_is_default)
    session_key(settings)  # a key that cannot be made or kept stops start-up before the database is opened
    bot = await build(settings)
    # aiohttp's own access log stays off: it writes the raw path and query string (session ids, tokens) and the
    # client address. wijkbot.web.server logs one line per request with the route pattern instead.
    runner = web.AppRunner(bot.web_app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, settings.host, settings.port)
    try:
        await site.start()
    except OSError as error:  # the port is taken (another wijkbot?) or not ours to use
        await runner.cleanup()
        await bot.close()
        raise PortUnavailable(f"kan niet luisteren op {settings.host}:{settings.port}: "
                              f"{listen_problem(error)}") from error
    await bot.start_workers()
    # Example sentences that route otherwise than the rule files say are a warning, not a refusal (the service
    # routes; a beheerder tunes): check-rules fails on them, so the log says so too.
    off = check_examples(bot.rules, bot.router)
    if off:
        log.warning("%d example sentence(s) in %s route differently than the rule files say; run `wijkbot check-rules"
                    " %s` to see which", len({(p.rule, p.key.split(".")[0]) for p in off}), settings.rules_dir,
                    settings.rules_dir)
    gc.freeze()  # start-up objects (rules, indexes, catalogs) never die: keep them out of every GC pass
    # Fewer, not longer, collections: full passes over a large heap stalled requests by 30-60 ms at p99.
    gc.set_threshold(50_000, 50, 100)
    log.info("wijkbot for %s listening on http://%s:%s (database: %s, log level %s%s)", bot.rules.municipality.name,
             settings.host, settings.port, "sqlite" if bot.db.is_sqlite else "postgresql", settings.log_level,
             "" if settings.log_level == "DEBUG" else "; access lines of 2xx/3xx requests only at DEBUG")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    log.info("shutting down: no new messages, finishing deliveries")
    # First stop listening and let the requests in flight finish (their messages are stored and their answers
    # queued), then stop the workers (a poller's last batch is stored too), then send what is queued: draining
    # before the requests finished left a burst's answers in the outbox until the next start.
    await runner.cleanup()
    await bot.stop_workers()
    try:
        await bot.delivery.drain()
    except Exception:  # the database went away: the answers stay queued and go at the next start
        log.exception("queued answers not sent before stopping; they are kept for the next start")
    await bot.close()
    log.info("stopped")
