"""The municipality's configuration as domain values: departments, categories, teams, areas, ambitions.

Invariants (checked by `validate`, enforced at load by rulefiles): ids are unique; every category names an
existing department; every in-scope department has a team for every wijk, so a case always has an owner;
the triage department exists. A RuleSet is immutable and built once at start-up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from wijkbot.domain.duplicates import DuplicatePolicy
from wijkbot.domain.model import Kind
from wijkbot.domain.policies import Policies


@dataclass(frozen=True, slots=True)
class Department:
    id: str
    name: str
    description: str = ""
    in_scope: bool = True
    redirect_url: str | None = None
    # Residents read the name of the case's team ("Wijkbureau West") instead of the department's, for a
    # department that is one office per wijk to a resident: a name such as "Wijkbureau Utrecht" is no place.
    named_by_team: bool = False


@dataclass(frozen=True, slots=True)
class Example:
    """An example sentence that must route to the expected values (checked by check-rules)."""

    text: str
    category: str
    kind: Kind | None = None
    wijk: str | None = None
    buurt: str | None = None
    ambition: str | None = None


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    name: str
    department: str
    kind: Kind
    sla_days: int
    keywords: tuple[str, ...]
    weight: float = 1.0
    exclude: tuple[str, ...] = ()
    examples: tuple[Example, ...] = ()


@dataclass(frozen=True, slots=True)
class Team:
    id: str
    name: str
    department: str
    wijken: tuple[str, ...]  # ("*",) for a city-wide team

    def covers(self, wijk: str | None) -> bool:
        return "*" in self.wijken or (wijk is not None and wijk in self.wijken)


_PLURALS = {"wijk": "wijken", "kern": "kernen", "stadsdeel": "stadsdelen", "dorp": "dorpen"}


@dataclass(frozen=True, slots=True)
class Buurt:
    code: str
    name: str
    wijk: str
    pc4s: tuple[str, ...]  # the postcodes (PC4) that lie in this buurt, most frequent first
    inhabitants: int = 0
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Ambition:
    id: str
    wijk: str
    title: str
    keywords: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Municipality:
    id: str
    name: str
    reference_prefix: str
    timezone: str = "Europe/Amsterdam"
    phone: str = ""
    wijkbureau: str = ""
    wijkbureau_en: str = ""  # the same in English ("the wijkbureau in your wijk"); empty: the Dutch words
    website: str = ""
    privacy_url: str = ""
    triage_department: str = "wijken"
    min_confidence: float = 0.45
    # Who reads a triage case, per language, as the resident's acknowledgement names them ("De wijkregisseur van
    # uw kern"); a language without one gets the catalog's words (ack.triage_who: "Een medewerker van het wijkbureau").
    triage_reader: dict[str, str] = field(default_factory=dict)
    area_label: str = "wijk"

    def wijkbureau_in(self, lang: str) -> str:
        """Where residents can come by, in their language (an English trial read "visit het wijkbureau in uw wijk")."""
        return self.wijkbureau_en if lang == "en" and self.wijkbureau_en else self.wijkbureau

    @property
    def areas_label(self) -> str:
        """The plural of area_label, for messages: "wijken", "kernen"."""
        return _PLURALS.get(self.area_label, f"{self.area_label}en")
    duplicates: DuplicatePolicy = field(default_factory=DuplicatePolicy)


@dataclass(frozen=True, slots=True)
class Advice:
    """Advice for a resident in acute danger whose words name it (signals.yaml `advice`)."""

    id: str
    words: tuple[str, ...]  # casefolded single words, matched whole
    text: dict[str, str]  # language -> text; always "nl"

    def applies_to(self, said: Iterable[str]) -> bool:
        return not set(self.words).isdisjoint(said)

    def in_language(self, lang: str) -> str:
        return self.text.get(lang) or self.text["nl"]


@dataclass(frozen=True, slots=True)
class Signals:
    urgent: tuple[str, ...] = ()
    advice: tuple[Advice, ...] = ()  # what an acute message is told besides 112, by the words it names
    crisis: tuple[str, ...] = ()  # a resident who may harm themselves: pointed to 113 (and 112), no promise
    # The same, as words that belong together in one sentence (domain.together): rules of groups of words
    urgent_together: tuple[tuple[tuple[str, ...], ...], ...] = ()
    crisis_together: tuple[tuple[tuple[str, ...], ...], ...] = ()
    not_solved: tuple[str, ...] = ()  # after a case closed: "nog steeds kapot" asks to look again (domain.reopen)
    kinds: dict[Kind, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RuleSet:
    municipality: Municipality
    departments: dict[str, Department]
    categories: dict[str, Category]
    teams: tuple[Team, ...]
    buurten: tuple[Buurt, ...]
    streets: dict[str, str]  # street name (as written) -> buurt code
    ambitions: dict[str, tuple[Ambition, ...]]  # wijk -> ambitions (empty: not filled in yet)
    ambition_period: str = ""
    signals: Signals = field(default_factory=Signals)
    policies: Policies = field(default_factory=Policies)

    @property
    def wijken(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for buurt in self.buurten:
            seen.setdefault(buurt.wijk, None)
        return tuple(seen)

    def team_labels(self) -> dict[str, str]:
        """Each team's name as a list or a menu shows it: with its vakdienst's name where another vakdienst has a
        team of the same name (Katwijk's municipality-wide teams share their names with a kern's team)."""
        counts: dict[str, int] = {}
        for team in self.teams:
            counts[team.name] = counts.get(team.name, 0) + 1
        return {team.id: (f"{team.name} ({self.departments[team.department].name})"
                          if counts[team.name] > 1 and team.department in self.departments else team.name)
                for team in self.teams}

    def team_for(self, department: str, wijk: str | None) -> Team | None:
        """The team of a department that covers the wijk; a city-wide team when the wijk is unknown."""
        candidates = [t for t in self.teams if t.department == department]
        for team in candidates:
            if wijk is not None and wijk in team.wijken:
                return team
        for team in candidates:
            if "*" in team.wijken:
                return team
        return candidates[0] if candidates else None

    def team_guess(self, department: str, wijk: str | None) -> str | None:
        """Why `team_for` gives the team it gives, when that is a guess: the department has a team per area, the
        area is unknown (or none of its teams covers it) and no team covers them all, so the first one holds the
        case until the place is known. None when the team follows from the area."""
        candidates = [t for t in self.teams if t.department == department]
        if len(candidates) < 2 or any("*" in t.wijken or (wijk is not None and wijk in t.wijken) for t in candidates):
            return None
        label = self.municipality.area_label
        return f"{label} onbekend: voorlopig bij {candidates[0].name}, tot bekend is waar het is"


class RuleProblem(ValueError):
    """One problem in a configuration, located by file, rule id and key (said in Dutch: a beheerder reads it)."""

    def __init__(self, file: str, rule: str, key: str, message: str) -> None:
        super().__init__(f"{file}: onderdeel '{rule}', sleutel '{key}': {message}")
        self.file = file
        self.rule = rule
        self.key = key
        self.message = message


def validate(rules: RuleSet) -> list[RuleProblem]:
    """Cross-file checks: references resolve and every department has an owner in every wijk."""
    problems: list[RuleProblem] = []
    if rules.municipality.triage_department not in rules.departments:
        problems.append(
            RuleProblem("municipality.yaml", rules.municipality.id, "triage.department",
                        f"onbekende vakdienst '{rules.municipality.triage_department}'")
        )
    for category in rules.categories.values():
        if category.department not in rules.departments:
            problems.append(RuleProblem("categories.yaml", category.id, "department",
                                        f"onbekende vakdienst '{category.department}'"))
    wijken = set(rules.wijken)
    label = rules.municipality.area_label  # "wijk", or "kern" in Katwijk
    for team in rules.teams:
        if team.department not in rules.departments:
            problems.append(RuleProblem("teams.yaml", team.id, "department",
                                        f"onbekende vakdienst '{team.department}'"))
        for wijk in team.wijken:
            if wijk != "*" and wijk not in wijken:
                problems.append(RuleProblem("teams.yaml", team.id, "wijken", f"onbekende {label} '{wijk}'"))
    for department in rules.departments.values():
        uncovered = [w for w in sorted(wijken) if rules.team_for(department.id, w) is None
                     or not rules.team_for(department.id, w).covers(w)]  # type: ignore[union-attr]
        if uncovered:
            # (named by its vakdienst: no team is called that, and the fix may be a team that is not there yet)
            problems.append(RuleProblem("teams.yaml", f"vakdienst {department.id}", "wijken",
                                        f"geen team van deze vakdienst werkt in {', '.join(uncovered)}; zet die "
                                        f"onder wijken: van een van haar teams, of geef een team wijken: ['*']"))
    codes = {b.code for b in rules.buurten}
    for street, code in rules.streets.items():
        if code not in codes:
            problems.append(RuleProblem("streets.csv", street, "buurt_code", f"onbekende buurtcode '{code}'"))
    for wijk in rules.ambitions:
        if wijk not in wijken:
            problems.append(RuleProblem("ambitions.yaml", wijk, "wijken", f"onbekende {label} '{wijk}'"))
    return problems
