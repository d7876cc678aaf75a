"""Typed settings from the environment (WIJKBOT_*) or a .env file; fail fast on a bad value.

Invariants: defaults run the embedded configuration (SQLite under ./var, Utrecht rules, 127.0.0.1:8080);
secrets are never logged (SecretStr); settings are read once, in the composition root and the CLI.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DB = "sqlite:///var/wijkbot.db"  # "sqlite+aiosqlite://" is accepted too


def _project_dir() -> Path:
    """The checkout (or the working directory) that holds routing_rules/ and locales/."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "routing_rules").is_dir() and (parent / "locales").is_dir():
            return parent
    return Path.cwd()


class Settings(BaseSettings):
    """Every knob of the service. Environment variables are WIJKBOT_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="WIJKBOT_", env_file=".env", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(8080, ge=1, le=65535)
    database_url: str = DEFAULT_DB
    rules_dir: Path = Field(default_factory=lambda: _project_dir() / "routing_rules" / "utrecht")
    locales_dir: Path = Field(default_factory=lambda: _project_dir() / "locales")
    demo_officers_file: Path = Field(
        default_factory=lambda: _project_dir() / "deploy" / "demo" / "utrecht_officers.yaml"
    )
    log_level: str = "INFO"
    default_locale: str = "nl"

    webchat_rate_per_minute: int = Field(20, ge=1)
    webchat_client_rate_per_minute: int = Field(600, ge=1)
    max_body_bytes: int = Field(256 * 1024, ge=1024)
    long_message_chars: int = Field(5000, ge=100)

    delivery_interval_seconds: float = Field(2.0, gt=0)
    followup_interval_seconds: float = Field(30.0, gt=0)
    delivery_max_attempts: int = Field(8, ge=1)

    # The shared inbox (docs/inbox.md). Without a secret key, one is generated once and kept next to the
    # embedded database (var/secret_key): fine for one machine; set it when several processes serve the inbox.
    secret_key: SecretStr | None = None
    public_url: str | None = None  # how ambtenaren reach the inbox, for set-password links; default http://host:port
    session_idle_minutes: int = Field(30, ge=1, le=24 * 60)
    session_max_hours: int = Field(10, ge=1, le=7 * 24)
    cookie_secure: bool | None = None  # None: Secure when the request came over https
    login_max_failures_per_account: int = Field(5, ge=1)
    login_max_failures_per_address: int = Field(20, ge=1)
    login_throttle_minutes: int = Field(15, ge=1)
    password_link_hours: int = Field(72, ge=1, le=30 * 24)
    password_hash_time_cost: int = Field(3, ge=1)  # argon2id, argon2-cffi's defaults (RFC 9106 low-memory)
    password_hash_memory_kib: int = Field(65536, ge=8 * 1024)
    demo_password: SecretStr | None = None  # demos only: `seed-demo` gives demo accounts this password

    telegram_token: SecretStr | None = None
    telegram_webhook_url: str | None = None
    telegram_api_url: str | None = None
