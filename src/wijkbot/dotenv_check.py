"""The `.env` file an operator may keep beside the service: its names, and its problems in Dutch.

Settings (pydantic-settings, through python-dotenv) reads `.env` from the working directory. On its own,
python-dotenv skips a line it cannot parse with an English log line, and a file that is not UTF-8 stops
Settings with a codec error that names no file. This module reads the file first, so the operator gets one
Dutch line that names the file and the line.

Invariants: never a value from the file in what it returns (a line may hold a password); a missing `.env` is
no problem (it is optional); only names and line numbers leave this module.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from pathlib import Path

from dotenv.parser import parse_stream

DOTENV = Path(".env")


@dataclass
class DotenvReport:
    names: list[str] = field(default_factory=list)  # the variable names the file sets
    warnings: list[str] = field(default_factory=list)  # lines that are skipped (Settings reads on without them)
    fatal: str | None = None  # the file cannot be read: the service must not start on half its settings


def check_dotenv(path: Path = DOTENV) -> DotenvReport:
    """What `path` sets and what is wrong with it, without its values."""
    # python-dotenv says "could not parse statement" in English for each bad line: this report says it instead.
    logging.getLogger("dotenv.main").setLevel(logging.ERROR)
    report = DotenvReport()
    if not path.exists():
        return report
    if not path.is_file():
        report.warnings.append(f"{path} is geen bestand; de instellingen komen alleen uit de omgeving")
        return report
    try:
        raw = path.read_bytes()
    except OSError as error:
        report.fatal = f"kan {path} niet lezen ({error.strerror or type(error).__name__})"
        return report
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        report.fatal = (f"{path}, regel {line}: dit is geen UTF-8-tekst (bijvoorbeeld een é uit Windows-1252); "
                        f"sla het bestand op als UTF-8")
        return report
    for binding in parse_stream(io.StringIO(text)):
        if binding.error:
            report.warnings.append(f"{path}, regel {binding.original.line}: deze regel kan niet gelezen worden (een "
                                   f"aanhalingsteken te weinig?); de instelling op die regel telt niet mee")
        elif binding.key:
            report.names.append(binding.key)
    return report
