"""summarise: the digest's figures for one wijk and week, from the facts storage read.

What came in (counts by kind, category, department, buurt and channel, against the previous week and the
average of the four weeks before), hot spots (one topic piling up in a street or buurt: the documents'
"omvangrijk en structureel"), duplicate clusters and initiatives; `outcomes` adds what is stuck and how
residents were served. Invariants: pure; a case belongs to the ISO week of its creation in local time; the
trend covers TREND_WEEKS weeks ending with the digest's week.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from wijkbot.domain.digest import outcomes
from wijkbot.domain.digest.facts import CaseFact, DigestFacts
from wijkbot.domain.digest.figures import Cluster, Digest, HotSpot, Inflow, Initiatives, Row, TrendWeek
from wijkbot.domain.digest.stats import count
from wijkbot.domain.weeks import IsoWeek, week_index
from wijkbot.domain.workflow import Status

TREND_WEEKS = 12
HOT_SPOT_WEEKS = 4
STRUCTURAL_WEEKS = 3


@dataclass(frozen=True, slots=True)
class DigestPolicy:
    """When a place counts as a hot spot: this many cases on one topic in one week."""

    street_minimum: int = 3
    buurt_minimum: int = 5
    list_length: int = 10  # cases per list (overdue, waiting, ...); the totals always count every case
    quotes: int = 5


def trend_weeks(week: IsoWeek) -> tuple[IsoWeek, ...]:
    return (*week.previous(TREND_WEEKS - 1), week)


def summarise(facts: DigestFacts, policy: DigestPolicy | None = None,
              known_names: Iterable[str] = ()) -> Digest:
    """Every figure of the digest. `known_names` are places and departments a quote may name."""
    policy = policy or DigestPolicy()
    weeks = trend_weeks(facts.week)
    bounds = (*(w.start(facts.timezone) for w in weeks), facts.week.end(facts.timezone))
    by_week: list[list[CaseFact]] = [[] for _ in weeks]
    for case in facts.recent_cases:
        index = week_index(case.created_at, bounds)
        if index is not None:
            by_week[index].append(case)
    messages: list[list[str]] = [[] for _ in weeks]
    for message in facts.messages:
        index = week_index(message.created_at, bounds)
        if index is not None:
            messages[index].append(message.channel)
    return Digest(
        wijk=facts.wijk, week=facts.week,
        inflow=_inflow(weeks, by_week, messages),
        hot_spots=_hot_spots(by_week[-HOT_SPOT_WEEKS:], policy),
        clusters=_clusters(facts),
        stuck=outcomes.stuck(facts),
        service=outcomes.service(facts),
        quotes=outcomes.quotes(facts, policy.quotes, known_names),
        initiatives=_initiatives(facts, by_week[-1]),
        open_cases=len(facts.open_at_end),
    )


def _breakdown(weeks: list[list[CaseFact]], key: Callable[[CaseFact], str | None]) -> tuple[Row, ...]:
    counters = [Counter(key(c) or "" for c in cases) for cases in weeks[-5:]]
    labels = {key(c) or "": c.buurt or "" for cases in weeks[-5:] for c in cases}
    keys = set().union(*counters)
    rows = [Row(k, count([counter[k] for counter in counters]), labels.get(k, "") if key is _buurt else "")
            for k in keys]
    return tuple(sorted(rows, key=lambda r: (-r.count.this_week, -r.count.average4, r.key)))


def _buurt(case: CaseFact) -> str | None:
    return case.buurt_code


def _street(case: CaseFact) -> str | None:
    return (case.street or "").strip().casefold() or None


def _inflow(weeks: tuple[IsoWeek, ...], by_week: list[list[CaseFact]], messages: list[list[str]]) -> Inflow:
    channel_counters = [Counter(m) for m in messages[-5:]]
    channels = set().union(*channel_counters)
    return Inflow(
        messages=count([len(m) for m in messages]),
        cases=count([len(c) for c in by_week]),
        by_kind=_breakdown(by_week, lambda c: c.kind),
        by_category=_breakdown(by_week, lambda c: c.category),
        by_department=_breakdown(by_week, lambda c: c.department),
        by_buurt=_breakdown(by_week, _buurt),
        by_channel=_breakdown(by_week, lambda c: c.channel),
        messages_by_channel=tuple(sorted(
            (Row(ch, count([counter[ch] for counter in channel_counters])) for ch in channels),
            key=lambda r: (-r.count.this_week, r.key))),
        trend=tuple(TrendWeek(w, len(c), len(m)) for w, c, m in zip(weeks, by_week, messages, strict=True)),
    )


def _hot_spots(last_weeks: list[list[CaseFact]], policy: DigestPolicy) -> tuple[HotSpot, ...]:
    """Topics piling up in one street (or one buurt) this week, with how often they came back lately."""
    spots: list[HotSpot] = []
    scales: tuple[tuple[str, int, Callable[[CaseFact], str | None]], ...] = (
        ("straat", policy.street_minimum, _street), ("buurt", policy.buurt_minimum, _buurt))
    streets_seen: dict[tuple[str, str | None], int] = {}
    for scale, minimum, place in scales:
        per_week = [Counter((c.category, place(c)) for c in cases if c.category and place(c)) for cases in last_weeks]
        names = {(c.category, place(c)): (c.street if scale == "straat" else c.buurt) or "" for c in last_weeks[-1]}
        codes = {(c.category, place(c)): c.buurt_code for c in last_weeks[-1]}
        for (category, key), number in per_week[-1].items():
            if number < minimum:
                continue
            if scale == "buurt" and streets_seen.get((category, key)) == number:
                continue  # every one of them is in a street already listed
            present = sum(1 for counter in per_week if counter[(category, key)])
            spots.append(HotSpot(category, scale, names[(category, key)], codes[(category, key)], number,
                                 sum(counter[(category, key)] for counter in per_week), present,
                                 present >= STRUCTURAL_WEEKS))
            if scale == "straat":
                code = codes[(category, key)]
                streets_seen[(category, code)] = streets_seen.get((category, code), 0) + number
    return tuple(sorted(spots, key=lambda s: (not s.structural, -s.this_week, s.scale != "straat", s.place)))


def _clusters(facts: DigestFacts) -> tuple[Cluster, ...]:
    clusters = [Cluster(c.lead.reference, c.lead.category, c.lead.street, c.lead.buurt, c.members + 1,
                        c.new_members, Status(c.lead.status) not in (Status.AFGEHANDELD, Status.GEANNULEERD))
                for c in facts.clusters]
    return tuple(sorted(clusters, key=lambda c: (-c.new_this_week, -c.reports, c.lead_reference)))


def _initiatives(facts: DigestFacts, this_week: list[CaseFact]) -> Initiatives:
    end = facts.cut[0]
    new = [c for c in this_week if c.kind == "initiatief"]
    new_ids = {c.id for c in new}
    running = sorted((c for c in facts.open_at_end if c.kind == "initiatief" and c.id not in new_ids),
                     key=lambda c: c.created_at)
    lines = [outcomes.line(c, end, new=True) for c in sorted(new, key=lambda c: c.created_at)]
    lines += [outcomes.line(c, end) for c in running]
    tally: dict[str, list[int]] = {}
    for case in new:
        tally.setdefault(case.ambition or "not-set", [0, 0])[0] += 1
    for case in running:
        tally.setdefault(case.ambition or "not-set", [0, 0])[1] += 1
    ordered = sorted(tally.items(), key=lambda item: (item[0] in ("none", "not-set"), -sum(item[1]), item[0]))
    return Initiatives(tuple(lines), tuple((k, v[0], v[1]) for k, v in ordered))
