"""The X channel's pure rules: cursors, budget, route choice, DM chunks (tables of literals)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from wijkbot.domain.x import (
    Cursor,
    Limits,
    Mode,
    Page,
    Request,
    Usage,
    advance,
    allows,
    choose,
    chunks,
    month_of,
    restart,
    status,
)


@pytest.mark.parametrize(("cursor", "ids", "next_token", "expected", "done"), [
    # one page, nothing more: the newest id becomes since_id
    (Cursor("100"), ("130", "120", "110"), None, Cursor("130"), True),
    # first page of several: since_id stays, newest kept aside, token saved
    (Cursor("100"), ("150", "140"), "t1", Cursor("100", "150", "t1"), False),
    # a later page: the newest id seen on the first page is kept
    (Cursor("100", "150", "t1"), ("130", "120"), "t2", Cursor("100", "150", "t2"), False),
    # last page: promote the newest seen
    (Cursor("100", "150", "t2"), ("110",), None, Cursor("150"), True),
    # DM events have no since_id parameter: a page reaching back to stored items ends the poll
    (Cursor("100"), ("120", "100", "90"), "t1", Cursor("120"), True),
    # an empty answer changes nothing
    (Cursor("100"), (), None, Cursor("100"), True),
    # numbers, not strings: "99" is older than "100"
    (Cursor(None), ("99", "100"), None, Cursor("100"), True),
])
def test_cursor_advances_only_when_a_poll_is_complete(cursor: Cursor, ids: tuple[str, ...], next_token: str | None,
                                                      expected: Cursor, done: bool) -> None:
    assert advance(cursor, Page((), ids, next_token)) == (expected, done)


def test_restart_drops_the_token_and_keeps_since_id() -> None:
    assert restart(Cursor("100", "150", "t1")) == Cursor("100")


LIMITS = Limits(reads=10, writes=4, amount=None, price_read=0.01, price_write=0.015)


@pytest.mark.parametrize(("reads", "writes", "state", "share"), [
    (0, 0, "ok", 0.0), (7, 0, "ok", 0.7), (8, 0, "warning", 0.8), (0, 3, "ok", 0.75), (8, 4, "paused", 1.0),
    (10, 0, "paused", 1.0), (2, 4, "paused", 1.0), (12, 0, "paused", 1.2),
])
def test_budget_state_follows_the_tightest_limit(reads: int, writes: int, state: str, share: float) -> None:
    result = status(Usage("2026-11", reads, writes), LIMITS)
    assert (result.state, result.share) == (state, pytest.approx(share))


@pytest.mark.parametrize(("usage", "limits", "kind", "allowed"), [
    (Usage("m", 9, 0), LIMITS, Request.MENTIONS, True),  # the 10th read is within budget
    (Usage("m", 10, 0), LIMITS, Request.MENTIONS, False),
    (Usage("m", 10, 0), LIMITS, Request.TWEET, False),  # at 100 % nothing is posted either
    (Usage("m", 0, 3), LIMITS, Request.DM, True),
    (Usage("m", 0, 4), LIMITS, Request.DM, False),
    (Usage("m", 0, 0), Limits(amount=0.05, price_read=0.01, price_write=0.015), Request.TWEET, True),
    (Usage("m", 3, 1), Limits(amount=0.05, price_read=0.01, price_write=0.015), Request.TWEET, False),
    (Usage("m", 2, 1), Limits(amount=0.05, price_read=0.01, price_write=0.015), Request.MENTIONS, True),
    (Usage("m", 0, 0), Limits(reads=0), Request.ME, False),  # a limit of 0 switches X off
    (Usage("m", 10**6, 10**6), Limits(), Request.TWEET, True),  # no limits set
])
def test_a_request_is_allowed_only_within_every_limit(usage: Usage, limits: Limits, kind: Request,
                                                      allowed: bool) -> None:
    assert allows(usage, limits, kind) is allowed


def test_budget_month_is_the_utc_calendar_month() -> None:
    assert month_of(datetime(2026, 11, 30, 23, 59, tzinfo=UTC)) == "2026-11"
    assert month_of(datetime(2026, 12, 1, 0, 0, tzinfo=UTC)) == "2026-12"


@pytest.mark.parametrize(("has_dm", "mention", "expected"), [
    (True, "55", (Mode.DM, None)), (True, None, (Mode.DM, None)),
    (False, "55", (Mode.PUBLIC, "55")), (False, None, None),
])
def test_dm_when_the_resident_wrote_one_else_a_public_reply(has_dm: bool, mention: str | None,
                                                            expected: tuple[Mode, str | None] | None) -> None:
    assert choose(has_dm, mention) == expected


@pytest.mark.parametrize(("text", "size", "parts"), [
    ("kort", 10, ["kort"]),
    ("een twee drie vier", 10, ["een twee", "drie vier"]),
    ("x" * 25, 10, ["x" * 10, "x" * 10, "x" * 5]),
    ("", 10, [""]),
])
def test_long_dms_are_split_without_losing_text(text: str, size: int, parts: list[str]) -> None:
    assert chunks(text, size) == parts
    assert all(len(p) <= size for p in chunks(text, size))
