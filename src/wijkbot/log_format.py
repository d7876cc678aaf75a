"""How the service's log lines look, and what a traceback may never show.

Invariants: times are ISO 8601 in the machine's zone with the offset (the inbox shows local time, and a line
must be matched to it); a traceback keeps its frames and the error's own message, but never the parts of a
database error that quote data: PostgreSQL's DETAIL ("Failing row contains (..., 'the resident's words', ...)",
"Key (external_id)=(...)") and SQLAlchemy's "[parameters: ...]" (the engines also set hide_parameters; this is
the second lock, for a driver or a path that quotes them anyway).
"""

from __future__ import annotations

import logging
import re
from datetime import datetime

# A DETAIL (or the parameters) runs until the next part of the error: "[SQL:", "HINT:", SQLAlchemy's "(Background
# on this error", or a traceback line; a resident's words inside it may hold newlines (a review found the lines
# after the first left in).
_QUOTED_DATA = re.compile(r"^([ \t]*)(DETAIL:|\[parameters:).*?(?=\n[ \t]*(?:\[SQL:|HINT:|\(Background on this "
                          r"error|Traceback|File \"|The above exception)|\Z)", re.MULTILINE | re.DOTALL)
REDACTED = "(weggelaten: kan gegevens van bewoners bevatten)"


def redact(text: str) -> str:
    """`text` without the lines of a database error that quote row values or statement parameters."""
    return _QUOTED_DATA.sub(lambda m: f"{m.group(1)}{m.group(2)} {REDACTED}", text)


class OperatorFormatter(logging.Formatter):
    """Local ISO times to the millisecond ("2026-12-07T17:16:13.123+01:00"), and tracebacks without quoted data."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds")

    def formatException(self, ei: object) -> str:
        return redact(super().formatException(ei))  # type: ignore[arg-type]

    def formatMessage(self, record: logging.LogRecord) -> str:
        return redact(super().formatMessage(record))  # a message that interpolates an error's text
