"""A file the service cannot work without may not be empty: no categories (every message would go to triage),
no departments or no teams is refused with one clear line naming the file. The optional files may be empty."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rulefiles.broken import MINIMAL_RULES, Check
from wijkbot.cli import main
from wijkbot.rulefiles import RuleFileError, load_rules

# A small configuration that passes check-rules.
MINIMAL = {
    **MINIMAL_RULES,
    "areas.csv": "wijk,buurt_code,buurt,pc4\nWest,BU01,Lombok,3531\n",
}
NO_CATEGORIES = ("categories.yaml: geen enkele categorie; zonder categorieën gaat elk "
                 "bericht naar triage")
NO_DEPARTMENTS = ("departments.yaml: geen enkele vakdienst; minstens de vakdienst voor "
                  "triage (triage.department in municipality.yaml) is nodig")
NO_TEAMS = "teams.yaml: geen enkel team; elke vakdienst heeft voor elke wijk een team nodig"


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    folder = tmp_path / "gemeente"
    folder.mkdir()
    for name, text in MINIMAL.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_the_minimal_configuration_passes(minimal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-rules", str(minimal)]) == 0
    assert "1 categorieën" in capsys.readouterr().out


@pytest.mark.parametrize("content", ["", "# nog invullen\n", "categories: []\n"])
def test_check_rules_refuses_a_configuration_without_categories(minimal: Path, check_rules: Check,
                                                                content: str) -> None:
    (minimal / "categories.yaml").write_text(content, encoding="utf-8")
    assert check_rules(minimal) == [NO_CATEGORIES]


def test_load_rules_refuses_an_empty_categories_file(minimal: Path) -> None:
    (minimal / "categories.yaml").write_text("", encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_rules(minimal)
    assert [str(p) for p in caught.value.problems] == [NO_CATEGORIES]
    assert str(caught.value) == f"1 probleem in {minimal}:\n  - {NO_CATEGORIES}"


def test_utrecht_with_an_empty_categories_file_is_refused(rules_copy: Path, check_rules: Check) -> None:
    (rules_copy / "categories.yaml").write_text("", encoding="utf-8")
    assert check_rules(rules_copy) == [NO_CATEGORIES]


@pytest.mark.parametrize(("file", "expected"), [("departments.yaml", NO_DEPARTMENTS), ("teams.yaml", NO_TEAMS)])
def test_a_configuration_without_departments_or_teams_is_refused(minimal: Path, check_rules: Check, file: str,
                                                                 expected: str) -> None:
    (minimal / file).write_text("", encoding="utf-8")
    assert check_rules(minimal) == [expected]


def test_a_typo_in_the_list_name_is_named_instead_of_an_empty_file(minimal: Path, check_rules: Check) -> None:
    (minimal / "categories.yaml").write_text(MINIMAL["categories.yaml"].replace("categories:", "categorieen:"),
                                             encoding="utf-8")
    assert check_rules(minimal) == [
        "categories.yaml: sleutel 'categorieen': onbekende sleutel 'categorieen' (bekend: categories)"]


def test_a_missing_categories_file_says_only_that_it_is_missing(minimal: Path, check_rules: Check) -> None:
    (minimal / "categories.yaml").unlink()
    assert check_rules(minimal) == ["categories.yaml: bestand ontbreekt"]


@pytest.mark.parametrize("file", ["streets.csv", "ambitions.yaml", "policies.yaml", "templates.yaml"])
def test_an_optional_file_may_be_empty(minimal: Path, file: str, capsys: pytest.CaptureFixture[str]) -> None:
    (minimal / file).write_text("", encoding="utf-8")
    assert main(["check-rules", str(minimal)]) == 0, capsys.readouterr().err


def test_a_folder_that_does_not_exist_is_named(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError) as caught:
        load_rules(tmp_path / "bestaat-niet")
    assert str(caught.value).endswith(f"  - {tmp_path / 'bestaat-niet'}: deze map bestaat niet")


def test_a_placeholder_with_a_format_is_named_as_written(minimal: Path, check_rules: Check) -> None:
    (minimal / "templates.yaml").write_text(
        "templates:\n  - id: a\n    categories: ['*']\n    title: {nl: A}\n    nl: {we_will: 'Klaar op {due:%d-%m}'}\n",
        encoding="utf-8")
    assert check_rules(minimal) == [
        "templates.yaml: onderdeel 'a', sleutel 'nl.we_will': invulveld {due:%d-%m} mag niet; gebruik {area}, "
        "{department}, {due}, {officer}, {phone}, {reference}, {website}"]


def test_an_emptied_street_list_makes_examples_say_no_area_was_found(rules_copy: Path, check_rules: Check) -> None:
    """Never Python's None in a message: an example that finds no wijk says so."""
    (rules_copy / "streets.csv").write_text("", encoding="utf-8")
    problems = check_rules(rules_copy)
    assert problems and not any("None" in p for p in problems)
    assert any("geen wijk gevonden, verwacht '" in p for p in problems)


# A new municipality's beheerder who leaves out what residents need is told so, not served broken answers.
SIGNALS_NEEDED = [
    "signals.yaml: onderdeel 'urgent', sleutel 'urgent': woorden voor acuut gevaar zijn nodig (bewoner krijgt 'bel "
    "112'), zoals [gaslucht, brand, vechtpartij]; kopieer ze uit routing_rules/utrecht/signals.yaml",
    "signals.yaml: onderdeel 'crisis', sleutel 'crisis': woorden van iemand die zichzelf iets wil aandoen zijn nodig "
    "(bewoner krijgt 113), zoals [zelfmoord, 'wil niet meer leven']; kopieer ze uit routing_rules/utrecht/signals.yaml",
]


def test_without_signals_no_danger_would_be_recognised_so_the_file_is_required(minimal: Path,
                                                                                check_rules: Check) -> None:
    (minimal / "signals.yaml").unlink()
    assert check_rules(minimal) == ["signals.yaml: bestand ontbreekt"]


@pytest.mark.parametrize("content", ["", "kinds:\n  vraag: [hoe]\n"])
def test_signals_without_danger_or_crisis_words_are_refused(minimal: Path, check_rules: Check, content: str) -> None:
    (minimal / "signals.yaml").write_text(content, encoding="utf-8")
    assert check_rules(minimal) == SIGNALS_NEEDED


def test_contact_details_residents_read_are_required(minimal: Path, check_rules: Check) -> None:
    (minimal / "municipality.yaml").write_text(MINIMAL_RULES["municipality.yaml"].split("phone:")[0], encoding="utf-8")
    assert check_rules(minimal) == [
        f"municipality.yaml: onderdeel 'test', sleutel '{key}': een tekst is nodig"
        for key in ("phone", "wijkbureau", "website", "privacy_url")]


def test_a_municipality_without_an_id_is_refused(minimal: Path, check_rules: Check) -> None:
    (minimal / "municipality.yaml").write_text(MINIMAL_RULES["municipality.yaml"].replace("id: test\n", ""),
                                               encoding="utf-8")
    assert check_rules(minimal) == ["municipality.yaml: sleutel 'id': een tekst is nodig"]


def test_a_web_address_without_https_and_an_id_that_is_no_slug_are_named(minimal: Path, check_rules: Check) -> None:
    text = MINIMAL_RULES["municipality.yaml"].replace("id: test", "id: Gemeente Test").replace(
        "website: https://test.example", "website: www.test.example")
    (minimal / "municipality.yaml").write_text(text, encoding="utf-8")
    assert check_rules(minimal) == [
        "municipality.yaml: onderdeel 'Gemeente Test', sleutel 'id': gebruik kleine letters, cijfers en streepjes, "
        "zoals 'zeist' of 'den-haag'",
        "municipality.yaml: onderdeel 'Gemeente Test', sleutel 'website': moet een webadres zijn dat begint met "
        "https://, nu staat er 'www.test.example'",
    ]


def test_two_categories_with_one_name_are_refused(minimal: Path, check_rules: Check) -> None:
    (minimal / "categories.yaml").write_text(
        MINIMAL_RULES["categories.yaml"] + "  - {id: overig2, name: ' overig', department: wijken, sla_days: 5, "
                                           "keywords: [iets]}\n", encoding="utf-8")
    assert check_rules(minimal) == [
        "categories.yaml: onderdeel 'overig2', sleutel 'name': de naam 'overig' staat ook bij 'overig'; ambtenaren "
        "kunnen ze in lijsten en filters niet uit elkaar houden"]


def test_ambitions_that_no_message_could_serve_are_named(minimal: Path, check_rules: Check) -> None:
    (minimal / "ambitions.yaml").write_text(
        "wijken:\n  West:\n    - {id: groen, title: Meer groen, keywords: [boom]}\n", encoding="utf-8")
    assert check_rules(minimal) == [
        "ambitions.yaml: sleutel 'wijken': er zijn wijkambities, maar geen bericht wordt een initiatief: zet woorden "
        "onder kinds: initiatief: in signals.yaml, of geef een categorie kind: initiatief"]
    (minimal / "signals.yaml").write_text(MINIMAL_RULES["signals.yaml"] + "kinds:\n  initiatief: [idee]\n",
                                          encoding="utf-8")
    assert main(["check-rules", str(minimal)]) == 0
