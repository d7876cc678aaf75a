"""The secret key that encrypts inbox session cookies.

Invariants: WIJKBOT_SECRET_KEY, when set, must be at least 32 characters and is stretched to 32 bytes with
SHA-256 (so any long random text works); without it a random key is generated once and kept, readable only
by its owner, next to the embedded SQLite database (var/secret_key), so `make run` works without any
configuration and sessions survive a restart. The key itself is never logged.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import time
from pathlib import Path

from sqlalchemy.engine import make_url

from wijkbot.settings import Settings

MIN_SECRET_CHARS = 32


class SecretKeyError(ValueError):
    """The configured secret key cannot be used."""


def key_file(database_url: str) -> Path:
    """Where a generated key is kept: beside an SQLite file, else under ./var."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).parent / "secret_key"
    return Path("var") / "secret_key"


def session_key(settings: Settings) -> bytes:
    """32 bytes for the cookie cipher."""
    if settings.secret_key is not None:
        secret = settings.secret_key.get_secret_value()
        if len(secret) < MIN_SECRET_CHARS:
            raise SecretKeyError(f"WIJKBOT_SECRET_KEY must be at least {MIN_SECRET_CHARS} characters "
                                 "(for example: python3 -c 'import secrets; print(secrets.token_urlsafe(32))')")
        return hashlib.sha256(secret.encode("utf-8")).digest()
    return _stored_key(key_file(settings.database_url))


def _stored_key(path: Path) -> bytes:
    for _ in range(20):
        if path.exists():
            text = path.read_text(encoding="ascii").strip()
            if len(text) == 64:
                return bytes.fromhex(text)
            if text:  # damaged: a new key only ends existing sessions
                path.unlink()
            else:  # another process is writing it right now
                time.sleep(0.05)
                continue
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(32)
        try:  # O_EXCL: two processes starting at once must not each keep their own key
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(key.hex())
        return key
    raise SecretKeyError(f"cannot read or create the session key file {path}")
