"""areas.csv and streets.csv: the municipality's places, turned into buurten and a street -> buurt code map.

Invariants: every problem names the line it is on (line 1 is the header); a buurt code keeps one name and wijk
over all its rows; a street has one buurt: listing it again with another buurt code is a problem naming both
lines, not a silent override (spellings the router treats as one street, e.g. "Kanaalstraat" and "kanaal
straat", count as the same street). Unknown buurt codes are found later by domain.rules.validate.
"""

from __future__ import annotations

from dataclasses import replace

from wijkbot.domain.rules import Buurt
from wijkbot.domain.text import normalise
from wijkbot.rulefiles.reader import Reader

AREAS = "areas.csv"
AREA_COLUMNS = ("wijk", "buurt_code", "buurt", "pc4")
AREA_OPTIONAL = ("inhabitants", "aliases")
STREETS = "streets.csv"
STREET_COLUMNS = ("street", "buurt_code")


def buurten(reader: Reader) -> list[Buurt]:
    """Rows of areas.csv; a buurt (or kern) with several postcodes has one row per PC4, same buurt_code."""
    before = len(reader.problems)
    rows = reader.csv(AREAS, AREA_COLUMNS, AREA_OPTIONAL)
    merged: dict[str, Buurt] = {}
    for line, row in rows:
        code, pc4, wijk, name = row["buurt_code"], row["pc4"], row["wijk"], row["buurt"]
        if not code or not wijk or not name:
            reader.at_line(AREAS, line, "wijk, buurt_code en buurt moeten een waarde hebben")
            continue
        if pc4 and not (len(pc4) == 4 and pc4.isdigit()):
            reader.problem(AREAS, code, "pc4", f"een PC4-postcode heeft vier cijfers, nu staat er '{pc4}' "
                                               f"(regel {line})")
        inhabitants = row.get("inhabitants", "")
        if inhabitants and not inhabitants.isdigit():
            reader.problem(AREAS, code, "inhabitants", f"moet een heel getal zijn, zonder punten of spaties; "
                                                       f"nu staat er '{inhabitants}' (regel {line})")
        aliases = tuple(a.strip() for a in row.get("aliases", "").split("|") if a.strip())
        known = merged.get(code)
        if known is None:
            merged[code] = Buurt(code, name, wijk, (pc4,) if pc4 else (),
                                 int(inhabitants) if inhabitants.isdigit() else 0, aliases)
        elif (known.name, known.wijk) != (name, wijk):
            reader.problem(AREAS, code, "buurt_code", f"regel {line} geeft deze code een andere buurt of wijk")
        else:
            merged[code] = replace(known, pc4s=(*known.pc4s, pc4) if pc4 else known.pc4s,
                                   aliases=tuple(dict.fromkeys((*known.aliases, *aliases))))
    if not rows and len(reader.problems) == before:
        reader.problem(AREAS, "-", "-", "geen gebieden: minstens één wijk met één buurt is nodig")
    return list(merged.values())


def streets(reader: Reader) -> dict[str, str]:
    """streets.csv (optional): street name as written -> buurt code."""
    result: dict[str, str] = {}
    first: dict[str, tuple[int, str, str]] = {}  # router's key -> (line, street, buurt code)
    for line, row in reader.csv(STREETS, STREET_COLUMNS, required=False):
        street, code = row["street"], row["buurt_code"]
        if not street or not code:
            reader.at_line(STREETS, line, "street en buurt_code moeten een waarde hebben")
            continue
        key = normalise(street).replace(" ", "")  # how domain/areas.py matches a street
        earlier, name, other = first.setdefault(key, (line, street, code))
        if other != code:
            spelled = "" if name == street else f" (geschreven als '{name}')"
            reader.problem(STREETS, street, "buurt_code",
                           f"staat twee keer in de lijst, met verschillende buurten: '{other}' op regel "
                           f"{earlier}{spelled}, '{code}' op regel {line}; houd één regel over (de buurt waar het "
                           f"grootste deel van de straat ligt)")
            continue
        result[street] = code
    return result
