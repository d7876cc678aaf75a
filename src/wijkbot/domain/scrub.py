"""Strip personal data from residents' own words before an ambtenaar's report quotes them.

`scrub` replaces with PLACEHOLDER: e-mail addresses, web links, phone numbers (06-..., 030-..., +31/0031, with
or without spaces or dashes), IBANs, BSNs, postcodes with letters, a street or "nummer" followed by a house number,
and names that a resident introduces ("mijn naam is ...", "ik heet ...", "ik ben Jan", "mevrouw De Vries", a
greeting or sign-off followed by a name). `domain.quotes.quotable` builds on it for the digest's quotes;
`domain.quotes.mask_contact` uses some of the same rules (`mask`) for the inbox.

A BSN is a number of nine digits (123456782, 123 456 782, 1234.56.782) that passes the elfproef, or any number
of eight or nine digits right after "bsn", "burgerservicenummer" or "sofinummer" ("mijn bsn is: ..."; the word
stays). A number right after "€", "eur" or "euro", or before them, is an amount and no BSN. Rules apply in the
order of _RULES, so an IBAN, and a phone number (ten digits, starting with 0 or +/00), is already replaced as a
whole before the BSN rule looks at what is left; the BSN rule comes before the "nummer + house number" rule, which
would otherwise take the first five digits of "bsn-nummer 123456782".

Invariants: pure and deterministic; `scrub` never returns text in which `find` still recognises an e-mail
address, link, IBAN, phone number or BSN (a name rule may match its own placeholder again: "mijn naam is
[weggelaten]"). A rule with a check (_CHECKS: the BSN's elfproef or its word) counts a match of its pattern only
when the check passes; `scrub`, `mask` and `find` apply the checks, a bare pattern from _RULES does not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import partial

PLACEHOLDER = "[weggelaten]"

# Words that may stand between a first name and a surname ("Jan van der Berg", "Anna de Vries").
PARTICLES = r"(?:van|de|der|den|het|ter|ten|te|la|le|du|da|op|in|'t)"
CAPITALISED = r"[A-ZÀ-Þ][\wÀ-ÿ'’-]*\.?"
_NAME = rf"{CAPITALISED}(?:\s+(?:{PARTICLES}\s+)*{CAPITALISED})*"
_STREET_SUFFIX = (r"(?:straat|straatweg|weg|laan|plein|gracht|kade|dreef|singel|park|hof|dijk|steeg|pad|plantsoen|"
                  r"markt|baan|wal|veld|haven|erf|burg|boulevard|ring|brink|dam|akker|horst|zoom|dwarsstraat|"
                  r"straatje|pleintje|lei|oord|wetering|weide|hoven|tuin|tuinen|kamp|meer|berg)")
_HOUSE_NUMBER = r"\d{1,5}(?:\s?[a-zA-Z](?![a-zA-Z]))?(?:\s?[-/]\s?[\w]{1,5})?(?:\s?(?:bis|hs|huis|boven|zw|rd)\b)?"

_AT = r"(?:\s?(?:@|\((?:at|apen?staartje)\)|\[(?:at|apen?staartje)\])\s?|\sapen?staartje\s)"
_DOT = r"(?:\.|\s?(?:\((?:dot|punt)\)|\[(?:dot|punt)\])\s?|\s(?:dot|punt)\s)"
_AT_WORD = r"\sat\s"
_DOT_WORD = r"(?:\s?(?:\((?:dot|punt)\)|\[(?:dot|punt)\])\s?|\s(?:dot|punt)\s)"

# "bsn", "BSN-nummer", "bsn nr.", "sofinummer", "sofi-nr", "burgerservicenummer", "burger service nummer", then
# ")" (of "(BSN)"), ":", "=" or "is"
_BSN_WORD = (r"\b(?:bsn(?:[\s-]?(?:nummer|nr\.?))?|sofi[\s-]?(?:nummer|nr\.?)|burger[\s-]?service[\s-]?nummer)"
             r"\)?(?:\s*(?::|=|is\b))*\s*")
_BSN = re.compile(
    rf"{_BSN_WORD}(?P<told>\d(?:[ .-]?\d){{7,8}})(?![.,/:-]?\d)"
    # without the word: nine digits, or in groups (123 456 782, 1234.56.782), that are no part of a longer
    # number (+31..., 1.123456789, 123456789,50) and no amount (€ 123.456.789, 123456789 euro)
    r"|(?<![\w+])(?<!\d[.,/:-])(?<!€)(?<!€\s)(?<!\beur\s)(?<!\beuro\s)"
    r"(?P<bare>\d{9}|\d{3}[ .-]\d{3}[ .-]\d{3}|\d{4}[ .-]\d{2}[ .-]\d{3})"
    r"(?![\w+]|[.,/:-]\d|\s?(?:€|eur\b|euro\b)|,-)",
    re.IGNORECASE)

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
    # after "iban" and "phone" (their digits are gone by now), before "address"; counts only with its check
    ("bsn", _BSN),
    ("postcode", re.compile(r"\b[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2}\b|\b[1-9]\d{3}(?!sa|sd|ss)[a-z]{2}\b")),
    ("address", re.compile(
        rf"\b(?:(?:[A-Z][\wÀ-ÿ'’.-]*|{PARTICLES})\s+)*[\wÀ-ÿ'’.-]*{_STREET_SUFFIX}\s+{_HOUSE_NUMBER}(?!\w)"
        rf"|\b[A-Z][\wÀ-ÿ'’-]{{2,}}\s+{_HOUSE_NUMBER}(?![\w:.,]\d)(?!\s?(?:uur|u\b|minuten|dagen|weken|keer|jaar|%))"
        # a longer number after "nummer" is no house number, but goes whole, not its first five digits
        rf"|\b(?:huis)?(?:nummer|nr\.?|no\.?)\s*(?:\d{{6,}}|{_HOUSE_NUMBER})")),
    ("introduced name", re.compile(
        r"\b(?:mijn naam is|ik heet|naam:|groetjes|groeten|groet|vriendelijke groet(?:en)?|mvg|m\.v\.g\.?|gr\.?|"
        r"hartelijke groet(?:en)?|namens|regards|kind regards|my name is|i am called)(?!\w)\s*[:,]?\s*"
        r"[^\n.!?;]*", re.IGNORECASE)),
    ("name after ik ben", re.compile(rf"\b(?:[Ii]k ben|[Ii] am|[Ii]'m)\s+(?:{PARTICLES}\s+)*{_NAME}")),
    ("titled name", re.compile(
        rf"\b(?:[Mm]eneer|[Mm]evrouw|[Mm]evr\.?|[Mm]w\.?|[Dd]hr\.?|[Dd]e heer|[Mm]r\.?|[Mm]rs\.?|[Mm]s\.?|"
        rf"[Bb]uurman|[Bb]uurvrouw|[Ff]amilie|[Ff]am\.?)\s+(?:{PARTICLES}\s+)*{_NAME}")),
)

KINDS = tuple(kind for kind, _pattern in _RULES)  # "email", "link", "iban", "phone", "bsn", "postcode", ...
_SPACES = re.compile(r"[ \t]+")
_ELFPROEF_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def elfproef(number: str) -> bool:
    """Whether `number` (separators ignored) is nine digits, not all zeros, that pass the 11-test of a BSN:
    9*d1 + 8*d2 + ... + 2*d8 - 1*d9 is divisible by 11."""
    digits = [int(c) for c in number if c.isdecimal()]
    return (len(digits) == 9 and any(digits)
            and sum(w * d for w, d in zip(_ELFPROEF_WEIGHTS, digits, strict=True)) % 11 == 0)


def _bsn_span(match: re.Match[str]) -> tuple[int, int] | None:
    """The number after "bsn" (the word stays), or a bare number that passes the elfproef; None for any other."""
    if match["told"] is not None:
        return match.span("told")
    return match.span("bare") if elfproef(match["bare"]) else None


# Rules whose pattern finds candidates and a check that says which part of a match is personal data (None: none).
_CHECKS: dict[str, Callable[[re.Match[str]], tuple[int, int] | None]] = {"bsn": _bsn_span}


def scrub(text: str) -> str:
    """The text with every recognised piece of personal data replaced by PLACEHOLDER."""
    result = text
    for kind, pattern in _RULES:
        result = pattern.sub(partial(_replace, kind, PLACEHOLDER) if kind in _CHECKS else _keep_introducer, result)
    result = re.sub(rf"(?:{re.escape(PLACEHOLDER)}[\s,]*){{2,}}", PLACEHOLDER + " ", result)
    return _SPACES.sub(" ", result).strip()


_DIGIT = re.compile(r"\d")
# What a text must hold before a rule can match at all: a cheap test that spares the pattern's scan of every
# position (the e-mail pattern alone costs about 0.4 us per character: 60 ms for a long message). Every message
# stored is masked once (messages.body_masked), so this is on the intake path.
_NEEDS_DIGIT = frozenset({"iban", "phone", "bsn", "postcode", "address"})
# Every way the e-mail rule spells "@" (_AT, _AT_WORD), with the same flags: any white space around a bare "at".
_AT_ANYHOW = re.compile(r"@|\(at\)|\[at\]|apen?staartje|\sat\s", re.IGNORECASE)


def _may_hold(kind: str, text: str) -> bool:
    if kind in _NEEDS_DIGIT:
        return _DIGIT.search(text) is not None
    if kind == "email":
        return _AT_ANYHOW.search(text) is not None
    return True


def mask(text: str, kinds: Iterable[str], marker: str = PLACEHOLDER) -> str:
    """`text` with the personal data of these kinds ("email", "bsn", ...) replaced by `marker` (taken as text, not
    as a pattern), in the order scrub applies them; everything else stays as written."""
    wanted = frozenset(kinds)
    for kind, pattern in _RULES:
        if kind in wanted and _may_hold(kind, text):
            text = pattern.sub(partial(_replace, kind, marker), text)
    return text


def find(text: str, kinds: Iterable[str] = KINDS) -> list[tuple[str, str]]:
    """The pieces of personal data of these kinds that the rules recognise in `text`, as (kind, piece)."""
    wanted = frozenset(kinds)
    found: list[tuple[str, str]] = []
    for kind, pattern in _RULES:
        if kind in wanted and _may_hold(kind, text):
            for match in pattern.finditer(text):
                span = _span(kind, match)
                if span is not None:
                    found.append((kind, text[span[0]:span[1]]))
    return found


def _span(kind: str, match: re.Match[str]) -> tuple[int, int] | None:
    check = _CHECKS.get(kind)
    return match.span() if check is None else check(match)


def _replace(kind: str, marker: str, match: re.Match[str]) -> str:
    """The match with its personal data replaced by `marker`; as it was when the rule's check finds none."""
    span = _span(kind, match)
    if span is None:
        return match.group(0)
    return match.string[match.start():span[0]] + marker + match.string[span[1]:match.end()]


def _keep_introducer(match: re.Match[str]) -> str:
    """Keep the words that introduced a name ("mijn naam is", "mevrouw") so the quote still reads."""
    found = match.group(0)
    intro = re.match(r"(?i)(mijn naam is|ik heet|ik ben|i am|i'm|my name is|meneer|mevrouw|buurman|buurvrouw|"
                     r"met vriendelijke groet(?:en)?|vriendelijke groet(?:en)?|groeten|groetjes|groet|namens)\b",
                     found)
    return f"{intro.group(0)} {PLACEHOLDER}" if intro else PLACEHOLDER
