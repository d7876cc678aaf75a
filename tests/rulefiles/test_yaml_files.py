"""The YAML rule files: a key given twice, an unknown key, a syntax error or another encoding is a problem line
that names the file and the line (or rule and key), never a setting silently dropped or overridden."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rulefiles.broken import Check, insert_after, line_of, replace_line


def test_a_key_given_twice_is_reported_with_both_lines(rules_copy: Path, check_rules: Check) -> None:
    municipality = insert_after(rules_copy / "municipality.yaml", "  min_confidence: 0.45", "  min_confidence: 0.99")
    category = insert_after(rules_copy / "categories.yaml", "    sla_days: 3", "    sla_days: 4")
    wijk = insert_after(rules_copy / "ambitions.yaml", "  Oost: []", "  Oost: []")
    policies = rules_copy / "policies.yaml"
    step = replace_line(policies, "    - {at: 1, to: teamleider}", "    - {at: 1, to: teamleider, at: 2}")
    assert check_rules(rules_copy) == [
        f"municipality.yaml: line {municipality}: key 'min_confidence' is given twice in the same mapping "
        f"(first on line {municipality - 1}); keep one",
        f"categories.yaml: line {category}: key 'sla_days' is given twice in the same mapping "
        f"(first on line {category - 1}); keep one",
        f"ambitions.yaml: line {wijk}: key 'Oost' is given twice in the same mapping (first on line {wijk - 1}); "
        f"keep one",
        f"policies.yaml: line {step}: key 'at' is given twice in the same mapping (first on line {step}); keep one",
    ]


def test_a_key_given_twice_in_a_template_is_reported(rules_copy: Path, check_rules: Check) -> None:
    line = insert_after(rules_copy / "templates.yaml", "  - id: grofvuil-ophalen", "    categories: [grofvuil]")
    first = line_of(rules_copy / "templates.yaml", "    categories: [grofvuil, zwerfafval]")
    assert check_rules(rules_copy) == [f"templates.yaml: line {first}: key 'categories' is given twice in the same "
                                       f"mapping (first on line {line}); keep one"]


def test_merge_keys_may_be_overridden() -> None:
    from wijkbot.rulefiles.yamlfile import load

    reported: list[tuple[int, str]] = []
    data, readable = load("base: &base {a: 1, b: 2}\nother:\n  <<: *base\n  b: 3\n",
                          lambda line, message: reported.append((line, message)))
    assert readable and reported == [] and data == {"base": {"a": 1, "b": 2}, "other": {"a": 1, "b": 3}}


UNKNOWN_KEYS = [
    # (file, the line after which a key is added (None: at the end), the added line, the problem line)
    ("municipality.yaml", "  min_confidence: 0.45", "  oops: 1",
     "municipality.yaml: rule 'utrecht', key 'triage.oops': unknown key 'oops' "
     "(known: department, min_confidence, reader)"),
    ("municipality.yaml", "  window_days: 14", "  windows_days: 7",
     "municipality.yaml: rule 'utrecht', key 'duplicates.windows_days': unknown key 'windows_days' "
     "(known: kinds, window_days)"),
    ("municipality.yaml", "area_label: wijk", "telefoon: 030",
     "municipality.yaml: rule 'utrecht', key 'telefoon': unknown key 'telefoon' (known: area_label, duplicates, id, "
     "name, phone, privacy_url, reference_prefix, timezone, triage, website, wijkbureau)"),
    ("departments.yaml", "  - id: stadswerken", "    omschrijving: Groen en grijs",
     "departments.yaml: rule 'stadswerken', key 'omschrijving': unknown key 'omschrijving' "
     "(known: description, id, in_scope, name, redirect_url)"),
    ("categories.yaml", "  - id: grofvuil", "    sla_dagen: 3",
     "categories.yaml: rule 'grofvuil', key 'sla_dagen': unknown key 'sla_dagen' "
     "(known: department, examples, exclude, id, keywords, kind, name, sla_days, weight)"),
    ("categories.yaml", '      - text: "Er ligt al een week grofvuil', "        buurtt: Zuilen",
     "categories.yaml: rule 'grofvuil', key 'examples[1].buurtt': unknown key 'buurtt' "
     "(known: ambition, buurt, category, kind, text, wijk)"),
    ("categories.yaml", None, "categorieen: []",
     "categories.yaml: rule '-', key 'categorieen': unknown key 'categorieen' (known: categories)"),
    ("teams.yaml", "  - id: stadswerken-west", "    colour: green",
     "teams.yaml: rule 'stadswerken-west', key 'colour': unknown key 'colour' (known: department, id, name, wijken)"),
    ("ambitions.yaml", "    - id: binnenstad-verkeer", "      titel: Verkeer",
     "ambitions.yaml: rule 'binnenstad-verkeer', key 'titel': unknown key 'titel' (known: id, keywords, title)"),
    ("ambitions.yaml", None, "periode: 2014-2018",
     "ambitions.yaml: rule '-', key 'periode': unknown key 'periode' (known: period, wijken)"),
    ("signals.yaml", None, "urgnet: [gaslek]",
     "signals.yaml: rule '-', key 'urgnet': unknown key 'urgnet' (known: kinds, not_solved, urgent)"),
    ("policies.yaml", "    - {at: 1, to: teamleider}", "    - {at: 4, to: wethouder, via: mail}",
     "policies.yaml: rule 'defaults', key 'escalation step 2.via': unknown key 'via' (known: at, to)"),
    ("templates.yaml", "  - id: grofvuil-ophalen", "    soort: [melding]",
     "templates.yaml: rule 'grofvuil-ophalen', key 'soort': unknown key 'soort' "
     "(known: categories, en, id, kinds, nl, status, title)"),
]


@pytest.mark.parametrize(("file", "anchor", "added", "expected"), UNKNOWN_KEYS)
def test_an_unknown_key_is_reported_with_the_known_ones(rules_copy: Path, check_rules: Check, file: str,
                                                        anchor: str | None, added: str, expected: str) -> None:
    insert_after(rules_copy / file, anchor, added)
    assert check_rules(rules_copy) == [expected]


def test_a_template_title_in_an_unknown_language_is_reported(rules_copy: Path, check_rules: Check) -> None:
    replace_line(rules_copy / "templates.yaml", '    title: {nl: "We halen het afval op"',
                 "    title: {nl: Afval, de: Abfall}")
    assert check_rules(rules_copy) == [
        "templates.yaml: rule 'grofvuil-ophalen', key 'title.de': unknown key 'de' (known: en, nl)"]


def test_a_missing_answer_term_says_missing(rules_copy: Path, check_rules: Check) -> None:
    replace_line(rules_copy / "categories.yaml", "    sla_days: 3", "    # sla_days: 3")
    assert check_rules(rules_copy) == [
        "categories.yaml: rule 'grofvuil', key 'sla_days': missing; must be a whole number of working days (0-260)"]


def test_an_empty_number_says_empty(rules_copy: Path, check_rules: Check) -> None:
    replace_line(rules_copy / "municipality.yaml", "  min_confidence: 0.45", "  min_confidence:")
    assert check_rules(rules_copy) == [
        "municipality.yaml: rule 'utrecht', key 'min_confidence': empty; must be a number from 0 to 1"]


SYNTAX_ERRORS = [
    # (what replaces "  window_days: 14", the problem line without "municipality.yaml: line N: "; {next} is N + 1)
    ("  window_days 14", "not valid YAML: this line runs on into line {next} (a key without ': ', or indented "
                         "differently from the lines around it?)"),
    ("  window_days:14", "not valid YAML: this line runs on into line {next} (a key without ': ', or indented "
                         "differently from the lines around it?)"),
    ("  window_days: [14", "not valid YAML: while parsing a flow sequence that starts here: expected ',' or ']', "
                           "but got ':' on line {next}"),
    ("  window_days: 14 dagen: veertien", "not valid YAML: mapping values are not allowed here"),
    ("\twindow_days: 14", "not valid YAML: found character '\\t' that cannot start any token"),
]


@pytest.mark.parametrize(("line", "expected"), SYNTAX_ERRORS)
def test_a_yaml_syntax_error_names_the_line_to_fix_and_nothing_else(rules_copy: Path, check_rules: Check,
                                                                   line: str, expected: str) -> None:
    number = replace_line(rules_copy / "municipality.yaml", "  window_days: 14", line)
    assert check_rules(rules_copy) == [f"municipality.yaml: line {number}: {expected.format(next=number + 1)}"]


def test_a_yaml_file_in_latin1_names_the_line_and_asks_for_utf8(rules_copy: Path, check_rules: Check) -> None:
    path = rules_copy / "municipality.yaml"
    number = replace_line(path, "name: Gemeente Utrecht", "name: Gemeente Utrecht (gemeentehuis Stadsplateau ë)")
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
    assert check_rules(rules_copy) == [
        f"municipality.yaml: line {number}: not UTF-8 text (byte 0xeb); save the file as UTF-8"]
