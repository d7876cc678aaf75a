"""The weekly digest use cases: make it, archive it, mail it to the wijk's wijkregisseurs, show it.

Invariants: figures come from one read transaction (`digest_rows.facts` -> `summarise`); a digest is mailed only
after its (wijk, week) row was claimed in a committed transaction (`digest_archive.claim`), so two processes or
a repeated command never send one week twice; a week already sent is only sent again with force; a failed send
gives the claim back with the reason, and the catch-up run tries again; nothing about a resident reaches the
digest (the facts carry none, quotes are scrubbed), and log lines name only the wijk and the week.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from wijkbot.digest import render
from wijkbot.digest.compose import Composer
from wijkbot.digest.document import Cell
from wijkbot.digest.links import digest_url
from wijkbot.digest.message import digest_message
from wijkbot.digest.wording import Wording
from wijkbot.domain.digest.figures import Digest
from wijkbot.domain.digest.summary import DigestPolicy, summarise
from wijkbot.domain.rules import RuleSet
from wijkbot.domain.weeks import IsoWeek, due_week
from wijkbot.i18n import Translator
from wijkbot.ports import Clock, Mailer, MailFailure
from wijkbot.storage import digest_archive, digest_rows
from wijkbot.storage.db import Database

log = logging.getLogger("wijkbot.digest")


class DigestError(Exception):
    """A digest that cannot be made or sent, with a message for the ambtenaar (Dutch)."""


@dataclass(frozen=True, slots=True)
class DigestOptions:
    public_url: str = ""  # the inbox's address, for links in mail
    sender: str = "wijkbot@localhost"
    lang: str = "nl"
    weekday: str = "mon"
    hour: int = 8
    minute: int = 0
    policy: DigestPolicy = field(default_factory=DigestPolicy)


@dataclass(frozen=True, slots=True)
class Rendered:
    digest: Digest
    lang: str
    subject: str
    html: str
    text: str


class Digests:
    def __init__(self, db: Database, rules: RuleSet, translator: Translator, clock: Clock, mailer: Mailer | None,
                 options: DigestOptions | None = None) -> None:
        self.db = db
        self.rules = rules
        self.translator = translator
        self.clock = clock
        self.mailer = mailer
        self.options = options or DigestOptions()
        self.tz = rules.municipality.timezone

    def wijk(self, name: str) -> str:
        """The configured spelling of a wijk name given in any case; DigestError listing the known ones."""
        known = {w.casefold(): w for w in self.rules.wijken}
        found = known.get(name.strip().casefold())
        if found is None:
            municipality = self.rules.municipality
            raise DigestError(f"onbekende {municipality.area_label} '{name}'; bekende {municipality.areas_label}: "
                              f"{', '.join(self.rules.wijken)}")
        return found

    def last_week(self) -> IsoWeek:
        """The week that ended most recently."""
        return IsoWeek.containing(self.clock(), self.tz).shifted(-1)

    async def figures(self, wijk: str, week: IsoWeek, now: datetime | None = None) -> Digest:
        """The digest's figures; a running week as of `now` (default: the clock)."""
        async with self.db.read() as conn:
            facts = await digest_rows.facts(conn, wijk, week, self.tz, now or self.clock())
        names = [*self.rules.wijken, *(b.name for b in self.rules.buurten), *self.rules.streets,
                 *(d.name for d in self.rules.departments.values()), self.rules.municipality.name]
        return summarise(facts, self.options.policy, names)

    async def render(self, wijk: str, week: IsoWeek, lang: str | None = None, base: str | None = None) -> Rendered:
        """The digest of a wijk and week as page and text; links relative to `base` (default: the public URL).
        The running week reads "tot nu toe"; a week that has not begun is a DigestError."""
        now = self.clock()
        if now < week.start(self.tz):
            current = IsoWeek.containing(now, self.tz)
            raise DigestError(f"week {week} is nog niet begonnen; deze week is {current}")
        language = self.translator.language(lang or self.options.lang)
        words = Wording(self.rules, self.translator, language)
        digest = await self.figures(wijk, week, now)  # the same moment as the "tot nu toe" wording
        composer = Composer(digest, words, self.options.public_url if base is None else base, self.options.policy,
                            so_far=now < week.end(self.tz))
        document = composer.document(now)
        no_quotes = words.t("digest.quotes.none")
        return Rendered(digest, language, words.t("digest.subject", wijk=wijk, week=week.week, year=week.year),
                        render.html(document, words.t("digest.nav"), no_quotes), render.text(document, no_quotes))

    async def recipients(self, wijk: str) -> list[str]:
        async with self.db.read() as conn:
            return await digest_rows.recipients(conn, wijk)

    async def send(self, wijk: str, week: IsoWeek, *, force: bool = False, lang: str | None = None) -> int:
        """Archive and mail the digest to the wijk's wijkregisseurs; returns how many received it."""
        if self.mailer is None:
            raise DigestError("verzenden kan niet: er is geen mailserver ingesteld (WIJKBOT_SMTP_HOST)")
        if self.clock() < week.end(self.tz):  # a half week archived as sent would stand in for the whole one
            raise DigestError(f"week {week} is nog niet voorbij; het weekoverzicht kan pas daarna verstuurd worden "
                              "(zonder --send ziet u de tussenstand)")
        recipients = await self.recipients(wijk)
        if not recipients:
            raise DigestError(f"{wijk} heeft geen wijkregisseur met een e-mailadres; er is niets verstuurd")
        rendered = await self.render(wijk, week, lang)
        async with self.db.write() as conn:
            claimed = await digest_archive.claim(conn, wijk=wijk, week=str(week), lang=rendered.lang,
                                                 html=rendered.html, text=rendered.text, now=self.clock(), force=force)
            row = None if claimed else await digest_archive.find(conn, wijk, str(week))
        if not claimed:
            if row is not None and row["sent_at"] is not None:
                raise DigestError(f"het weekoverzicht van {wijk} voor {week} is al verstuurd "
                                  f"({row['sent_at']:%Y-%m-%d %H:%M} UTC); gebruik --force om het opnieuw te sturen")
            raise DigestError(f"het weekoverzicht van {wijk} voor {week} wordt op dit moment al verstuurd")
        message = digest_message(subject=rendered.subject, sender=self.options.sender, recipients=recipients,
                                 text=rendered.text, html=rendered.html, now=self.clock())
        try:
            await self.mailer.send(message)
        except MailFailure as error:
            async with self.db.write() as conn:
                await digest_archive.release(conn, wijk=wijk, week=str(week), error=str(error))
            raise DigestError(f"versturen mislukt: {error}") from error
        async with self.db.write() as conn:
            await digest_archive.mark_sent(conn, wijk=wijk, week=str(week), now=self.clock(),
                                           recipients=len(recipients))
        log.info("digest %s %s sent to %d wijkregisseur(s)", wijk, week, len(recipients))
        return len(recipients)

    async def archive(self, wijk: str, week: IsoWeek, lang: str | None = None) -> None:
        """Make and archive the digest without mailing it (a sent one is left as it was sent)."""
        rendered = await self.render(wijk, week, lang)
        async with self.db.write() as conn:
            await digest_archive.store(conn, wijk=wijk, week=str(week), lang=rendered.lang, html=rendered.html,
                                       text=rendered.text, now=self.clock())

    async def run_weekly(self, week: IsoWeek | None = None) -> dict[str, str]:
        """The scheduled job: every wijk's digest of the last week, mailed where a wijkregisseur is known.

        Safe to run again and from several processes: a sent week is skipped, a claimed one left to its owner.
        """
        week = week or self.last_week()
        outcome: dict[str, str] = {}
        for wijk in self.rules.wijken:
            async with self.db.read() as conn:
                row = await digest_archive.find(conn, wijk, str(week))
            has_recipients = bool(await self.recipients(wijk))
            if row is not None and (row["sent_at"] is not None or not (has_recipients and self.mailer)):
                outcome[wijk] = "al gedaan"
                continue
            try:
                if has_recipients and self.mailer is not None:
                    outcome[wijk] = f"verstuurd aan {await self.send(wijk, week)}"
                else:
                    await self.archive(wijk, week)
                    outcome[wijk] = "gearchiveerd"
            except DigestError as error:
                log.warning("digest %s %s not sent: %s", wijk, week, error)
                outcome[wijk] = str(error)
        return outcome

    async def catch_up(self) -> dict[str, str]:
        """Run the weekly job when this week's send moment has passed (after downtime or a failed send)."""
        week = due_week(self.clock(), self.tz, self.options.weekday, self.options.hour, self.options.minute)
        return await self.run_weekly(week) if week is not None else {}

    async def page(self, wijk: str, week: IsoWeek, lang: str | None = None) -> str:
        """The page for the inbox: the archived digest when there is one, else made now (not archived)."""
        async with self.db.read() as conn:
            row = await digest_archive.find(conn, wijk, str(week))
        if row is not None and (lang is None or lang == row["lang"]):
            return str(row["html"])
        return (await self.render(wijk, week, lang, base="")).html

    async def archive_page(self, wijk: str, lang: str | None = None) -> str:
        language = self.translator.language(lang or self.options.lang)
        words = Wording(self.rules, self.translator, language)
        async with self.db.read() as conn:
            rows = await digest_archive.weeks_of(conn, wijk)
        current = IsoWeek.containing(self.clock(), self.tz)
        return render.archive_html(
            language, words.t("digest.archive.title", wijk=wijk),
            Cell(words.t("digest.archive.current", week=str(current)), digest_url(wijk, str(current))),
            words.t("digest.archive.caption"),
            (words.t("digest.col.week"), words.t("digest.archive.made"), words.t("digest.archive.sent"),
             words.t("digest.archive.recipients")),
            [(Cell(r["week"], digest_url(wijk, r["week"])), Cell(_moment(r["generated_at"])),
              Cell(_moment(r["sent_at"]) if r["sent_at"] else words.t("digest.archive.not_sent")),
              Cell(str(r["recipients"]))) for r in rows],
            words.t("digest.archive.empty"))


def _moment(value: datetime) -> str:
    return f"{value:%Y-%m-%d %H:%M} UTC"
