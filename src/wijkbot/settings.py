"""Typed settings from the environment (WIJKBOT_*) or a .env file; fail fast on a bad value.

Invariants: defaults run the embedded configuration (SQLite under ./var, Utrecht rules, 127.0.0.1:8080);
secrets are never logged (SecretStr); settings are read once, in the composition root and the CLI.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
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

    max_attachment_bytes: int = Field(10 * 1024 * 1024, ge=1024, le=50 * 1024 * 1024)

    telegram_token: SecretStr | None = None  # switches the Telegram channel on
    telegram_webhook_url: str | None = None  # set: webhook mode (setWebhook on start); unset: polling
    telegram_api_url: str | None = None  # Bot API server root, e.g. a municipality's own Bot API server
    telegram_webhook_secret: SecretStr | None = None  # the secret_token header; default: derived from the token
    telegram_messages_per_second: float = Field(29.0, gt=0, le=30)
    telegram_seconds_per_chat: float = Field(1.05, ge=0)
    telegram_poll_timeout: int = Field(30, ge=0, le=50)

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        """Telegram accepts 1-256 characters A-Z, a-z, 0-9, _ and - as a secret token."""
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value.get_secret_value()):
            raise ValueError("1 tot 256 tekens: letters, cijfers, _ of -")
        return value
