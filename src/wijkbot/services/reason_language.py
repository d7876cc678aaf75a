"""The routing reasons, and the reasons wijkbot records in a case's history, in the reader's language: stored
in Dutch with the case (as they were said then), shown in English to an ambtenaar who reads the inbox in English.

Invariants: pure; only the words wijkbot itself wrote are translated (the phrase shapes of domain.routing_reasons,
domain.routing, domain.areas, learning.router and services.named_cases/new_case); names from the configuration
(categories, vakdiensten, teams, streets, wijken) and the resident's own words stay as they are; a reason of a
shape not listed here (an older or newer one) is shown as stored, never dropped or guessed at.
"""

from __future__ import annotations

import re

# Whole reasons, and reasons with names in them: (pattern, English with \\1 for the names).
_WHOLE = {
    "geen bekende woorden gevonden": "no known words found",
    "geen plaats gevonden": "no place found",
    "te onzeker: naar triage": "too uncertain: to triage",
    "mogelijk acuut: meteen naar triage": "possibly acute: straight to triage",
    "past bij geen wijkambitie": "fits no wijkambitie",
    "het geleerde model past niet meer bij de regels: de regels beslissen":
        "the learned model no longer fits the rules: the rules decide",
    # reasons wijkbot records in a case's history (a reason an ambtenaar typed stays as typed)
    "de bewoner schrijft na het afhandelen dat het niet is opgelost (zie het bericht)":
        "after closing, the resident writes that it is not solved (see the message)",
    "uit triage geplaatst": "placed from triage",
    "behandelaar uitgezet": "behandelaar's account switched off",
    "andere categorie dan de hoofdzaak": "another category than the lead case",
}
_SHAPES = tuple((re.compile(pattern), english) for pattern, english in (
    (r"^zekerheid ([0-9.]+)$", r"certainty \1"),
    (r'^mogelijk acuut gevaar \(gevonden: (.*)\): bewoner gewezen op 112$',
     r"possibly acute danger (found: \1): resident pointed to 112"),
    (r"^mogelijk acuut gevaar: bewoner gewezen op 112$", "possibly acute danger: resident pointed to 112"),
    (r"^mogelijk een crisis \(zelfdoding; gevonden: (.*)\): bewoner gewezen op 113 en 112$",
     r"possibly a crisis (suicide; found: \1): resident pointed to 113 and 112"),
    (r"^mogelijk een crisis \(zelfdoding\): bewoner gewezen op 113 en 112$",
     "possibly a crisis (suicide): resident pointed to 113 and 112"),
    (r"^geleerd van ([0-9]+) eerdere meldingen: lijkt het meest op (.*), maar het model is niet zeker genoeg$",
     r"learned from \1 earlier reports: most like \2, but the model is not sure enough"),
    (r"^geleerd van ([0-9]+) eerdere meldingen: (.*)$", r"learned from \1 earlier reports: \2"),
    (r"^het geleerde model kent (.*) niet: de regels beslissen$",
     r"the learned model does not know \1: the rules decide"),
    (r"^past bij wijkambitie: (.*)$", r"fits wijkambitie: \1"),
    (r"^de (\w+) is niet bekend, dus er is geen wijkambitie bepaald$",
     r"the \1 is not known, so no wijkambitie was set"),
    (r"^voor deze (\w+) zijn nog geen wijkambities vastgelegd$", r"no wijkambities have been set for this \1 yet"),
    (r"^(\w+) onbekend: voorlopig bij (.*), tot bekend is waar het is$",
     r"\1 unknown: with \2 for now, until it is known where it is"),
    (r"^gaat over zaak (.*)$", r"is about case \1"),
    (r"^de bewoner zegt dat het niet is opgelost \(cijfer ([0-9]+)\)$",
     r"the resident says it is not solved (score \1)"),
    (r"^de bewoner geeft een laag cijfer \(([0-9]+)\)$", r"the resident gives a low score (\1)"),
))
# Where a message plays: "<how> <what> -> <area>", how being one of these words (domain.areas, learning.router,
# services.named_cases); the category's reason has the same arrow, after the resident's own words.
_AREA = re.compile(r"^((?:straat|postcode|buurt|plaats|wijk|zaak) .*) -> (.*)$")
_HOW = tuple((re.compile(pattern), english) for pattern, english in (
    (r"\(maar postcode ([0-9]{4}) ligt in (.*)\)", r"(but postcode \1 lies in \2)"),
    (r" met postcode ", " with postcode "),
    (r"\(geschiedenis\)", "(history)"),
    (r"^straat ", "street "),
    (r"^plaats ", "place "),
    (r"^zaak ", "case "),
))


def in_language(reason: str, lang: str) -> str:
    """The reason as an ambtenaar reading `lang` reads it (Dutch: as stored)."""
    if lang != "en":
        return reason
    if reason in _WHOLE:
        return _WHOLE[reason]
    for pattern, english in _SHAPES:
        if pattern.match(reason):
            return pattern.sub(english, reason)
    area = _AREA.match(reason)
    if area is not None:
        how = area.group(1)
        for pattern, english in _HOW:
            how = pattern.sub(english, how)
        return f"{how} -> {area.group(2)}"
    return reason  # the category's words and names ("grofvuil -> Grofvuil (Stadswerken)"), or an unknown shape
