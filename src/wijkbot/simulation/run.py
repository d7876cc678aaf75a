"""The run loop: fake time in steps of 15 minutes, the real service, simulated residents and ambtenaren.

Invariants: at every step, in order: residents' messages due now are received, the outbox is drained, due
follow-ups run, ambtenaren and residents act, the outbox is drained again; every delivery is recorded with
the fake time it left at. The database lives in a temporary directory that is removed afterwards.
Simulated people act only through what real people use: residents through the one door (`Inbound.receive`:
words, commands, button presses), ambtenaren through `Actions`; an action the service refuses is counted,
except a reply refused for /stop, which the ambtenaar keeps as a note as the inbox tells them to.
"""

from __future__ import annotations

import heapq
import itertools
import random
import tempfile
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from wijkbot.app import Wijkbot, build
from wijkbot.domain.model import InboundMessage, OutboundMessage, ReplyAddress
from wijkbot.domain.workdays import add_working_days
from wijkbot.domain.workflow import Status
from wijkbot.services.action_base import ActionError
from wijkbot.services.case_terms import case_policy
from wijkbot.settings import Settings
from wijkbot.simulation import scenario
from wijkbot.simulation.report import Observed, Report, measure
from wijkbot.simulation.staff import add_staff
from wijkbot.storage import tables
from wijkbot.testing import FrozenClock

STEP = timedelta(minutes=15)
CHANNEL = "sim"


@dataclass
class TimedChannel:
    """The residents' channel: records each message with the (fake) moment it was delivered."""

    clock: FrozenClock
    name: str = CHANNEL
    sent: list[tuple[datetime, OutboundMessage]] = field(default_factory=list)

    async def send(self, message: OutboundMessage) -> str | None:
        self.sent.append((self.clock(), message))
        return f"{self.name}-{len(self.sent)}"


@dataclass
class World:
    """What the simulation keeps between steps: the agenda of planned acts and what it has seen."""

    bot: Wijkbot
    clock: FrozenClock
    channel: TimedChannel
    rng: random.Random
    tz: str
    agenda: list[tuple[datetime, int, str, tuple[Any, ...]]] = field(default_factory=list)
    counter: itertools.count[int] = field(default_factory=itertools.count)
    sent_at: dict[str, datetime] = field(default_factory=dict)  # address -> when the melding was sent
    references: dict[str, str] = field(default_factory=dict)  # address -> case reference
    verdicts: dict[str, scenario.Verdict | None] = field(default_factory=dict)
    seen: int = 0
    observed: Observed = field(default_factory=Observed)

    def plan(self, moment: datetime, what: str, *payload: Any) -> None:
        heapq.heappush(self.agenda, (moment, next(self.counter), what, payload))


async def simulate(days: int, residents: int, seed: int, rules_dir: Path | None = None,
                   locales_dir: Path | None = None, demo_officers_file: Path | None = None) -> Report:
    """Run the simulation and return its report (the ambtenaren: see simulation.staff)."""
    with tempfile.TemporaryDirectory(prefix="wijkbot-sim-") as tmp:
        values: dict[str, Any] = {"database_url": f"sqlite:///{Path(tmp) / 'sim.db'}"}
        if rules_dir is not None:
            values["rules_dir"] = rules_dir
        if locales_dir is not None:
            values["locales_dir"] = locales_dir
        if demo_officers_file is not None:
            values["demo_officers_file"] = demo_officers_file
        settings = Settings(**values, _env_file=None)
        tz = "Europe/Amsterdam"
        clock = FrozenClock(scenario.first_monday(tz))
        channel = TimedChannel(clock)
        bot = await build(settings, clock, extra_channels={CHANNEL: channel})
        try:
            staff = await add_staff(bot.db, bot.rules, settings.demo_officers_file, clock())
            tz = bot.rules.municipality.timezone
            world = World(bot, clock, channel, random.Random(seed), tz)
            start = clock()
            end = start + timedelta(days=days)
            todo = scenario.meldingen(world.rng, bot.rules, residents, start, days, tz)
            index = 0
            while clock() < end:
                now = clock()
                while index < len(todo) and todo[index].at <= now:
                    await _send_melding(world, todo[index])
                    index += 1
                await bot.delivery.drain()
                await bot.followups.run_due()
                await bot.delivery.drain()
                while world.agenda and world.agenda[0][0] <= now:
                    _, _, what, payload = heapq.heappop(world.agenda)
                    await _act(world, what, payload)
                await bot.delivery.drain()
                _watch_surveys(world)
                clock.advance(minutes=STEP.total_seconds() / 60)
            report = await measure(bot, channel.sent, world.sent_at, start, clock(), world.observed)
            report.municipality = bot.rules.municipality.name
            report.officers_from_file, report.officers_simulated = staff.from_file, staff.simulated
            report.officers_file, report.officers_file_not_used = staff.demo_file, staff.not_used
            return report
        finally:
            await bot.close()


async def _say(world: World, address: str, text: str, *, command: str | None = None,
               choice: str | None = None) -> None:
    await world.bot.inbound.receive(InboundMessage(
        ReplyAddress(CHANNEL, address), uuid.uuid4().hex, text, world.clock(), command=command, choice=choice))
    if command is None and choice is None and address in world.observed.stopped:
        world.observed.resumed.setdefault(address, world.clock())  # writing again ends the /stop


async def _send_melding(world: World, melding: scenario.Melding) -> None:
    bot = world.bot
    world.sent_at[melding.address] = world.clock()
    result = await bot.inbound.receive(InboundMessage(
        ReplyAddress(CHANNEL, melding.address), uuid.uuid4().hex, melding.text, world.clock()))
    wants_outcome = scenario.stops(world.rng)
    if wants_outcome is not None:
        world.plan(scenario.stop_moment(world.rng, world.clock(), world.tz), "stop", melding.address, wants_outcome)
    if result.reference is None or not result.new_case or result.duplicate:  # a duplicate closes with its lead
        return
    world.references[melding.address] = result.reference
    async with bot.db.read() as conn:
        found = await conn.execute(select(tables.cases).where(tables.cases.c.reference == result.reference))
        case = found.mappings().one()
    if case["duplicate_of"] is not None:  # linked to an open case: closed with its lead, nobody acts on it
        return
    if case["out_of_scope"]:  # closed at once with a pointer to the right place (a passport, 112): nothing to do
        return
    policy = case_policy(bot.rules, case)
    plan = scenario.officer_plan(world.rng, world.clock(), policy.answer_days, world.tz)
    if plan.hand_over_at is not None:
        world.plan(plan.hand_over_at, "hand_over", result.reference)
    if plan.asks:
        world.plan(plan.reply_at, "ask", result.reference)
        delay = scenario.resident_answer_delay(world.rng)
        if delay is None:
            return  # the resident never answers: the policy closes the case
        answer_day = add_working_days(plan.reply_at.date(), delay)
        answer_at = scenario.working_moment(world.rng, answer_day, world.tz)
        world.plan(answer_at, "answer", melding.address)
        close_day = add_working_days(answer_day, world.rng.randint(1, 3))
        world.plan(scenario.working_moment(world.rng, close_day, world.tz, 9, 17), "close", result.reference)
        return
    world.plan(plan.reply_at, "reply", result.reference)
    if plan.planned_for is not None:
        world.plan(plan.reply_at + STEP, "plan", result.reference, plan.planned_for)
    world.plan(plan.close_at, "close", result.reference)


async def _officer_email(world: World, reference: str) -> tuple[str, str] | None:
    """The e-mail address of the case's ambtenaar (or one of its team), and the case's department."""
    async with world.bot.db.read() as conn:
        case = (await conn.execute(select(tables.cases).where(tables.cases.c.reference == reference))).mappings().one()
        query = select(tables.officers.c.email).order_by(tables.officers.c.id)
        if case["officer_id"] is not None:
            query = query.where(tables.officers.c.id == case["officer_id"])
        else:
            query = query.join(tables.officer_teams, tables.officer_teams.c.officer_id == tables.officers.c.id).where(
                tables.officer_teams.c.team == case["team"])
        email = (await conn.execute(query)).scalar()
    return (str(email), str(case["department"])) if email is not None else None


async def _act(world: World, what: str, payload: tuple[Any, ...]) -> None:
    if what in RESIDENT_ACTS:
        await RESIDENT_ACTS[what](world, *payload)
        return
    reference = payload[0]
    observed = world.observed
    found = await _officer_email(world, reference)
    if found is None:  # nobody in the team: the case waits, escalation must catch it
        observed.failed_actions += 1
        observed.failures[f"{what}: geen ambtenaar in het team"] += 1
        return
    email, department = found
    actions = world.bot.actions
    try:
        actor = await actions.actor(email)
        if what == "hand_over":
            others = sorted(d for d in world.bot.rules.departments if d != department)
            await actions.hand_over(reference, actor, world.rng.choice(others), "Hoort bij een andere vakdienst")
        elif what in ("reply", "ask"):
            text = QUESTION if what == "ask" else REPLY
            try:
                await actions.reply(reference, actor, text)
            except ActionError as error:
                if "/stop" not in str(error):
                    raise
                observed.replies_held_by_stop += 1  # the inbox says so and keeps the text as a note
                await actions.note(reference, actor, text)
            if what == "ask":
                await actions.set_status(reference, actor, Status.WACHT_OP_BEWONER)
        elif what == "plan":
            await actions.plan(reference, actor, payload[1])
        elif what == "close":
            await actions.close(reference, actor, OUTCOME)
    except ActionError as error:
        observed.failed_actions += 1
        observed.failures[f"{what}: {error}"[:80]] += 1


async def _press(world: World, address: str, value: str) -> None:
    await _say(world, address, value, choice=value)


async def _type(world: World, address: str, text: str) -> None:
    """A typed survey answer: the survey takes it, so it does not end a /stop (no `_say`)."""
    world.observed.typed_survey_answers += 1
    await world.bot.inbound.receive(InboundMessage(
        ReplyAddress(CHANNEL, address), uuid.uuid4().hex, text, world.clock()))


async def _stop(world: World, address: str, wants_outcome: bool) -> None:
    await _say(world, address, "/stop", command="stop")
    world.observed.stopped[address] = (world.clock(), wants_outcome)
    value = "stop:outcome:ja" if wants_outcome else "stop:outcome:nee"
    world.plan(world.clock() + STEP, "press", address, value)


async def _answer(world: World, address: str) -> None:
    await _say(world, address, "Het gaat om het stuk bij huisnummer 12, aan de kant van de speeltuin.")


RESIDENT_ACTS: dict[str, Callable[..., Awaitable[None]]] = {
    "press": _press, "type": _type, "stop": _stop, "answer": _answer,
}
REPLY = "Dank voor uw melding. We pakken het deze week op."
QUESTION = "Dank voor uw melding. Kunt u ons vertellen bij welk huisnummer het precies is?"
OUTCOME = "De melding is verholpen."


def _watch_surveys(world: World) -> None:
    """Residents answer the survey some hours later: with the buttons (a score, then whether it was solved), or
    by typing both at once ("4 ja") as residents do."""
    for moment, message in world.channel.sent[world.seen:]:
        address = message.reply_to.address
        values = [value for _label, value in message.actions if value.startswith("survey:")]
        if not values:
            continue
        first = address not in world.verdicts
        if first:
            world.verdicts[address] = scenario.survey_answer(world.rng)
        verdict = world.verdicts[address]
        if verdict is None:
            continue
        if verdict.typed:
            if first:
                later = moment + timedelta(hours=world.rng.randint(1, 3))
                typed = f"{verdict.score} {'ja' if verdict.solved else 'nee'}"
                world.plan(scenario.working_moment_after(later, world.tz), "type", address, typed)
            continue
        endings = (f":score:{verdict.score}", f":solved:{'ja' if verdict.solved else 'nee'}")
        wanted = [v for v in values if v.endswith(endings)]
        if wanted:
            later = moment + timedelta(hours=world.rng.randint(1, 3)) if ":score:" in wanted[0] else moment + STEP
            world.plan(scenario.working_moment_after(later, world.tz), "press", address, wanted[0])
    world.seen = len(world.channel.sent)
