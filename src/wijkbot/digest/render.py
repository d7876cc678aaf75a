"""The digest document as an HTML page (for mail and the inbox) and as plain text (the mail's text part).

Invariants: Jinja2 with autoescape on, so a category name or quote can never become markup; the only trusted
markup is the chart's SVG; the page needs nothing from outside (one <style> block, no script, no remote image),
and STYLE_HASH lets the inbox serve it under a Content-Security-Policy without 'unsafe-inline'; the text part
carries the same sentences and tables, with links written out where a reader acts on them.
"""

from __future__ import annotations

import base64
import hashlib
import textwrap
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from wijkbot.digest.document import Cell, Document, Table

TEMPLATES = Path(__file__).with_name("templates")
STYLE = (
    "body{margin:0;background:#f4f4f4;color:#1a1a1a;font-family:Arial,Helvetica,sans-serif;font-size:15px;"
    "line-height:1.45}.page{max-width:860px;margin:0 auto;background:#ffffff;padding:20px 24px}"
    "h1{font-size:24px;margin:0 0 4px}h2{font-size:20px;border-bottom:2px solid #4a6fa5;padding-bottom:4px;"
    "margin:28px 0 10px}h3{font-size:16px;margin:16px 0 6px}.subtitle{margin:0 0 14px;color:#444444}"
    "a{color:#1f4e8c}a:focus{outline:3px solid #c0392b;outline-offset:2px}"
    ".tiles{width:100%;border-collapse:separate;border-spacing:6px;margin:0 -6px}"
    ".tile{background:#eef2f8;border-radius:6px;padding:10px;vertical-align:top;width:20%}"
    ".tile a{text-decoration:none;color:#1a1a1a;display:block}.tile-value{display:block;font-size:26px;"
    "font-weight:bold;color:#1f4e8c}.tile-label{display:block;font-weight:bold}.tile-note{display:block;"
    "font-size:13px;color:#444444}.toc{padding:0;margin:12px 0}.toc li{display:inline;margin-right:14px}"
    "table.data{border-collapse:collapse;width:100%;margin:6px 0 14px;font-size:14px}"
    "table.data caption{text-align:left;font-weight:bold;padding:4px 0;font-size:15px}"
    "table.data th,table.data td{border-bottom:1px solid #dddddd;padding:4px 6px;text-align:left;"
    "vertical-align:top}table.data thead th{background:#eef2f8}table.data .num{text-align:right;white-space:nowrap}"
    # a wide table scrolls in its own box, never the page (WCAG 1.4.10: a phone of 320 px)
    ".table-scroll{overflow-x:auto;max-width:100%}.table-scroll:focus{outline:3px solid #c0392b}"
    "table.data th[scope=colgroup]{text-align:center;border-bottom:2px solid #4a6fa5}"
    ".chart-box{margin:8px 0}.chart{max-width:100%;height:auto}.empty{color:#444444;font-style:italic}"
    ".empty-caption{font-size:15px}.note{font-size:13px;color:#444444}.more{margin-top:-8px;font-size:14px}"
    "blockquote{margin:8px 0;padding:6px 12px;border-left:4px solid #4a6fa5;background:#f7f9fc}"
    "blockquote p{margin:0}blockquote footer{font-size:13px;color:#444444}"
    ".foot{margin-top:28px;border-top:1px solid #dddddd;font-size:13px;color:#444444}"
    "@media (max-width:600px){.tile{display:block;width:auto}.page{padding:12px}}"
)
STYLE_HASH = "sha256-" + base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
PAGE_CSP = (f"default-src 'none'; style-src '{STYLE_HASH}'; img-src 'self' data:; base-uri 'none'; "
            "form-action 'none'; frame-ancestors 'none'")

_environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                           trim_blocks=False, lstrip_blocks=False, keep_trailing_newline=True)


def html(document: Document, nav_label: str, no_quotes: str) -> str:
    """The page: the same HTML is mailed, archived and shown in the inbox."""
    sections = tuple(s if s.svg is None else replace(s, svg=Markup(s.svg)) for s in document.sections)  # noqa: S704
    return _environment.get_template("page.html").render(
        doc=replace(document, sections=sections), style=Markup(STYLE), nav_label=nav_label,  # noqa: S704 - our own CSS
        no_quotes=no_quotes)


def archive_html(lang: str, title: str, current: Cell, caption: str, headers: Sequence[str],
                 rows: Sequence[Sequence[Cell]], empty: str) -> str:
    return _environment.get_template("archive.html").render(
        lang=lang, title=title, current=current, caption=caption, headers=headers, rows=rows, empty=empty,
        style=Markup(STYLE))  # noqa: S704 - our own CSS


def text(document: Document, no_quotes: str, width: int = 100) -> str:
    """The plain-text part: sections, sentences, aligned tables, quotes and the links to act on."""
    out = [document.title, document.subtitle, ""]
    for tile in document.tiles:
        out.append(f"- {tile.label}: {tile.value} ({tile.note})")
    for section in document.sections:
        out += ["", section.title.upper(), "=" * len(section.title), ""]
        for paragraph in section.paragraphs:
            out += [*textwrap.wrap(paragraph, width), ""]
        for table in section.tables:
            out += [*_table(table), ""]
        if section.quotes_title:
            out.append(section.quotes_title)
            for quote in section.quotes:
                out += [*textwrap.wrap(f'"{quote.text}"', width, initial_indent="  ", subsequent_indent="   "),
                        f"   ({quote.about})"]
            if not section.quotes:
                out.append(f"  {no_quotes}")
            out.append("")
        for note in section.notes:
            out += [*textwrap.wrap(note, width), ""]
    out += ["-" * 40, *document.footer]
    if document.archive is not None:
        out.append(f"{document.archive.text}: {document.archive.href}")
    return "\n".join(out).rstrip() + "\n"


def _table(table: Table) -> list[str]:
    lines = [table.caption]
    if not table.rows:
        return [*lines, f"  {table.empty}"]
    grid = [list(table.headers), *([c.text for c in row] for row in table.rows)]
    widths = [max(len(row[n]) for row in grid) for n in range(len(table.headers))]
    numeric = [any(row[n].numeric for row in table.rows) for n in range(len(table.headers))]
    for row in grid:
        cells = [value.rjust(widths[n]) if numeric[n] else value.ljust(widths[n]) for n, value in enumerate(row)]
        lines.append("  " + "  ".join(cells).rstrip())
    # In text one link per table is readable, forty are not: the list behind the whole table.
    if table.more is not None:
        lines.append(f"  {table.more.text}: {table.more.href}")
    elif table.href:
        lines.append(f"  -> {table.href}")
    return lines
