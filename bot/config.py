"""One settings object, read from the environment (and from a ``.env`` file when present)."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from bot.errors import OneLineError
from bot.paths import bundled

DEFAULT_API_URL = "https://api.telegram.org/bot"
MIN_HASH_SECRET = 16  # characters of ADAL_HASH_SECRET at least
_TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]+$")  # <bot id>:<base64url secret>
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class ConfigError(OneLineError, ValueError):
    """A setting is malformed; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    """Every setting of the bot; see README's configuration table."""

    token: str | None = field(default=None, repr=False)  # a secret: never in a repr or a log
    api_url: str = DEFAULT_API_URL
    knowledge_dir: Path = field(default_factory=lambda: bundled("knowledge"))
    locales_dir: Path = field(default_factory=lambda: bundled("locales"))
    db_path: Path = Path("data/adal.db")
    webhook_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    admins: frozenset[int] = frozenset()
    log_level: str = "INFO"
    hash_secret: str | None = field(default=None, repr=False)
    retention_days: int = 90
    rate_limit: int = 30  # messages a user may send a minute
    lease_seconds: int = 60
    experts: frozenset[int] = frozenset()  # Telegram user ids of the compliance experts
    expert_wait_hours: int = 24  # a case unanswered this long: the reminder and official contacts
    max_open_cases: int = 3  # cases a user may have waiting for an expert at once
    max_cases_per_day: int = 10  # cases a user may send in 24 hours (withdrawn ones count)
    drafts_dir: Path | None = None  # drafts for the base; None: "drafts" beside the database
    new_database: bool = False  # start an empty database although its key file is there

    @property
    def drafts_folder(self) -> Path:
        """Where "add to the base" writes drafts: ``drafts_dir``, else beside the database."""
        return self.drafts_dir or self.db_path.parent / "drafts"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *, dotenv: bool = True) -> Settings:
        """Build settings from ``env`` (default: ``os.environ`` plus ``./.env``)."""
        if env is None:
            env = dict(os.environ)
            if dotenv:  # read, not exported: the process environment stays as it was
                from dotenv import dotenv_values

                found = dotenv_values(Path.cwd() / ".env")
                env = {**{k: v for k, v in found.items() if v is not None}, **env}

        def get(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        token = get("TELEGRAM_BOT_TOKEN")
        if token is not None and not _TOKEN_RE.match(token):
            raise ConfigError("TELEGRAM_BOT_TOKEN is malformed (expected <digits>:<secret>)")
        api_url = get("TELEGRAM_API_URL") or DEFAULT_API_URL
        _require_url("TELEGRAM_API_URL", api_url)
        webhook_url = get("ADAL_WEBHOOK_URL")
        if webhook_url is not None:
            _require_url("ADAL_WEBHOOK_URL", webhook_url, https_only=True)
        secret = get("ADAL_WEBHOOK_SECRET")
        if secret is not None and not _SECRET_RE.match(secret):
            raise ConfigError("ADAL_WEBHOOK_SECRET may hold only A-Z a-z 0-9 _ - (1-256 chars)")
        hash_secret = get("ADAL_HASH_SECRET")
        if hash_secret is not None and len(hash_secret) < MIN_HASH_SECRET:
            raise ConfigError(f"ADAL_HASH_SECRET must be at least {MIN_HASH_SECRET} characters")
        defaults = cls()
        return cls(
            token=token,
            api_url=api_url,
            knowledge_dir=Path(get("ADAL_KNOWLEDGE_DIR") or defaults.knowledge_dir),
            locales_dir=Path(get("ADAL_LOCALES_DIR") or defaults.locales_dir),
            db_path=Path(get("ADAL_DB") or defaults.db_path),
            webhook_url=webhook_url,
            webhook_secret=secret,
            webhook_listen=get("ADAL_WEBHOOK_LISTEN") or defaults.webhook_listen,
            webhook_port=_int("ADAL_WEBHOOK_PORT", get("ADAL_WEBHOOK_PORT"), defaults.webhook_port),
            admins=_user_ids("ADAL_ADMINS", get("ADAL_ADMINS")),
            log_level=_log_level(get("ADAL_LOG_LEVEL") or defaults.log_level),
            hash_secret=hash_secret,
            retention_days=_count(
                "ADAL_RETENTION_DAYS", get("ADAL_RETENTION_DAYS"), defaults.retention_days
            ),
            rate_limit=_count("ADAL_RATE_LIMIT", get("ADAL_RATE_LIMIT"), defaults.rate_limit),
            lease_seconds=_count(
                "ADAL_LEASE_SECONDS", get("ADAL_LEASE_SECONDS"), defaults.lease_seconds
            ),
            experts=_user_ids("ADAL_EXPERTS", get("ADAL_EXPERTS")),
            expert_wait_hours=_count(
                "ADAL_EXPERT_WAIT_HOURS", get("ADAL_EXPERT_WAIT_HOURS"), defaults.expert_wait_hours
            ),
            max_open_cases=_count(
                "ADAL_MAX_OPEN_CASES", get("ADAL_MAX_OPEN_CASES"), defaults.max_open_cases
            ),
            max_cases_per_day=_count(
                "ADAL_MAX_CASES_PER_DAY",
                get("ADAL_MAX_CASES_PER_DAY"),
                defaults.max_cases_per_day,
            ),
            drafts_dir=Path(drafts) if (drafts := get("ADAL_DRAFTS_DIR")) else None,
            new_database=_flag("ADAL_NEW_DATABASE", get("ADAL_NEW_DATABASE")),
        )


def _require_url(name: str, value: str, *, https_only: bool = False) -> None:
    parsed = urlparse(value)
    schemes = ("https",) if https_only else ("http", "https")
    if parsed.scheme not in schemes or not parsed.netloc:
        raise ConfigError(f"{name} is not a valid {'/'.join(schemes)} URL: {value!r}")


def _int(name: str, value: str | None, default: int) -> int:
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {value!r}") from None
    if not 0 < number < 65536:
        raise ConfigError(f"{name} must be a port number (1-65535), got {number}")
    return number


def _count(name: str, value: str | None, default: int) -> int:
    if value is None:
        return default
    if not value.isdigit() or int(value) < 1:
        raise ConfigError(f"{name} must be a whole number of at least 1, got {value!r}")
    return int(value)


def _flag(name: str, value: str | None) -> bool:
    if value is None or value == "0":
        return False
    if value == "1":
        return True
    raise ConfigError(f"{name} must be 1 or 0, got {value!r}")


def _log_level(value: str) -> str:
    level = value.upper()
    if not isinstance(logging.getLevelName(level), int):
        raise ConfigError(f"ADAL_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {value!r}")
    return level


def _user_ids(name: str, value: str | None) -> frozenset[int]:
    if value is None:
        return frozenset()
    try:
        return frozenset(int(part) for part in re.split(r"[,\s]+", value) if part)
    except ValueError:
        raise ConfigError(f"{name} must list Telegram user ids, got {value!r}") from None
