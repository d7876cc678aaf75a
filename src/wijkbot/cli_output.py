"""How the `wijkbot` command speaks on stderr: a one-line reason for a problem, and a progress bar.

Invariants: a problem is one line, prefixed "wijkbot: ", and means exit code 1; the progress bar is drawn only
on a terminal, so logs and CI output stay clean.
"""

from __future__ import annotations

import sys


def progress_bar(step: str, done: int, total: int) -> None:
    """A progress bar on stderr (only when it is a terminal)."""
    if not sys.stderr.isatty():
        return
    width = 30
    filled = int(width * done / max(total, 1))
    end = "\n" if done >= total else ""
    print(f"\r{step:<10} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end=end, file=sys.stderr)


def fail(message: str) -> int:
    """Say what went wrong; returns the exit code 1."""
    print(f"wijkbot: {message}", file=sys.stderr)
    return 1
