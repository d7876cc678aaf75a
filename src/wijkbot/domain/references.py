"""Case references in a resident's own words: "UT-2026-000123", also typed as "ut 2026 000123" or "UT2026000123".

Invariants: pure; only references with the municipality's own prefix count; each is returned in the stored form
("UT-2026-000123"), in the order written, once. Whether a reference is the resident's own is for the caller to
check: a reference alone never gives anyone access to a case.
"""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=8)
def _pattern(prefix: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(prefix)}[\s-]?(\d{{4}})[\s-]?(\d{{6}})(?!\d)", re.IGNORECASE)


def references_in(text: str, prefix: str) -> list[str]:
    """The case references `text` names, in the stored form, in order, each once."""
    if not prefix or len(text) < len(prefix) + 10:
        return []
    found = (f"{prefix}-{year}-{number}" for year, number in _pattern(prefix).findall(text))
    return list(dict.fromkeys(found))
