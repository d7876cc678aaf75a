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


def test_an_example_that_comes_out_only_as_a_suggestion_is_named_but_passes(
        folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A retest's example "went" to the right category in check-rules, but a resident writing it got the triage
    answer: the category was only a suggestion, under triage.min_confidence."""
    (folder / "categories.yaml").write_text(
        "categories:\n"
        "  - {id: lamp, name: Lamp, department: wijken, sla_days: 5, keywords: [lamp],\n"
        "     examples: [{text: 'de lamp bij het bankje is uit'}], weight: 1.2}\n"
        "  - {id: bank, name: Bankje, department: wijken, sla_days: 5, keywords: [bankje]}\n",
        encoding="utf-8")
    assert main(["check-rules", str(folder)]) == 0
    err = capsys.readouterr().err
    assert "let op: 1 voorbeeldzin komt alleen als voorstel uit, onder triage.min_confidence 0.45" in err
    assert "(categories.yaml: lamp voorbeeld 1 (zekerheid 0." in err


def test_another_municipalitys_phone_and_site_in_a_template_or_address_are_named(
        folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A retest copied Utrecht's templates to Zeist: its residents would have read "bel 14 030" and "utrecht.nl"."""
    (folder / "templates.yaml").write_text(
        "templates:\n  - id: info\n    categories: ['*']\n    title: {nl: Info}\n"
        "    nl: {we_will: 'Kijk op utrecht.nl of bel 14 030. Bel {phone} of kijk op {website}. Bel 113 of "
        "0800-0113.'}\n", encoding="utf-8")
    text = MINIMAL_RULES["municipality.yaml"].replace("privacy_url: https://test.example/privacy",
                                                      "privacy_url: https://www.utrecht.nl/privacy/")
    (folder / "municipality.yaml").write_text(text, encoding="utf-8")
    assert main(["check-rules", str(folder)]) == 0
    err = capsys.readouterr().err
    assert ("let op: contactgegevens die niet van Test lijken (test.example, 14 000): privacy_url: "
            "https://www.utrecht.nl/privacy/; sjabloon info: utrecht.nl; sjabloon info: 14 030. In een sjabloon "
            "schrijft u {phone} en {website}") in err


def test_own_contact_details_and_help_lines_get_no_notice(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "templates.yaml").write_text(
        "templates:\n  - id: info\n    categories: ['*']\n    title: {nl: Info}\n"
        "    nl: {we_will: 'Bel 14 000 of kijk op test.example. Gevaar? Bel 112. Praat met 113: 0800-0113.'}\n",
        encoding="utf-8")
    assert main(["check-rules", str(folder)]) == 0
    assert "contactgegevens" not in capsys.readouterr().err
