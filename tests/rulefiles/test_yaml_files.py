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
        f"municipality.yaml: regel {municipality}: sleutel 'min_confidence' staat twee keer in hetzelfde blok "
        f"(eerst op regel {municipality - 1}); houd er één",
        f"categories.yaml: regel {category}: sleutel 'sla_days' staat twee keer in hetzelfde blok "
        f"(eerst op regel {category - 1}); houd er één",
        f"ambitions.yaml: regel {wijk}: sleutel 'Oost' staat twee keer in hetzelfde blok (eerst op regel {wijk - 1}); "
        f"houd er één",
        f"policies.yaml: regel {step}: sleutel 'at' staat twee keer in hetzelfde blok (eerst op regel {step}); "
        f"houd er één",
    ]


def test_a_key_given_twice_in_a_template_is_reported(rules_copy: Path, check_rules: Check) -> None:
    line = insert_after(rules_copy / "templates.yaml", "  - id: grofvuil-ophalen", "    categories: [grofvuil]")
    first = line_of(rules_copy / "templates.yaml", "    categories: [grofvuil, zwerfafval]")
    assert check_rules(rules_copy) == [f"templates.yaml: regel {first}: sleutel 'categories' staat twee keer in "
                                       f"hetzelfde blok (eerst op regel {line}); houd er één"]


def test_merge_keys_may_be_overridden() -> None:
    from wijkbot.rulefiles.yamlfile import load

    reported: list[tuple[int, str]] = []
    data, readable = load("base: &base {a: 1, b: 2}\nother:\n  <<: *base\n  b: 3\n",
                          lambda line, message: reported.append((line, message)))
    assert readable and reported == [] and data == {"base": {"a": 1, "b": 2}, "other": {"a": 1, "b": 3}}


UNKNOWN_KEYS = [
    # (file, the line after which a key is added (None: at the end), the added line, the problem line)
    ("municipality.yaml", "  min_confidence: 0.45", "  oops: 1",
     "municipality.yaml: onderdeel 'utrecht', sleutel 'triage.oops': onbekende sleutel 'oops' "
     "(bekend: department, min_confidence, reader)"),
    ("municipality.yaml", "  window_days: 14", "  windows_days: 7",
     "municipality.yaml: onderdeel 'utrecht', sleutel 'duplicates.windows_days': onbekende sleutel 'windows_days' "
     "(bekend: kinds, window_days)"),
    ("municipality.yaml", "area_label: wijk", "telefoon: 030",
     "municipality.yaml: onderdeel 'utrecht', sleutel 'telefoon': onbekende sleutel 'telefoon' (bekend: area_label, "
     "duplicates, id, name, phone, privacy_url, reference_prefix, timezone, triage, website, wijkbureau, "
     "wijkbureau_en)"),
    ("departments.yaml", "  - id: stadswerken", "    omschrijving: Groen en grijs",
     "departments.yaml: onderdeel 'stadswerken', sleutel 'omschrijving': onbekende sleutel 'omschrijving' "
     "(bekend: description, id, in_scope, name, named_by_team, redirect_url)"),
    ("categories.yaml", "  - id: grofvuil", "    sla_dagen: 3",
     "categories.yaml: onderdeel 'grofvuil', sleutel 'sla_dagen': onbekende sleutel 'sla_dagen' "
     "(bekend: department, examples, exclude, id, keywords, kind, name, sla_days, weight)"),
    ("categories.yaml", '      - text: "Er ligt al een week grofvuil', "        buurtt: Zuilen",
     "categories.yaml: onderdeel 'grofvuil', sleutel 'examples[1].buurtt': onbekende sleutel 'buurtt' "
     "(bekend: ambition, buurt, category, kind, text, wijk)"),
    ("categories.yaml", None, "categorieen: []",
     "categories.yaml: sleutel 'categorieen': onbekende sleutel 'categorieen' (bekend: categories)"),
    ("teams.yaml", "  - id: stadswerken-west", "    colour: green",
     "teams.yaml: onderdeel 'stadswerken-west', sleutel 'colour': onbekende sleutel 'colour' "
     "(bekend: department, id, name, wijken)"),
    ("ambitions.yaml", "    - id: binnenstad-verkeer", "      titel: Verkeer",
     "ambitions.yaml: onderdeel 'binnenstad-verkeer', sleutel 'titel': onbekende sleutel 'titel' "
     "(bekend: id, keywords, title)"),
    ("ambitions.yaml", None, "periode: 2014-2018",
     "ambitions.yaml: sleutel 'periode': onbekende sleutel 'periode' (bekend: period, wijken)"),
    ("signals.yaml", None, "urgnet: [gaslek]",
     "signals.yaml: sleutel 'urgnet': onbekende sleutel 'urgnet' (bekend: advice, crisis, crisis_together, kinds, "
     "not_solved, urgent, urgent_together)"),
    ("policies.yaml", "    - {at: 1, to: teamleider}", "    - {at: 4, to: wethouder, via: mail}",
     "policies.yaml: onderdeel 'defaults', sleutel 'escalation stap 2.via': onbekende sleutel 'via' (bekend: at, to)"),
    ("templates.yaml", "  - id: grofvuil-ophalen", "    soort: [melding]",
     "templates.yaml: onderdeel 'grofvuil-ophalen', sleutel 'soort': onbekende sleutel 'soort' "
     "(bekend: categories, en, id, kinds, nl, status, title)"),
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
        "templates.yaml: onderdeel 'grofvuil-ophalen', sleutel 'title.de': onbekende sleutel 'de' (bekend: en, nl)"]


def test_a_missing_answer_term_says_missing(rules_copy: Path, check_rules: Check) -> None:
    replace_line(rules_copy / "categories.yaml", "    sla_days: 3", "    # sla_days: 3")
    assert check_rules(rules_copy) == [
        "categories.yaml: onderdeel 'grofvuil', sleutel 'sla_days': ontbreekt; vul een heel aantal werkdagen "
        "(0-260) in"]


def test_an_empty_number_says_empty(rules_copy: Path, check_rules: Check) -> None:
    replace_line(rules_copy / "municipality.yaml", "  min_confidence: 0.45", "  min_confidence:")
    assert check_rules(rules_copy) == [
        "municipality.yaml: onderdeel 'utrecht', sleutel 'min_confidence': leeg; vul een getal in van 0 tot en met 1"]


SYNTAX_ERRORS = [
    # (what replaces "  window_days: 14", the problem line without "municipality.yaml: regel N: "; {next} is N + 1)
    ("  window_days 14", "geen geldige YAML: deze regel loopt door in regel {next} (een sleutel zonder ': ', of "
                         "anders ingesprongen dan de regels eromheen?)"),
    ("  window_days:14", "geen geldige YAML: deze regel loopt door in regel {next} (een sleutel zonder ': ', of "
                         "anders ingesprongen dan de regels eromheen?)"),
    ("  window_days: [14", "geen geldige YAML: een lijst met [ begint hier en wordt niet goed afgesloten met ]; "
                           "op regel {next}: ',' of ']' verwacht, maar ':' gevonden"),
    ("  window_days: 14 dagen: veertien",
     "geen geldige YAML: hier mag geen ': ' staan (zet een tekst met ': ' tussen aanhalingstekens)"),
    ("\twindow_days: 14", "geen geldige YAML: een tab mag niet; spring in met spaties"),
]


@pytest.mark.parametrize(("line", "expected"), SYNTAX_ERRORS)
def test_a_yaml_syntax_error_names_the_line_to_fix_and_nothing_else(rules_copy: Path, check_rules: Check,
                                                                   line: str, expected: str) -> None:
    number = replace_line(rules_copy / "municipality.yaml", "  window_days: 14", line)
    assert check_rules(rules_copy) == [f"municipality.yaml: regel {number}: {expected.format(next=number + 1)}"]


def test_a_yaml_file_in_latin1_names_the_line_and_asks_for_utf8(rules_copy: Path, check_rules: Check) -> None:
    path = rules_copy / "municipality.yaml"
    number = replace_line(path, "name: Gemeente Utrecht", "name: Gemeente Utrecht (gemeentehuis Stadsplateau ë)")
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
    assert check_rules(rules_copy) == [
        f"municipality.yaml: regel {number}: geen UTF-8-tekst (byte 0xeb); sla het bestand op als UTF-8"]


def test_an_escalation_role_with_a_typo_is_named_and_another_role_is_allowed(rules_copy: Path,
                                                                            check_rules: Check) -> None:
    """"wijkregiseur" would escalate to nobody without a word; "dienstdirecteur" (outside the inbox) is meant."""
    replace_line(rules_copy / "policies.yaml", "    - {at: 2, to: wijkregisseur}", "    - {at: 2, to: wijkregiseur}")
    problems = check_rules(rules_copy)
    assert len(problems) == 1
    assert problems[0].startswith("policies.yaml: onderdeel 'defaults', sleutel 'escalation stap 2': 'wijkregiseur' "
                                  "lijkt een tikfout: bedoelt u 'wijkregisseur'?")


def test_a_policy_for_an_unknown_department_names_it(rules_copy: Path, check_rules: Check) -> None:
    replace_line(rules_copy / "policies.yaml", "  veiligheid:", "  veiligheit:")
    assert check_rules(rules_copy) == [
        "policies.yaml: onderdeel 'veiligheit', sleutel 'departments': onbekende vakdienst 'veiligheit'; gebruik een "
        "id uit departments.yaml"]


def test_a_text_where_a_list_is_expected_says_what_a_list_looks_like(rules_copy: Path, check_rules: Check) -> None:
    replace_line(rules_copy / "ambitions.yaml", "      keywords: [openbare ruimte, plein,", "      keywords: plein")
    replace_line(rules_copy / "ambitions.yaml", "                 gracht, werf,", "")
    problems = check_rules(rules_copy)
    assert any("moet een lijst met teksten zijn, zoals [" in p and "lege tekst" not in p for p in problems), problems


def test_a_wijk_without_a_team_names_the_vakdienst_and_the_fix(rules_copy: Path, check_rules: Check) -> None:
    replace_line(rules_copy / "teams.yaml", '    wijken: ["*"]', "    wijken: [Oost]")
    problems = check_rules(rules_copy)
    assert any(p.startswith("teams.yaml: onderdeel 'vakdienst ") and "geen team van deze vakdienst werkt in" in p
               and "wijken: ['*']" in p for p in problems), problems


def test_a_together_rule_of_one_group_is_refused_with_an_example(rules_copy: Path, check_rules: Check) -> None:
    insert_after(rules_copy / "signals.yaml", "urgent_together:", "  - [[gas, ruikt]]")
    assert check_rules(rules_copy) == [
        "signals.yaml: onderdeel 'urgent_together[1]', sleutel 'urgent_together': een regel is een lijst van minstens "
        "twee groepen woorden, zoals [[gas, gasmeter], [ruik, ruikt, stinkt]]"]


@pytest.mark.parametrize(("line", "new", "said"), [
    ('    words: [gas, gaslucht, gaslek, gasgeur, gaslekkage]', '    words: [gas, "ruik gas"]',
     "signals.yaml: onderdeel 'gas', sleutel 'words': alleen losse woorden, zoals [gas, gaslucht]; niet: ruik gas"),
    ('      nl: "Ruikt u gas? Doe ramen en deuren open, gebruik geen vuur of lichtknoppen en ga naar buiten. Bel '
     'meteen het gratis storingsnummer 0800 9009."', "      de: 'Gas?'",
     "signals.yaml: onderdeel 'gas', sleutel 'text': geef de tekst per taal, minstens in het Nederlands"),
    ('    words: [gas, gaslucht, gaslek, gasgeur, gaslekkage]', "    words: []",
     "signals.yaml: onderdeel 'gas', sleutel 'words': minstens één waarde is nodig"),
])
def test_advice_for_acute_danger_is_checked(rules_copy: Path, check_rules: Check, line: str, new: str,
                                            said: str) -> None:
    replace_line(rules_copy / "signals.yaml", line, new)
    problems = check_rules(rules_copy)
    assert any(p.startswith(said) for p in problems), problems


def test_an_english_wijkbureau_must_be_a_text(rules_copy: Path, check_rules: Check) -> None:
    line = 'wijkbureau_en: "the wijkbureau (neighbourhood office) in your wijk"'
    replace_line(rules_copy / "municipality.yaml", line, "wijkbureau_en: [wijkbureau, office]")
    assert check_rules(rules_copy) == [
        "municipality.yaml: onderdeel 'utrecht', sleutel 'wijkbureau_en': een tekst is nodig"]


def test_an_acute_term_out_of_range_is_named(rules_copy: Path, check_rules: Check) -> None:
    replace_line(rules_copy / "policies.yaml", "  answer_days: 1            # an answer by the next working day (the "
                 "ladder then starts after 1 day)", "  answer_days: 0")
    assert check_rules(rules_copy) == [
        "policies.yaml: onderdeel 'acute', sleutel 'answer_days': moet een heel aantal werkdagen zijn, van 1 tot en "
        "met 365"]
