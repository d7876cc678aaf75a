"""The digest as a document: titled sections of sentences, tables, a chart and quotes, every text in its language.

One document feeds both the HTML page/mail and the plain-text part, so the two always say the same. Invariants:
every value is already a finished string (numbers formatted for the language); a cell's `href` is a link to the
inbox's filtered case list; `svg` is trusted markup made by `chart.bar_chart`, nothing else is.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    href: str | None = None
    numeric: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    empty: str = ""  # said instead of the table when it has no rows
    more: Cell | None = None  # "en nog 12 zaken" with a link to all of them
    href: str | None = None  # the cases behind the whole table (the text part's one link per table)
    # Headers over groups of columns, (label, how many columns), when a header repeats ("Mediaan" for the first
    # answer and for closing): a screen reader then names both ("Eerste antwoord, Mediaan").
    groups: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Quote:
    text: str
    about: str


@dataclass(frozen=True, slots=True)
class Tile:
    label: str
    value: str
    note: str
    href: str


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    paragraphs: tuple[str, ...] = ()
    svg: str | None = None
    tables: tuple[Table, ...] = ()
    quotes_title: str = ""
    quotes: tuple[Quote, ...] = ()
    notes: tuple[str, ...] = ()  # how the figures are defined, in small print


@dataclass(frozen=True, slots=True)
class Document:
    lang: str
    title: str
    subtitle: str
    tiles: tuple[Tile, ...]
    sections: tuple[Section, ...]
    footer: tuple[str, ...] = field(default_factory=tuple)
    archive: Cell | None = None
