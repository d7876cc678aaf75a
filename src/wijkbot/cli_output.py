"""How the `wijkbot` command speaks on stderr: a one-line reason for a problem, a file that cannot be read or
written in a beheerder's words, and a progress bar. Every `cli_*` module uses these.

Invariants: a problem is one line, prefixed "wijkbot: ", and means exit code 1; the progress bar is drawn only
on a terminal, so logs and CI output stay clean.
"""

from __future__ import annotations

import errno
import sys

_FILE_ERRORS = {errno.ENOENT: "bestaat niet (of de map bestaat niet)", errno.EACCES: "geen toegang",
                errno.EISDIR: "is een map, geen bestand", errno.ENOSPC: "de schijf is vol"}
# Writing into a folder that exists, "no such file" means the place takes no new file (a system folder, /proc).
_WRITE_ERRORS = _FILE_ERRORS | {errno.ENOENT: "op deze plek kan geen bestand worden gemaakt",
                                errno.EROFS: "op deze plek kan niet worden geschreven (alleen lezen)"}


def progress_bar(step: str, done: int, total: int) -> None:
    """A progress bar on stderr (only when it is a terminal)."""
    if not sys.stderr.isatty():
        return
    width = 30
    filled = int(width * done / max(total, 1))
    end = "\n" if done >= total else ""
    print(f"\r{step:<10} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end=end, file=sys.stderr)


MAX_LISTED = 20  # problems with a file listed one by one; the rest are counted


def list_problems(source: str, problems: list[str], rest: str) -> bool:
    """The first MAX_LISTED problems with a file, each on its own line, then how many more ("en nog 12 regels
    `rest`"); True when some were only counted."""
    for problem in problems[:MAX_LISTED]:
        print(f"  - {source}: {problem}", file=sys.stderr)
    if len(problems) <= MAX_LISTED:
        return False
    print(f"  - {source}: en nog {len(problems) - MAX_LISTED} regels {rest}", file=sys.stderr)
    return True


def fail(message: str) -> int:
    """Say what went wrong; returns the exit code 1."""
    print(f"wijkbot: {message}", file=sys.stderr)
    return 1


def describe_file_error(error: OSError, writing: bool = False) -> str:
    """A file that cannot be read or written, in a beheerder's words (the system's own text as a fallback).
    The name is the error's: whoever writes through a temporary file reports the path the user gave."""
    name = error.filename or "bestand"
    reasons = _WRITE_ERRORS if writing else _FILE_ERRORS
    return f"{name}: {reasons.get(error.errno or 0, error.strerror or str(error))}"
