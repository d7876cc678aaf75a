"""The composition root: settings -> storage -> rules -> services -> channels -> web -> scheduler.

Invariants: the only place that wires parts together (no globals, no service locator); the rule set is
loaded and validated before anything listens, so a broken configuration stops start-up with a clear
message; running it as a process (listening, signals, shutdown in order) is `serving.py`.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import text

from wijkbot.channels.console import ConsoleChannel
from wijkbot.channels.webchat import WebChatChannel
from wijkbot.domain.digest.summary import DigestPolicy
from wijkbot.domain.followups import Policy
from wijkbot.domain.routing import Router, Routes
from wijkbot.domain.rules import RuleSet
from wijkbot.i18n import Translator
from wijkbot.keys import session_key
from wijkbot.log_throttle import Outage, guarded
from wijkbot.mail import SmtpMailer
from wijkbot.ports import ChannelAdapter, Clock, system_clock
from wijkbot.ratelimit import RateLimiter
from wijkbot.rulefiles import load_rules
from wijkbot.rulefiles.templates import load_templates
from wijkbot.services.actions import Actions
from wijkbot.services.case_choices import CaseChoices
from wijkbot.services.casefile import CaseFile
from wijkbot.services.conversations import Conversations
from wijkbot.services.delivery import Delivery
from wijkbot.services.digests import DigestOptions, Digests
from wijkbot.services.followups import FollowUps
from wijkbot.services.inbound import Inbound
from wijkbot.services.intake import Intake
from wijkbot.services.learning import Learning
from wijkbot.services.login import Login, Throttle
from wijkbot.services.passwords import PasswordHasher
from wijkbot.services.people import People
from wijkbot.services.queues import Queues
from wijkbot.services.reply_templates import ReplyTemplates
from wijkbot.services.resident_commands import ResidentCommands
from wijkbot.services.texts import Texts
from wijkbot.settings import Settings
from wijkbot.storage.db import Database
from wijkbot.storage.migrate import migrate
from wijkbot.storage.outbox import pending_count
from wijkbot.web.chat_page import ChatPage
from wijkbot.web.digest import digest_routes
from wijkbot.web.inbox import InboxConfig, InboxServices, create_inbox_app
from wijkbot.web.server import create_web_app
from wijkbot.x_setup import XParts, build_x

if TYPE_CHECKING:
    from wijkbot.channels.telegram import TelegramConfig

log = logging.getLogger(__name__)


@dataclass
class Wijkbot:
    """Everything the running service is made of."""

    settings: Settings
    clock: Clock
    db: Database
    rules: RuleSet
    router: Router
    translator: Translator
    texts: Texts
    intake: Intake
    delivery: Delivery
    actions: Actions
    followups: FollowUps
    conversations: Conversations
    learning: Learning
    digests: Digests
    inbox: InboxServices
    inbox_config: InboxConfig
    inbound: Inbound
    channels: dict[str, ChannelAdapter] = field(default_factory=dict)
    x: XParts | None = None  # the X channel: reply routes, budget and health for the inbox; polling when switched on
    _stop: asyncio.Event = field(default_factory=asyncio.Event)
    _tasks: list[asyncio.Task[Any]] = field(default_factory=list)
    _scheduler: AsyncIOScheduler | None = None

    def web_app(self) -> web.Application:
        chat = ChatPage(self.translator, self.rules.municipality)
        routes = [web.get("/chat", chat.handle), web.get("/privacy", self._privacy), web.get("/inbox", self._inbox)]
        for channel in self.channels.values():  # web chat API, Telegram webhook: each channel brings its own
            channel_routes = getattr(channel, "routes", None)
            if callable(channel_routes):
                routes.extend(channel_routes())
        app = create_web_app(routes, self.health, self.settings.max_body_bytes)
        app.add_subapp("/inbox/", create_inbox_app(self.inbox, self.inbox_config, digest_routes(self.digests)))
        return app

    async def _inbox(self, _request: web.Request) -> web.Response:
        raise web.HTTPFound("/inbox/zaken")

    async def _privacy(self, _request: web.Request) -> web.Response:
        raise web.HTTPFound(self.rules.municipality.privacy_url or "/chat")

    async def health(self) -> dict[str, object]:
        """The process and the database; the outbox figures are for alerting and never change `status` (a
        channel outage is no reason to take this process out of a load balancer): `outbox_failed_7d` counts
        messages given up in the last 7 days, `outbox_oldest_pending_seconds` how long the oldest late one waits."""
        try:
            async with self.db.read() as conn:
                await conn.execute(text("SELECT 1"))
                pending = await pending_count(conn)
            delivery = await self.delivery.health()
        except Exception as error:  # health must answer, not raise
            return {"status": "error", "database": type(error).__name__}
        workers = all(not t.done() for t in self._tasks) if self._tasks else None
        report: dict[str, object] = {"status": "ok" if workers is not False else "degraded", "database": "ok",
                                     "outbox_pending": pending, **delivery,
                                     "municipality": self.rules.municipality.id, "workers": workers}
        if self.x is not None and self.x.channel is not None:  # running | paused | stopped (never fails health)
            report["x"] = (await self.x.guard.health()).state
        # Telegram (imported only when switched on): starting | running | token refused | unreachable; like X's,
        # it never fails health.
        telegram_state = getattr(self.channels.get("telegram"), "health_state", None)
        if telegram_state is not None:
            report["telegram"] = telegram_state
        return report

    async def start_workers(self) -> None:
        """Delivery worker (woken at once after intake), channel workers (Telegram polling) and the follow-up clock."""
        self._stop.clear()
        self._tasks.append(asyncio.create_task(
            self.delivery.run(self._stop, self.settings.delivery_interval_seconds), name="delivery"))
        if self.x is not None:
            self._tasks.extend(self.x.start(self._stop))
        for name, channel in self.channels.items():
            run = getattr(channel, "run", None)
            if callable(run):
                self._tasks.append(asyncio.create_task(run(self._stop), name=f"channel-{name}"))
        scheduler = AsyncIOScheduler(timezone=self.rules.municipality.timezone)
        scheduler.add_job(guarded(self.followups.run_due, Outage(log, "follow-ups")), "interval",
                          seconds=self.settings.followup_interval_seconds, id="followups", max_instances=1,
                          coalesce=True)
        # Corrections from the inbox are learned at night (see services/learning.py for why not at once);
        # every process picks up a model another process or `wijkbot learn` stored.
        scheduler.add_job(self.learning.retrain_if_corrected, "cron", hour=self.settings.retrain_hour, minute=0,
                          id="retrain", max_instances=1, coalesce=True)
        scheduler.add_job(guarded(self.learning.refresh, Outage(log, "model refresh")), "interval",
                          seconds=self.settings.model_refresh_seconds, id="model-refresh", max_instances=1,
                          coalesce=True)
        if self.learning.stale:  # the stored model is of an older wijkbot: train a new one now, off the loop
            scheduler.add_job(self.learning.retrain_if_corrected, id="retrain-now", max_instances=1)
        if self.settings.digest_enabled:
            # The weekly digest at its moment; the catch-up resends what failed or was missed (it claims rows,
            # so with several processes each wijk and week is still mailed once).
            scheduler.add_job(self.digests.run_weekly, "cron", day_of_week=self.settings.digest_day,
                              hour=self.settings.digest_hour, minute=self.settings.digest_minute, id="digest",
                              max_instances=1, coalesce=True, misfire_grace_time=3600)
            scheduler.add_job(self.digests.catch_up, "interval", minutes=15, id="digest-catch-up", max_instances=1,
                              coalesce=True)
        if self.db.is_sqlite:
            scheduler.add_job(guarded(self.db.checkpoint, Outage(log, "SQLite checkpoint")), "interval", seconds=2,
                              id="checkpoint", max_instances=1, coalesce=True)
        scheduler.start()
        self._scheduler = scheduler

    async def stop_workers(self) -> None:
        self._stop.set()
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None
        for task in self._tasks:
            with suppress(asyncio.CancelledError):
                await asyncio.wait_for(task, timeout=10)
        self._tasks.clear()

    async def close(self) -> None:
        await self.stop_workers()
        if self.x is not None:
            await self.x.close()
        for channel in self.channels.values():
            aclose = getattr(channel, "aclose", None)
            if callable(aclose):
                await aclose()
        await self.db.dispose()


async def build(settings: Settings, clock: Clock = system_clock, *, migrate_db: bool = True,
                rules: RuleSet | None = None, extra_channels: dict[str, ChannelAdapter] | None = None) -> Wijkbot:
    """Wire the service from settings. Raises RuleFileError on a broken configuration."""
    rules = rules or load_rules(settings.rules_dir)
    router = Router(rules)
    translator = Translator.load(settings.locales_dir, settings.default_locale).for_area(rules.municipality.area_label,
                                                                                  rules.municipality.areas_label)
    texts = Texts(rules, translator)
    db = Database(settings.database_url, create_directory=settings.database_is_default)
    if migrate_db:
        done = await migrate(db)
        if done.steps:  # an operator reads that start-up changed the schema (and from what), not only that it runs
            log.info("database schema brought from %s to %s (%d migration(s))", done.before or "empty", done.after,
                     done.steps)
    policy = Policy()
    channels: dict[str, ChannelAdapter] = {}
    delivery = Delivery(db, channels, clock, settings.delivery_max_attempts,
                        give_up_after=timedelta(hours=settings.delivery_give_up_hours))

    def wake() -> None:
        delivery.wake.set()

    intake = Intake(db, rules, router, texts, clock, policy, wake, settings.long_message_chars,
                    max_attachment_bytes=settings.max_attachment_bytes)
    conversations = Conversations(db, texts)
    choices = CaseChoices(db, rules, router, texts, clock, policy, wake, settings.long_message_chars)
    inbound = Inbound(intake, ResidentCommands(db, rules, texts, clock, wake), choices)

    def install(routes: Routes) -> None:
        # Both places that open cases route with the active model ("iets nieuws" opens one too).
        intake.router = routes
        choices.router = routes

    learning = Learning(db, rules, router, clock, install)
    await learning.refresh()  # the active learned model, if `wijkbot learn` made one

    async def history(session: str, after: int) -> list[dict[str, Any]]:
        return await conversations.delivered("webchat", session, after)

    channels["webchat"] = WebChatChannel(
        inbound.receive, history, clock, lambda key, lang: translator.text(key, lang),
        RateLimiter(settings.webchat_rate_per_minute), RateLimiter(settings.webchat_client_rate_per_minute),
    )
    channels["console"] = ConsoleChannel()
    x = build_x(settings, db, inbound, texts, clock)
    if x.channel is not None:
        channels[x.channel.name] = x.channel
    if settings.telegram_token is not None:
        # Imported only when switched on: python-telegram-bot and httpx cost ~11 MB of memory.
        from wijkbot.channels.telegram import TelegramChannel

        channels["telegram"] = TelegramChannel(telegram_config(settings), inbound.receive, clock)
    channels.update(extra_channels or {})
    actions = Actions(db, rules, texts, clock, wake, policy)
    inbound.on_choice("survey:", actions.surveys.handle_choice)  # the verdict after closing (services/surveys.py)
    inbound.on_text(actions.surveys.handle_text)
    inbound.on_choice("stop:", inbound.commands.stop_choice)  # after /stop: the final outcome, or nothing
    inbound.on_text(inbound.commands.typed_stop_answer)  # the same question answered by typing "ja" or "nee"
    return Wijkbot(
        settings=settings, clock=clock, db=db, rules=rules, router=router, translator=translator, texts=texts,
        intake=intake, delivery=delivery, actions=actions,
        followups=FollowUps(db, rules, texts, clock, policy, wake), conversations=conversations, learning=learning,
        inbound=inbound,
        digests=_digests(settings, db, rules, translator, clock), channels=channels, x=x,
        inbox=_inbox_services(settings, rules, translator, texts, db, clock, actions, x),
        inbox_config=InboxConfig(
            key=session_key(settings), idle=timedelta(minutes=settings.session_idle_minutes),
            max_age=timedelta(hours=settings.session_max_hours), cookie_secure=settings.cookie_secure,
            public_url=settings.public_url or f"http://{settings.host}:{settings.port}"),
    )


def telegram_config(settings: Settings) -> TelegramConfig:
    from wijkbot.channels.telegram import TelegramConfig

    assert settings.telegram_token is not None
    secret = settings.telegram_webhook_secret
    return TelegramConfig(
        token=settings.telegram_token.get_secret_value(), api_url=settings.telegram_api_url,
        webhook_url=settings.telegram_webhook_url, webhook_secret=secret.get_secret_value() if secret else None,
        max_file_bytes=settings.max_attachment_bytes, messages_per_second=settings.telegram_messages_per_second,
        seconds_per_chat=settings.telegram_seconds_per_chat, poll_timeout=settings.telegram_poll_timeout,
    )


def _inbox_services(settings: Settings, rules: RuleSet, translator: Translator, texts: Texts, db: Database,
                    clock: Clock, actions: Actions, x: XParts) -> InboxServices:
    """The shared inbox's services (templates are read and validated here, so a bad file stops start-up).

    The X channel's reply routes are always there (an X case keeps its route when X is switched off); its
    budget and state only when X is on, so the inbox shows no X banner otherwise.
    """
    hasher = PasswordHasher(settings.password_hash_time_cost, settings.password_hash_memory_kib)
    people = People(db, rules, clock, hasher, settings.password_link_hours)
    throttle = Throttle(settings.login_max_failures_per_account, settings.login_max_failures_per_address,
                        timedelta(minutes=settings.login_throttle_minutes))
    return InboxServices(
        rules=rules, translator=translator, texts=texts, clock=clock, people=people,
        login=Login(db, people, hasher, clock, throttle), queues=Queues(db, rules, clock),
        casefile=CaseFile(db, rules, clock), actions=actions,
        replies=ReplyTemplates(load_templates(settings.rules_dir, rules), texts),
        x_replies=x.replies, x_guard=x.guard if settings.x_enabled else None,
    )


def _digests(settings: Settings, db: Database, rules: RuleSet, translator: Translator, clock: Clock) -> Digests:
    mailer = None
    if settings.smtp_host:
        mailer = SmtpMailer(settings.smtp_host, settings.smtp_port, settings.smtp_user, settings.smtp_password,
                            settings.smtp_starttls, settings.smtp_timeout_seconds)
    options = DigestOptions(
        public_url=(settings.public_url or "").rstrip("/"), sender=settings.smtp_from, lang=settings.digest_lang,
        weekday=settings.digest_day, hour=settings.digest_hour, minute=settings.digest_minute,
        policy=DigestPolicy(street_minimum=settings.digest_street_hot_spot,
                            buurt_minimum=settings.digest_buurt_hot_spot))
    return Digests(db, rules, translator, clock, mailer, options)
