"""The digest's figures for a seeded week with known answers, on SQLite and PostgreSQL.

Overvecht, 2026-W15 (Monday 6 April is Tweede Paasdag; Goede Vrijdag 3 April is a working day under the
Algemene termijnenwet), with W13 shortened to 167 hours by the change to summer time: see conftest.seed_week.
"""

from __future__ import annotations

from datetime import timedelta

from tests.digest.conftest import seed_week
from wijkbot.app import Wijkbot
from wijkbot.domain.digest.stats import Count
from wijkbot.domain.weeks import IsoWeek
from wijkbot.testing import FrozenClock

W15 = IsoWeek(2026, 15)


def hours(value: float) -> timedelta:
    return timedelta(hours=value)


async def test_figures_of_a_seeded_week(digest_bot: Wijkbot, clock: FrozenClock) -> None:
    refs = await seed_week(digest_bot, clock)
    d = await digest_bot.digests.figures("Overvecht", W15)

    # What came in: a case at 00:30 on Monday belongs to the new week, also right after the clocks changed
    assert d.inflow.cases == Count(8, 2, 2.0)
    assert d.inflow.messages == Count(9, 2, 2.0)
    assert [(t.week.week, t.cases) for t in d.inflow.trend if t.cases] == [(11, 4), (13, 2), (14, 2), (15, 8)]
    assert {r.key: r.count.this_week for r in d.inflow.by_kind} == {"melding": 5, "vraag": 1, "klacht": 1,
                                                                     "initiatief": 1}
    assert {r.key: r.count.this_week for r in d.inflow.by_category if r.count.this_week} == {
        "grofvuil": 3, "straatverlichting": 1, "jongerenoverlast": 1, "buurtinitiatief": 1, "foutparkeren": 1,
        "klacht-behandeling": 1}
    assert {r.key: r.count.this_week for r in d.inflow.by_department if r.count.this_week} == {
        "stadswerken": 4, "wijken": 2, "veiligheid": 1, "vth": 1}
    assert d.inflow.by_buurt[0].key == "BU03440321" and d.inflow.by_buurt[0].count.this_week == 4
    assert {r.key: (r.count.this_week, r.count.previous) for r in d.inflow.by_channel} == {
        "telegram": (5, 1), "x": (3, 1)}
    assert {r.key: r.count.this_week for r in d.inflow.messages_by_channel} == {"telegram": 6, "x": 3}

    # Hot spots and duplicate clusters
    assert [(s.category, s.scale, s.place, s.this_week, s.structural) for s in d.hot_spots] == [
        ("grofvuil", "straat", "Zamenhofdreef", 3, False)]
    assert [(c.lead_reference, c.reports, c.new_this_week, c.open) for c in d.clusters] == [
        (refs["vuil1"], 3, 2, True)]

    # What is stuck at the end of the week: working days late skip Tweede Paasdag, count Goede Vrijdag
    assert d.open_cases == 9
    assert [(c.reference, c.working_days_late, c.age_days) for c in d.stuck.overdue] == [
        (refs["b"], 19, 33), (refs["a"], 18, 34), (refs["c"], 18, 32), (refs["d"], 10, 31), (refs["vuil1"], 0, 5)]
    assert d.stuck.overdue[0].department == "mobiliteit"  # the lead department after two hand-overs
    assert [(e.case.reference, e.step, e.to) for e in d.stuck.escalations] == [(refs["a"], 2, "teamleider")]
    assert [(c.reference, c.handovers) for c in d.stuck.handed_over] == [(refs["b"], 2)]
    assert [c.reference for c in d.stuck.waiting] == [refs["c"]]

    # How residents were served
    whole, *per_department = d.service
    assert whole.department == ""
    assert (whole.answered, whole.first_answer_median, whole.first_answer_p90) == (4, hours(17.25), hours(695))
    assert (whole.closed, whole.closing_median, whole.closing_p90) == (4, hours(54.75), hours(207.5))
    assert (whole.within_term, whole.within_term_share) == (3, 0.75)  # the Carnegiedreef lamp was due on Goede Vrijdag
    assert (whole.surveys, whole.average_score, whole.solved_share, whole.response_rate) == (2, 3.0, 0.5, 0.5)
    departments = {s.department: s for s in per_department}
    assert departments["stadswerken"].first_answer_median == hours((32.5 + 695) / 2)
    assert (departments["stadswerken"].closed, departments["stadswerken"].within_term) == (2, 1)
    assert departments["veiligheid"].first_answer_p90 == hours(0.5)
    assert departments["vth"].closing_median == timedelta(hours=2, minutes=5)
    assert [(q.score, q.text) for q in d.quotes] == [
        (2, "Ik heb nog steeds geen vergunning. Bel me op [weggelaten]."),
        (4, "Snel opgelost, dank! Groeten [weggelaten]"),
    ]

    # Initiatives: Overvecht has no wijkambitie filled in
    assert [(c.reference, c.new, c.ambition) for c in d.initiatives.lines] == [
        (refs["moestuin"], True, "not-set"), (refs["d"], False, "not-set")]
    assert d.initiatives.by_ambition == (("not-set", 1, 1),)


async def test_every_figure_links_to_the_cases_behind_it(digest_bot: Wijkbot, clock: FrozenClock) -> None:
    refs = await seed_week(digest_bot, clock)
    rendered = await digest_bot.digests.render("Overvecht", W15, base="")
    page = rendered.html
    assert 'href="/inbox/zaken?queue=all&amp;wijk=Overvecht&amp;week=2026-W15"' in page
    assert 'href="/inbox/zaken?queue=all&amp;wijk=Overvecht&amp;overdue=2026-W15"' in page
    assert 'href="/inbox/zaken?queue=all&amp;wijk=Overvecht&amp;week=2026-W15&amp;category=grofvuil' \
           '&amp;street=Zamenhofdreef"' in page
    assert f'href="/inbox/zaken?queue=all&amp;until=2026-W15&amp;cluster={refs["vuil1"]}"' in page
    assert f'href="/inbox/zaken?queue=all&amp;wijk=Overvecht&amp;case={refs["b"]}"' in page
    assert 'href="/inbox/zaken?queue=all&amp;wijk=Overvecht&amp;rated=2026-W15"' in page
    # the text part carries one link per table, parameters in one fixed order
    assert "/inbox/zaken?queue=all&wijk=Overvecht&status=wacht+op+bewoner&open=2026-W15" in rendered.text
    # Every number in a table's first data column of a count table is a link
    assert page.count('href="/inbox/zaken?') > 60


async def test_the_english_digest(digest_bot: Wijkbot, clock: FrozenClock) -> None:
    await seed_week(digest_bot, clock)
    rendered = await digest_bot.digests.render("Overvecht", W15, lang="en")
    assert rendered.subject == "Weekly digest Overvecht, week 15 of 2026"
    assert "This week 8 new cases came in. That is +6 compared with last week." in rendered.text
    assert "What is stuck" in rendered.html and '<html lang="en">' in rendered.html
    assert "Wat ligt stil" not in rendered.html
