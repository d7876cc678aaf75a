"""Reply templates as configuration data: structure, validation with located errors, composition."""

from __future__ import annotations

from pathlib import Path

import pytest

from wijkbot.domain.templates import SECTIONS, ReplyTemplate, compose
from wijkbot.rulefiles import RuleFileError, load_templates

ROOT = Path(__file__).resolve().parents[2]
HEADINGS = {"we_will": "Wat wij doen:", "you_can": "Wat u kunt doen:", "cannot": "Wat niet kan, en waarom:",
            "alternatives": "Andere mogelijkheden:"}


def test_utrecht_templates_cover_the_structure_in_both_languages(utrecht_rules) -> None:
    templates = load_templates(ROOT / "routing_rules" / "utrecht", utrecht_rules).templates
    assert len(templates) >= 10
    for template in templates:
        assert set(template.texts) == {"nl", "en"}, template.id
        assert set(template.texts["nl"]) == set(template.texts["en"]), template.id
        assert "we_will" in template.texts["nl"]
    assert any(set(t.texts["nl"]) == set(SECTIONS) for t in templates)
    general = [t.id for t in templates if "*" in t.categories]
    assert "meer-informatie" in general


def test_templates_for_a_category_come_before_general_ones(utrecht_rules) -> None:
    templates = load_templates(ROOT / "routing_rules" / "utrecht", utrecht_rules)
    fitting = [t.id for t in templates.for_case("grofvuil", "melding")]
    assert fitting[0] == "grofvuil-ophalen" and "nog-bezig" in fitting and "lamp-repareren" not in fitting
    assert "initiatief-nee" not in [t.id for t in templates.for_case("buurtinitiatief", "melding")]


def test_compose_fills_sections_under_headings() -> None:
    template = ReplyTemplate("x", ("*",), {"nl": "X"}, {"nl": {"we_will": "Klaar op {due}.", "cannot": "Niet {area}."}})
    text = compose(template, "en", HEADINGS, {"due": "maandag 30 november 2026", "area": "Lombok"})
    assert text == "Wat wij doen:\nKlaar op maandag 30 november 2026.\n\nWat niet kan, en waarom:\nNiet Lombok."


@pytest.mark.parametrize(("content", "problem"), [
    ("templates:\n  - id: a\n    categories: [bestaat-niet]\n    title: {nl: A}\n    nl: {we_will: Ja}\n",
     "onderdeel 'a', sleutel 'categories': onbekende categorie 'bestaat-niet'"),
    ("templates:\n  - id: a\n    categories: ['*']\n    title: {nl: A}\n    nl: {we_will: 'Hoi {naam}'}\n",
     "onbekend invulveld {naam}; gebruik {area}, {department}, {due}, {officer}, {phone}, {reference}, {website}"),
    ("templates:\n  - id: a\n    categories: ['*']\n    title: {nl: A}\n    en: {we_will: Yes}\n",
     "sleutel 'nl': de Nederlandse tekst is nodig"),
    ("templates:\n  - id: a\n    categories: ['*']\n    title: {nl: A}\n    nl: {why: Daarom}\n",
     "sleutel 'nl.why': onbekend tekstdeel"),
    ("templates:\n  - id: a\n    categories: ['*']\n    title: {nl: A}\n    nl: {you_can: Bellen}\n",
     "sleutel 'nl.we_will': elk antwoord zegt wat de gemeente gaat doen"),
    ("templates:\n  - id: a\n    categories: ['*']\n    title: {nl: A}\n    nl: {we_will: 'Open {'}\n",
     "een { of } staat los; schrijf {{ of }} voor een accolade in de tekst"),
    ("templates: [\n", "geen geldige YAML"),
])
def test_a_bad_templates_file_names_file_rule_and_key(tmp_path: Path, utrecht_rules, content: str,
                                                      problem: str) -> None:
    (tmp_path / "templates.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_templates(tmp_path, utrecht_rules)
    assert "templates.yaml" in str(caught.value) and problem in str(caught.value)


def test_no_templates_file_means_no_templates(tmp_path: Path, utrecht_rules) -> None:
    assert load_templates(tmp_path, utrecht_rules).templates == ()
