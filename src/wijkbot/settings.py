"""Typed settings from the environment (WIJKBOT_*) or a .env file; fail fast on a bad value.

Invariants: defaults run the embedded configuration (SQLite under ./var, Utrecht rules, 127.0.0.1:8080);
an empty variable counts as unset (env.example's "empty = off"); secrets are never logged (SecretStr), and a
problem with a setting is told by its variable's name and the problem, never with its value (`problems`);
settings are read once, in the composition root and the CLI.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from wijkbot.i18n import SUPPORTED

DEFAULT_DB = "sqlite:///var/wijkbot.db"  # "sqlite+aiosqlite://" is accepted too
ENV_PREFIX = "WIJKBOT_"
# WIJKBOT_* variables the project reads itself, outside Settings: not reported as unknown (`unknown_variables`).
OTHER_VARIABLES: frozenset[str] = frozenset()
_DATABASE_SCHEMES = frozenset({"sqlite", "sqlite+pysqlite", "sqlite+aiosqlite", "postgresql+asyncpg"})
_DATABASE_EXAMPLES = "sqlite:////var/lib/wijkbot/wijkbot.db of postgresql+asyncpg://GEBRUIKER:WACHTWOORD@HOST/DATABASE"


class SettingProblem(ValueError):
    """A validator's complaint, with the words `problems` shows the beheerder (str() stays the developer's)."""

    def __init__(self, message: str, dutch: str) -> None:
        super().__init__(message)
        self.dutch = dutch


def _project_dir() -> Path:
    """The checkout (or the working directory) that holds routing_rules/ and locales/."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "routing_rules").is_dir() and (parent / "locales").is_dir():
            return parent
    return Path.cwd()


class Settings(BaseSettings):
    """Every knob of the service. Environment variables are WIJKBOT_<NAME>."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_file=".env", env_file_encoding="utf-8-sig",
                                      extra="ignore", env_ignore_empty=True)

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
    # A message to a resident is retried (5 s doubling, at most an hour apart) until this long after it was queued,
    # then flagged "niet bezorgd" in the inbox; an ambtenaar can send it again from there.
    delivery_give_up_hours: float = Field(48.0, gt=0, le=30 * 24)
    delivery_max_attempts: int | None = Field(None, ge=1)  # optional: also give up after this many attempts

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
    def database_is_default(self) -> bool:
        """The embedded default (./var/wijkbot.db): its folder is made on first start; a configured path's is
        not, so a typo is an error instead of a new, empty database."""
        # (also "sqlite+aiosqlite:///./var/wijkbot.db": the same file)
        scheme, _, path = self.database_url.strip().partition(":///")
        return scheme.lower().startswith("sqlite") and bool(path) and Path(path) == Path(DEFAULT_DB.partition(":///")[2])

    @property
    def x_enabled(self) -> bool:
        return self.x_bearer_token is not None or self._x_oauth1_keys() == 4

    def _x_oauth1_keys(self) -> int:
        keys = (self.x_api_key, self.x_api_secret, self.x_access_token, self.x_access_token_secret)
        return sum(key is not None and bool(key.get_secret_value()) for key in keys)

    @model_validator(mode="after")
    def _x_credentials_complete(self) -> Settings:
        # Half a set of keys is a mistake even beside a bearer token: which did the operator mean to use?
        if 0 < self._x_oauth1_keys() < 4:
            keys = {"x_api_key": self.x_api_key, "x_api_secret": self.x_api_secret,
                    "x_access_token": self.x_access_token, "x_access_token_secret": self.x_access_token_secret}
            missing = [env_name(name) for name, key in keys.items() if key is None or not key.get_secret_value()]
            raise SettingProblem(
                "X: set all four of WIJKBOT_X_API_KEY, WIJKBOT_X_API_SECRET, WIJKBOT_X_ACCESS_TOKEN and "
                f"WIJKBOT_X_ACCESS_TOKEN_SECRET (or WIJKBOT_X_BEARER_TOKEN); missing: {', '.join(missing)}",
                dutch=f"X staat half aan: {' en '.join(missing)} {'ontbreekt' if len(missing) == 1 else 'ontbreken'} "
                      "(X heeft alle vier WIJKBOT_X_API_KEY, WIJKBOT_X_API_SECRET, WIJKBOT_X_ACCESS_TOKEN en "
                      "WIJKBOT_X_ACCESS_TOKEN_SECRET nodig, of alleen WIJKBOT_X_BEARER_TOKEN"
                      + ("; WIJKBOT_X_BEARER_TOKEN staat ook aan: laat de andere dan leeg)" if self.x_bearer_token
                         else ")"))
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

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        """Only the drivers wijkbot runs on; the message names the scheme at most (the rest may hold a password)."""
        scheme, separator, _ = value.strip().partition("://")
        if not separator or not re.fullmatch(r"[A-Za-z][A-Za-z0-9+._-]{0,39}", scheme):
            raise ValueError(f"geen database-URL (bijvoorbeeld {_DATABASE_EXAMPLES})")
        credentials = value.strip().partition("://")[2].rpartition("@")[0]
        if not scheme.lower().startswith("sqlite") and ("@" in credentials or "/" in credentials):
            # unescaped, the URL would split inside the password, and an error could show a piece of it
            raise ValueError("het wachtwoord (of de gebruikersnaam) bevat een @ of /: schrijf die in de URL als %40 "
                             "en %2F")
        if scheme.lower() in _DATABASE_SCHEMES:
            return value
        if scheme.lower().startswith(("postgresql", "postgres")):
            raise ValueError(f"{scheme}:// wordt niet ondersteund: wijkbot spreekt PostgreSQL via asyncpg, begin "
                             f"de URL met postgresql+asyncpg://")
        raise ValueError(f"{scheme}:// wordt niet ondersteund (alleen SQLite of PostgreSQL: {_DATABASE_EXAMPLES})")

    @field_validator("default_locale")
    @classmethod
    def _default_locale(cls, value: str) -> str:
        language = value.strip().lower()
        if language not in SUPPORTED:
            raise ValueError(" of ".join(SUPPORTED))
        return language

    @field_validator("locales_dir")
    @classmethod
    def _locales_dir(cls, value: Path) -> Path:
        """The texts residents and ambtenaren read: without them every answer would be a bare key ("ack.melding")."""
        missing = [lang for lang in SUPPORTED if not any((value / lang / "LC_MESSAGES").glob("*.po"))]
        if missing:
            raise ValueError(f"geen teksten gevonden: {value} heeft geen {missing[0]}/LC_MESSAGES/*.po (de map "
                             "locales/ van wijkbot)")
        return value

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        """Telegram accepts 1-256 characters A-Z, a-z, 0-9, _ and - as a secret token."""
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value.get_secret_value()):
            raise ValueError("1 tot 256 tekens: letters, cijfers, _ of -")
        return value


def env_name(field: str) -> str:
    """The environment variable of a setting: database_url -> WIJKBOT_DATABASE_URL."""
    return f"{ENV_PREFIX}{field.upper()}"


_REASONS = {
    "int_parsing": "geen geheel getal",
    "int_from_float": "geen geheel getal",
    "float_parsing": "geen getal",
    "bool_parsing": "geen ja/nee-waarde (true of false)",
    "missing": "ontbreekt",
    "string_type": "geen tekst",
    # with pydantic's context (the limit or pattern; never the value given)
    "greater_than_equal": "moet minstens {ge} zijn",
    "greater_than": "moet groter zijn dan {gt}",
    "less_than_equal": "mag hoogstens {le} zijn",
    "less_than": "moet kleiner zijn dan {lt}",
    "string_pattern_mismatch": "heeft niet de goede vorm (patroon {pattern})",
}


def _reason(error: Mapping[str, Any]) -> str:
    """One pydantic error in words, built only from its type and context (never from the value given)."""
    kind, context = error["type"], error.get("ctx") or {}
    if kind in _REASONS:
        return _REASONS[kind].format(**context)
    if kind == "literal_error":
        return f"moet een van deze zijn: {str(context['expected']).replace(' or ', ' of ')}"
    if kind in ("value_error", "assertion_error"):
        complaint = context.get("error", "ongeldig")  # our own validators' words: they never quote the value
        return str(getattr(complaint, "dutch", complaint))
    return str(error["msg"])  # pydantic's own sentence: a template that never quotes the input


def problems(error: ValidationError) -> list[str]:
    """One line per problem: the environment variable and what is wrong with it, never the value. (str() of a
    ValidationError quotes the input, and a model validator's error quotes every setting, secrets included.)"""
    lines = []
    for item in error.errors(include_url=False, include_input=False):
        field = next((str(part) for part in item["loc"] if isinstance(part, str)), None)
        reason = _reason(item)
        lines.append(f"{env_name(field)}: {reason}" if field else reason)
    return lines


def known_variables() -> frozenset[str]:
    """Every WIJKBOT_* variable wijkbot reads."""
    return frozenset(env_name(name) for name in Settings.model_fields) | OTHER_VARIABLES


def unknown_variables(names: Iterable[str]) -> list[str]:
    """A warning for each WIJKBOT_* name that is no setting (a typo is silently ignored otherwise), with the
    closest known name when there is one. Names only: the caller never passes values."""
    known = known_variables()
    suffixes = {name.removeprefix(ENV_PREFIX): name for name in known}
    warnings = []
    for name in sorted(set(names)):
        upper = name.upper()
        if not upper.startswith(ENV_PREFIX) or upper in known:
            continue
        close = difflib.get_close_matches(upper.removeprefix(ENV_PREFIX), list(suffixes), n=1, cutoff=0.75)
        hint = f"; bedoelt u {suffixes[close[0]]}?" if close else " (alle instellingen: deploy/env.example)"
        warnings.append(f"{name} is geen instelling van wijkbot en wordt genegeerd{hint}")
    return warnings
