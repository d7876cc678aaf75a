"""Example sentences double as tests: each is routed and must land where its category says.

Invariants: a mismatch is a RuleProblem located at its category and example number, like any other error.
"""

from __future__ import annotations

from wijkbot.domain.routing import Router
from wijkbot.domain.rules import RuleProblem, RuleSet
from wijkbot.rulefiles.reader import Problem

# How each checked field is named in a message for the beheerder.
FIELD_NAMES = {"category": "categorie", "kind": "soort", "wijk": "wijk", "buurt": "buurt", "ambition": "ambitie"}


def check_examples(rules: RuleSet, router: Router | None = None) -> list[RuleProblem]:
    """Route every example sentence; each mismatch is a problem located at its category."""
    router = router or Router(rules)
    problems: list[RuleProblem] = []
    for category in rules.categories.values():
        for number, example in enumerate(category.examples, start=1):
            decision = router.route(example.text)
            got = decision.category or decision.suggested_category
            key = f"examples[{number}]"
            expectations = [
                ("category", example.category, got),
                ("kind", example.kind.value if example.kind else None, decision.kind.value),
                ("wijk", example.wijk, decision.area.wijk),
                ("buurt", example.buurt, decision.area.buurt),
                ("ambition", example.ambition, decision.ambition),
            ]
            for field, expected, actual in expectations:
                if expected is not None and expected != actual:
                    # (the configuration's own word for the area: "kern" in Katwijk)
                    name = rules.municipality.area_label if field == "wijk" else FIELD_NAMES[field]
                    got = f"gaat naar {name} '{actual}'" if actual is not None else f"geen {name} gevonden"
                    problems.append(Problem("categories.yaml", category.id, f"{key}.{field}",
                                            f"'{example.text}': {got}, verwacht '{expected}'"))
    return problems
