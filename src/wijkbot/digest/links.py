"""The one place that builds links from a digest figure to the inbox's filtered list of cases.

Every figure in the digest links to `/inbox/zaken` with the filters that produce exactly the cases behind it,
e.g. `/inbox/zaken?queue=all&wijk=Overvecht&overdue=2026-W15`. The names are the inbox's own query parameters
(services/case_filters.py FILTERS, same names and order; a test keeps the two aligned); a week filter lists the
cases as the digest counted them at the end of that week (docs/digest.md says which filter each figure uses).
Invariants: the list is the inbox's "all" queue, which shows every case the reader may see and no other, so a
filter never widens what a person may see; parameters appear in a fixed order (stable, testable URLs); empty
filters are left out; values are URL-encoded; `base` is "" for the inbox page itself and the public address
for mail.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote, urlencode

CASE_LIST = "/inbox/zaken"
DIGEST = "/inbox/digest"
QUEUE = ("queue", "all")  # every case the reader may see; the filters narrow it
NOT_SET = "none"  # the value for "not filled in" (a case without category or buurt)

# the inbox's filter parameters, in the order they appear in a URL
PARAMETERS = (
    "wijk",
    "week",  # created in this ISO week ("2026-W47"), local time
    "until",  # created up to the end of this ISO week
    "inbound",  # the resident wrote on the case in this ISO week
    "kind",
    "category",
    "department",  # the lead department now
    "buurt",  # a buurt code (CBS), or NOT_SET
    "street",
    "channel",  # the channel the resident used
    "status",  # the status now
    "open",  # open at the end of this ISO week
    "overdue",  # open at the end of this ISO week, due on or before its Sunday
    "active",  # created in this ISO week, or open at its end
    "handovers",  # at least this many hand-overs
    "escalated",  # escalated in this ISO week
    "closed",  # closed in this ISO week (referrals out of scope left out)
    "answered",  # first answer to the resident in this ISO week
    "rated",  # survey answered in this ISO week
    "ambition",  # an ambition id, "none" (fits none) or "not-set"
    "cluster",  # a case reference: the lead and every duplicate linked to it
    "case",  # one case reference
    "officer",  # the behandelaar: an officer id, or NOT_SET for none
)


def case_list_url(base: str = "", **filters: str | int | Sequence[str] | None) -> str:
    """The inbox's list of cases matching `filters` (names from PARAMETERS; a list or tuple means "any of")."""
    unknown = set(filters) - set(PARAMETERS)
    if unknown:
        raise ValueError(f"unknown case-list filter(s): {', '.join(sorted(unknown))}")
    pairs = [QUEUE]
    for key in PARAMETERS:
        value = filters.get(key)
        for one in value if isinstance(value, list | tuple) else (value,):
            if one is not None and one != "":
                pairs.append((key, str(one)))
    return f"{base.rstrip('/')}{CASE_LIST}?{urlencode(pairs)}"


def digest_url(wijk: str, week: str | None = None, base: str = "") -> str:
    """The digest page of a wijk and week, or the wijk's archive."""
    path = f"{DIGEST}/{quote(wijk, safe='')}"
    return f"{base.rstrip('/')}{path}/{week}" if week else f"{base.rstrip('/')}{path}"
