"""Every text the code asks for exists in Dutch and English, with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from wijkbot.i18n import Translator

ROOT = Path(__file__).resolve().parent.parent
PREFIXES = "ack|followup|reply|notice|status|error|telegram|inbox|x|digest|survey|escalation|mail"
KEY = re.compile(r"""["']((?:""" + PREFIXES + r""")\.[a-z_ .]+)["']""")


def used_keys() -> set[str]:
    keys: set[str] = set()
    for path in (ROOT / "src" / "wijkbot").rglob("*.py"):
        keys.update(KEY.findall(path.read_text(encoding="utf-8")))
    return {k for k in keys if not k.endswith(".")}


def test_both_catalogs_have_every_key_the_code_uses() -> None:
    translator = Translator.load(ROOT / "locales")
    used = used_keys() - {"status."}
    assert used, "the key scanner found nothing"
    for lang in ("nl", "en"):
        missing = used - translator.ids(lang)
        assert not missing, f"{lang} lacks {sorted(missing)}"
    statuses = {f"status.{s}" for s in ("nieuw", "toegewezen", "in behandeling", "wacht op bewoner",
                                         "afgehandeld", "heropend", "geannuleerd")}
    assert statuses <= translator.ids("nl") and statuses <= translator.ids("en")


def test_catalogs_have_the_same_keys_and_placeholders() -> None:
    translator = Translator.load(ROOT / "locales")
    assert translator.ids("nl") == translator.ids("en")
    for key in translator.ids("nl"):
        nl = set(re.findall(r"{(\w+)}", translator.text(key, "nl")))
        en = set(re.findall(r"{(\w+)}", translator.text(key, "en")))
        assert nl == en, key


def test_unknown_language_falls_back_to_dutch() -> None:
    translator = Translator.load(ROOT / "locales")
    assert translator.language("fr") == "nl"
    assert translator.language("en-GB") == "en"


@pytest.mark.parametrize(("label", "key", "lang", "expected"), [
    ("wijk", "inbox.filter.wijk", "nl", "Wijk"),
    ("kern", "inbox.filter.wijk", "nl", "Kern"),
    ("kern", "inbox.queue.wijk", "nl", "Alles in mijn kern"),
    ("kern", "inbox.queue.wijk", "en", "All in my kern"),
    ("kern", "inbox.people.wijken", "nl", "Kernen"),
    ("stadsdeel", "inbox.people.wijken", "nl", "Stadsdelen"),  # a word without catalog entry: as configured
])
def test_texts_use_the_municipalitys_own_word_for_its_areas(label: str, key: str, lang: str, expected: str) -> None:
    plural = {"wijk": "wijken", "kern": "kernen", "stadsdeel": "stadsdelen"}[label]
    assert Translator.load(ROOT / "locales").for_area(label, plural).text(key, lang) == expected


def test_english_dates_are_british() -> None:
    """An English trial read "Monday, December 14, 2026" on every due date: Babel's American default for "en"."""
    from datetime import date

    translator = Translator.load(ROOT / "locales")
    assert translator.date(date(2026, 12, 14), "en") == "Monday, 14 December 2026"
    assert translator.date(date(2026, 12, 14), "nl") == "maandag 14 december 2026"
