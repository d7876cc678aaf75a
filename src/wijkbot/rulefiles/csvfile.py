"""Reading a rule CSV (areas.csv, streets.csv) the way a spreadsheet program writes it, with problems per line.

Invariants: malformed content never raises, it is reported with its line number (line 1 is the header); the
header must name every required column and only known columns; every row has exactly the header's number of
values, a row that does not is reported and left out rather than guessed at (a semicolon-separated row, as
Dutch Excel writes, is named as such; after ten such lines the rest are counted in one problem); lines
without any value are ignored; values are stripped. Decoding (UTF-8, with or without the byte order mark of
Excel's "CSV UTF-8") is the Reader's job: this module gets text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

Row = tuple[int, dict[str, str]]  # (line number, column -> value)
Report = Callable[[int, str], None]  # (line number, message)

SAVE_AS = "sla het bestand op als CSV met komma's"
MAX_ROW_PROBLEMS = 10  # a file that is wrong throughout gets this many lines reported, then one summary


def parse(text: str, required: tuple[str, ...], optional: tuple[str, ...], report: Report) -> list[Row]:
    """The data rows of a CSV text; header and row problems go to `report`, never an exception."""
    records = csv.reader(io.StringIO(text, newline=""))
    rows: list[Row] = []
    header: list[str] | None = None
    wrong: list[int] = []
    line = 1
    try:
        for record in records:
            values = [value.strip() for value in record]
            if header is None:
                header = values
                if not _header_ok(header, required, optional, report):
                    return []
            elif any(values):
                if len(values) == len(header):
                    rows.append((line, dict(zip(header, values, strict=True))))
                else:
                    wrong.append(line)
                    if len(wrong) <= MAX_ROW_PROBLEMS:
                        report(line, _wrong_count(header, values))
            line = records.line_num + 1
    except csv.Error as error:
        report(line, f"deze regel is niet te lezen als CSV ({error})")
    if len(wrong) > MAX_ROW_PROBLEMS:
        more = len(wrong) - MAX_ROW_PROBLEMS
        report(wrong[MAX_ROW_PROBLEMS], f"en nog {more} {'regel' if more == 1 else 'regels'} met het verkeerde "
                                        f"aantal kolommen, tot en met regel {wrong[-1]}")
    return rows


def _header_ok(header: list[str], required: tuple[str, ...], optional: tuple[str, ...], report: Report) -> bool:
    known = (*required, *optional)
    if len(header) == 1 and ";" in header[0]:
        report(1, f"de kolommen zijn gescheiden door puntkomma's, niet door komma's; {SAVE_AS}")
        return False
    good = True
    missing = [c for c in required if c not in header]
    if missing:
        which = "verplichte kolom ontbreekt" if len(missing) == 1 else "verplichte kolommen ontbreken"
        report(1, f"{which}: {', '.join(missing)} (de eerste regel moet de kolommen noemen: "
                  f"{','.join(required)})")
        good = False
    for number, name in enumerate(header, start=1):
        if not name:
            report(1, f"kolom {number} heeft geen naam (bekend: {', '.join(known)})")
            good = False
        elif name not in known:
            report(1, f"onbekende kolom '{name}' (bekend: {', '.join(known)})")
            good = False
        elif header.index(name) != number - 1:
            report(1, f"kolom '{name}' staat er twee keer in")
            good = False
    return good


def _wrong_count(header: list[str], values: list[str]) -> str:
    message = f"{len(header)} kolommen verwacht ({','.join(header)}), maar {len(values)} gevonden"
    if len(values) < len(header) and any(";" in value for value in values):
        message += f" — een bestand met puntkomma's? {SAVE_AS}"
    return message
