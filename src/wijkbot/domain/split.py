"""Splitting a long text into parts a channel accepts (Telegram: 4,096 UTF-16 code units per message).

Invariants: pure and deterministic (the same text and limit always give the same parts, so a retry can skip
the parts already delivered); every part fits the limit; parts keep their order and lose nothing but the
whitespace at a cut; a cut prefers a paragraph break, then a line break, then the end of a sentence, then a
space, and only then the middle of a word; a cut is never made in the first half of a part, so parts are not
needlessly short.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_SENTENCE_END = re.compile(r"""[.!?…]['")\]]?\s""")


def utf16_width(char: str) -> int:
    """Code units a character takes in UTF-16, which is how Telegram counts (emoji outside the BMP count 2)."""
    return 2 if ord(char) > 0xFFFF else 1


def split_text(text: str, limit: int, width: Callable[[str], int] = utf16_width) -> list[str]:
    """The parts to send, in order. A text within the limit comes back as the only part, untouched."""
    if limit < 2:
        raise ValueError("limit must be at least 2")
    parts: list[str] = []
    rest = text
    while _measure(rest, width) > limit:
        window = rest[:_fitting(rest, limit, width)]
        cut = _boundary(window)
        head, rest = rest[:cut].rstrip(), rest[cut:].lstrip()
        if head:
            parts.append(head)
    if rest or not parts:
        parts.append(rest)
    return parts


def _measure(text: str, width: Callable[[str], int]) -> int:
    if width is utf16_width:
        return len(text.encode("utf-16-le")) // 2  # C speed for the common case
    return sum(width(c) for c in text)


def _fitting(text: str, limit: int, width: Callable[[str], int]) -> int:
    """How many characters of `text` fit in `limit` (at least one, so splitting always progresses)."""
    used = count = 0
    for char in text:
        used += width(char)
        if used > limit:
            break
        count += 1
    return max(count, 1)


def _boundary(window: str) -> int:
    """Where to cut inside `window`: just after the best break found in its second half."""
    floor = len(window) // 2
    for separator in ("\n\n", "\n"):
        at = window.rfind(separator, floor)
        if at >= 0:
            return at + len(separator)
    sentences = [m.end() for m in _SENTENCE_END.finditer(window, floor)]
    if sentences:
        return sentences[-1]
    space = max(window.rfind(" ", floor), window.rfind("\t", floor))
    if space >= 0:
        return space + 1
    return len(window)
