"""Telegram burst benchmark: 500 residents write at once; how close does outbound delivery get to 30 messages/s?

Runs the real service (`wijkbot serve`) in a subprocess on a temporary SQLite database, with its Telegram channel
pointed at the fake Bot API of the test suite (tests/support/fake_telegram.py) in this process, over real HTTP.
The fake enforces Telegram's limits as strictly as it can: a send that would make more than 30 in any second,
or a second message to one chat within a second, is answered 429 with retry_after. Each resident sends /start
and a melding (webhook mode: the fake posts the updates to the service's webhook route), so every resident gets
two messages (the welcome and the acknowledgement with its reference) and both limits are in play.

Prints: messages delivered (and whether any resident got one twice or none), messages/s over the delivery period
against the 30/s limit, the busiest second, the highest rate to one chat and the closest two messages to one
chat, the number of 429s, and the total time from the first update to the last delivery.
Usage: python benchmarks/telegram_burst.py [--residents 500] [--polling]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.fake_telegram import FakeTelegram  # noqa: E402

TEXTS = [
    "Er ligt al een week grofvuil naast de container op de Amsterdamsestraatweg",
    "De lantaarnpaal in de Kanaalstraat is kapot",
    "Veel hondenpoep op het grasveld bij de Croeselaan",
    "Er zit een gat in de stoep van de Biltstraat",
]
LIMIT = 30


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def busiest_second(times: list[float]) -> int:
    times, best, start = sorted(times), 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


async def wait_until(check, seconds: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def run(residents: int, polling: bool) -> None:
    fake = FakeTelegram()
    await fake.start()
    fake.enforce_limits = True
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        env = os.environ | {
            "WIJKBOT_DATABASE_URL": f"sqlite:///{Path(tmp) / 'bench.db'}", "WIJKBOT_PORT": str(port),
            "WIJKBOT_RULES_DIR": str(ROOT / "routing_rules" / "utrecht"), "WIJKBOT_LOG_LEVEL": "WARNING",
            "WIJKBOT_TELEGRAM_TOKEN": fake.token, "WIJKBOT_TELEGRAM_API_URL": fake.url,
            "WIJKBOT_TELEGRAM_POLL_TIMEOUT": "5",
        }
        if not polling:
            env["WIJKBOT_TELEGRAM_WEBHOOK_URL"] = f"http://127.0.0.1:{port}/telegram/webhook"
        wijkbot = [sys.executable, "-m", "wijkbot"]
        subprocess.run([*wijkbot, "seed-demo"], env=env, check=True, capture_output=True)
        service = subprocess.Popen([*wijkbot, "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True)
        try:
            await wait_ready(f"http://127.0.0.1:{port}/health")
            if not polling:
                await wait_until(lambda: fake.webhook is not None, 30, "setWebhook")
            chats = [60_000_000 + n for n in range(residents)]
            updates = [u for n, chat in enumerate(chats)
                       for u in (fake.text(chat, "/start"), fake.text(chat, TEXTS[n % len(TEXTS)]))]
            started = time.monotonic()
            await hand_over(fake, updates, polling)
            expected = 2 * residents
            await wait_until(lambda: fake.count("sendMessage", 200) >= expected, 600, f"{expected} deliveries")
            await asyncio.sleep(2.0)  # anything sent twice would show up now
            report(fake, chats, started, polling)
        finally:
            service.send_signal(signal.SIGTERM)
            service.communicate(timeout=60)
            await fake.stop()


async def wait_ready(url: str) -> None:
    async with aiohttp.ClientSession() as http:
        for _ in range(600):
            try:
                async with http.get(url) as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise SystemExit("the service did not start")


async def hand_over(fake: FakeTelegram, updates: list[dict], polling: bool) -> None:
    if polling:
        for update in updates:
            fake.enqueue(update)
        return
    gate = asyncio.Semaphore(64)  # Telegram opens up to 40 connections to a webhook by default

    async def one(update: dict) -> None:
        async with gate:
            status = await fake.deliver(update)
            if status != 200:
                raise SystemExit(f"webhook answered {status}")

    # A resident's /start comes before their melding; residents write at the same time as each other.
    await asyncio.gather(*(one(u) for u in updates[0::2]))
    await asyncio.gather(*(one(u) for u in updates[1::2]))


def report(fake: FakeTelegram, chats: list[int], started: float, polling: bool) -> None:
    sent = [s for s in fake.sent if s.method == "sendMessage"]
    times = sorted(s.at for s in sent)
    per_chat = Counter(s.chat_id for s in sent)
    gaps: list[float] = []
    by_chat: dict[int, list[float]] = {}
    for s in sent:
        by_chat.setdefault(s.chat_id, []).append(s.at)
    for at in by_chat.values():
        at.sort()
        gaps.extend(b - a for a, b in itertools.pairwise(at))
    period = times[-1] - times[0]
    rate = (len(times) - 1) / period if period > 0 else float("nan")
    closest = min(gaps, default=float("inf"))
    twice = sum(1 for chat in chats if per_chat[chat] > 2)
    missing = sum(1 for chat in chats if per_chat[chat] < 2)
    mode = "polling" if polling else "webhook"
    print(f"Telegram burst: {len(chats)} residents write at once (/start + a melding each), {mode} mode, SQLite")
    print(f"  delivered        {len(sent)} messages; residents missing one: {missing}, residents with extra: {twice}")
    print(f"  outbound rate    {rate:.1f} msg/s over {period:.1f} s ({rate / LIMIT:.0%} of Telegram's {LIMIT}/s)")
    print(f"  busiest second   {busiest_second(times)} messages (limit {LIMIT})")
    print(f"  max per chat     {1 / closest if closest else float('inf'):.2f} msg/s "
          f"(closest two messages to one chat {closest:.3f} s apart; limit 1/s)")
    print(f"  429 answers      {fake.count('sendMessage', 429)}")
    print(f"  total time       {times[-1] - started:.1f} s from the first update to the last delivery")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=500)
    parser.add_argument("--polling", action="store_true", help="hand updates out by getUpdates instead")
    args = parser.parse_args()
    asyncio.run(run(args.residents, args.polling))


if __name__ == "__main__":
    main()
