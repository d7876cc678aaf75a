"""The beheerder's commands: check-rules on good and broken folders, route explaining a decision."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from wijkbot.cli import main
from wijkbot.rulefiles import RuleFileError, load_rules

UTRECHT = Path(__file__).resolve().parents[2] / "routing_rules" / "utrecht"


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "gemeente"
    shutil.copytree(UTRECHT, target)
    return target


def test_utrecht_configuration_passes_with_every_example_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-rules", str(UTRECHT)]) == 0
    out = capsys.readouterr().out
    assert "OK" in out and "voorbeeldzinnen kloppen" in out


BROKEN = [
    # (file, text replaced, replacement, expected fragments of the message: file, rule id, key)
    ("categories.yaml", "department: stadswerken", "department: stadswerkn",
     ["categories.yaml", "sleutel 'department'", "onbekende vakdienst 'stadswerkn'"]),
    ("categories.yaml", "sla_days: 3", "sla_days: drie", ["categories.yaml", "sleutel 'sla_days'", "drie"]),
    ("categories.yaml", "kind: melding", "kind: mededeling", ["categories.yaml", "sleutel 'kind'", "mededeling"]),
    ("teams.yaml", "department: vth", "department: vergunningen",
     ["teams.yaml", "sleutel 'department'", "vergunningen"]),
    ("municipality.yaml", "min_confidence: 0.45", "min_confidence: 7", ["municipality.yaml", "min_confidence"]),
    ("municipality.yaml", "window_days: 14", "window_days: veertien", ["municipality.yaml", "window_days"]),
    ("policies.yaml", "update_every_days: 3", "update_every_days: 0",
     ["policies.yaml", "onderdeel 'veiligheid'", "sleutel 'update_every_days'", "van 1 tot en met 60"]),
    ("policies.yaml", "  veiligheid:", "  veilighied:",
     ["policies.yaml", "onderdeel 'veilighied'", "onbekende vakdienst 'veilighied'"]),
    ("policies.yaml", "{at: 2, to: wijkregisseur}", "{at: twee, to: wijkregisseur}",
     ["policies.yaml", "onderdeel 'defaults'", "escalation stap 2"]),
    ("policies.yaml", "  answer_days: 5", "  anwser_days: 5",
     ["policies.yaml", "sleutel 'anwser_days'", "onbekende instelling"]),
]


@pytest.mark.parametrize(("file", "old", "new", "fragments"), BROKEN)
def test_broken_file_is_reported_with_file_rule_and_key(rules_copy: Path, file: str, old: str, new: str,
                                                        fragments: list[str],
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = rules_copy / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text '{old}' not found in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert main(["check-rules", str(rules_copy)]) == 1
    err = capsys.readouterr().err
    for fragment in fragments:
        assert fragment in err
    assert "Traceback" not in err


def test_invalid_yaml_names_the_line(rules_copy: Path) -> None:
    (rules_copy / "departments.yaml").write_text("departments:\n  - id: a\n    name: [unclosed\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as error:
        load_rules(rules_copy)
    assert "departments.yaml: regel 3: geen geldige YAML" in str(error.value)


def test_missing_file_and_missing_team_coverage(rules_copy: Path) -> None:
    (rules_copy / "teams.yaml").write_text("teams: []\n", encoding="utf-8")
    (rules_copy / "areas.csv").unlink()
    with pytest.raises(RuleFileError) as error:
        load_rules(rules_copy)
    assert "areas.csv" in str(error.value) and "bestand ontbreekt" in str(error.value)


def test_a_department_without_a_team_for_a_wijk_is_refused(rules_copy: Path) -> None:
    text = (rules_copy / "teams.yaml").read_text(encoding="utf-8")
    (rules_copy / "teams.yaml").write_text(text.replace("department: vth", "department: mobiliteit"), encoding="utf-8")
    with pytest.raises(RuleFileError) as error:
        load_rules(rules_copy)
    assert "sleutel 'wijken'" in str(error.value) and "onderdeel 'vakdienst vth'" in str(error.value)


def test_an_example_that_routes_elsewhere_fails_the_check(rules_copy: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = rules_copy / "categories.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("wijk: Noordwest", "wijk: Overvecht", 1), encoding="utf-8")
    assert main(["check-rules", str(rules_copy)]) == 1
    err = capsys.readouterr().err
    assert "examples[" in err and "verwacht 'Overvecht'" in err


def test_route_prints_the_decision_and_why(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["route", "Er ligt al een week grofvuil naast de container op de Amsterdamsestraatweg"]) == 0
    out = capsys.readouterr().out
    for expected in ("soort", "melding", "Stadswerken", "Noordwest", "zekerheid", "grofvuil", "waarom:"):
        assert expected in out


def test_route_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    assert main(["route", "--json", "Ik ruik gas bij de Kanaalstraat"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["wijk"] == "West"
    assert isinstance(data["waarom"], list)
