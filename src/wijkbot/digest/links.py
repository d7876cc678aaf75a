"""The one place that builds links from a digest figure to the inbox's filtered list of cases.

Every figure in the digest links to `/inbox/zaken` with the filters that produce exactly the cases behind it.
The parameter names are the inbox's (issue 5); if they change, they change here only (PARAMETERS).
Invariants: parameters appear in a fixed order (stable, testable URLs); empty filters are left out; values are
URL-encoded; `base` is "" for the inbox page itself and the public address for mail.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

CASE_LIST = "/inbox/zaken"
DIGEST = "/inbox/digest"

# digest filter -> inbox query parameter, in the order they appear in a URL
PARAMETERS = {
    "wijk": "wijk",
    "week": "week",  # cases created in this ISO week ("2026-W47")
    "soort": "soort",
    "categorie": "categorie",
    "vakdienst": "vakdienst",
    "buurt": "buurt",  # a buurt code
    "straat": "straat",
    "kanaal": "kanaal",
    "status": "status",
    "open": "open",  # 1: open at the end of the week
    "achterstallig": "achterstallig",  # 1: open and past the due date
    "overdrachten": "overdrachten",  # the minimum number of hand-overs
    "geescaleerd": "geescaleerd",  # a week: escalated in that week
    "afgehandeld": "afgehandeld",  # a week: closed in that week
    "beantwoord": "beantwoord",  # a week: first answer given in that week
    "tevredenheid": "tevredenheid",  # a week: survey answered in that week
    "ambitie": "ambitie",
    "duplicaat_van": "duplicaat_van",  # the lead case's reference: the whole cluster
    "zaak": "zaak",  # one case reference
}


def case_list_url(base: str = "", **filters: str | int | None) -> str:
    """The inbox's list of cases matching `filters` (keys from PARAMETERS)."""
    unknown = set(filters) - set(PARAMETERS)
    if unknown:
        raise ValueError(f"unknown case-list filter(s): {', '.join(sorted(unknown))}")
    pairs = [(PARAMETERS[key], str(filters[key])) for key in PARAMETERS
             if key in filters and filters[key] is not None and filters[key] != ""]
    return f"{base.rstrip('/')}{CASE_LIST}?{urlencode(pairs)}" if pairs else f"{base.rstrip('/')}{CASE_LIST}"


def digest_url(wijk: str, week: str | None = None, base: str = "") -> str:
    """The digest page of a wijk and week, or the wijk's archive."""
    path = f"{DIGEST}/{quote(wijk, safe='')}"
    return f"{base.rstrip('/')}{path}/{week}" if week else f"{base.rstrip('/')}{path}"
