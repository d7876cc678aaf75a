"""Making any text storable without losing it: the one place that decides what "stored whole" means.

Invariants: the result is valid UTF-8 that PostgreSQL and SQLite both accept; NUL and lone surrogates (the
only code points they reject) become U+FFFD; everything else, including markup and other control
characters, is kept exactly (escaping is the job of whoever shows the text).
"""

from __future__ import annotations

REPLACEMENT = "\ufffd"


def storable(text: str) -> str:
    """The text with NUL and unpaired surrogates replaced, all else unchanged."""
    if "\x00" in text:
        text = text.replace("\x00", REPLACEMENT)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = "".join(REPLACEMENT if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in text)
    return text


def is_blank(text: str) -> bool:
    """Empty, or only whitespace and invisible characters."""
    return not any(ch.isprintable() and not ch.isspace() for ch in text)


def has_words(text: str) -> bool:
    """Whether the text contains at least one letter: a message with none cannot be understood."""
    return any(ch.isalpha() for ch in text)
