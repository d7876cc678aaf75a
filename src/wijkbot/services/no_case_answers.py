"""The answer to words that open no case: empty, a greeting, nonsense, a photo without words, or a request for a
person ("ik wil gewoon een mens spreken").

Invariants: the message itself is stored by intake either way (nothing here writes); each answer asks the resident
something (purpose "question"), so their next words are taken as the answer; a request for a person is answered
with the municipality's phone number and where to come by, only when the resident has no case open (with one,
the words go with it, where a person reads them).
"""

from __future__ import annotations

from wijkbot.domain.greetings import is_greeting, wants_a_person
from wijkbot.domain.routing import Decision
from wijkbot.domain.rules import RuleSet
from wijkbot.domain.sanitise import has_words, is_blank
from wijkbot.services import inbound_media
from wijkbot.services.intake_items import BatchItem
from wijkbot.services.texts import Texts


def asks_for_a_person(item: BatchItem, routed: Decision | None) -> bool:
    """Words that only ask for a person, about no subject the router knows."""
    return has_words(item.body) and wants_a_person(item.body) and (
        routed is None or routed.suggested_category is None)


def answer_person(item: BatchItem, rules: RuleSet, texts: Texts) -> None:
    m = rules.municipality
    item.answer = texts.simple("ack.person", item.lang, phone=m.phone, wijkbureau=m.wijkbureau_in(item.lang))
    item.purpose = "question"


def answer_without_case(item: BatchItem, texts: Texts) -> None:
    """Empty, a greeting, nonsense, or a photo without words: what to send instead."""
    if is_blank(item.body) and item.media.any:
        item.answer = inbound_media.needs_words(item.media, texts, item.lang)
    else:
        key = ("ack.empty" if is_blank(item.body) else "ack.greeting" if is_greeting(item.body)
               else "ack.nonsense")
        item.answer = texts.simple(key, item.lang, street=texts.example_street)
    item.purpose = "question"
