"""Compose the digest document from the figures: what came in, hot spots, what is stuck, how residents were
served, initiatives; every figure with a link to the cases behind it.

Invariants: every link is built by `links.case_list_url` with the wijk (a duplicate cluster's without it: the
digest counts every linked report, wherever it was made) and the week the figure is about, so the inbox lists
exactly the cases the figure counts; lists are cut to `list_length` rows with a link to the whole list;
nothing about a resident is shown (cases by reference, buurt and topic; streets only as places of hot spots;
quotes only scrubbed, what was left out said in the reader's language); a count reads "1 zaak", "2 zaken".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from wijkbot.digest.chart import Bar, bar_chart
from wijkbot.digest.document import Cell, Document, Quote, Section, Table, Tile
from wijkbot.digest.links import NOT_SET, case_list_url, digest_url
from wijkbot.digest.wording import Wording
from wijkbot.domain.digest.figures import CaseLine, Digest, HotSpot, Row, Service
from wijkbot.domain.digest.summary import DigestPolicy

OTHER_ROWS_AFTER = 8  # breakdowns longer than this end in one "other" row
INITIATIVE = "initiatief"
WAITING = "wacht op bewoner"


@dataclass(frozen=True, slots=True)
class Composer:
    digest: Digest
    words: Wording
    base: str = ""  # "" on the inbox page, the public address in mail
    policy: DigestPolicy = field(default_factory=DigestPolicy)
    so_far: bool = False  # the week is still running: the digest says "tot nu toe" and "nu", not "eind van de week"

    def link(self, **filters: str | int | Sequence[str] | None) -> str:
        """The wijk's cases matching `filters` (inbox parameter names, see links.PARAMETERS)."""
        return case_list_url(self.base, wijk=self.digest.wijk, **filters)

    @property
    def week(self) -> str:
        return str(self.digest.week)

    @property
    def week_before(self) -> str:
        return str(self.digest.week.shifted(-1))

    def document(self, generated_at: datetime) -> Document:
        t, d = self.words.t, self.digest
        return Document(
            lang=self.words.lang,
            title=t("digest.title_so_far" if self.so_far else "digest.title", wijk=d.wijk, week=d.week.week,
                    year=d.week.year),
            subtitle=(self.words.so_far(d.week.monday, generated_at) if self.so_far
                      else self.words.date_range(d.week.monday, d.week.sunday)),
            tiles=self._tiles(),
            sections=(self._inflow(), self._hot_spots(), self._stuck(), self._served(), self._initiatives()),
            footer=(t("digest.footer.privacy", placeholder=t("digest.placeholder")),
                    t("digest.footer.made", moment=self.words.translator.date(generated_at.date(), self.words.lang))),
            archive=Cell(t("digest.archive.link", wijk=d.wijk), digest_url(d.wijk, base=self.base)),
        )

    def _tiles(self) -> tuple[Tile, ...]:
        t, w, d = self.words.t, self.words, self.digest
        overall = d.service[0]
        return (
            Tile(t("digest.tile.cases"), w.number(d.inflow.cases.this_week), w.count_note(d.inflow.cases),
                 self.link(week=self.week)),
            Tile(t("digest.tile.messages"), w.number(d.inflow.messages.this_week), w.count_note(d.inflow.messages),
                 self.link(inbound=self.week)),
            Tile(t("digest.tile.overdue"), w.number(len(d.stuck.overdue)),
                 w.counted("digest.tile.overdue_note.one", "digest.tile.overdue_note.many", d.open_cases),
                 self.link(overdue=self.week)),
            Tile(t("digest.tile.escalations"), w.number(len(d.stuck.escalations)), t("digest.tile.this_week"),
                 self.link(escalated=self.week)),
            Tile(t("digest.tile.satisfaction"), w.score(overall.average_score),
                 w.counted("digest.tile.satisfaction_note.one", "digest.tile.satisfaction_note.many",
                           overall.surveys), self.link(rated=self.week)),
        )

    # --- what came in -------------------------------------------------------------------------------------
    def _inflow(self) -> Section:
        t, w, inflow = self.words.t, self.words, self.digest.inflow
        trend = inflow.trend
        bars = [Bar(f"W{x.week.week:02d}", x.cases, x.week == self.digest.week) for x in trend]
        description = t("digest.chart.desc", values="; ".join(
            f"{x.week}: {w.number(x.cases)}" for x in trend))
        trend_table = Table(t("digest.chart.table"), (t("digest.col.week"), t("digest.col.cases"),
                                                     t("digest.col.messages")),
                            tuple((Cell(str(x.week), self.link(week=str(x.week))),
                                   Cell(w.number(x.cases), self.link(week=str(x.week)), True),
                                   Cell(w.number(x.messages), self.link(inbound=str(x.week)), True))
                                  for x in trend))
        summary = " ".join((
            w.counted("digest.inflow.cases.one", "digest.inflow.cases.many", inflow.cases.this_week),
            t("digest.inflow.change", change=w.change(inflow.cases.change),
              average=w.number(inflow.cases.average4, 1)),
            w.counted("digest.inflow.messages.one", "digest.inflow.messages.many", inflow.messages.this_week,
                      change=w.change(inflow.messages.change))))
        tables = (
            self._breakdown(t("digest.inflow.by_kind"), t("digest.col.kind"), inflow.by_kind, w.kind, "kind"),
            self._breakdown(t("digest.inflow.by_category"), t("digest.col.category"), inflow.by_category,
                            w.category, "category"),
            self._breakdown(t("digest.inflow.by_department"), t("digest.col.department"), inflow.by_department,
                            w.department, "department"),
            self._breakdown(t("digest.inflow.by_buurt"), t("digest.col.buurt"), inflow.by_buurt,
                            lambda code: w.buurt(code, _label(inflow.by_buurt, code)), "buurt"),
            self._channels(),
            trend_table,
        )
        svg = bar_chart(bars, t("digest.chart.title", weeks=len(trend)), description)
        return Section("binnen", t("digest.inflow.title"), (summary,), svg, tables,
                       notes=(t("digest.inflow.note"),))

    def _count_cells(self, row: Row, href: str) -> tuple[Cell, ...]:
        w = self.words
        return (Cell(w.number(row.count.this_week), href, True), Cell(w.number(row.count.previous), numeric=True),
                Cell(w.number(row.count.average4, 1), numeric=True), Cell(w.change(row.count.change), numeric=True))

    def _count_headers(self, first: str) -> tuple[str, ...]:
        t = self.words.t
        return (first, t("digest.col.this_week"), t("digest.col.previous"), t("digest.col.average4"),
                t("digest.col.change"))

    def _breakdown(self, caption: str, first: str, rows: Sequence[Row], name: Callable[[str], str],
                   parameter: str) -> Table:
        shown = list(rows[:OTHER_ROWS_AFTER]) if len(rows) > OTHER_ROWS_AFTER + 1 else list(rows)
        # a row without a key (no category, no buurt) lists the cases where that field is not filled in
        body = [(Cell(name(r.key)), *self._count_cells(r, self.link(week=self.week, **{parameter: r.key or NOT_SET})))
                for r in shown]
        rest = rows[len(shown):]
        if rest:
            this_week = sum(r.count.this_week for r in rest)
            others = [r.key or NOT_SET for r in rest]
            body.append((Cell(self.words.t("digest.other", n=len(rest))),
                         Cell(self.words.number(this_week), self.link(week=self.week, **{parameter: others}), True),
                         Cell(self.words.number(sum(r.count.previous for r in rest)), numeric=True),
                         Cell(self.words.number(sum(r.count.average4 for r in rest), 1), numeric=True),
                         Cell(self.words.change(sum(r.count.change for r in rest)), numeric=True)))
        return Table(caption, self._count_headers(first), tuple(body), self.words.t("digest.none"),
                     href=self.link(week=self.week))

    def _channels(self) -> Table:
        t, w, inflow = self.words.t, self.words, self.digest.inflow
        messages = {r.key: r.count.this_week for r in inflow.messages_by_channel}
        body = tuple((Cell(w.channel(r.key)), *self._count_cells(r, self.link(week=self.week, channel=r.key)),
                      Cell(w.number(messages.get(r.key, 0)), numeric=True)) for r in inflow.by_channel)
        return Table(t("digest.inflow.by_channel"), (*self._count_headers(t("digest.col.channel")),
                                                    t("digest.col.messages")), body, t("digest.none"),
                     href=self.link(week=self.week))

    # --- hot spots ----------------------------------------------------------------------------------------
    def _hot_spots(self) -> Section:
        t, w, d = self.words.t, self.words, self.digest
        spots = tuple((
            Cell(w.category(s.category)),
            Cell(s.place if s.scale == "straat" else w.buurt(s.buurt_code, s.place)),
            Cell(w.number(s.this_week), self._hot_spot_link(s), True),
            Cell(w.number(s.last_four_weeks), numeric=True),
            Cell(t("digest.yes") if s.structural else t("digest.no")),
        ) for s in d.hot_spots)
        clusters = tuple((
            Cell(c.lead_reference, self._cluster_link(c.lead_reference)),
            Cell(w.category(c.category)),
            Cell(c.street or c.buurt or t("digest.unknown.buurt")),
            Cell(w.number(c.reports), self._cluster_link(c.lead_reference), True),
            Cell(w.number(c.new_this_week), numeric=True),
            Cell(t("digest.cluster.open") if c.open else t("digest.cluster.closed")),
        ) for c in d.clusters)
        return Section("brandpunten", t("digest.hotspots.title"), (t(
            "digest.hotspots.intro", street=self.policy.street_minimum, buurt=self.policy.buurt_minimum),), None, (
            Table(t("digest.hotspots.table"), (t("digest.col.category"), t("digest.col.place"),
                                               t("digest.col.this_week"), t("digest.col.last4"),
                                               t("digest.col.structural")), spots, t("digest.hotspots.none"),
                  href=self.link(week=self.week)),
            Table(t("digest.clusters.table"), (t("digest.col.lead"), t("digest.col.category"), t("digest.col.place"),
                                               t("digest.col.reports"), t("digest.col.new"), t("digest.col.status")),
                  clusters, t("digest.clusters.none")),
        ))

    def _hot_spot_link(self, spot: HotSpot) -> str:
        # a street spot counts one topic in one street (whatever the buurt), a buurt spot one topic in one buurt
        if spot.scale == "straat":
            return self.link(week=self.week, category=spot.category, street=spot.place)
        return self.link(week=self.week, category=spot.category, buurt=spot.buurt_code or NOT_SET)

    def _cluster_link(self, lead: str) -> str:
        # the reports of a cluster: the lead and its duplicates made up to the end of the week, in any wijk
        return case_list_url(self.base, cluster=lead, until=self.week)

    # --- what is stuck ------------------------------------------------------------------------------------
    def _case_table(self, caption: str, lines: Sequence[CaseLine], columns: Sequence[tuple[str, Callable[
            [CaseLine], Cell]]], empty: str, all_href: str) -> Table:
        shown = lines[: self.policy.list_length]
        rows = tuple((Cell(c.reference, self.link(case=c.reference)), *(make(c) for _, make in columns))
                     for c in shown)
        more = None
        if len(lines) > len(shown):
            more = Cell(self.words.counted("digest.more.one", "digest.more.many", len(lines) - len(shown)),
                        all_href)
        return Table(caption, (self.words.t("digest.col.case"), *(h for h, _ in columns)), rows, empty, more,
                     all_href)

    def _stuck(self) -> Section:
        t, w, s = self.words.t, self.words, self.digest.stuck
        topic = (t("digest.col.category"), lambda c: Cell(w.category(c.category)))
        department = (t("digest.col.department"), lambda c: Cell(w.department(c.department)))
        age = (t("digest.col.age"), lambda c: Cell(w.days(c.age_days), numeric=True))
        overdue = self._case_table(t("digest.stuck.overdue", n=len(s.overdue)), s.overdue, (
            topic, department, (t("digest.col.buurt"), lambda c: Cell(c.buurt or t("digest.unknown.buurt"))), age,
            (t("digest.col.late"), lambda c: Cell(w.number(c.working_days_late), numeric=True))),
            t("digest.stuck.overdue_none"), self.link(overdue=self.week))
        escalations = Table(t("digest.stuck.escalations", n=len(s.escalations)), (
            t("digest.col.case"), t("digest.col.step"), t("digest.col.to"), t("digest.col.department"),
            t("digest.col.age")), tuple((
                Cell(e.case.reference, self.link(case=e.case.reference)),
                Cell(w.number(e.step) if e.step is not None else "–", numeric=True),
                Cell(w.left_out(e.to) or "–"),
                Cell(w.department(e.case.department)), Cell(w.days(e.case.age_days), numeric=True))
                for e in s.escalations), t("digest.stuck.escalations_none"), href=self.link(escalated=self.week))
        handed = self._case_table(t("digest.stuck.handed_over", n=len(s.handed_over)), s.handed_over, (
            (t("digest.col.handovers"), lambda c: Cell(w.number(c.handovers), numeric=True)), topic, department, age),
            t("digest.stuck.handed_over_none"), self.link(open=self.week, handovers=2))
        waiting = self._case_table(t("digest.stuck.waiting", n=len(s.waiting)), s.waiting, (topic, department, age),
                                   t("digest.stuck.waiting_none"), self.link(open=self.week, status=WAITING))
        summary = " ".join((
            w.counted("digest.stuck.open_now.one", "digest.stuck.open_now.many", self.digest.open_cases) if self.so_far
            else w.counted("digest.stuck.open.one", "digest.stuck.open.many", self.digest.open_cases),
            w.counted("digest.stuck.of_which.one", "digest.stuck.of_which.many", len(s.overdue))))
        return Section("stil", t("digest.stuck.title"), (summary,), None, (overdue, escalations, handed, waiting),
                       notes=(t("digest.stuck.note"),))

    # --- how residents were served ------------------------------------------------------------------------
    def _served(self) -> Section:
        t, w = self.words.t, self.words
        speed_rows = tuple(self._speed_row(s) for s in self.digest.service
                           if s.answered or s.closed or not s.department)
        survey_rows = tuple((
            Cell(w.department(s.department)),
            Cell(w.number(s.surveys), self.link(rated=self.week, department=s.department or None), True),
            Cell(w.score(s.average_score), numeric=True), Cell(w.share(s.solved_share), numeric=True),
            Cell(w.share(s.response_rate), numeric=True),
        ) for s in self.digest.service if s.surveys or not s.department)
        quotes = tuple(Quote(w.left_out(q.text), t(
            "digest.quote.about", score=w.number(q.score) if q.score else "–",
            solved=t("digest.quote.solved") if q.solved else t("digest.quote.unsolved"),
            department=w.department(q.department))) for q in self.digest.quotes)
        return Section("geholpen", t("digest.served.title"), (), None, (
            Table(t("digest.served.speed"), (t("digest.col.department"), t("digest.col.answered"),
                                             t("digest.col.median"), t("digest.col.p90"), t("digest.col.closed"),
                                             t("digest.col.median"), t("digest.col.p90"), t("digest.col.within")),
                  speed_rows, href=self.link(closed=self.week),
                  groups=(("", 1), (t("digest.col.answered"), 3), (t("digest.col.closed"), 4))),
            Table(t("digest.served.surveys"), (t("digest.col.department"), t("digest.col.responses"),
                                               t("digest.col.score"), t("digest.col.solved"),
                                               t("digest.col.response_rate")), survey_rows,
                  href=self.link(rated=self.week)),
        ), t("digest.quotes.title"), quotes, notes=(t("digest.served.note"),))

    def _speed_row(self, s: Service) -> tuple[Cell, ...]:
        w = self.words
        department = s.department or None
        return (Cell(w.department(s.department)),
                Cell(w.number(s.answered), self.link(answered=self.week, department=department), True),
                Cell(w.duration(s.first_answer_median), numeric=True),
                Cell(w.duration(s.first_answer_p90), numeric=True),
                Cell(w.number(s.closed), self.link(closed=self.week, department=department), True),
                Cell(w.duration(s.closing_median), numeric=True), Cell(w.duration(s.closing_p90), numeric=True),
                Cell(w.share(s.within_term_share), numeric=True))

    # --- initiatives --------------------------------------------------------------------------------------
    def _initiatives(self) -> Section:
        t, w, d = self.words.t, self.words, self.digest
        by_ambition = tuple((
            Cell(w.ambition(a)), Cell(w.number(new), self.link(week=self.week, kind=INITIATIVE, ambition=a), True),
            # running: open at the end of the week and made before it
            Cell(w.number(running), self.link(open=self.week, until=self.week_before, kind=INITIATIVE, ambition=a),
                 True),
        ) for a, new, running in d.initiatives.by_ambition)
        lines = self._case_table(t("digest.initiatives.list"), d.initiatives.lines, (
            (t("digest.col.new"),
             lambda c: Cell(t("digest.initiatives.new") if c.new else t("digest.initiatives.running"))),
            (t("digest.col.status"), lambda c: Cell(w.status(c.status))),
            (t("digest.col.ambition"), lambda c: Cell(w.ambition(c.ambition))),
            (t("digest.col.buurt"), lambda c: Cell(c.buurt or t("digest.unknown.buurt"))),
            (t("digest.col.age"), lambda c: Cell(w.days(c.age_days), numeric=True)),
        ), t("digest.initiatives.none"), self.link(active=self.week, kind=INITIATIVE))
        paragraphs: tuple[str, ...] = ()
        if not w.rules.ambitions.get(d.wijk):
            paragraphs = (t("digest.initiatives.no_ambition", wijk=d.wijk),)
        return Section("initiatieven", t("digest.initiatives.title"), paragraphs, None, (
            Table(t("digest.initiatives.by_ambition"), (t("digest.col.ambition"), t("digest.col.new"),
                                                        t("digest.col.running")), by_ambition,
                  t("digest.initiatives.none"), href=self.link(active=self.week, kind=INITIATIVE)), lines))


def _label(rows: Sequence[Row], key: str) -> str:
    for row in rows:
        if row.key == key:
            return row.label
    return ""
