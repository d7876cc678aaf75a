"""Pure digest arithmetic with literals: counts against earlier weeks, median, nearest-rank 90th percentile,
and a structural hot spot (present in three of the last four weeks)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from wijkbot.domain.digest.facts import CaseFact, DigestFacts
from wijkbot.domain.digest.stats import Count, count, median, percentile
from wijkbot.domain.digest.summary import summarise
from wijkbot.domain.weeks import IsoWeek

H = timedelta(hours=1)


@pytest.mark.parametrize(("weeks", "expected"), [
    ([1, 2, 3, 4, 10], Count(10, 4, 2.5)), ([0, 0, 0, 0, 0], Count(0, 0, 0.0)), ([9, 0, 0, 0, 0, 3], Count(3, 0, 0.0)),
])
def test_count(weeks: list[int], expected: Count) -> None:
    assert count(weeks) == expected


@pytest.mark.parametrize(("values", "mid", "p90"), [
    ([], None, None), ([3 * H], 3 * H, 3 * H), ([1 * H, 3 * H], 2 * H, 3 * H),
    ([H * n for n in range(1, 11)], 5.5 * H, 9 * H), ([H * n for n in range(1, 12)], 6 * H, 10 * H),
])
def test_median_and_nearest_rank_percentile(values: list[timedelta], mid: timedelta | None,
                                            p90: timedelta | None) -> None:
    assert median(values) == mid
    assert percentile(values) == p90


def test_a_topic_back_in_three_of_four_weeks_is_structural() -> None:
    week = IsoWeek(2026, 47)

    def case(n: int, weeks_back: int) -> CaseFact:
        created = week.shifted(-weeks_back).start("Europe/Amsterdam") + timedelta(hours=10 + n)
        return CaseFact(n, f"UT-{n}", "melding", "toegewezen", "stadswerken", "telegram", created, date(2026, 12, 31),
                        category="grofvuil", buurt="Lombok", buurt_code="BU1", street="Kanaalstraat")

    cases = [case(n, 0) for n in range(3)] + [case(10, 1), case(11, 3)]
    facts = DigestFacts("West", week, "Europe/Amsterdam", tuple(cases), (), (), (), (), (), ())
    spots = summarise(facts).hot_spots
    assert [(s.place, s.this_week, s.last_four_weeks, s.weeks_present, s.structural) for s in spots] == [
        ("Kanaalstraat", 3, 5, 3, True)]
