"""Quotes of residents fit for a report: `scrub` first, then a second, conservative pass over words that may
point at a person.

`quotable` leaves out, as a careful privacy officer would, every word that may point at a person: a capitalised
word inside a sentence that is not a known place, department or the municipality (`known_names`); a
sentence-initial word that is a common first name or starts a name ("De Vries", "Gijsbert van hiernaast"); a
token with "_" or "@", or with letters and digits (handles, plates); one to three words after a person word
(buurman, zoon, mevrouw, ...), after "heet"/"genaamd" or "volg mij op", also in lower case; "nummer twaalf".

`mask_contact` is the inbox's lighter pass: it keeps a resident's message as written and replaces only the
contact data and the numbers that identify the resident in it (MASKED_KINDS of `scrub`'s rules: e-mail addresses,
phone numbers, IBANs and BSNs), for readers who may read the case but not reach the resident (queue lists, a
beheerder, an invited colleague, `wijkbot show`). A nine-digit number counts as a BSN only when it passes the
elfproef or follows "bsn"/"burgerservicenummer"/"sofinummer", so an ordinary number stays readable.

Invariants: pure and deterministic; `quotable` answers None when in doubt (digits or an "@" left over, two
capitalised words in a row that are not a known place, more than MAX_OMISSIONS words left out, or hardly
anything left), because leaving a quote out costs less than leaking a name; `mask_contact` never returns text
in which `scrub`'s rules (`find`) would still find an e-mail address, phone number, IBAN or BSN, and of a text cut
short (`cut`) it also leaves out the last word and the number pieces before it, which may be the first half of
one, and the start of an IBAN ("NL91 ABNA") right before them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from wijkbot.domain.scrub import CAPITALISED, PARTICLES, PLACEHOLDER, mask, scrub

MIN_WORDS = 4  # fewer words left than this: not worth quoting
MAX_OMISSIONS = 3  # more places left out than this: the quote is more about who than about what
_DIGITS = re.compile(r"\d(?:[\s.-]?\d){4,}")
_TWO_CAPITALS = re.compile(rf"(?<![.!?:]\s)(?<!^)\b{CAPITALISED}\s+(?:{PARTICLES}\s+)*{CAPITALISED}")
# The kinds of `scrub`'s rules that are a way to reach someone. Its postcode and "street + number" rules stay out:
# in a melding they mostly say where the problem is, which every reader of the case needs (the page shows the
# street), and the resident's own address is kept in `contacts`, not in the text.
CONTACT_KINDS = ("email", "phone")
# What `mask_contact` leaves out: the contact data, and the numbers that identify the resident (their bank
# account, their BSN), which no reader of a case needs to see in a message.
MASKED_KINDS = (*CONTACT_KINDS, "iban", "bsn")
_WORD = re.compile(r"\S+")
_NUMBER_PIECE = re.compile(r"[+(]?\d[\d().-]*")  # "06", "12", "(0)30", "+31": part of a number split by spaces
# The pieces of an e-mail address a cut may leave: "@" and its spellings, and the spelled dots after it.
# An IBAN's start left before a cut's number pieces: country and check digits, and the bank code ("NL91 ABNA").
_IBAN_START = re.compile(r"(?<!\S)[A-Z]{2}\d{2}(?:\s?[A-Z]{4})?$", re.IGNORECASE)
_AT = re.compile(r"@|\(at\)|\[at\]|at|\(apestaartje\)|\[apestaartje\]|apestaartje|\(dot\)|\[dot\]|dot|"
                 r"\(punt\)|\[punt\]|punt", re.IGNORECASE)



def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# After these a resident often names someone, also in lower case: "mijn buurman jan", "mijn zoon Daan".
_PERSON_WORDS = _words(
    "buurman buurvrouw buur buren bovenburen onderburen benedenburen overburen achterburen buurjongen buurmeisje "
    "zoon zoontje dochter dochtertje man vrouw vriend vriendje vriendin collega meneer mevrouw mevr mw dhr heer "
    "opa oma moeder vader mama papa broer broertje zus zusje zwager schoonzus schoonmoeder schoonvader neef nicht "
    "oom tante kleinzoon kleindochter partner huisgenoot huisbaas familie fam gezin ambtenaar medewerker "
    "medewerkster wijkagent boa handhaver "
    "neighbour neighbor son daughter husband wife friend colleague mr mrs ms family officer")
_NAMING_WORDS = _words("heet heette heten genaamd genoemd named called")
_NAMING_PHRASES = ("volg mij op", "volg me op", "volg ons op", "zoek mij op", "zoek me op", "follow me on")
_PLATFORMS = _words("instagram insta facebook fb tiktok twitter x telegram snapchat youtube account")
_POSSESSIVES = _words("mijn m'n my")
# A name after a person word ends at one of these (function words and common verbs), or after three words.
_STOP = _words(
    "en of maar want dus ook nog al niet geen wel toen als dan dat die dit deze wat wie waar hoe omdat terwijl "
    "ik je jij u hij zij ze we wij jullie het mij me mijn zijn haar hun ons onze hem er daar hier "
    "is was wordt werd heeft had hebben hadden waren kan kon kunnen zal zou moet moest wil wilde mag mocht "
    "gaat ging komt kwam doet deed zegt zei belt belde woont woonde klaagt klaagde vindt vond ziet zag helpt hielp "
    "laat liet krijgt kreeg maakt maakte zet zette ligt lag staat stond speelt speelde parkeert parkeerde "
    "klagen maken zetten gooien gooit gooide laten parkeren spelen wonen staan liggen komen gaan doen zeggen "
    "vinden zien helpen bellen durft durfde durven loopt liep lopen rijdt reed rijden valt viel vallen "
    "met voor naar bij in op uit aan om over door tegen sinds tot na zonder onder achter naast tussen "
    "een heel erg zo nu weer altijd nooit vaak steeds gisteren vandaag morgen helaas zelf even "
    "and or but has the a with from")
_ORDINARY = _STOP | _words("dank bedankt top super prima fijn goed slecht jammer graag hoi hallo ja nee oké ok")
_NAME_PARTICLES = _words("van de der den ter ten te 't d' la le du da von")  # "jan de vries", "Van Dijk"
_LOCATORS = _words("hiernaast hierboven hieronder hiertegenover ernaast boven beneden nummer nr huisnummer "
                   "overkant verderop hoek")  # "Henk van hiernaast", "Piet van nummer twaalf"
_NUMBER_WORD = re.compile(r"(?:een|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|dertien|veertien|"
                          r"twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig|honderd|en|ën)+")
# Common Dutch first names that are no ordinary word (so not "Roos", "Mark", "Ben" or "Wil").
_FIRST_NAMES = _words(
    "jan piet klaas kees henk hans johan joop wim gerrit willem dirk harm gert bert cor jaap arie theo gerard "
    "peter paul erik frank marco martin sander jeroen dennis kevin bart jasper maarten michiel arjen ruud rene "
    "rené vincent wouter harry fred daan bram luuk lucas levi finn noah liam milan thijs jesse lars thomas ruben "
    "niels joost koen stijn sem gijs teun stan tijn sven pim rik hugo otto joris olivier guus joep siem jurre "
    "mohammed mohamed ahmed mustafa youssef hamza ibrahim omar ayoub mehmet "
    "anouk emma julia sophie sofie tess sara anna lisa lotte sanne femke iris noor saar nina lieke mila yara fenna "
    "anne linda marieke ingrid karin monique petra els ans truus annemarie esther ellen wendy sandra miranda "
    "marloes maaike mirjam nicole ria thea wilma greet gerda annie mia zoë evi isa lynn nora charlotte esmee demi "
    "kim eline ilse judith hanneke jolanda bianca carla renate astrid fatima aisha samira yasmina")
# Capitalised inside a sentence without naming anyone.
_COMMON_CAPITALISED = _words(
    "Ik I Gemeente Nederland Nederlands Nederlandse Engels Pasen Pinksteren Kerst Kerstmis Koningsdag Oud Nieuw "
    "Sinterklaas Ramadan Suikerfeest Telegram WhatsApp Whatsapp Facebook Instagram TikTok Twitter X Google DigiD "
    "NS OV GFT BOA BOA's AVG WMO Wmo GGD IBAN BSN OK Maandag Dinsdag Woensdag Donderdag Vrijdag Zaterdag Zondag "
    "Januari Februari Maart April Mei Juni Juli Augustus September Oktober November December")
_ABBREVIATIONS = _words("dhr mevr mw mr mrs st bijv evt ca nr no")  # a capital after "dhr." starts no sentence
_HANDLE = re.compile(r"[_@]|[^\W\d_]{2,}\.[^\W\d_]{2,}")  # jan_devries, @piet, jan.devries
_ORDINAL = re.compile(r"\d+(?:e|ste|de|x|u)")  # 3e, 1ste, 2x, 10u: no handle
_TOKEN = re.compile(r"(\s*)(\S+)")
_LEAD, _TRAIL = "([\"“‘«", ".,;:!?…)]\"”’»"
_SENTENCE_END = set(".!?…:")


class _Token:
    __slots__ = ("core", "end", "lead", "space", "start", "trail", "word")

    def __init__(self, match: re.Match[str]) -> None:
        self.space, raw = match.group(1), match.group(2)
        at = raw.find(PLACEHOLDER)
        if at >= 0:
            self.lead, self.core, self.trail = raw[:at], PLACEHOLDER, raw[at + len(PLACEHOLDER):]
        else:
            self.lead = raw[: len(raw) - len(raw.lstrip(_LEAD))]
            rest = raw[len(self.lead):]
            self.core = rest.rstrip(_TRAIL)
            self.trail = rest[len(self.core):]
        self.start = match.start(2) + len(self.lead)
        self.end, self.word = self.start + len(self.core), self.core.casefold()

    @property
    def capitalised(self) -> bool:
        letters = self.core.lstrip("'’")
        return bool(letters) and letters[0].isupper()


@lru_cache(maxsize=16)
def _known(known_names: tuple[str, ...]) -> re.Pattern[str]:
    """The allowed names as one pattern, longest first, with their parts ("Welgelegen, Den Hommel", "Mobiliteit
    (ReMo)") and the municipality without "Gemeente"."""
    names: set[str] = set()
    for name in (n.strip() for n in known_names if n and n.strip()):
        names.add(name)
        names.update(part.strip() for part in re.split(r"[,()]", name) if part.strip())
        if name.casefold().startswith("gemeente "):
            names.add(name[len("gemeente "):])
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) or r"(?!x)x"
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _sentence_starts(tokens: list[_Token]) -> list[bool]:
    """A token after a full stop (not after an initial or "dhr."), a question mark, a colon or a line break."""
    return [n == 0 or "\n" in token.space or (
        bool(_SENTENCE_END & set(tokens[n - 1].trail)) and len(tokens[n - 1].core) > 1
        and tokens[n - 1].word not in _ABBREVIATIONS) for n, token in enumerate(tokens)]


def _name_after(tokens: list[_Token], n: int, allowed: list[bool]) -> list[int]:
    """The one to three words (particles between them included) that name someone after token n; after a
    platform ("volg mij op Instagram: ...", "mijn insta is ...") the handle that follows it."""
    if tokens[n].trail not in ("", ":") and not (tokens[n].trail == "." and tokens[n].word in _ABBREVIATIONS):
        return []  # "buurman, ..." names no one; "dhr. jansen" does
    taken: list[int] = []
    words, first = 0, n + 1
    while first < len(tokens) and tokens[first].word in _PLATFORMS:
        first += 1
    if first < len(tokens) and tokens[first].word == "is" and tokens[first - 1].word in _PLATFORMS:
        first += 1
    for m in range(first, len(tokens)):
        token = tokens[m]
        particle = token.word in _NAME_PARTICLES or (token.word == "het" and tokens[m - 1].word == "van")
        if words == 3 or token.core == PLACEHOLDER or allowed[m] or not token.core or (
                not particle and token.word in _STOP):
            break
        taken.append(m)
        words += 0 if particle else 1
        if token.trail:
            break
    while taken and tokens[taken[-1]].word in _NAME_PARTICLES:
        taken.pop()
    return taken


def _omissions(tokens: list[_Token], allowed: list[bool]) -> list[bool]:
    """Which tokens to leave out: handles, first names, named persons, capitalised words that are no known place."""
    count = len(tokens)
    starts = _sentence_starts(tokens)
    words = [t.word for t in tokens]
    omit = [t.core == PLACEHOLDER for t in tokens]
    capital = [t.capitalised and not allowed[n] and t.core not in _COMMON_CAPITALISED and t.word not in _ORDINARY
               for n, t in enumerate(tokens)]
    for n, token in enumerate(tokens):
        core = token.core
        if _HANDLE.search(core) or (re.search(r"\d", core) and re.search(r"[^\W\d_]", core)
                                    and not _ORDINAL.fullmatch(core)):
            omit[n] = True  # a handle, a plate or a house number with a letter
        if not allowed[n] and (words[n] in _FIRST_NAMES or any(p in _FIRST_NAMES for p in words[n].split("-"))):
            omit[n] = True  # also a double first name: "henk-jan"
        if words[n] in ("nummer", "nr", "huisnummer") and n + 1 < count and words[n + 1] not in _STOP \
                and _NUMBER_WORD.fullmatch(words[n + 1]):
            omit[n] = omit[n + 1] = True  # "nummer twaalf"
        phrase = " ".join(words[max(0, n - 2): n + 1])
        platform = words[n] in _PLATFORMS and (token.trail == ":" or (n > 0 and words[n - 1] in _POSSESSIVES))
        if words[n] in _PERSON_WORDS or words[n] in _NAMING_WORDS or phrase in _NAMING_PHRASES or platform:
            for m in _name_after(tokens, n, allowed):
                omit[m] = True
        if capital[n] and not starts[n] and words[n] not in _NAME_PARTICLES:
            omit[n] = True  # "Dank je Anouk", "met Jansen"
    for n in range(count):  # particles and sentence-initial words that belong to a name left out after them
        if not capital[n] or omit[n] or (not starts[n] and words[n] not in _NAME_PARTICLES):
            continue
        after = n + 1
        while after < count and words[after] in _NAME_PARTICLES and not tokens[after - 1].trail:
            after += 1
        follows = after < count and not tokens[after - 1].trail
        if follows and capital[after] and omit[after]:
            omit[n] = True  # "De Vries", "Kees van Dam", "met De Boer"
        elif starts[n] and words[n + 1: n + 2] == ["van"] and _LOCATORS & set(words[n + 2: n + 5]):
            omit[n] = True  # "Gijsbert van hiernaast"
    for n in range(1, count - 1):  # "jan de vries" left out as one name
        if omit[n] or words[n] not in _NAME_PARTICLES or not omit[n - 1] or tokens[n - 1].trail:
            continue
        after = n
        while after < count and words[after] in _NAME_PARTICLES:
            after += 1
        if after < count and omit[after]:
            for m in range(n, after):
                omit[m] = True
    return omit


def _leave_out(text: str, known: re.Pattern[str]) -> str:
    """`text` with each run of words that may name someone replaced by one PLACEHOLDER."""
    tokens = [_Token(m) for m in _TOKEN.finditer(text)]
    spans = [m.span() for m in known.finditer(text)]
    omit = _omissions(tokens, [any(s < t.end and t.start < e for s, e in spans) for t in tokens])
    out: list[str] = []
    n = 0
    while n < len(tokens):
        token, last = tokens[n], n
        if not omit[n]:
            out.append(token.space + token.lead + token.core + token.trail)
            n += 1
            continue
        while last + 1 < len(tokens) and omit[last + 1] and tokens[last].trail in ("", ","):
            last += 1
        out.append(token.space + token.lead + PLACEHOLDER + tokens[last].trail)
        n = last + 1
    return "".join(out).strip()


def quotable(text: str, known_names: Iterable[str] = (), limit: int = 280) -> str | None:
    """A scrubbed quote fit for a report, or None when it is empty or might still identify someone.

    After `scrub`, every word that may name a person is left out as well (see the module docstring); a quote
    that needs more than MAX_OMISSIONS of those, or keeps fewer than MIN_WORDS words, is not quoted at all.
    """
    cleaned = scrub(text)
    if not cleaned:
        return None
    known = _known(tuple(known_names))
    probe = known.sub("plaats", cleaned)
    if "@" in probe or _DIGITS.search(probe) or _TWO_CAPITALS.search(probe):
        return None
    cleaned = _leave_out(cleaned, known)
    if cleaned.count(PLACEHOLDER) > MAX_OMISSIONS:
        return None
    if len(re.findall(r"\w+", cleaned.replace(PLACEHOLDER, ""))) < MIN_WORDS:
        return None
    if len(cleaned) > limit:
        cleaned = cleaned[: limit - 1].rsplit(" ", 1)[0] + "…"
    return cleaned


def mask_contact(text: str, marker: str = PLACEHOLDER, *, cut: bool = False) -> str:
    """`text` with every e-mail address, phone number, IBAN and BSN (MASKED_KINDS) replaced by `marker` (taken as
    text); all else is kept. "mijn bsn is 123456782" keeps "mijn bsn is".

    `cut` says the text was cut off after a fixed number of characters (a list's preview): its last word, and
    the number pieces, "@" and the word before an "@" right before it, may be half a phone number, e-mail
    address, IBAN or BSN that no pattern recognises any more, so they are left out too, as is an IBAN's start
    ("NL91 ABNA") before them, and "…" ends the text.
    """
    if cut:
        text = _without_cut_fragment(text)
    return mask(text, MASKED_KINDS, marker)


def _without_cut_fragment(text: str) -> str:
    words = list(_WORD.finditer(text))
    if not words:
        return text
    keep = len(words) - 1  # the last word may have been cut in half
    while keep > 0:
        word, after = words[keep - 1].group(), words[keep].group()
        if not (_NUMBER_PIECE.fullmatch(word) or _AT.fullmatch(word) or _AT.fullmatch(after) or after.startswith("@")):
            break
        keep -= 1
    kept = text[: words[keep].start()].rstrip()
    return _IBAN_START.sub("", kept).rstrip() + "…"
