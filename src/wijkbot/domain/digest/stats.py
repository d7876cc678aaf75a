"""Small statistics for the digest: counts against earlier weeks, median and 90th percentile.

Invariants: pure; the median of an even number of values is the mean of the middle two (statistics.median);
the 90th percentile is the nearest-rank value (the smallest value with at least 90 % of the values at or below
it), so it is always a time that really occurred; empty input gives None, never 0.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True, slots=True)
class Count:
    """A weekly count next to the previous week and the average of the four weeks before this one."""

    this_week: int
    previous: int
    average4: float

    @property
    def change(self) -> int:
        return self.this_week - self.previous

    @property
    def against_average(self) -> float:
        return self.this_week - self.average4


def count(per_week: Sequence[int]) -> Count:
    """A Count from counts of consecutive weeks, oldest first, the last being this week (needs 5 or more)."""
    if len(per_week) < 5:
        raise ValueError("a Count needs this week and the four before it")
    return Count(per_week[-1], per_week[-2], sum(per_week[-5:-1]) / 4)


def median(values: Sequence[timedelta]) -> timedelta | None:
    if not values:
        return None
    seconds = statistics.median(v.total_seconds() for v in values)
    return timedelta(seconds=round(seconds))


def percentile(values: Sequence[timedelta], share: float = 0.9) -> timedelta | None:
    """The nearest-rank percentile."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None
