"""Pacing: a burst to many residents stays within Telegram's limits (the fake enforces them) and loses nothing."""

from __future__ import annotations

import asyncio
import heapq
from collections.abc import AsyncIterator

import pytest

from tests.channels.telegram.conftest import TelegramWorld, open_world
from tests.support.fake_telegram import FakeTelegram, Sent
from wijkbot.channels.telegram_pacing import Busy, Pacer
from wijkbot.testing import FrozenClock

RESIDENTS = 60


def busiest_second(times: list[float]) -> int:
    times = sorted(times)
    best, start = 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


def closest_gap_per_chat(sent: list[Sent]) -> float:
    by_chat: dict[int, list[float]] = {}
    for s in sent:
        by_chat.setdefault(s.chat_id, []).append(s.at)
    gaps = [b - a for times in by_chat.values() for a, b in zip(sorted(times), sorted(times)[1:], strict=False)]
    return min(gaps, default=float("inf"))


@pytest.fixture
async def paced_world(tmp_path, clock: FrozenClock, fake: FakeTelegram) -> AsyncIterator[TelegramWorld]:
    fake.enforce_limits = True
    async with open_world(f"sqlite:///{tmp_path / 'wijkbot.db'}", clock, fake, "webhook",
                              telegram_seconds_per_chat=1.05) as w:
        yield w


async def test_a_burst_to_many_residents_is_paced_without_a_single_429(paced_world: TelegramWorld,
                                                                       fake: FakeTelegram) -> None:
    chats = [52_000_000 + n for n in range(RESIDENTS)]
    updates = [fake.text(chat, f"Er ligt grofvuil naast de container op de Amsterdamsestraatweg {n}")
               for n, chat in enumerate(chats)]
    await asyncio.gather(*(paced_world.deliver(u) for u in updates))
    await paced_world.received()
    messages = [s for s in fake.sent if s.method == "sendMessage"]
    assert fake.too_many == 0 and fake.count("sendMessage", 429) == 0
    assert sorted(s.chat_id for s in messages) == chats  # everyone answered, exactly once
    assert busiest_second([s.at for s in messages]) <= 30


async def test_messages_to_one_chat_are_a_second_apart(paced_world: TelegramWorld, fake: FakeTelegram) -> None:
    await paced_world.say("/start")
    await paced_world.say("/privacy")
    await paced_world.say("/status")
    sent = [s for s in fake.sent if s.method == "sendMessage"]
    assert len(sent) == 3 and fake.too_many == 0
    assert closest_gap_per_chat(sent) >= 1.0


class VirtualTime:
    """A clock and sleep for the pacer in which concurrent sleepers wake in order of their wake-up time."""

    def __init__(self) -> None:
        self.now = 0.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._count = 0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._count += 1
        heapq.heappush(self._sleepers, (self.now + max(seconds, 0.0), self._count, future))
        await future

    async def settle(self) -> None:
        for _ in range(50):  # let every task run until it sleeps, waits on a lock or ends
            await asyncio.sleep(0)

    async def run(self, tasks: list[asyncio.Future[None]]) -> None:
        await self.settle()
        while not all(t.done() for t in tasks):
            wake, _, future = heapq.heappop(self._sleepers)
            self.now = max(self.now, wake)
            future.set_result(None)
            await self.settle()


async def test_the_pacer_refuses_a_wait_longer_than_the_lease_allows() -> None:
    time = VirtualTime()
    pacer = Pacer(per_second=30, chat_interval=1.0, max_wait=4.5, clock=time, sleep=time.sleep)
    starts: list[float] = []

    async def send_one() -> None:
        async with pacer.turn("chat-1") as turn, turn.slot():
            starts.append(time.now)

    tasks = [asyncio.ensure_future(send_one()) for _ in range(5)]
    await time.settle()  # the first went; four wait for chat-1, a second apart
    with pytest.raises(Busy) as refused:
        async with pacer.turn("chat-1"):
            pass
    assert refused.value.retry_after == pytest.approx(5.0)
    assert pacer.estimate("chat-2") < 1.0  # another resident is not held up by chat-1's queue
    await time.run(tasks)
    assert starts == pytest.approx([0.0, 1.0, 2.0, 3.0, 4.0])


async def test_the_pacer_spreads_a_burst_over_the_global_limit() -> None:
    time = VirtualTime()
    pacer = Pacer(per_second=30, chat_interval=1.0, max_wait=60.0, clock=time, sleep=time.sleep)
    starts: list[float] = []

    async def send_to(chat: str) -> None:
        async with pacer.turn(chat) as turn, turn.slot():
            starts.append(time.now)

    await time.run([asyncio.ensure_future(send_to(f"chat-{n % 45}")) for n in range(90)])
    assert busiest_second(starts) <= 30
    assert max(starts) == pytest.approx(89 / 30 + 2 * 0.05)  # spaced 1/30 s, plus the 50 ms margin per second
    assert sorted(starts) == starts  # first come, first served


async def test_a_request_held_up_on_its_way_counts_until_its_second_has_passed() -> None:
    """We cannot see when Telegram receives a request, only that it is between its start and its answer."""
    time = VirtualTime()
    pacer = Pacer(per_second=5, chat_interval=1.0, max_wait=60.0, clock=time, sleep=time.sleep)
    starts: list[float] = []

    async def slow(chat: str) -> None:
        async with pacer.turn(chat) as turn, turn.slot():
            starts.append(time.now)
            await time.sleep(2.0)  # a busy event loop or a slow network: answered 2 s after the start

    await time.run([asyncio.ensure_future(slow(f"chat-{n}")) for n in range(6)])
    assert starts[:5] == pytest.approx([0.0, 0.2, 0.4, 0.6, 0.8])
    assert starts[5] == pytest.approx(2.0 + 1.05)  # after the first answer, plus a second and the margin
