"""areas.csv and streets.csv as spreadsheet programs write them: every mistake is a line a beheerder can act on.

Never a traceback: a malformed row, a semicolon-separated file, another encoding or arbitrary bytes end in
problem lines naming the file and the line.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.rulefiles.broken import MINIMAL_RULES, UTRECHT, Check
from wijkbot.rulefiles import RuleFileError, load_rules

STREETS = "street,buurt_code\nKanaalstraat,BU03440123\nOudegracht,BU03440611\n"  # lines 1-3
AREAS_HEADER = "wijk,buurt_code,buurt,pc4,inhabitants,aliases"

STREET_FILES = [
    # (streets.csv content, the problem lines check-rules prints)
    (STREETS + "Vleutenseweg;BU03440123\n",
     ["streets.csv: regel 4: 2 kolommen verwacht (street,buurt_code), maar 1 gevonden — een bestand met "
      "puntkomma's? sla het bestand op als CSV met komma's"]),
    (STREETS + "Nieuwstraat\n", ["streets.csv: regel 4: 2 kolommen verwacht (street,buurt_code), maar 1 gevonden"]),
    (STREETS + "Nieuwstraat,BU03440123,West\n",
     ["streets.csv: regel 4: 2 kolommen verwacht (street,buurt_code), maar 3 gevonden"]),
    (STREETS + "\n\nNieuwstraat\n", ["streets.csv: regel 6: 2 kolommen verwacht (street,buurt_code), maar 1 gevonden"]),
    ('street,buurt_code\n"Kanaal\nstraat",BU03440123\nNieuwstraat\n',
     ["streets.csv: regel 4: 2 kolommen verwacht (street,buurt_code), maar 1 gevonden"]),
    ("street;buurt_code\nKanaalstraat;BU03440123\n",
     ["streets.csv: regel 1: de kolommen zijn gescheiden door puntkomma's, niet door komma's; sla het bestand op "
      "als CSV met komma's"]),
    ("street\nKanaalstraat\n", ["streets.csv: regel 1: verplichte kolom ontbreekt: buurt_code (de eerste regel "
                                "moet de kolommen noemen: street,buurt_code)"]),
    ("street,buurt_code,opmerking\nKanaalstraat,BU03440123,loopt door\n",
     ["streets.csv: regel 1: onbekende kolom 'opmerking' (bekend: street, buurt_code)"]),
    (STREETS + "Nieuwstraat,\n", ["streets.csv: regel 4: street en buurt_code moeten een waarde hebben"]),
    (STREETS + "Kanaalstraat,BU03440611\n",
     ["streets.csv: onderdeel 'Kanaalstraat', sleutel 'buurt_code': staat twee keer in de lijst, met verschillende "
      "buurten: 'BU03440123' op regel 2, 'BU03440611' op regel 4; houd één regel over (de buurt waar het grootste "
      "deel van de straat ligt)"]),
    (STREETS + "kanaal straat,BU03440611\n",
     ["streets.csv: onderdeel 'kanaal straat', sleutel 'buurt_code': staat twee keer in de lijst, met verschillende "
      "buurten: 'BU03440123' op regel 2 (geschreven als 'Kanaalstraat'), 'BU03440611' op regel 4; houd één regel "
      "over (de buurt waar het grootste deel van de straat ligt)"]),
    ("street,buurt_code\n" + "Nieuwstraat\n" * 12,
     [f"streets.csv: regel {n}: 2 kolommen verwacht (street,buurt_code), maar 1 gevonden" for n in range(2, 12)]
     + ["streets.csv: regel 12: en nog 2 regels met het verkeerde aantal kolommen, tot en met regel 13"]),
]


@pytest.mark.parametrize(("content", "expected"), STREET_FILES)
def test_a_malformed_streets_file_is_reported_by_line(rules_copy: Path, check_rules: Check, content: str,
                                                      expected: list[str]) -> None:
    (rules_copy / "streets.csv").write_text(content, encoding="utf-8")
    assert check_rules(rules_copy) == expected


AREA_ROWS = [
    # (a row added to Utrecht's areas.csv, the problem line without "areas.csv: regel N: ")
    ("Oost,BU03449999,Nieuwbuurt,3581",
     "6 kolommen verwacht (wijk,buurt_code,buurt,pc4,inhabitants,aliases), maar 4 gevonden"),
    ("Oost;BU03449999;Nieuwbuurt;3581;100;",
     "6 kolommen verwacht (wijk,buurt_code,buurt,pc4,inhabitants,aliases), maar 1 gevonden — een bestand met "
     "puntkomma's? sla het bestand op als CSV met komma's"),
    ("Oost,,Nieuwbuurt,3581,100,", "wijk, buurt_code en buurt moeten een waarde hebben"),
]


@pytest.mark.parametrize(("row", "expected"), AREA_ROWS)
def test_a_malformed_areas_row_is_reported_by_line(rules_copy: Path, check_rules: Check, row: str,
                                                   expected: str) -> None:
    path = rules_copy / "areas.csv"
    path.write_text(path.read_text(encoding="utf-8") + row + "\n", encoding="utf-8")
    line = len(path.read_text(encoding="utf-8").splitlines())
    assert check_rules(rules_copy) == [f"areas.csv: regel {line}: {expected}"]


def test_inhabitants_that_are_not_a_whole_number_are_reported(rules_copy: Path, check_rules: Check) -> None:
    path = rules_copy / "areas.csv"
    path.write_text(path.read_text(encoding="utf-8") + "Oost,BU03449999,Nieuwbuurt,3581,12.000,\n", encoding="utf-8")
    line = len(path.read_text(encoding="utf-8").splitlines())
    assert check_rules(rules_copy) == [f"areas.csv: onderdeel 'BU03449999', sleutel 'inhabitants': moet een heel "
                                       f"getal zijn, zonder punten of spaties; nu staat er '12.000' (regel {line})"]


def test_csv_files_saved_as_excel_csv_utf8_with_a_byte_order_mark_are_read(rules_copy: Path) -> None:
    for name in ("areas.csv", "streets.csv"):
        text = (UTRECHT / name).read_text(encoding="utf-8")
        (rules_copy / name).write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    rules, original = load_rules(rules_copy), load_rules(UTRECHT)
    assert rules.streets == original.streets and rules.buurten == original.buurten


def test_a_latin1_file_names_the_line_and_asks_for_utf8(rules_copy: Path, check_rules: Check) -> None:
    (rules_copy / "streets.csv").write_bytes((STREETS + "Piet Heinstraat,BU03440123\nEëstraat,BU03440123\n")
                                             .encode("latin-1"))
    assert check_rules(rules_copy) == ["streets.csv: regel 5: geen UTF-8-tekst (byte 0xeb); sla het bestand op als "
                                       "UTF-8 (in Excel: CSV UTF-8)"]


def test_the_command_prints_problem_lines_and_no_traceback(rules_copy: Path) -> None:
    with (rules_copy / "streets.csv").open("a", encoding="utf-8") as handle:
        handle.write("Kanaalstraat;West\nNieuwstraat\n")
    lines = len((rules_copy / "streets.csv").read_text(encoding="utf-8").splitlines())
    done = subprocess.run([sys.executable, "-m", "wijkbot", "check-rules", str(rules_copy)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"  - streets.csv: regel {lines - 1}: 2 kolommen verwacht (street,buurt_code), maar 1 gevonden — een " \
           f"bestand met puntkomma's?" in done.stderr
    assert f"  - streets.csv: regel {lines}: 2 kolommen verwacht (street,buurt_code), maar 1 gevonden\n" in done.stderr


# A small configuration, so that arbitrary CSV content can be tried many times through load_rules.
MINIMAL = {
    **MINIMAL_RULES,
    "areas.csv": f"{AREAS_HEADER}\nWest,BU01,Lombok,3531,100,\n",
}
CSV_TEXT = st.text(st.sampled_from(list(',;"\n\r \t|\x00aBU019ë')), max_size=120)
ANY_CSV = (st.sampled_from(["street,buurt_code\n", f"{AREAS_HEADER}\n", ""]).flatmap(
    lambda header: CSV_TEXT.map(lambda rows: (header + rows).encode("utf-8")))
    | st.binary(max_size=120))


@pytest.fixture(scope="module")
def minimal_folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        for name, text in MINIMAL.items():
            (folder / name).write_text(text, encoding="utf-8")
        yield folder


@given(streets=ANY_CSV, areas=ANY_CSV)
@settings(max_examples=300, deadline=None)
def test_any_csv_content_gives_rules_or_problems_never_a_crash(minimal_folder: Path, streets: bytes,
                                                               areas: bytes) -> None:
    (minimal_folder / "streets.csv").write_bytes(streets)
    (minimal_folder / "areas.csv").write_bytes(areas)
    try:
        load_rules(minimal_folder)
    except RuleFileError as error:
        assert error.problems and all(str(p).startswith(("streets.csv: ", "areas.csv: ")) for p in error.problems)
