"""Reading reply templates (templates.yaml in a municipality's folder) into a TemplateSet.

Invariants: the file is optional (no file: no templates); a bad file raises RuleFileError naming file,
template id and key, all problems at once: unknown category, section or key, a missing Dutch text or title,
an unknown placeholder, duplicate ids.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from wijkbot.domain.model import Kind
from wijkbot.domain.rules import RuleSet
from wijkbot.domain.templates import ANY, PLACEHOLDERS, SECTIONS, ReplyTemplate, TemplateSet, placeholders_in
from wijkbot.domain.workflow import Status
from wijkbot.rulefiles.reader import Reader, RuleFileError

FILE = "templates.yaml"
LANGUAGES = ("nl", "en")
TEMPLATE_KEYS = ("id", "categories", "kinds", "status", "title", *LANGUAGES)


def load_templates(directory: Path | str, rules: RuleSet) -> TemplateSet:
    folder = Path(directory)
    reader = Reader(folder)
    data = reader.yaml(FILE, required=False)
    reader.known(FILE, "-", data, ("templates",))
    templates = [_template(reader, item, rules) for item in reader.items(FILE, data, "templates")]
    ids = [t.id for t in templates]
    for duplicate in sorted({i for i in ids if ids.count(i) > 1}):
        reader.problem(FILE, duplicate, "id", "dit id staat er meer dan één keer in")
    if reader.problems:
        raise RuleFileError(folder, reader.problems)
    return TemplateSet(tuple(templates))


def _template(reader: Reader, item: dict[str, Any], rules: RuleSet) -> ReplyTemplate:
    rule = str(item["id"])
    reader.known(FILE, rule, item, TEMPLATE_KEYS)
    categories = reader.words(FILE, rule, item, "categories", required=True)
    for category in categories:
        if category != ANY and category not in rules.categories:
            reader.problem(FILE, rule, "categories", f"onbekende categorie '{category}'")
    kinds = reader.words(FILE, rule, item, "kinds", required=False)
    for kind in kinds:
        if kind not in {k.value for k in Kind}:
            reader.problem(FILE, rule, "kinds", f"onbekende soort '{kind}'")
    status = item.get("status")
    if status is not None and status not in {s.value for s in Status}:
        reader.problem(FILE, rule, "status", f"onbekende status '{status}'")
    titles = item.get("title")
    if not isinstance(titles, dict) or not isinstance(titles.get("nl"), str) or not titles["nl"].strip():
        reader.problem(FILE, rule, "title.nl", "een Nederlandse titel is nodig")
        titles = {"nl": rule}
    reader.known(FILE, rule, titles, LANGUAGES, "title")
    texts: dict[str, dict[str, str]] = {}
    for lang in LANGUAGES:
        sections = item.get(lang)
        if sections is None:
            if lang == "nl":
                reader.problem(FILE, rule, "nl", "de Nederlandse tekst is nodig")
            continue
        texts[lang] = _sections(reader, rule, lang, sections)
    return ReplyTemplate(rule, categories, {k: str(v) for k, v in titles.items()}, texts, kinds, status)


def _sections(reader: Reader, rule: str, lang: str, sections: object) -> dict[str, str]:
    if not isinstance(sections, dict):
        reader.problem(FILE, rule, lang, f"moet een blok met tekstdelen zijn ({', '.join(SECTIONS)})")
        return {}
    found: dict[str, str] = {}
    before = len(reader.problems)
    for key, text in sections.items():
        where = f"{lang}.{key}"
        if key not in SECTIONS:
            reader.problem(FILE, rule, where, f"onbekend tekstdeel; gebruik {', '.join(SECTIONS)}")
            continue
        if not isinstance(text, str) or not text.strip():
            reader.problem(FILE, rule, where, "een tekst is nodig")
            continue
        try:
            unknown = placeholders_in(text) - PLACEHOLDERS
        except ValueError:
            reader.problem(FILE, rule, where, _bad_placeholder(text))
            continue
        if unknown:
            which = "onbekend invulveld" if len(unknown) == 1 else "onbekende invulvelden"
            reader.problem(FILE, rule, where, f"{which} {_braced(unknown)}; gebruik {_braced(PLACEHOLDERS)}")
            continue
        found[key] = text.strip()
    if "we_will" not in found and len(reader.problems) == before:
        reader.problem(FILE, rule, f"{lang}.we_will", "elk antwoord zegt wat de gemeente gaat doen")
    return found


def _braced(names: Iterable[str]) -> str:
    return ", ".join(f"{{{name}}}" for name in sorted(names))


def _bad_placeholder(text: str) -> str:
    """What placeholders_in refused in `text`, in the beheerder's words."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return "een { of } staat los; schrijf {{ of }} voor een accolade in de tekst"
    wrong = next((name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
                  for _, name, spec, conversion in parsed
                  if name is not None and (not name.isidentifier() or spec or conversion)), "")
    return f"invulveld {{{wrong}}} mag niet; gebruik {_braced(PLACEHOLDERS)}"
