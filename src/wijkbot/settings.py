"""Typed settings from the environment (WIJKBOT_*) or a .env file; fail fast on a bad value.

Invariants: defaults run the embedded configuration (SQLite under ./var, Utrecht rules, 127.0.0.1:8080);
secrets are never logged (SecretStr); settings are read once, in the composition root and the CLI.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
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
    log_level: str = "INFO"  # DEBUG adds an access line for every 2xx/3xx request; logs never hold personal data
    default_locale: str = "nl"

    webchat_rate_per_minute: int = Field(20, ge=1)
    webchat_client_rate_per_minute: int = Field(600, ge=1)
    max_body_bytes: int = Field(256 * 1024, ge=1024)
    long_message_chars: int = Field(5000, ge=100)

    delivery_interval_seconds: float = Field(2.0, gt=0)
    followup_interval_seconds: float = Field(30.0, gt=0)
    delivery_max_attempts: int = Field(8, ge=1)

    retrain_hour: int = Field(3, ge=0, le=23)  # local time of the nightly re-training with inbox corrections
    model_refresh_seconds: int = Field(300, ge=5)  # how often a process looks for a newer routing model
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

    # Outgoing mail (the weekly digest to the wijkregisseurs); no host = mail off (digests are still archived).
    smtp_host: str | None = None
    smtp_port: int = Field(587, ge=1, le=65535)
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = "wijkbot@localhost"
    smtp_starttls: bool = True
    smtp_timeout_seconds: float = Field(30.0, gt=0)
    # The weekly digest: when it is mailed (local time of the municipality), in which language, and where the
    # inbox lives (links in the mail point there; empty: links are relative, fine for the inbox page only).
    digest_day: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] = "mon"
    digest_hour: int = Field(8, ge=0, le=23)
    digest_minute: int = Field(0, ge=0, le=59)
    digest_lang: Literal["nl", "en"] = "nl"
    digest_enabled: bool = True
    digest_street_hot_spot: int = Field(3, ge=2)  # cases on one topic in one street in a week
    digest_buurt_hot_spot: int = Field(5, ge=2)  # cases on one topic in one buurt in a week
    # The X channel (docs/x.md): off unless credentials are set. OAuth 1.0a (all four keys) or an OAuth 2.0
    # user access token (x_bearer_token). x_api_url points the client at another host (tests, a proxy).
    x_bearer_token: SecretStr | None = None
    x_api_key: SecretStr | None = None
    x_api_secret: SecretStr | None = None
    x_access_token: SecretStr | None = None
    x_access_token_secret: SecretStr | None = None
    x_account_id: str | None = Field(None, pattern=r"^[0-9]{1,30}$")
    x_api_url: str | None = None
    x_mentions_interval_seconds: float = Field(300.0, gt=0)
    x_dm_interval_seconds: float = Field(300.0, gt=0)
    x_budget_reads: int | None = Field(20_000, ge=0)  # requests per calendar month (UTC)
    x_budget_writes: int | None = Field(1_500, ge=0)
    x_budget_amount: float | None = Field(None, ge=0)  # in the currency of the prices below (USD at X)
    x_price_read: float = Field(0.01, ge=0)  # per read request; check the X developer console
    x_price_write: float = Field(0.015, ge=0)  # per post or DM

    @property
    def x_enabled(self) -> bool:
        return self.x_bearer_token is not None or self._x_oauth1_keys() == 4

    def _x_oauth1_keys(self) -> int:
        keys = (self.x_api_key, self.x_api_secret, self.x_access_token, self.x_access_token_secret)
        return sum(key is not None and bool(key.get_secret_value()) for key in keys)

    @model_validator(mode="after")
    def _x_credentials_complete(self) -> Settings:
        if self.x_bearer_token is None and 0 < self._x_oauth1_keys() < 4:
            raise ValueError("X: set all four of WIJKBOT_X_API_KEY, WIJKBOT_X_API_SECRET, "
                             "WIJKBOT_X_ACCESS_TOKEN and WIJKBOT_X_ACCESS_TOKEN_SECRET (or WIJKBOT_X_BEARER_TOKEN)")
        return self

    max_attachment_bytes: int = Field(10 * 1024 * 1024, ge=1024, le=50 * 1024 * 1024)

    telegram_token: SecretStr | None = None  # switches the Telegram channel on
    telegram_webhook_url: str | None = None  # set: webhook mode (setWebhook on start); unset: polling
    telegram_api_url: str | None = None  # Bot API server root, e.g. a municipality's own Bot API server
    telegram_webhook_secret: SecretStr | None = None  # the secret_token header; default: derived from the token
    telegram_messages_per_second: float = Field(29.0, gt=0, le=30)
    telegram_seconds_per_chat: float = Field(1.05, ge=0)
    telegram_poll_timeout: int = Field(30, ge=0, le=50)

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ValueError("DEBUG, INFO, WARNING, ERROR of CRITICAL")
        return level

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        """Telegram accepts 1-256 characters A-Z, a-z, 0-9, _ and - as a secret token."""
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value.get_secret_value()):
            raise ValueError("1 tot 256 tekens: letters, cijfers, _ of -")
        return value
