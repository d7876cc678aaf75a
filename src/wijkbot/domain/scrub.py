"""Strip personal data from residents' own words before an ambtenaar's report quotes them.

`scrub` replaces with PLACEHOLDER: e-mail addresses, web links, phone numbers (06-..., 030-..., +31/0031, with
or without spaces or dashes), IBANs, postcodes with letters, a street or "nummer" followed by a house number,
and names that a resident introduces ("mijn naam is ...", "ik heet ...", "ik ben Jan", "mevrouw De Vries", a
greeting or sign-off followed by a name). `domain.quotes.quotable` builds on it for the digest's quotes.

Invariants: pure and deterministic; `scrub` never returns text that still matches one of the patterns.
"""

from __future__ import annotations

import re

PLACEHOLDER = "[weggelaten]"

# Words that may stand between a first name and a surname ("Jan van der Berg", "Anna de Vries").
PARTICLES = r"(?:van|de|der|den|het|ter|ten|te|la|le|du|da|op|in|'t)"
CAPITALISED = r"[A-ZÀ-Þ][\wÀ-ÿ'’-]*\.?"
_NAME = rf"{CAPITALISED}(?:\s+(?:{PARTICLES}\s+)*{CAPITALISED})*"
_STREET_SUFFIX = (r"(?:straat|straatweg|weg|laan|plein|gracht|kade|dreef|singel|park|hof|dijk|steeg|pad|plantsoen|"
                  r"markt|baan|wal|veld|haven|erf|burg|boulevard|ring|brink|dam|akker|horst|zoom|dwarsstraat|"
                  r"straatje|pleintje|lei|oord|wetering|weide|hoven|tuin|tuinen|kamp|meer|berg)")
_HOUSE_NUMBER = r"\d{1,5}(?:\s?[a-zA-Z](?![a-zA-Z]))?(?:\s?[-/]\s?[\w]{1,5})?(?:\s?(?:bis|hs|huis|boven|zw|rd)\b)?"

_AT = r"(?:\s?(?:@|\((?:at|apestaartje)\)|\[(?:at|apestaartje)\])\s?|\sapestaartje\s)"
_DOT = r"(?:\.|\s?(?:\((?:dot|punt)\)|\[(?:dot|punt)\])\s?|\s(?:dot|punt)\s)"
_AT_WORD = r"\sat\s"
_DOT_WORD = r"(?:\s?(?:\((?:dot|punt)\)|\[(?:dot|punt)\])\s?|\s(?:dot|punt)\s)"

_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "@", and the spellings people use to dodge spam: "(at)", "[at]", " at ", "(apestaartje)", " dot ", "[punt]"
    ("email", re.compile(rf"[\w.+-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[a-z]{{2,24}}(?![\w@])"
                         # "at" as a bare word is English too ("the lamp at Oudegracht.It is dark"): only with a
                         # dot spelled out as well ("jan at voorbeeld dot nl")
                         rf"|[\w.+-]+{_AT_WORD}[\w-]+(?:{_DOT_WORD}[\w-]+)*{_DOT_WORD}[a-z]{{2,24}}(?![\w@])",
                         re.IGNORECASE)),
    ("link", re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)),
    ("iban", re.compile(r"\b[A-Z]{2}\d{2}\s?[A-Z]{4}(?:\s?\d){10}\b", re.IGNORECASE)),
    ("phone", re.compile(
        r"(?<![\w+])(?:\+|00)\s?\d{2}(?:\s?\(0\))?(?:[\s.-]?\d){8,10}(?!\w)"  # +31 6 1234 5678, 0031 (0)30 ...
        r"|(?<![\w+])0(?:[\s.-]?\d){9}(?!\w)"  # 06-12345678, 030 286 12 34, 0302861234
        r"|(?<![\w+])\(0\d{1,3}\)\s?(?:[\s.-]?\d){5,8}(?!\w)"  # (030) 286 12 34, (06) 12345678
        r"|(?<![\w+])0\d{1,3}\s-\s(?:[\s.-]?\d){5,8}(?!\w)",  # 030 - 286 12 34
    )),
    ("postcode", re.compile(r"\b[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2}\b|\b[1-9]\d{3}(?!sa|sd|ss)[a-z]{2}\b")),
    ("address", re.compile(
        rf"\b(?:(?:[A-Z][\wÀ-ÿ'’.-]*|{PARTICLES})\s+)*[\wÀ-ÿ'’.-]*{_STREET_SUFFIX}\s+{_HOUSE_NUMBER}(?!\w)"
        rf"|\b[A-Z][\wÀ-ÿ'’-]{{2,}}\s+{_HOUSE_NUMBER}(?![\w:.,]\d)(?!\s?(?:uur|u\b|minuten|dagen|weken|keer|jaar|%))"
        rf"|\b(?:huis)?(?:nummer|nr\.?|no\.?)\s*{_HOUSE_NUMBER}")),
    ("introduced name", re.compile(
        r"\b(?:mijn naam is|ik heet|naam:|groetjes|groeten|groet|vriendelijke groet(?:en)?|mvg|m\.v\.g\.?|gr\.?|"
        r"hartelijke groet(?:en)?|namens|regards|kind regards|my name is|i am called)(?!\w)\s*[:,]?\s*"
        r"[^\n.!?;]*", re.IGNORECASE)),
    ("name after ik ben", re.compile(rf"\b(?:[Ii]k ben|[Ii] am|[Ii]'m)\s+(?:{PARTICLES}\s+)*{_NAME}")),
    ("titled name", re.compile(
        rf"\b(?:[Mm]eneer|[Mm]evrouw|[Mm]evr\.?|[Mm]w\.?|[Dd]hr\.?|[Dd]e heer|[Mm]r\.?|[Mm]rs\.?|[Mm]s\.?|"
        rf"[Bb]uurman|[Bb]uurvrouw|[Ff]amilie|[Ff]am\.?)\s+(?:{PARTICLES}\s+)*{_NAME}")),
)

_SPACES = re.compile(r"[ \t]+")


def patterns(kinds: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """The patterns of these kinds of personal data ("email", "phone", ...), in the order scrub applies them."""
    return tuple(pattern for kind, pattern in _RULES if kind in kinds)


def scrub(text: str) -> str:
    """The text with every recognised piece of personal data replaced by PLACEHOLDER."""
    result = text
    for _name, pattern in _RULES:
        result = pattern.sub(_keep_introducer, result)
    result = re.sub(rf"(?:{re.escape(PLACEHOLDER)}[\s,]*){{2,}}", PLACEHOLDER + " ", result)
    return _SPACES.sub(" ", result).strip()


def _keep_introducer(match: re.Match[str]) -> str:
    """Keep the words that introduced a name ("mijn naam is", "mevrouw") so the quote still reads."""
    found = match.group(0)
    intro = re.match(r"(?i)(mijn naam is|ik heet|ik ben|i am|i'm|my name is|meneer|mevrouw|buurman|buurvrouw|"
                     r"met vriendelijke groet(?:en)?|vriendelijke groet(?:en)?|groeten|groetjes|groet|namens)\b",
                     found)
    return f"{intro.group(0)} {PLACEHOLDER}" if intro else PLACEHOLDER
