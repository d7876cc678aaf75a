"""What a beheerder should know about a valid configuration: not errors (the service runs), but choices with a
cost that a typo can make by accident.

Invariants: pure; reads a loaded RuleSet (with its router and reply templates) only; each notice is one Dutch line
that names what to look at; a notice never fails check-rules.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from wijkbot.domain.routing import Router
from wijkbot.domain.rules import RuleSet
from wijkbot.domain.templates import TemplateSet

MAX_NAMED = 5  # postcodes, examples or places named in a notice; the rest are counted
_DOMAIN = re.compile(r"\b((?:[a-z0-9-]+\.)+(?:nl|com|org|net|eu|info))\b", re.IGNORECASE)
# a Dutch municipal or regular phone number as written in a text; not 112, 113 or 0800-0113 (help lines)
_PHONE = re.compile(r"(?<![\d-])(14 ?0\d\d|0\d{1,3}[- ]?\d{3}[- ]?\d{3,4})(?![\d-])")
HELP_LINES = frozenset({"08000113"})
HELP_SITES = frozenset({"113.nl"})


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


def examples_in_triage(rules: RuleSet, router: Router) -> list[str]:
    """Example sentences whose category comes out only as a suggestion: too unsure (under triage.min_confidence),
    so a resident who writes that sentence is answered as a triage case. check-rules counts them as right (the
    suggestion is); the beheerder may want more keywords."""
    unsure = [f"{category.id} voorbeeld {number} (zekerheid {decision.confidence:.2f})"
              for category in rules.categories.values()
              for number, example in enumerate(category.examples, start=1)
              if (decision := router.route(example.text)).triage and not decision.urgent
              and decision.suggested_category == category.id]
    if not unsure:
        return []
    named = "; ".join(unsure[:MAX_NAMED]) + (f" en nog {len(unsure) - MAX_NAMED}" if len(unsure) > MAX_NAMED else "")
    return [f"{len(unsure)} {'voorbeeldzin komt' if len(unsure) == 1 else 'voorbeeldzinnen komen'} alleen als "
            f"voorstel uit, onder triage.min_confidence {rules.municipality.min_confidence:g}: zo'n bericht gaat naar "
            f"triage (categories.yaml: {named}). Meer trefwoorden maken het zekerder"]


def _site(url: str) -> str:
    host = (urlsplit(url).hostname or url).casefold()
    return host.removeprefix("www.")


def foreign_contacts(rules: RuleSet, templates: TemplateSet) -> list[str]:
    """Contact details that are not this municipality's: a privacy or redirect address on another site than its
    website, a web address or phone number in a reply template other than its own (a copied configuration keeps
    Utrecht's "14 030" and "utrecht.nl"; write {phone} and {website} instead)."""
    municipality = rules.municipality
    own_site = _site(municipality.website)
    own_phone = re.sub(r"\D", "", municipality.phone)
    found: list[str] = []
    urls = [("privacy_url", municipality.privacy_url),
            *((f"vakdienst {d.id}", d.redirect_url) for d in rules.departments.values() if d.redirect_url)]
    for where, url in urls:
        if own_site and url and not _site(url).endswith(own_site):
            found.append(f"{where}: {url}")
    for template in templates.templates:
        for sections in template.texts.values():
            for text in sections.values():
                for domain in _DOMAIN.findall(text):
                    if own_site and not _site(domain).endswith(own_site) and _site(domain) not in HELP_SITES:
                        found.append(f"sjabloon {template.id}: {domain}")
                for phone in _PHONE.findall(text):
                    digits = re.sub(r"\D", "", phone)
                    if digits != own_phone and digits not in HELP_LINES:
                        found.append(f"sjabloon {template.id}: {phone}")
    found = list(dict.fromkeys(found))
    if not found:
        return []
    named = "; ".join(found[:MAX_NAMED]) + (f" en nog {len(found) - MAX_NAMED}" if len(found) > MAX_NAMED else "")
    return [f"contactgegevens die niet van {municipality.name} lijken ({own_site or 'geen website'}, "
            f"{municipality.phone or 'geen telefoon'}): {named}. In een sjabloon schrijft u {{phone}} en {{website}}"]
