"""A made-up export of past meldingen for learning tests (never rows of the real evaluation data)."""

from __future__ import annotations

import csv
import random
from pathlib import Path

# A made-up history: residents of this fictional export call broken street lights "donker" and
# overflowing bins "stinkend", words the rule files do not know. A model must learn them.
LIGHT = ["Het is hier {} donker bij de {}", "Al dagen {} donker in de {}", "{} donker, kan iemand kijken, {}"]
BIN = ["De bak is {} stinkend aan de {}", "Alles {} stinkend bij de {}", "{} stinkend naast de {}"]
STREETS = ["Kanaalstraat", "Vleutenseweg", "Croeselaan", "Biltstraat"]
WORDS = ["echt", "erg", "weer", "heel"]


def write_history(path: Path, rows: int = 80, encoding: str = "utf-8", extra: list[list[str]] | None = None) -> None:
    rng = random.Random(7)
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "category", "team", "street"])
        for i in range(rows):
            light = i % 2 == 0
            template = rng.choice(LIGHT if light else BIN)
            street = rng.choice(STREETS)
            writer.writerow([f"h{i}", template.format(rng.choice(WORDS), street),
                             "Straatverlichting kapot" if light else "Container vol of kapot",
                             "Stadswerken West en Noordwest", street])
        for row in extra or []:
            writer.writerow(row)
