"""The resident's verdict after closing: a score from 1 to 5, "is het opgelost?", and an optional why.

Invariants: pure; a survey answer is only taken while its token is valid (14 days after closing); a score
outside 1-5 is not an answer; "not solved" or a low score asks for a reopen request in the inbox, never a
silent reopen (an ambtenaar decides); answers arrive as button values (Telegram, web chat) or as plain text
(an X DM: "4", "ja", "nee"), parsed here in one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

VALID_FOR = timedelta(days=14)
LOW_SCORE = 2  # this score or lower asks an ambtenaar to look again
PREFIX = "survey"

_YES = {"ja", "j", "yes", "y", "opgelost", "solved"}
_NO = {"nee", "n", "no", "niet", "not"}


@dataclass(frozen=True, slots=True)
class SurveyAnswer:
    token: str
    score: int | None = None
    solved: bool | None = None
    why: str | None = None


def score_value(token: str, score: int) -> str:
    return f"{PREFIX}:{token}:score:{score}"


def solved_value(token: str, solved: bool) -> str:
    return f"{PREFIX}:{token}:solved:{'ja' if solved else 'nee'}"


def parse_choice(value: str) -> SurveyAnswer | None:
    """A button value like "survey:<token>:score:4" or "survey:<token>:solved:nee"; None for anything else."""
    parts = value.split(":")
    if len(parts) != 4 or parts[0] != PREFIX or not parts[1]:
        return None
    token, field, raw = parts[1], parts[2], parts[3]
    if field == "score" and raw.isdigit() and 1 <= int(raw) <= 5:
        return SurveyAnswer(token, score=int(raw))
    if field == "solved" and raw in ("ja", "nee"):
        return SurveyAnswer(token, solved=raw == "ja")
    return None


def parse_text(token: str, text: str) -> SurveyAnswer | None:
    """A typed answer to an open survey: a digit 1-5 and/or yes/no; None when it is not an answer."""
    cleaned = text.strip().casefold()
    score_match = re.fullmatch(r"([1-5])\s*[.!]?(?:\s+(.*))?", cleaned)
    if score_match:
        rest = (score_match.group(2) or "").strip()
        solved = True if rest in _YES else False if rest in _NO else None
        return SurveyAnswer(token, score=int(score_match.group(1)), solved=solved)
    word = cleaned.rstrip(".!")
    if word in _YES or word in _NO:
        return SurveyAnswer(token, solved=word in _YES)
    return None


def is_valid(created_at: datetime, now: datetime) -> bool:
    return now - created_at <= VALID_FOR


def needs_another_look(score: int | None, solved: bool | None) -> bool:
    """Whether the verdict asks an ambtenaar to consider reopening."""
    return solved is False or (score is not None and score <= LOW_SCORE)
