"""`wijkbot simulate`: a small month of residents and ambtenaren in fake time meets the follow-up targets,
for Utrecht with its demo ambtenaren and for another municipality with ambtenaren made up from its configuration."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from wijkbot.cli import main
from wijkbot.rulefiles import load_rules
from wijkbot.simulation.staff import add_staff
from wijkbot.storage.db import Database
from wijkbot.storage.escalation_rows import person_for
from wijkbot.storage.migrate import migrate
from wijkbot.testing import FrozenClock

ROOT = Path(__file__).resolve().parents[2]
KATWIJK = ROOT / "routing_rules" / "katwijk"
DEMO = ROOT / "deploy" / "demo" / "utrecht_officers.yaml"


@pytest.fixture(autouse=True)
def utrecht_demo_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIJKBOT_DEMO_OFFICERS_FILE", str(DEMO))


def figure(text: str, label: str) -> str:
    """What the plain-text report says after `label:`."""
    found = re.search(rf"^  {re.escape(label)}:\s+(.*)$", text, re.MULTILINE)
    assert found is not None, label
    return found.group(1)


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
    assert report["officers_from_file"] == 21 and report["officers_file_not_used"] == ""  # Utrecht's demo file
    # The run really exercised the ladder and the survey, so the targets above are not met by doing nothing.
    assert report["escalations_per_step"]
    assert isinstance(report["surveys_sent"], int) and report["surveys_sent"] > 0
    # ... and the other moves: /stop, typed survey answers, waiting on the resident, planning (seed 1 has each).
    for exercised in ("residents_stopped", "typed_survey_answers", "cases_waiting_on_resident", "cases_planned"):
        assert isinstance(report[exercised], int) and report[exercised] > 0, exercised


def test_same_seed_same_report_and_plain_text_in_dutch(capsys: pytest.CaptureFixture[str]) -> None:
    first = run(capsys)
    assert run(capsys) == first
    assert main(["simulate", "--days", "1", "--residents", "1", "--seed", "1"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Simulatie Gemeente Utrecht: 1 dag, 1 bewoner, seed 1\n")
    assert "ontvangstbevestiging binnen 5 s:     100.0 %" in text
    assert figure(text, "tevredenheidsvragen verstuurd") == "0"
    assert figure(text, "respons tevredenheid") == "–"  # not 0.0 %: nobody was asked
    assert figure(text, "verzoeken om heropenen") == "–"
    assert figure(text, "doelen gehaald") == "ja"
    assert "niet hoe snel ambtenaren afhandelen" in text  # what the goals measure, next to "zaken over de termijn"


def test_another_municipality_runs_with_ambtenaren_made_from_its_configuration(
        capsys: pytest.CaptureFixture[str]) -> None:
    """Katwijk's teams are not in the (Utrecht) demo file: the run still works, every case is made and answered."""
    assert main(["simulate", "--days", "8", "--residents", "20", "--seed", "1", "--rules", str(KATWIJK)]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Simulatie Gemeente Katwijk: 8 dagen, 20 bewoners, seed 1\n")
    assert figure(text, "ambtenaren").endswith(
        " gesimuleerd uit de configuratie (utrecht_officers.yaml: onbekend team 'stadswerken-west')")
    assert figure(text, "meldingen verstuurd") == figure(text, "zaken") == "20"
    assert figure(text, "ontvangstbevestiging binnen 5 s") == "100.0 %"
    assert figure(text, "escalaties per stap").startswith("stap 1: ")
    assert int(figure(text, "tevredenheidsvragen verstuurd")) > 0  # answered and closed by their ambtenaar
    assert figure(text, "verzoeken om heropenen").endswith(" % van de reacties")
    assert figure(text, "acties van ambtenaren mislukt") == "0"
    assert figure(text, "doelen gehaald") == "ja"


async def test_made_up_ambtenaren_are_the_people_escalation_names(sqlite_url: str) -> None:
    """Every team has behandelaars and a teamleider, every wijk a wijkregisseur, found as escalation finds them."""
    rules = load_rules(KATWIJK)
    db = Database(sqlite_url)
    try:
        await migrate(db)
        staff = await add_staff(db, rules, DEMO, FrozenClock()())
        assert (staff.from_file, staff.not_used) == (0, "onbekend team 'stadswerken-west'")
        assert staff.simulated == 3 * len(rules.teams) + len(rules.wijken)
        async with db.read() as conn:
            for team in rules.teams:
                leader = await person_for(conn, "teamleider", team.id, None)
                assert leader is not None and leader.startswith(f"Teamleider van {team.name}"), team.id
            for wijk in rules.wijken:
                assert await person_for(conn, "wijkregisseur", None, wijk) == f"Wijkregisseur van {wijk}"
    finally:
        await db.dispose()


def test_nonsense_numbers_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--days", "0"]) == 1
    assert "minstens 1" in capsys.readouterr().err
