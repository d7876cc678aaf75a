"""Singular and plural of a Dutch search word, so an ambtenaar who searches "lantaarnpalen" finds "lantaarnpaal".

Search matches by substring, so a plural already finds what starts with the singular ("lamp" finds "lampen"); what
it misses is the spelling change: a long vowel written once before -en ("palen", "bomen", "straten"), a doubled
consonant ("bakken"), f/v and s/z ("brieven", "huizen"), and -s ("tegels"). Invariants: pure; the word itself
comes first; only for one word of at least MIN_LENGTH letters (a phrase or a short word is searched as written);
no form is shorter than MIN_LENGTH - 1 letters, so a form never matches half the texts.
"""

from __future__ import annotations

MIN_LENGTH = 5
_VOWELS = frozenset("aeiou")


def search_forms(query: str) -> tuple[str, ...]:
    """The query and the other number of it (singular for a plural, plural stem for a singular)."""
    word = query.strip().casefold()
    if " " in word or len(word) < MIN_LENGTH or not word.isalpha():
        return (query,)
    forms: list[str] = [query]
    if word.endswith("en") and word[-3] not in _VOWELS:
        stem = word[:-2]
        forms.append(stem)  # "lampen" -> "lamp"
        if len(stem) >= 2 and stem[-1] == stem[-2]:
            forms.append(stem[:-1])  # "bakken" -> "bak"
        base = stem[:-1] + {"v": "f", "z": "s"}.get(stem[-1], stem[-1])  # "brieven" -> "brief", "huizen" -> "huis"
        if len(base) >= 3 and base[-2] in "aeou" and base[-3] not in _VOWELS:
            forms.append(base[:-1] + base[-2] + base[-1])  # "palen" -> "paal", "bomen" -> "boom"
        elif base != stem:
            forms.append(base)
    elif word.endswith("s") and not word.endswith("ss") and word[-2] not in _VOWELS:
        forms.append(word[:-1])  # "tegels" -> "tegel"
    elif len(word) >= 3 and word[-1] not in _VOWELS and word[-2] == word[-3] and word[-2] in "aeou":
        forms.append(word[:-2] + word[-1])  # "lantaarnpaal" -> "lantaarnpal" (in "lantaarnpalen")
    return tuple(dict.fromkeys(f for f in forms if len(f) >= MIN_LENGTH - 1))
