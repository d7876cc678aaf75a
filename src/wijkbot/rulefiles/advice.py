"""signals.yaml `advice`: what a resident in acute danger is told besides 112, when their words name the danger
("Ruikt u gas? Bel meteen 0800 9009", the national gas and electricity emergency number).

Invariants: optional; each entry has an id, words (single words, matched whole against the message's words, and
only for a message that is acute already) and a text per language with at least the default language (nl);
a mistake is a RuleProblem naming the entry and the key, like every other rule-file mistake.
"""

from __future__ import annotations

from typing import Any

from wijkbot.domain.rules import Advice
from wijkbot.rulefiles.reader import Reader

ADVICE_KEYS = ("id", "words", "text")
LANGUAGES = ("nl", "en")


def advice(reader: Reader, file: str, data: dict[str, Any]) -> tuple[Advice, ...]:
    if not data.get("advice"):
        return ()
    found: list[Advice] = []
    for item in reader.items(file, data, "advice"):
        rule = str(item["id"])
        reader.known(file, rule, item, ADVICE_KEYS)
        words = reader.words(file, rule, item, "words", required=True)
        several = [w for w in words if " " in w]
        if several:
            reader.problem(file, rule, "words",
                           f"alleen losse woorden, zoals [gas, gaslucht]; niet: {', '.join(several)}")
        text = item.get("text")
        if not isinstance(text, dict) or not isinstance(text.get("nl"), str) or not text["nl"].strip():
            reader.problem(file, rule, "text", "geef de tekst per taal, minstens in het Nederlands, zoals "
                                                "text: {nl: 'Ruikt u gas? Bel meteen 0800 9009.', en: '...'}")
            continue
        unknown = [str(lang) for lang in text if lang not in LANGUAGES]
        if unknown:
            reader.problem(file, rule, "text", f"onbekende taal {', '.join(unknown)}; gebruik {', '.join(LANGUAGES)}")
        found.append(Advice(rule, tuple(w.casefold() for w in words),
                            {str(lang): str(value).strip() for lang, value in text.items() if lang in LANGUAGES}))
    return tuple(found)
