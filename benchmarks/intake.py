"""Intake benchmark: messages through the HTTP API into SQLite, as a resident's browser sends them.

Starts the real service (`wijkbot serve`) in a subprocess on a temporary SQLite database, then measures:
  1. sustained throughput (closed loop, many concurrent sessions),
  2. latency at 200 messages/s offered (open loop), p50/p99,
  3. resident-visible time from POST to the acknowledgement being delivered (outbox sent_at), p50/p99,
  4. the service's resident memory (RSS) after start-up with the Utrecht configuration.
Concurrent messages are written together (group commit), so throughput grows with the number of sessions
writing at once; the script prints it for several. The load generator shares the machine with the service.
Usage: python benchmarks/intake.py [--messages 5000] [--concurrency 32 128 256] [--rate 200] [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
TEXTS = [
    "Er ligt al een week grofvuil naast de container op de Amsterdamsestraatweg",
    "De lantaarnpaal in de Kanaalstraat is kapot",
    "Hoe kan ik een nieuw paspoort aanvragen?",
    "Veel hondenpoep op het grasveld bij de Croeselaan",
    "Wij willen een buurtbarbecue organiseren in Lombok",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def wait_ready(url: str) -> None:
    async with aiohttp.ClientSession() as http:
        for _ in range(200):
            try:
                async with http.get(f"{url}/health") as r:
                    if r.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise SystemExit("service did not start")


async def post(http: aiohttp.ClientSession, url: str, session: str, text: str) -> tuple[float, float]:
    started = time.time()
    t0 = time.perf_counter()
    async with http.post(f"{url}/api/webchat/messages", json={"session": session, "text": text}) as r:
        await r.read()
        if r.status != 202:
            raise RuntimeError(f"HTTP {r.status}")
    return started, time.perf_counter() - t0


async def throughput(url: str, total: int, concurrency: int) -> float:
    counter = iter(range(total))
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as http:
        async def worker(w: int) -> None:
            for i in counter:
                await post(http, url, f"tp-{w:03d}-{i:07d}", TEXTS[i % len(TEXTS)])
        t0 = time.perf_counter()
        await asyncio.gather(*(worker(w) for w in range(concurrency)))
        return total / (time.perf_counter() - t0)


async def open_loop(url: str, rate: float, seconds: float) -> tuple[list[float], dict[str, float]]:
    latencies: list[float] = []
    started: dict[str, float] = {}
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
        async def one(i: int) -> None:
            session = f"ol-{i:07d}"
            begin, latency = await post(http, url, session, TEXTS[i % len(TEXTS)])
            latencies.append(latency)
            started[session] = begin
        tasks = []
        t0 = time.perf_counter()
        for i in range(int(rate * seconds)):
            delay = t0 + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(i)))
        await asyncio.gather(*tasks)
    return latencies, started


def ack_times(db: Path, started: dict[str, float]) -> list[float]:
    connection = sqlite3.connect(db)
    rows = connection.execute(
        "SELECT c.address, MIN(o.sent_at) FROM outbox o JOIN contacts c ON c.id = o.contact_id "
        "WHERE o.status = 'sent' AND c.address LIKE 'ol-%' GROUP BY c.address").fetchall()
    connection.close()
    result = []
    for address, sent_at in rows:
        sent = datetime.fromisoformat(sent_at).replace(tzinfo=None)
        sent_epoch = (sent - datetime(1970, 1, 1)).total_seconds()
        result.append(sent_epoch - started[address])
    return result


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[32, 128, 256])
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="wijkbot-bench-"))
    db = tmp / "bench.db"
    port = free_port()
    env = os.environ | {
        "WIJKBOT_DATABASE_URL": f"sqlite:///{db}", "WIJKBOT_PORT": str(port),
        "WIJKBOT_WEBCHAT_CLIENT_RATE_PER_MINUTE": "100000000", "WIJKBOT_LOG_LEVEL": "WARNING",
    }
    wijkbot = str(Path(sys.executable).with_name("wijkbot"))
    subprocess.run([wijkbot, "migrate"], env=env, check=True, capture_output=True)
    subprocess.run([wijkbot, "seed-demo"], env=env, check=True, capture_output=True)
    server = subprocess.Popen([wijkbot, "serve"], env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        await wait_ready(url)
        await asyncio.sleep(1)
        memory = rss_mb(server.pid)
        rates = {c: await throughput(url, args.messages, c) for c in args.concurrency}
        latencies, started = await open_loop(url, args.rate, args.seconds)
        await asyncio.sleep(2)  # let delivery finish
        acks = ack_times(db, started)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}, SQLite (WAL)")
    print(f"memory after start-up (RSS):         {memory:8.1f} MB   (target < 150 MB)")
    for concurrency, rate in rates.items():
        print(f"sustained throughput, {concurrency:3d} sessions:  {rate:8.0f} messages/s   (target >= 1000; "
              f"{args.messages} messages)")
    print(f"latency at {args.rate:.0f} msg/s offered, p50:   {statistics.median(latencies) * 1000:8.1f} ms")
    print(f"latency at {args.rate:.0f} msg/s offered, p99:   {pct(latencies, 99) * 1000:8.1f} ms   (target < 50 ms)")
    print(f"POST -> acknowledgement delivered, p50: {statistics.median(acks) * 1000:6.1f} ms")
    print(f"POST -> acknowledgement delivered, p99: {pct(acks, 99) * 1000:6.1f} ms   (target < 1000 ms; "
          f"{len(acks)} of {len(started)} acknowledged)")


if __name__ == "__main__":
    asyncio.run(main())
