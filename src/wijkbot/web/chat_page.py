"""The residents' chat page (GET /chat), in the resident's language, naming the configured municipality.

Its words come from locales/ (webchat.po) and its name and phone number from municipality.yaml, so another
municipality fits by configuration alone. Invariants: the page and its script hold no resident text of their own:
chat.js reads the page language's texts from the page's JSON data block (`#chat-texts`; a data block is never
executed, so the CSP's script-src 'self' holds); `?lang=` picks the language, else the browser's Accept-Language,
else the default (a language we do not offer counts as not asked);
each language's page is rendered once and kept (it depends on nothing but the language and the configuration).
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
from aiohttp import web

from wijkbot.domain.rules import Municipality
from wijkbot.i18n import SUPPORTED, Translator

TEMPLATES = Path(__file__).resolve().parent / "templates"
PREFIX = "webchat."


class ChatPage:
    """Renders and keeps the chat page per language."""

    def __init__(self, translator: Translator, municipality: Municipality) -> None:
        self.translator = translator
        self.municipality = municipality
        self._env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                                       undefined=jinja2.StrictUndefined)
        self._pages: dict[str, str] = {}

    def texts(self, lang: str) -> dict[str, str]:
        """Every webchat.* text in `lang` (Dutch where a text is missing), by its name without the prefix."""
        return {key[len(PREFIX):]: self.translator.text(key, lang)
                for key in sorted(self.translator.ids(self.translator.default)) if key.startswith(PREFIX)}

    def render(self, lang: str) -> str:
        if lang not in self._pages:
            phone = self.municipality.phone
            others = [code for code in SUPPORTED if code != lang]
            self._pages[lang] = self._env.get_template("chat.html").render(
                lang=lang, other=others[0] if others else lang, t=self.texts(lang),
                municipality=self.municipality.name, phone=phone, dial=re.sub(r"[^0-9+]", "", phone),
                noscript=self.translator.text(f"{PREFIX}noscript", lang, phone=phone))
        return self._pages[lang]

    async def handle(self, request: web.Request) -> web.Response:
        asked = request.query.get("lang", "").lower()
        wanted = asked if asked in SUPPORTED else preferred(request.headers.get("Accept-Language", ""))
        response = web.Response(text=self.render(self.translator.language(wanted)), content_type="text/html",
                                charset="utf-8")
        response.headers["Vary"] = "Accept-Language"
        return response


def preferred(header: str) -> str | None:
    """The browser's most wanted language we offer ("en-GB,en;q=0.9,nl;q=0.8" -> "en"), or None."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                continue
        code = tag.strip().split("-")[0].lower()
        if code in SUPPORTED and weight > 0:
            ranked.append((-weight, position, code))
    return min(ranked)[2] if ranked else None
