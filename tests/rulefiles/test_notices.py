"""check-rules tells the beheerder about a valid choice with a cost that a typo can make too: a postcode listed in
two wijken (kernen) leaves a message with only that postcode without a wijk. The configuration still passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rulefiles.broken import MINIMAL_RULES
from wijkbot.cli import main

AREAS = "wijk,buurt_code,buurt,pc4\nWest,BU01,Lombok,3531\nOost,BU02,Oudwijk,3581\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name, text in {**MINIMAL_RULES, "areas.csv": AREAS}.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_a_postcode_in_two_wijken_is_named_but_passes(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "areas.csv").write_text(AREAS + "Oost,BU03,Wilhelminapark,3531\n", encoding="utf-8")
    assert main(["check-rules", str(folder)]) == 0
    err = capsys.readouterr().err
    assert "let op: een postcode ligt in meer dan één wijk (areas.csv: 3531 in Oost en West)" in err
    assert "een bericht met alleen zo'n postcode krijgt geen wijk" in err


def test_postcodes_in_one_wijk_each_get_no_notice(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "areas.csv").write_text(AREAS + "West,BU03,Oog in Al,3531\n", encoding="utf-8")  # two buurten, one wijk
    assert main(["check-rules", str(folder)]) == 0
    assert "let op" not in capsys.readouterr().err
