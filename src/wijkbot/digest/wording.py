"""Words and numbers of the digest in the reader's language: labels for ids, counts, shares and durations.

Invariants: numbers follow the language (Babel: "3,5" in Dutch, "3.5" in English); a count reads singular for
exactly one ("1 dag", "1 day") and plural otherwise (`counted`: a key for each); a missing value is shown as
DASH, never as 0; what the scrubber left out reads as the reader's word ("[weggelaten]", "[left out]");
configuration ids are shown by their configured names; ids the catalogs do not know are shown as they are
rather than as a message id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal, format_percent

from wijkbot.domain.digest.stats import Count
from wijkbot.domain.rules import RuleSet
from wijkbot.domain.scrub import PLACEHOLDER
from wijkbot.i18n import Translator

DASH = "–"


@dataclass(frozen=True, slots=True)
class Wording:
    rules: RuleSet
    translator: Translator
    lang: str

    def t(self, key: str, **values: object) -> str:
        return self.translator.text(key, self.lang, **values)

    def counted(self, one: str, many: str, n: int, **values: object) -> str:
        """The message for `n` things: `one` for exactly 1, else `many` (Dutch and English say "0 zaken")."""
        return self.t(one if n == 1 else many, n=self.number(n), **values)

    def left_out(self, text: str) -> str:
        """A scrubbed text with the scrubber's (Dutch) PLACEHOLDER said in the reader's language."""
        return text.replace(PLACEHOLDER, self.t("digest.placeholder"))

    def _known(self, key: str) -> bool:
        return key in self.translator.ids(self.lang)

    def number(self, value: float | None, decimals: int = 0) -> str:
        if value is None:
            return DASH
        return str(format_decimal(round(value, decimals), format="#,##0" + ("." + "0" * decimals if decimals else ""),
                                  locale=self.lang))

    def change(self, value: float) -> str:
        """+5, −3 or 0."""
        if round(value, 1) == 0:
            return "0"
        text = self.number(abs(value), 0 if float(value).is_integer() else 1)
        return f"+{text}" if value > 0 else f"−{text}"

    def share(self, value: float | None) -> str:
        return DASH if value is None else str(format_percent(value, format="#,##0 %", locale=self.lang))

    def score(self, value: float | None) -> str:
        return DASH if value is None else self.number(value, 1)

    def duration(self, value: timedelta | None) -> str:
        if value is None:
            return DASH
        hours = value.total_seconds() / 3600
        if hours < 1:
            return self.t("digest.duration.minutes", n=self.number(max(hours * 60, 1)))
        if hours < 48:
            return self.t("digest.duration.hours", n=self.number(hours, 0 if hours >= 10 else 1))
        return self.t("digest.duration.days", n=self.number(hours / 24, 1))

    def count_note(self, count: Count) -> str:
        return self.t("digest.count.note", previous=self.number(count.previous),
                      average=self.number(count.average4, 1))

    def kind(self, kind: str) -> str:
        key = f"digest.kind.{kind}"
        return self.t(key) if self._known(key) else kind

    def status(self, status: str) -> str:
        key = f"status.{status}"
        return self.t(key) if self._known(key) else status

    def channel(self, channel: str) -> str:
        key = f"digest.channel.{channel}"
        return self.t(key) if self._known(key) else channel

    def category(self, category: str | None) -> str:
        if not category:
            return self.t("digest.unknown.category")
        found = self.rules.categories.get(category)
        return found.name if found else category

    def department(self, department: str) -> str:
        if not department:
            return self.t("digest.served.all")
        found = self.rules.departments.get(department)
        return found.name if found else department

    def buurt(self, code: str | None, name: str | None = None) -> str:
        if name:
            return name
        for buurt in self.rules.buurten:
            if buurt.code == code:
                return buurt.name
        return self.t("digest.unknown.buurt")

    def ambition(self, ambition: str | None) -> str:
        if ambition == "none":
            return self.t("digest.ambition.none")
        if not ambition or ambition == "not-set":
            return self.t("digest.ambition.not_set")
        for ambitions in self.rules.ambitions.values():
            for found in ambitions:
                if found.id == ambition:
                    return found.title
        return ambition

    def days(self, value: int) -> str:
        return self.counted("digest.days.one", "digest.days.many", value)

    def date_range(self, first: date, last: date) -> str:
        return self.t("digest.period", first=self.translator.date(first, self.lang),
                      last=self.translator.date(last, self.lang))

    def so_far(self, first: date, now: datetime) -> str:
        """The period of a week that is still running: from its Monday until now (local time)."""
        local = now.astimezone(ZoneInfo(self.rules.municipality.timezone))
        return self.t("digest.period_so_far", first=self.translator.date(first, self.lang),
                      now=f"{self.translator.date(local.date(), self.lang)} {local:%H:%M}")
