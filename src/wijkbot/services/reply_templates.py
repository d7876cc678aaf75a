"""Reply templates for one case: which fit, and the text of one, filled in for the resident's language.

Invariants: templates are data from the configuration (routing_rules/<gemeente>/templates.yaml); section
headings come from the locale catalog in the resident's language; placeholders are filled with case values
only (reference, department, due date, area, the ambtenaar's name), never contact data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from wijkbot.domain.templates import SECTIONS, ReplyTemplate, TemplateSet, compose
from wijkbot.services.texts import Texts


@dataclass(frozen=True, slots=True)
class TemplateChoice:
    id: str
    title: str
    text: str
    language: str
    status: str | None


class ReplyTemplates:
    def __init__(self, templates: TemplateSet, texts: Texts) -> None:
        self.templates = templates
        self.texts = texts

    def for_case(self, case: Mapping[str, Any], officer: str, ui_lang: str) -> list[TemplateChoice]:
        category = case.get("category") or case.get("suggested_category")
        return [self._choice(t, case, officer, ui_lang) for t in self.templates.for_case(category, str(case["kind"]))]

    def text(self, template_id: str, case: Mapping[str, Any], officer: str) -> str | None:
        template = self.templates.get(template_id)
        return self._compose(template, case, officer) if template else None

    def _choice(self, template: ReplyTemplate, case: Mapping[str, Any], officer: str, ui_lang: str) -> TemplateChoice:
        lang = str(case["locale"])
        return TemplateChoice(template.id, template.title(ui_lang), self._compose(template, case, officer),
                              template.language(lang), template.status)

    def _compose(self, template: ReplyTemplate, case: Mapping[str, Any], officer: str) -> str:
        lang = template.language(str(case["locale"]))
        headings = {s: self.texts.simple(f"inbox.template.{s}", lang) for s in SECTIONS}
        area = ", ".join(p for p in (case.get("buurt"), case.get("wijk")) if p)
        values = {"reference": str(case["reference"]),
                  "department": self.texts.case_department(case),
                  "due": self.texts.t.date(case["due_date"], lang),
                  "area": area or self.texts.simple("inbox.template.no_area", lang), "officer": officer,
                  "phone": self.texts.rules.municipality.phone,
                  "website": self.texts.rules.municipality.website.removeprefix("https://").removeprefix("http://")
                  .removeprefix("www.").rstrip("/")}
        return compose(template, lang, headings, values)
