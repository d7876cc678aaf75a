"""The active filters of a case list in words: "Binnengekomen in week: week 15 van 2026 (6 apr t/m 12 apr)".

Invariants: every filter in use is shown (a list is never narrowed by something the ambtenaar cannot see), in
the ambtenaar's language, with names instead of ids (department, category, buurt, channel, ambition); a value
the inbox does not know is shown as given and marked, so it is clear why the list is empty.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from babel.dates import format_date

from wijkbot.domain.routing import AMBITION_NOT_SET, NO_AMBITION
from wijkbot.domain.weeks import IsoWeek, WeekError
from wijkbot.i18n import format_locale
from wijkbot.services.case_filters import NOT_SET, WEEK_FILTERS, Active, buurt_name
from wijkbot.services.queues import AGES
from wijkbot.web.inbox.context import InboxServices


@dataclass(frozen=True, slots=True)
class Chip:
    key: str
    label: str  # what the filter is ("Vakdienst")
    value: str  # what it is set to ("Stadswerken of VTH")
    valid: bool


def chips(inbox: InboxServices, lang: str, active: tuple[Active, ...],
          officers: Mapping[str, str] | None = None) -> list[Chip]:
    """`officers`: ambtenaren's names by id (as text), for the behandelaar filter."""
    def t(key: str, **values: object) -> str:
        return inbox.translator.text(key, lang, **values)

    name = _namer(inbox, lang, t, officers or {})
    found = []
    for item in active:
        shown = [name(item.key, v) for v in item.values]
        value = t("inbox.filter.or").join(shown) if len(shown) > 1 else shown[0]
        if not item.valid:
            value = t("inbox.filter.invalid", value=", ".join(item.values))
        found.append(Chip(item.key, t("inbox.filter." + item.key), value, item.valid))
    return found


def _namer(inbox: InboxServices, lang: str, t: Callable[..., str],
           officers: Mapping[str, str]) -> Callable[[str, str], str]:
    rules = inbox.rules
    ambitions = {a.id: a.title for wijk in rules.ambitions.values() for a in wijk}

    def week(value: str) -> str:
        try:
            w = IsoWeek.parse(value)
        except WeekError:
            return value
        where = format_locale(lang)
        return t("inbox.filter.week_value", week=w.week, year=w.year,
                 first=format_date(w.monday, "d MMM", locale=where), last=format_date(w.sunday, "d MMM", locale=where))

    def name(key: str, value: str) -> str:
        if value == NOT_SET and key in ("category", "buurt", "street"):
            return t("inbox.filter.not_set")
        if key in ("status", "kind"):  # the words the form's own options use ("waiting for the resident")
            label = t(f"inbox.term.{key}.{value}")
            return value if label.startswith("inbox.") else label
        if key == "officer":
            return t("inbox.filter.officer_nobody") if value == NOT_SET else officers.get(value, value)
        if key in WEEK_FILTERS:
            return week(value)
        if key == "department":
            return inbox.texts.department_name(value)
        if key == "category":
            category = rules.categories.get(value)
            return category.name if category else value
        if key == "buurt":
            return buurt_name(rules, value)
        if key == "channel":
            label = t("inbox.channel." + value)
            return value if label.startswith("inbox.") else label
        if key == "ambition":
            if value == NO_AMBITION:
                return t("inbox.filter.ambition_none")
            if value == AMBITION_NOT_SET:
                return t("inbox.filter.ambition_not_set")
            return ambitions.get(value, value)
        if key == "age" and value in AGES:
            return t("inbox.age." + value)
        return value

    return name
