import pytest

from wijkbot.domain.sanitise import has_words, is_blank, storable
from wijkbot.ratelimit import RateLimiter


@pytest.mark.parametrize(
    ("text", "expected"),
    [("gewoon", "gewoon"), ("a\x00b", "a\ufffdb"), ("x\ud800y", "x\ufffdy"), ("<b>", "<b>"), ("\x07bel", "\x07bel")],
)
def test_storable_keeps_everything_but_what_databases_reject(text: str, expected: str) -> None:
    assert storable(text) == expected
    storable(text).encode("utf-8")


@pytest.mark.parametrize(("text", "blank"), [("", True), ("  \n\t", True), ("\u200b\u200b", True), (" a ", False)])
def test_is_blank(text: str, blank: bool) -> None:
    assert is_blank(text) is blank


@pytest.mark.parametrize(("text", "words"), [("!!!", False), ("1234", False), ("ok", True), ("\x00\xff", True)])
def test_has_words(text: str, words: bool) -> None:
    assert has_words(text) is words


def test_rate_limiter_allows_a_burst_then_asks_to_wait() -> None:
    now = [0.0]
    limiter = RateLimiter(per_minute=20, clock=lambda: now[0])
    assert all(limiter.hit("s") == 0 for _ in range(20))
    wait = limiter.hit("s")
    assert 2.9 < wait <= 3.0  # one token per 3 seconds at 20/minute
    assert limiter.hit("other") == 0  # sessions are independent
    now[0] += 3.0
    assert limiter.hit("s") == 0
