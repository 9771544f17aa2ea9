"""The one settings object of the gateway; every variable is read with the ``ICJS_`` prefix."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Gateway settings, from the environment (``ICJS_DATABASE_URL`` and so on)."""

    model_config = SettingsConfigDict(env_prefix="ICJS_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///./icjs.db",
        description="Any SQLAlchemy URL; the embedded default is one SQLite file in the working directory.",
    )
    kafka_bootstrap_servers: str | None = Field(
        default=None,
        description="Comma-separated Kafka bootstrap servers; unset means the in-process bus.",
    )
    max_body_bytes: int = Field(default=5 * 1024 * 1024, gt=0)
    feed_page_max: int = Field(default=500, gt=0)
    feed_page_default: int = Field(default=100, gt=0)
    relay_interval_seconds: float = Field(
        default=0.05,
        gt=0,
        description="How often the relay looks for events written by other processes.",
    )
    kafka_topic_prefix: str = Field(
        default="icjs",
        pattern=r"^[a-z0-9][a-z0-9_-]{0,40}$",
        description="Topics are <prefix>.case.v1 and <prefix>.dlq.<pillar>, groups <prefix>-<pillar>.",
    )
    kafka_client_id: str = Field(
        default="",
        pattern=r"^[A-Za-z0-9._-]{0,80}$",
        description="How this process names itself to the broker (its logs, quotas and group "
        "member ids); empty: icjs-gateway, or icjs-worker-<pillar> for a worker.",
    )
    auth_cache_seconds: float = Field(
        default=5.0,
        ge=0,
        description="How long a verified API key is trusted without asking the database again "
        "(a revoked key stops working within this time; 0: ask every time).",
    )
    kafka_timeout_seconds: float = Field(
        default=5.0, gt=0, description="Longest wait for any one call to the broker."
    )
    consumer_max_attempts: int = Field(
        default=5, ge=1, description="Attempts before a failing event becomes a dead letter."
    )
    consumer_backoff_seconds: float = Field(
        default=0.1, ge=0, description="Backoff after the first failed attempt; doubles each time."
    )
    relay_batch_size: int = Field(default=500, gt=0)
    log_level: str = "INFO"
    log_format: Literal["json", "console"] = "json"
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = Field(
        default=1,
        ge=1,
        le=64,
        description="HTTP worker processes of `icjs serve` (more than one needs PostgreSQL).",
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings read once from the environment (tests build their own ``Settings``)."""
    return Settings()
