"""What arrives with a resident's words: files (photos, PDF) and a shared location.

Invariants: a file is kept only when domain.attachments accepts it; every refused file is described in the
message's meta (name, type, size, reason) and in one sentence of the answer, so the resident knows what to
do; a location is kept exactly as shared (WGS84) and, as long as the area data has no geometry, the resident
is asked for a street or postcode so the case still reaches the right wijk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wijkbot.domain.attachments import Refusal, refusal
from wijkbot.domain.model import Attachment, InboundMessage
from wijkbot.services.texts import Texts


@dataclass
class Media:
    """The files and location of one inbound message, sorted into kept and refused."""

    kept: list[Attachment] = field(default_factory=list)
    described: list[dict[str, Any]] = field(default_factory=list)  # for the message's meta, kept ones too
    refused: list[Refusal] = field(default_factory=list)
    location: tuple[float, float] | None = None

    @property
    def any(self) -> bool:
        return bool(self.described) or self.location is not None


def sort_media(message: InboundMessage, max_bytes: int) -> Media:
    media = Media(location=_valid_location(message.location))
    for attachment in message.attachments:
        reason = refusal(attachment.content_type, attachment.size, len(attachment.content), max_bytes)
        media.described.append({"name": attachment.file_name[:200], "type": attachment.content_type[:100],
                                "size": attachment.byte_size, "kept": reason is None,
                                **({"reason": reason.value} if reason else {})})
        if reason is None:
            media.kept.append(attachment)
        else:
            media.refused.append(reason)
    return media


def _valid_location(location: tuple[float, float] | None) -> tuple[float, float] | None:
    if location is None:
        return None
    latitude, longitude = float(location[0]), float(location[1])
    if -90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0:
        return latitude, longitude
    return None


def meta(media: Media) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if media.described:
        found["attachments"] = media.described
    if media.location is not None:
        found["location"] = list(media.location)
    return found


def notes(media: Media, texts: Texts, lang: str, max_bytes: int) -> list[str]:
    """Sentences for the answer: one per kind of refusal."""
    sentences: list[str] = []
    for reason in dict.fromkeys(media.refused):
        if reason is Refusal.TOO_LARGE:
            sentences.append(texts.simple("notice.attachment_too_large", lang, max_mb=max_bytes // (1024 * 1024)))
        elif reason is Refusal.KIND:
            sentences.append(texts.simple("notice.attachment_kind", lang))
        else:
            sentences.append(texts.simple("notice.attachment_missing", lang))
    return sentences


def needs_words(media: Media, texts: Texts, lang: str) -> str:
    """The answer to a photo or location without words from a resident with no open case. Nothing kept (a voice
    message, a file too large): no thanks for a photo we did not keep; the refusal note says what to send."""
    if media.kept:
        return texts.simple("notice.photo_needs_words", lang)
    if media.location is not None:
        return texts.simple("notice.location_needs_words", lang)
    return texts.simple("notice.file_needs_words", lang)


def location_saved(case: dict[str, Any], texts: Texts, lang: str) -> str:
    """The answer to a location added to a case: thanks, and a street or postcode when we cannot place it."""
    answer = texts.with_case("notice.location_saved", lang, case)
    if case.get("wijk") is None:
        answer += "\n\n" + texts.simple("notice.location_ask_street", lang)
    return answer
