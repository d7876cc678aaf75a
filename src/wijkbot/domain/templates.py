"""Reply templates: ready answers per category and language, in the structure the municipal documents ask for.

An answer says what the municipality will do, what the resident can do, what cannot be done and why, and
the alternatives (seed-002: "wat de gemeente kan doen, wat hij zelf mag ... en wat helemaal niet kan";
seed-001: "Als ons antwoord 'nee' is, dan zijn we daar duidelijk over"). Invariants: pure; a template has
Dutch text (other languages fall back to it); only the placeholders in PLACEHOLDERS may be used, and they
hold no personal data (reference, department, due date, area, the officer's name, the municipality's phone
number and website: a template copied to another municipality then names that one's). A part the ambtenaar must
still write is an instruction in square brackets ("[Vul de reden aan.]"): `open_instructions` finds what is
left of them, and a text that still holds one is not sent to a resident.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field

SECTIONS = ("we_will", "you_can", "cannot", "alternatives")
# "[Vul de reden aan.]", "[Noem een alternatief.]": a short text in square brackets with a letter in it. Not what
# masking leaves ("[weggelaten]", "[left out]": quoting a masked message is fine), nor "[1]" or "[ ]", nor a link
# written as "[tekst](https://...)". Bounded, so a hostile 20,000-character "[aaaa..." costs nothing.
_BRACKETED = re.compile(r"\[([^\[\]\n]{1,200})\](?!\()")
NOT_INSTRUCTIONS = frozenset({"[weggelaten]", "[left out]"})
PLACEHOLDERS = frozenset({"reference", "department", "due", "area", "officer", "phone", "website"})
ANY = "*"


@dataclass(frozen=True, slots=True)
class ReplyTemplate:
    id: str
    categories: tuple[str, ...]  # category ids, or ("*",) for every category
    titles: Mapping[str, str]  # lang -> title the ambtenaar picks from
    texts: Mapping[str, Mapping[str, str]]  # lang -> section -> text
    kinds: tuple[str, ...] = ()  # empty: every kind
    status: str | None = None  # a status the case moves to when this is sent (e.g. "wacht op bewoner")

    def fits(self, category: str | None, kind: str) -> bool:
        in_category = ANY in self.categories or (category is not None and category in self.categories)
        return in_category and (not self.kinds or kind in self.kinds)

    def title(self, lang: str) -> str:
        return self.titles.get(lang) or self.titles["nl"]

    def language(self, lang: str) -> str:
        """The language the text will be in: the wish when written, else Dutch."""
        return lang if lang in self.texts else "nl"


@dataclass(frozen=True, slots=True)
class TemplateSet:
    templates: tuple[ReplyTemplate, ...] = field(default_factory=tuple)

    def for_case(self, category: str | None, kind: str) -> list[ReplyTemplate]:
        """Category-specific templates first, then the general ones, in file order."""
        fitting = [t for t in self.templates if t.fits(category, kind)]
        return sorted(fitting, key=lambda t: ANY in t.categories)

    def get(self, template_id: str) -> ReplyTemplate | None:
        return next((t for t in self.templates if t.id == template_id), None)


def placeholders_in(text: str) -> set[str]:
    """The {names} a text uses; raises ValueError for unbalanced braces or {0}/{x.y} forms."""
    names = set()
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        raise ValueError("a placeholder has an unbalanced { or } (write {{ or }} for a brace itself)") from None
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise ValueError(f"placeholder {{{name}}} is not allowed; use one of {', '.join(sorted(PLACEHOLDERS))}")
        names.add(name)
    return names


def open_instructions(text: str) -> list[str]:
    """The instructions in square brackets a text still holds ("[Vul de reden aan.]"), in order."""
    if "[" not in text:
        return []
    return [f"[{inner}]" for inner in _BRACKETED.findall(text)
            if any(c.isalpha() for c in inner) and f"[{inner}]".casefold() not in NOT_INSTRUCTIONS]


def compose(template: ReplyTemplate, lang: str, headings: Mapping[str, str], values: Mapping[str, str]) -> str:
    """The answer text: each filled section under its heading, separated by a blank line."""
    sections = template.texts[template.language(lang)]
    parts = []
    for section in SECTIONS:
        text = sections.get(section, "").strip()
        if text:
            filled = text.format_map({name: values.get(name, "") for name in PLACEHOLDERS})
            parts.append(f"{headings.get(section, section)}\n{filled}")
    return "\n\n".join(parts)
