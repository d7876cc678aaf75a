"""Which files a resident sends are kept with their case, and why one is not.

Invariants: pure; a file is kept only when it arrived whole, is of a kind an ambtenaar can open safely (photos
and PDF) and is within the size limit; every refusal has a reason the resident can act on.
"""

from __future__ import annotations

import enum

ACCEPTED_TYPES = frozenset({
    "image/jpeg", "image/png", "image/webp", "image/gif", "image/heic", "image/heif", "application/pdf",
})
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


class Refusal(enum.StrEnum):
    TOO_LARGE = "te groot"
    KIND = "soort bestand"
    NOT_RECEIVED = "niet ontvangen"


def accepted_type(content_type: str) -> bool:
    return content_type.split(";", 1)[0].strip().lower() in ACCEPTED_TYPES


def wanted(content_type: str, size: int, max_bytes: int) -> bool:
    """Whether a channel should fetch a file it was told about (saves downloading what we would refuse)."""
    return accepted_type(content_type) and 0 <= size <= max_bytes


def refusal(content_type: str, size: int, received: int, max_bytes: int) -> Refusal | None:
    """Why a file cannot be kept, or None when it can. `size` is the announced size, `received` the bytes we have."""
    if not accepted_type(content_type):
        return Refusal.KIND
    if max(size, received) > max_bytes:
        return Refusal.TOO_LARGE
    if received == 0:
        return Refusal.NOT_RECEIVED
    return None
