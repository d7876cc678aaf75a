"""`wijkbot simulate`: a small month of residents and ambtenaren in fake time meets the follow-up targets."""

from __future__ import annotations

import json

import pytest

from wijkbot.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert main(["simulate", "--days", "5", "--residents", "40", "--seed", "1", "--json", *args]) == 0
    return dict(json.loads(capsys.readouterr().out))


def test_small_simulation_meets_the_targets(capsys: pytest.CaptureFixture[str]) -> None:
    report = run(capsys)
    assert report["meldingen"] == 40
    assert report["acknowledged_within_5s"] == 1.0
    assert report["cases_silent_too_long"] == 0
    assert report["escalations_missed_or_late"] == 0
    assert report["escalations_twice"] == 0
    assert report["sent_twice"] == 0
    assert report["sent_at_night"] == 0
    assert report["sent_after_stop"] == 0
    assert report["targets_met"] is True
    # The run really exercised the ladder and the survey, so the targets above are not met by doing nothing.
    assert report["escalations_per_step"]
    assert isinstance(report["surveys_sent"], int) and report["surveys_sent"] > 0
    # ... and the other moves: /stop, typed survey answers, waiting on the resident, planning (seed 1 has each).
    for exercised in ("residents_stopped", "typed_survey_answers", "cases_waiting_on_resident", "cases_planned"):
        assert isinstance(report[exercised], int) and report[exercised] > 0, exercised


def test_same_seed_same_report_and_plain_text_in_dutch(capsys: pytest.CaptureFixture[str]) -> None:
    first = run(capsys)
    assert run(capsys) == first
    assert main(["simulate", "--days", "2", "--residents", "5", "--seed", "1"]) == 0
    text = capsys.readouterr().out
    assert "ontvangstbevestiging binnen 5 s:     100.0 %" in text
    assert "doelen gehaald:" in text


def test_nonsense_numbers_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--days", "0"]) == 1
    assert "minstens 1" in capsys.readouterr().err
