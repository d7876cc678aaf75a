"""The secret key that encrypts inbox session cookies.

Invariants: WIJKBOT_SECRET_KEY, when set, must be at least 32 characters and is stretched to 32 bytes with
SHA-256 (so any long random text works); without it a random key is generated once and kept, readable only
by its owner: next to the embedded SQLite database (var/secret_key), so `make run` works without any
configuration and sessions survive a restart; with another database in systemd's state directory
($STATE_DIRECTORY, /var/lib/wijkbot under deploy/wijkbot.service), else under ./var. A place where it cannot
be kept is a SecretKeyError that says to set WIJKBOT_SECRET_KEY. The key itself is never logged.
"""

from __future__ import annotations

import errno
import hashlib
import os
import secrets
import time
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy.engine import make_url

from wijkbot.settings import Settings

MIN_SECRET_CHARS = 32
MAKE_ONE = "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"
_WHY = {errno.EROFS: "alleen lezen", errno.EACCES: "geen toegang", errno.EPERM: "geen toegang",
        errno.ENOSPC: "de schijf is vol", errno.EEXIST: "er staat een bestand in de weg",
        errno.ENOTDIR: "er staat een bestand in de weg"}


class SecretKeyError(ValueError):
    """The configured secret key cannot be used, or a generated one cannot be kept."""


def key_file(database_url: str, environ: Mapping[str, str] | None = None) -> Path:
    """Where a generated key is kept: beside an SQLite file; else in systemd's state directory (StateDirectory=
    sets $STATE_DIRECTORY, several directories separated by ':'); else under ./var."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).parent / "secret_key"
    state = (os.environ if environ is None else environ).get("STATE_DIRECTORY", "").split(":")[0]
    if state:
        return Path(state) / "secret_key"
    return Path("var") / "secret_key"


def secret_key_problem(settings: Settings) -> str | None:
    """What is wrong with a configured WIJKBOT_SECRET_KEY, in the beheerder's words (never the key); None: fine."""
    if settings.secret_key is not None and len(settings.secret_key.get_secret_value()) < MIN_SECRET_CHARS:
        return f"WIJKBOT_SECRET_KEY: te kort, minstens {MIN_SECRET_CHARS} tekens (bijvoorbeeld uit: {MAKE_ONE})"
    return None


def session_key(settings: Settings) -> bytes:
    """32 bytes for the cookie cipher."""
    if settings.secret_key is not None:
        secret = settings.secret_key.get_secret_value()
        if len(secret) < MIN_SECRET_CHARS:
            raise SecretKeyError(f"WIJKBOT_SECRET_KEY must be at least {MIN_SECRET_CHARS} characters "
                                 f"(for example: {MAKE_ONE})")
        return hashlib.sha256(secret.encode("utf-8")).digest()
    path = key_file(settings.database_url)
    try:
        return _stored_key(path)
    except OSError as error:  # e.g. a read-only working directory (ProtectSystem=strict) without $STATE_DIRECTORY
        why = _WHY.get(error.errno or 0, error.strerror or type(error).__name__)
        raise SecretKeyError(
            f"kan geen sessiesleutel bewaren in {path.absolute()} ({why}); zet WIJKBOT_SECRET_KEY (minstens "
            f"{MIN_SECRET_CHARS} tekens, bijvoorbeeld uit: {MAKE_ONE})") from error


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
    raise SecretKeyError(f"kan de sessiesleutel {path.absolute()} niet lezen of maken; zet WIJKBOT_SECRET_KEY "
                         f"(minstens {MIN_SECRET_CHARS} tekens, bijvoorbeeld uit: {MAKE_ONE})")
