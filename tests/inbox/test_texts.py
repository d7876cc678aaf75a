"""Every inbox text a template or the code asks for exists in Dutch and English (the shared locale test
scans only Python files; templates and composed keys are checked here)."""

from __future__ import annotations

import re
from pathlib import Path

from wijkbot.domain.model import Channel
from wijkbot.domain.x import Mode
from wijkbot.i18n import Translator
from wijkbot.services.case_filters import FILTERS
from wijkbot.services.queues import AGES, QUEUES

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "src" / "wijkbot" / "web" / "templates"
LITERAL = re.compile(r"""t\(\s*["'](inbox\.[a-z_.]+)["']""")
EVENTS = ("aangemaakt", "bericht", "antwoord", "notitie", "overgedragen", "status", "afgehandeld", "heropend",
          "toegewezen", "uitgenodigd", "gekoppeld", "dubbele gekoppeld", "ontkoppeld", "categorie gewijzigd",
          "bezorging mislukt", "herinnering", "tussenbericht", "x gepauzeerd", "x gestopt", "geëscaleerd",
          "tevredenheid", "opnieuw verstuurd", "verwijst naar")


def wanted() -> set[str]:
    keys = {k for path in TEMPLATES.glob("*.html") for k in LITERAL.findall(path.read_text(encoding="utf-8"))
            if not k.endswith((".", "_"))}
    keys |= {f"inbox.queue.{q}" for q in QUEUES} | {f"inbox.age.{a}" for a in AGES}
    keys |= {f"inbox.filter.{f}" for f in (*FILTERS, "age")}  # every filter is named in the "Filters" line
    keys |= {f"inbox.reply.mode_{m.value}" for m in Mode} | {f"inbox.x.banner_{s}" for s in ("warning", "paused",
                                                                                               "stopped")}
    keys |= {f"inbox.channel.{c.value}" for c in Channel}
    keys |= {f"inbox.event.{e.replace(' ', '_')}" for e in EVENTS}
    keys |= {f"inbox.error.{e}{suffix}" for e in ("csrf", "forbidden", "not_found", "server")
             for suffix in ("", "_help")}
    keys |= {f"inbox.template.{s}" for s in ("we_will", "you_can", "cannot", "alternatives")}
    return keys


def test_every_inbox_text_exists_in_both_languages() -> None:
    translator = Translator.load(ROOT / "locales")
    keys = wanted()
    assert len(keys) > 150
    for lang in ("nl", "en"):
        missing = keys - translator.ids(lang)
        assert not missing, f"{lang} lacks {sorted(missing)}"


def test_templates_render_no_inline_script_or_style() -> None:
    for path in TEMPLATES.glob("*.html"):
        html = path.read_text(encoding="utf-8")
        # the CSP allows only script files; a JSON data block (the chat page's texts) is never executed
        assert not re.search(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))", html), path.name
        assert " style=" not in html and "<style" not in html, path.name
        assert not re.search(r"\son[a-z]+=", html), path.name  # no inline event handlers
