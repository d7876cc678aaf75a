"""Texts residents and ambtenaren read, from gettext catalogs in locales/<lang>/LC_MESSAGES/*.po.

Each feature owns one catalog file (wijkbot.po for the core, telegram.po, inbox.po, ...), so features can be
written side by side; a message id defined in two files of one language is refused at load time.

Message ids are symbolic (`ack.melding`), so Dutch is not a translation of English and each language is
written for its readers (B1). Invariants: Dutch is the fallback for a missing language; a message id missing
from a catalog falls back to Dutch, and the test suite checks both catalogs have every id the code uses;
placeholders are filled with str.format_map, so a missing value shows as {name} instead of crashing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date
from babel.lists import format_list
from babel.messages.pofile import read_po

SUPPORTED = ("nl", "en")


class _Lenient(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Translator:
    """Looks up and fills message templates per language."""

    def __init__(self, catalogs: Mapping[str, Mapping[str, str]], default: str = "nl",
                 fill: Mapping[str, Mapping[str, str]] | None = None) -> None:
        self._catalogs = catalogs
        self.default = default
        self._fill = fill or {}  # per language: values every text may use (the municipality's word for an area)

    def for_area(self, label: str, plural: str) -> Translator:
        """The same catalogs, where every text may say {area}, {areas}, {Area} and {Areas}: the municipality's own
        word for its areas ("wijk", or "kern" in Katwijk) in each language, from the catalog ids `area.<label>` and
        `area.<label>.plural`, else as configured (`label`, `plural`)."""
        fill: dict[str, dict[str, str]] = {}
        for lang, catalog in self._catalogs.items():
            one = catalog.get(f"area.{label}") or label
            many = catalog.get(f"area.{label}.plural") or plural
            fill[lang] = {"area": one, "areas": many, "Area": one[:1].upper() + one[1:],
                          "Areas": many[:1].upper() + many[1:]}
        return Translator(self._catalogs, self.default, fill)

    @classmethod
    def load(cls, locales_dir: Path, default: str = "nl") -> Translator:
        catalogs: dict[str, dict[str, str]] = {}
        for lang in SUPPORTED:
            merged: dict[str, str] = {}
            for path in sorted((locales_dir / lang / "LC_MESSAGES").glob("*.po")):
                with path.open("rb") as handle:
                    catalog = read_po(handle, locale=lang)
                for message in catalog:
                    if not (message.id and message.string):
                        continue
                    key = str(message.id)
                    if key in merged:
                        raise ValueError(f"{path}: message id {key!r} is already defined in another catalog")
                    merged[key] = str(message.string)
            catalogs[lang] = merged
        return cls(catalogs, default)

    def language(self, wanted: str | None) -> str:
        """A supported language for a wish like "en-GB" or None."""
        code = (wanted or "").split("-")[0].split("_")[0].lower()
        return code if code in self._catalogs else self.default

    def ids(self, lang: str) -> set[str]:
        return set(self._catalogs.get(lang, {}))

    def text(self, key: str, lang: str | None = None, **values: object) -> str:
        """The message `key` in `lang`, with placeholders filled."""
        language = self.language(lang)
        template = self._catalogs.get(language, {}).get(key) or self._catalogs[self.default].get(key) or key
        fill = self._fill.get(language)
        return template.format_map(_Lenient({**fill, **values} if fill else values))

    def join(self, items: Sequence[str], lang: str | None = None) -> str:
        """A list as a sentence says it: "UT-1, UT-2 en UT-3" (Babel's list patterns)."""
        return str(format_list(list(items), locale=format_locale(self.language(lang))))

    def date(self, day: date, lang: str | None = None) -> str:
        """A date as residents write it: "maandag 30 november 2026"."""
        return _format_full_date(day, self.language(lang))


# The English of a Dutch municipality's residents and staff is British: "Monday, 14 December 2026", not Babel's
# American default for "en" ("Monday, December 14, 2026"), which an English trial found on every due date.
FORMAT_LOCALES = {"en": "en_GB"}


def format_locale(lang: str) -> str:
    """The Babel locale that formats dates and numbers for a catalog language."""
    return FORMAT_LOCALES.get(lang, lang)


@lru_cache(maxsize=4096)
def _format_full_date(day: date, lang: str) -> str:
    return str(format_date(day, format="full", locale=format_locale(lang)))  # Babel takes ~0.1 ms; dates repeat
