"""What a beheerder should know about a valid configuration: not errors (the service runs), but choices with a
cost that a typo can make by accident.

Invariants: pure; reads a loaded RuleSet only; each notice is one Dutch line that names what to look at.
"""

from __future__ import annotations

from wijkbot.domain.rules import RuleSet

MAX_NAMED = 5  # postcodes named in the notice; the rest are counted


def shared_postcodes(rules: RuleSet) -> list[str]:
    """A postcode (PC4) listed in buurten of two wijken (kernen): a message with only that postcode gets no wijk,
    since either could be meant. Real for some (Katwijk's 2224); a typo in areas.csv looks the same."""
    areas: dict[str, set[str]] = {}
    for buurt in rules.buurten:
        for pc4 in buurt.pc4s:
            areas.setdefault(pc4, set()).add(buurt.wijk)
    shared = sorted((pc4, sorted(names)) for pc4, names in areas.items() if len(names) > 1)
    if not shared:
        return []
    label = rules.municipality.area_label
    named = "; ".join(f"{pc4} in {' en '.join(names)}" for pc4, names in shared[:MAX_NAMED])
    more = f" en nog {len(shared) - MAX_NAMED}" if len(shared) > MAX_NAMED else ""
    return [f"{'een postcode ligt' if len(shared) == 1 else 'postcodes liggen'} in meer dan één {label} (areas.csv: "
            f"{named}{more}); een bericht met alleen zo'n postcode krijgt geen {label}. Klopt dat niet, haal de "
            f"postcode dan weg bij de verkeerde {label}"]
