"""Configuration: environment variables and an optional `.env` file, validated with pydantic.

Every variable is documented in `.env.example` at the repository root. A bad value raises
`ConfigError` whose message names the variable and says what is expected.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from dotenv import dotenv_values
from platformdirs import user_data_dir
from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator

from .errors import JobsearchError

Transport = Literal["stdio", "sse", "streamable-http"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
LLMBackend = Literal["openai-compatible", "sampling", "none"]
RedactMode = Literal["auto", "always", "never"]

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# JOBSEARCH_<BOARD>_BASE_URL: one variable per board, so the board's name is only in its own module.
BOARD_BASE_URL = re.compile(r"JOBSEARCH_([A-Z0-9]+)_BASE_URL")


class ConfigError(JobsearchError):
    """A configuration value is missing or invalid; the message is meant for a person."""


class Settings(BaseModel):
    """All settings of the server. Field aliases are the environment variable names."""

    model_config = {"populate_by_name": True, "frozen": True}

    # Server
    transport: Transport = Field("stdio", alias="JOBSEARCH_TRANSPORT")
    host: str = Field("127.0.0.1", alias="JOBSEARCH_HOST")
    port: int = Field(8000, alias="JOBSEARCH_PORT", ge=1, le=65535)
    auth_token: SecretStr | None = Field(None, alias="JOBSEARCH_AUTH_TOKEN")
    tokens_file: Path | None = Field(None, alias="JOBSEARCH_TOKENS_FILE")
    allowed_hosts: list[str] = Field(default_factory=list, alias="JOBSEARCH_ALLOWED_HOSTS")
    allowed_origins: list[str] = Field(default_factory=list, alias="JOBSEARCH_ALLOWED_ORIGINS")
    log_level: LogLevel = Field("INFO", alias="JOBSEARCH_LOG_LEVEL")
    data_dir: Path = Field(default_factory=lambda: Path(user_data_dir("jobsearch-mcp")), alias="JOBSEARCH_DATA_DIR")
    allowed_dirs: list[Path] = Field(default_factory=list, alias="JOBSEARCH_ALLOWED_DIRS")
    max_file_mb: float = Field(10.0, alias="JOBSEARCH_MAX_FILE_MB", gt=0)
    parse_timeout_s: float = Field(30.0, alias="JOBSEARCH_PARSE_TIMEOUT", gt=0)
    job_cache_ttl_hours: float = Field(72.0, alias="JOBSEARCH_JOB_CACHE_TTL_HOURS", gt=0)
    cpu_workers: int = Field(2, alias="JOBSEARCH_CPU_WORKERS", ge=1, le=64)
    # How much lower the worker processes' priority is (nice): the server answering calls comes first.
    cpu_workers_nice: int = Field(10, alias="JOBSEARCH_CPU_WORKERS_NICE", ge=0, le=19)
    follow_up_days: int = Field(10, alias="JOBSEARCH_FOLLOW_UP_DAYS", ge=1, le=365)
    # None: the SQLite file in the data dir; a postgresql:// URL: a database several servers can share.
    database_url: SecretStr | None = Field(None, alias="JOBSEARCH_DATABASE_URL")
    # None: stateless when the database is shared (replicas behind a load balancer answer any request).
    stateless_http: bool | None = Field(None, alias="JOBSEARCH_STATELESS_HTTP")

    # Browser
    chrome_binary: str | None = Field(None, alias="JOBSEARCH_CHROME_BINARY")
    chromedriver: str | None = Field(None, alias="JOBSEARCH_CHROMEDRIVER")
    selenium_remote_url: str | None = Field(None, alias="SELENIUM_REMOTE_URL")
    browser_pool_size: int = Field(2, alias="JOBSEARCH_BROWSER_POOL_SIZE", ge=1, le=16)
    browser_headless: bool = Field(True, alias="JOBSEARCH_BROWSER_HEADLESS")
    page_timeout_s: float = Field(30.0, alias="JOBSEARCH_PAGE_TIMEOUT", gt=0)
    source_timeout_s: float = Field(60.0, alias="JOBSEARCH_SOURCE_TIMEOUT", gt=0)
    # Clients end a tool call after ~60 s without a progress notification; long calls report at least this often.
    progress_interval_s: float = Field(10.0, alias="JOBSEARCH_PROGRESS_INTERVAL", gt=0, le=30)
    user_agent: str | None = Field(None, alias="JOBSEARCH_USER_AGENT")
    proxy: str | None = Field(None, alias="JOBSEARCH_PROXY")
    respect_robots: bool = Field(False, alias="JOBSEARCH_RESPECT_ROBOTS")
    min_request_interval_s: float = Field(1.0, alias="JOBSEARCH_MIN_REQUEST_INTERVAL", ge=0)
    allow_private_urls: list[str] = Field(default_factory=list, alias="JOBSEARCH_ALLOW_PRIVATE_URLS")
    profiles_dir: Path | None = Field(None, alias="JOBSEARCH_PROFILES_DIR")
    # board name -> base URL, from JOBSEARCH_<BOARD>_BASE_URL (a mirror, a proxy, a test or demo site)
    board_base_urls: dict[str, str] = Field(default_factory=dict)

    # LLM
    llm_backend: LLMBackend = Field("openai-compatible", alias="LLM_BACKEND")
    llm_base_url: str = Field("http://localhost:11434/v1", alias="LLM_BASE_URL")
    llm_model: str = Field("deepseek-r1:7b", alias="LLM_MODEL")
    llm_api_key: SecretStr = Field(SecretStr("ollama"), alias="LLM_API_KEY")
    llm_embedding_model: str | None = Field(None, alias="LLM_EMBEDDING_MODEL")
    llm_timeout_s: float = Field(300.0, alias="LLM_TIMEOUT", gt=0)
    llm_max_concurrency: int = Field(2, alias="LLM_MAX_CONCURRENCY", ge=1)
    llm_max_retries: int = Field(3, alias="LLM_MAX_RETRIES", ge=0)
    llm_context_tokens: int = Field(8192, alias="LLM_CONTEXT_TOKENS", ge=512)
    llm_max_tokens: int = Field(4096, alias="LLM_MAX_TOKENS", ge=16)
    llm_temperature: float = Field(0.6, alias="LLM_TEMPERATURE", ge=0, le=2)
    llm_top_p: float = Field(0.95, alias="LLM_TOP_P", gt=0, le=1)
    redact: RedactMode = Field("auto", alias="JOBSEARCH_REDACT")

    @field_validator("allowed_hosts", "allowed_origins", "allow_private_urls", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("allowed_dirs", mode="before")
    @classmethod
    def _split_paths(cls, value: object) -> object:
        """Directories are separated like PATH (`:` on POSIX, `;` on Windows); commas work too."""
        if isinstance(value, str):
            parts = value.replace(",", os.pathsep).split(os.pathsep)
            return [part.strip() for part in parts if part.strip()]
        return value

    @field_validator("transport", mode="before")
    @classmethod
    def _normalise_transport(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip().lower()
            return {"http": "streamable-http", "streamable_http": "streamable-http"}.get(value, value)
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("database_url")
    @classmethod
    def _postgres_only(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and urlsplit(value.get_secret_value()).scheme not in ("postgresql", "postgres"):
            raise ValueError(
                "expected a postgresql://user:password@host:5432/database URL (leave it unset for the SQLite "
                "file in JOBSEARCH_DATA_DIR)"
            )
        return value

    @property
    def db_path(self) -> Path:
        return self.data_dir / "jobsearch.db"

    @property
    def database(self) -> Path | str:
        """Where the store lives: the PostgreSQL URL when one is set, else the SQLite file."""
        return self.database_url.get_secret_value() if self.database_url is not None else self.db_path

    @property
    def stateless(self) -> bool:
        """Whether streamable HTTP keeps no session between requests: JOBSEARCH_STATELESS_HTTP, by default on
        exactly when the database is shared (JOBSEARCH_DATABASE_URL)."""
        return self.stateless_http if self.stateless_http is not None else self.database_url is not None

    @property
    def is_local_bind(self) -> bool:
        return self.host in LOCAL_HOSTS

    def allowed_folders(self) -> list[Path]:
        """Folders the tools may read the user's files from (see paths.py): the configured ones, else the
        data dir's `resumes/`."""
        return [p.expanduser().resolve() for p in self.allowed_dirs] or [(self.data_dir / "resumes").resolve()]


def _describe(error: dict) -> str:
    name = error["loc"][0] if error["loc"] else "configuration"
    field = Settings.model_fields.get(str(name))
    variable = field.alias if field and field.alias else str(name)
    value = error.get("input")
    secret = "TOKEN" in variable or "KEY" in variable or variable == "JOBSEARCH_DATABASE_URL"
    shown = "<hidden>" if secret else repr(value)
    return f"{variable}={shown}: {error['msg']}"


def load_settings(env_file: str | Path | None = ".env", **overrides: object) -> Settings:
    """Build `Settings` from (in rising priority) a `.env` file, the process environment, and `overrides`.

    `overrides` use field names (e.g. ``transport="sse"``); ``None`` values are ignored so CLI flags
    that were not given do not mask the environment.
    """
    values: dict[str, object] = {}
    board_base_urls: dict[str, str] = {}
    aliases = {field.alias for field in Settings.model_fields.values() if field.alias}
    file_values = dotenv_values(env_file) if env_file and Path(env_file).is_file() else {}
    for source in (file_values, os.environ):  # the environment wins over .env
        for name, value in source.items():
            if not value:
                continue
            if name in aliases:
                values[name] = value
            elif board := BOARD_BASE_URL.fullmatch(name):
                board_base_urls[board.group(1).lower()] = value
    if board_base_urls:
        values["board_base_urls"] = board_base_urls | dict(overrides.pop("board_base_urls", None) or {})
    for name, value in overrides.items():
        if value is not None:
            values[Settings.model_fields[name].alias or name] = value
    try:
        return Settings.model_validate(values)
    except ValidationError as exc:
        raise ConfigError("invalid configuration: " + "; ".join(_describe(e) for e in exc.errors())) from None
