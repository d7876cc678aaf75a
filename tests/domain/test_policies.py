"""Service policies: which policy a case gets, and when reminders and escalation steps fall (table-driven)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from wijkbot.domain.policies import EscalationStep, Policies, ServicePolicy, escalation_moments, reminder_moment

POLICIES = Policies(
    defaults=ServicePolicy(answer_days=5, update_every_days=5),
    departments={"veiligheid": {"update_every_days": 3, "answer_days": 10}},
    categories={"graffiti": {"answer_days": 2}},
)


@pytest.mark.parametrize(("category", "department", "sla", "answer", "updates"), [
    (None, None, None, 5, 5),
    ("lantaarnpaal", "stadswerken", None, 5, 5),
    ("lantaarnpaal", "stadswerken", 3, 3, 5),  # a category's sla_days is its term
    (None, "veiligheid", None, 10, 3),  # the department's overrides
    ("overlast", "veiligheid", 4, 4, 3),  # the category's term beats the department's
    ("graffiti", "veiligheid", 4, 2, 3),  # policies.yaml for the category beats its sla_days
])
def test_policy_for_a_case(category: str | None, department: str | None, sla: int | None, answer: int,
                           updates: int) -> None:
    policy = POLICIES.for_case(category, department, sla)
    assert (policy.answer_days, policy.update_every_days) == (answer, updates)


@pytest.mark.parametrize(("policies", "answer", "updates"), [
    (POLICIES, 1, 1),  # no `acute` block: the next working day, news every working day
    (Policies(acute={"answer_days": 2}), 2, 5),
    (Policies(acute={}), 4, 5),  # `acute: {}`: the category's own term
])
def test_an_acute_case_gets_the_acute_term_over_its_category(policies: Policies, answer: int, updates: int) -> None:
    policy = policies.for_case("graffiti", None, 4, acute=True)
    assert (policy.answer_days, policy.update_every_days) == (answer, updates)
    assert policies.for_case("graffiti", None, 4).answer_days != 1 or answer == 1


AMSTERDAM = "Europe/Amsterdam"


@pytest.mark.parametrize(("opened", "answer_days", "paused", "expected"), [
    # Monday 16 Nov 2026, term 5: due Monday 23 Nov; twice: 30 Nov; three times: 7 Dec
    (datetime(2026, 11, 16, 10, tzinfo=UTC), 5, 0, [date(2026, 11, 23), date(2026, 11, 30), date(2026, 12, 7)]),
    # opened on Christmas Eve: 25 and 26 December do not count
    (datetime(2026, 12, 24, 10, tzinfo=UTC), 2, 0, [date(2026, 12, 29), date(2026, 12, 31), date(2027, 1, 5)]),
    # 2 working days waiting on the resident push every step back
    (datetime(2026, 11, 16, 10, tzinfo=UTC), 5, 2, [date(2026, 11, 25), date(2026, 12, 2), date(2026, 12, 9)]),
    # a half term rounds up to whole working days
    (datetime(2026, 11, 16, 10, tzinfo=UTC), 3, 0, [date(2026, 11, 19), date(2026, 11, 24), date(2026, 11, 27)]),
])
def test_escalation_moments(opened: datetime, answer_days: int, paused: int, expected: list[date]) -> None:
    policy = ServicePolicy(answer_days=answer_days)
    moments = escalation_moments(opened, policy, AMSTERDAM, paused_days=paused)
    assert [m.date() for _, _, m in moments] == expected
    assert [s.to for _, s, _ in moments] == ["teamleider", "wijkregisseur", "dienstdirecteur"]
    assert all((m.hour, m.minute) == (9, 0) and m.utcoffset() is not None for _, _, m in moments)


def test_escalation_across_the_daylight_saving_change_stays_at_nine_local() -> None:
    opened = datetime(2026, 10, 22, 10, tzinfo=UTC)  # summer time; the clocks go back on 25 October
    (_, _, first), *_ = escalation_moments(opened, ServicePolicy(answer_days=5), AMSTERDAM)
    assert first.date() == date(2026, 10, 29)
    assert first.astimezone(UTC).hour == 8  # 09:00 winter time (UTC+1)


def test_a_custom_ladder_is_ordered_by_its_moment() -> None:
    policy = ServicePolicy(answer_days=4, escalation=(EscalationStep(2, "wijkregisseur"), EscalationStep(1.5, "x")))
    moments = escalation_moments(datetime(2026, 11, 16, 10, tzinfo=UTC), policy, AMSTERDAM)
    assert [(n, s.to) for n, s, _ in moments] == [(1, "x"), (2, "wijkregisseur")]


@pytest.mark.parametrize(("due", "before", "opened", "expected"), [
    (date(2026, 11, 23), 1, datetime(2026, 11, 16, 10, tzinfo=UTC), date(2026, 11, 20)),  # Monday due: Friday
    (date(2026, 11, 23), 0, datetime(2026, 11, 16, 10, tzinfo=UTC), date(2026, 11, 23)),
    (date(2026, 11, 18), 3, datetime(2026, 11, 16, 10, tzinfo=UTC), date(2026, 11, 17)),  # not before day one
    (date(2026, 12, 28), 1, datetime(2026, 12, 14, 10, tzinfo=UTC), date(2026, 12, 24)),  # skips Kerst
])
def test_reminder_moment(due: date, before: int, opened: datetime, expected: date) -> None:
    moment = reminder_moment(due, ServicePolicy(remind_before_days=before), opened, AMSTERDAM)
    assert moment.date() == expected and moment.hour == 9
