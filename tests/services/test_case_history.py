"""What the case page and `wijkbot show` say after an event's label (services.case_history.event_details)."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest

from wijkbot.i18n import Translator
from wijkbot.rulefiles import load_rules
from wijkbot.services.case_history import Namer, event_details

ROOT = Path(__file__).resolve().parents[2]
TRANSLATOR = Translator.load(ROOT / "locales")
NAMES = Namer(load_rules(ROOT / "routing_rules" / "utrecht"))


@pytest.mark.parametrize(
    ("kind", "data", "lang", "expected"),
    [
        # A trial's teamleider read "systeem · geëscaleerd" twice, without which step or to whom.
        ("geëscaleerd", {"stap": 1, "naar": "teamleider", "naam": "Bram de Proef"}, "nl",
         ["stap 1: naar de teamleider, Bram de Proef"]),
        ("geëscaleerd", {"stap": 2, "naar": "wijkregisseur"}, "nl", ["stap 2: naar de wijkregisseur"]),
        ("geëscaleerd", {"stap": 1, "naar": "teamleider", "naam": "Bram de Proef"}, "en",
         ["step 1: to the teamleider, Bram de Proef"]),
        ("herinnering", {"termijn": "2026-12-14"}, "nl", ["termijn: 2026-12-14"]),
        ("herinnering", {}, "nl", []),  # an event written before the term was stored
        ("categorie gewijzigd", {"van": None, "naar": "grofvuil", "reden": "uit triage geplaatst"}, "nl",
         ["reden: uit triage geplaatst", "- → Grofvuil en bijgeplaatst afval"]),
    ],
)
def test_event_details(kind: str, data: dict[str, object], lang: str, expected: list[str]) -> None:
    event = {"type": kind, "data": data, "actor": "systeem"}
    text = partial(TRANSLATOR.text, lang=lang)
    assert event_details(event, text, NAMES, lambda moment: moment.isoformat()) == expected


def test_a_datetime_detail_uses_the_readers_format() -> None:
    event = {"type": "antwoord", "data": {"gaat_weg_om": "2026-12-08T08:00:00+01:00"}, "actor": "7"}
    said = event_details(event, partial(TRANSLATOR.text, lang="nl"), NAMES, lambda m: m.strftime("%d-%m %H:%M"))
    assert said == ["klaargezet tot 08-12 08:00 (tussen 21:00 en 08:00 sturen we niets)"]
