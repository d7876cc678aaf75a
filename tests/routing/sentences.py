"""Varied messages for comparing two routers: the rule files' own example sentences, and made-up variants.

Nothing here comes from the evaluation data: the base sentences are the example sentences of the rule files
(a beheerder wrote them), the rest is made from them with a seeded random generator: typos, words joined and
split, place names (also misspelt) and postcodes in the text, long messages of many sentences, questions,
initiatives, urgent phrases, hostile input, and the street/postcode/town hints a channel may add.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from wijkbot.domain.routing import MAX_TEXT
from wijkbot.domain.rules import RuleSet

LETTERS = "abcdefghijklmnopqrstuvwxyz"
HOSTILE = ["", " ", "🙂🙂🙂", "\x00\x01 afval", "<script>alert(1)</script> grofvuil", "ééé ëëë ïïï", "1234 5678",
           "?", "!!!", "a", "straat", "DE LANTAARNPAAL IS KAPOT!!!", "ﬁets ＫＡＰＯＴ ①②", "x" * 300]
FILLERS = ["Kunt u hier iets aan doen?", "Graag snel actie.", "Dit is al weken zo.", "Groet, een bewoner",
           "Ik heb al eerder gebeld.", "Wij willen een buurtfeest organiseren met de hele straat.",
           "Is dit wel toegestaan?", "Er is iets mis."]


@dataclass(frozen=True, slots=True)
class Message:
    text: str
    street: str | None = None
    postcode: str | None = None
    town: str | None = None


def typo(word: str, rng: random.Random) -> str:
    """One slip of the finger: a letter dropped, doubled, swapped with its neighbour or replaced."""
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1:]
    if kind == 1:
        return word[:i] + word[i] + word[i:]
    if kind == 2:
        return word[:i - 1] + word[i] + word[i - 1] + word[i + 1:]
    return word[:i] + rng.choice(LETTERS) + word[i + 1:]


def misspell(text: str, rng: random.Random, slips: int) -> str:
    words = text.split()
    for _ in range(slips):
        if words:
            i = rng.randrange(len(words))
            words[i] = typo(words[i], rng)
    return " ".join(words)


def example_rows(rules: RuleSet, seed: int, copies: int = 4) -> list[dict[str, str]]:
    """A made-up labelled history: each example sentence of the rule files and misspelt copies of it (copy n
    has n slips), labelled with its category and with its department's team for the example's wijk."""
    rng = random.Random(seed)
    rows = []
    for category in rules.categories.values():
        for example in category.examples:
            team = rules.team_for(category.department, example.wijk)
            for copy in range(copies):
                rows.append({"text": misspell(example.text, rng, copy), "category": category.name,
                             "team": team.name if team else ""})
    return rows


def join_or_split(text: str, rng: random.Random) -> str:
    """Two neighbours written as one, or one long word written as two ("geluids overlast")."""
    words = text.split()
    if len(words) > 2 and rng.random() < 0.5:
        i = rng.randrange(len(words) - 1)
        return " ".join([*words[:i], words[i] + words[i + 1], *words[i + 2:]])
    long_words = [i for i, w in enumerate(words) if len(w) > 8]
    if not long_words:
        return text
    i = rng.choice(long_words)
    cut = rng.randrange(3, len(words[i]) - 3)
    return " ".join([*words[:i], words[i][:cut], words[i][cut:], *words[i + 1:]])


def messages(rules: RuleSet, seed: int = 1, count: int = 400) -> list[Message]:
    """About `count` messages for one municipality, the same every run."""
    rng = random.Random(seed)
    examples = [e.text for c in rules.categories.values() for e in c.examples]
    streets = sorted(rules.streets)
    places = sorted({n for b in rules.buurten for n in (b.name, *b.aliases)} | {b.wijk for b in rules.buurten})
    postcodes = sorted({pc for b in rules.buurten for pc in b.pc4s})
    urgent = list(rules.signals.urgent)
    kinds = [p for phrases in rules.signals.kinds.values() for p in phrases]
    keywords = sorted({k for c in rules.categories.values() for k in c.keywords})
    found = [Message(t) for t in examples + HOSTILE]
    while len(found) < count:
        text = rng.choice(examples)
        roll = rng.random()
        if roll < 0.2:
            text = misspell(text, rng, rng.randrange(1, 4))
        elif roll < 0.3:
            text = join_or_split(text, rng)
        elif roll < 0.45:
            street = rng.choice(streets)
            text = f"{text} bij de {typo(street, rng) if rng.random() < 0.5 else street}"
        elif roll < 0.55:
            text = f"{text} ({rng.choice(postcodes)} {rng.choice(['AB', 'XY', ''])})".replace(" )", ")")
        elif roll < 0.65:
            text = f"In {rng.choice(places)}: {text.lower()}"
        elif roll < 0.72:
            text = " ".join(rng.choice(examples + FILLERS) for _ in range(rng.randrange(4, 16)))
        elif roll < 0.78:
            text = f"{rng.choice(kinds)} {text} {rng.choice(urgent)}"
        elif roll < 0.86:
            text = " ".join(rng.choice(keywords) for _ in range(rng.randrange(2, 12)))
        elif roll < 0.9:
            text = misspell(" ".join(rng.choice(keywords + FILLERS) for _ in range(30)), rng, 8)
        elif roll < 0.92:
            text = " ".join(rng.choice(examples) for _ in range(200))[:MAX_TEXT - 1]  # long, under the bound
        found.append(Message(text, *_hints(rng, streets, postcodes, places)))
    return found


def _hints(rng: random.Random, streets: list[str], postcodes: list[str],
           places: list[str]) -> tuple[str | None, str | None, str | None]:
    """What a channel or an export may give beside the text: often nothing, else a street, postcode, town."""
    if rng.random() < 0.5:
        return None, None, None
    street = rng.choice([None, rng.choice(streets), typo(rng.choice(streets), rng), "Onbekendeweg"])
    postcode = rng.choice([None, rng.choice(postcodes), "9999"])
    town = rng.choice([None, rng.choice(places), "Ergens"])
    return street, postcode, town
