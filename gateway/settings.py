"""The one settings object of the gateway; every variable is read with the ``ICJS_`` prefix."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from canonical_model.forensics import parse_mandate_states

#: The driver the gateway talks to PostgreSQL with (psycopg 3, a dependency of the gateway).
POSTGRES_SCHEME = "postgresql+psycopg"
#: Schemes read as :data:`POSTGRES_SCHEME`: Heroku, Render, Fly and libpq write ``postgres://``
#: or ``postgresql://``, which SQLAlchemy would take for psycopg2 or not know at all
#: ("Can't load plugin: sqlalchemy.dialects:postgres").
_POSTGRES_ALIASES = ("postgres", "postgresql")
#: The schemes a database URL may have, as an error lists them.
ACCEPTED_DATABASE_SCHEMES = ("sqlite", "sqlite+pysqlite", POSTGRES_SCHEME, *_POSTGRES_ALIASES)


def normalise_database_url(url: str) -> str:
    """``url`` with a PostgreSQL scheme written as the gateway's driver wants it
    (``postgres://u@h/db`` -> ``postgresql+psycopg://u@h/db``); ValueError naming the accepted
    schemes for any other than SQLite's and PostgreSQL's."""
    text = url.strip()
    scheme, sep, rest = text.partition("://")
    if not sep:
        raise ValueError(
            f"{url!r} is not a database URL; expected sqlite:///PATH or "
            f"{POSTGRES_SCHEME}://USER:PASSWORD@HOST:PORT/NAME"
        )
    lowered = scheme.lower()
    if lowered in _POSTGRES_ALIASES:
        return f"{POSTGRES_SCHEME}://{rest}"
    if lowered in ACCEPTED_DATABASE_SCHEMES:
        return text
    raise ValueError(
        f"the database URL scheme {scheme + '://'!r} is not one the gateway speaks; use "
        + ", ".join(f"{s}://" for s in ACCEPTED_DATABASE_SCHEMES)
        + f" (the last two are read as {POSTGRES_SCHEME}://)"
    )


class Settings(BaseSettings):
    """Gateway settings, from the environment (``ICJS_DATABASE_URL`` and so on)."""

    model_config = SettingsConfigDict(env_prefix="ICJS_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///./icjs.db",
        description="A SQLite file (sqlite:///PATH; the embedded default is one in the working "
        "directory) or a PostgreSQL server (postgresql+psycopg://USER:PASSWORD@HOST:PORT/NAME; "
        "postgres:// and postgresql://, as Heroku-style tools write them, are read as that).",
    )
    kafka_bootstrap_servers: str | None = Field(
        default=None,
        description="Comma-separated Kafka bootstrap servers; unset means the in-process bus.",
    )
    max_body_bytes: int = Field(default=5 * 1024 * 1024, gt=0)
    max_errors: int = Field(
        default=100,
        ge=1,
        le=10_000,
        description="The most located errors an error answer (and its message log entry) lists; "
        "the rest are counted in errors_omitted and a last entry '... and N more errors'.",
    )
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
    # -- limits: rate, slow clients, rejected bodies kept --
    rate_limit_per_minute: int = Field(
        default=600,
        ge=0,
        description="Requests a minute each authenticated client may make (a token bucket per "
        "client, in each gateway process); 0: no limit. Requests whose key is unknown or absent "
        "are limited per remote address to a tenth of it.",
    )
    rate_limit_burst: int | None = Field(
        default=None,
        ge=1,
        description="The most requests a client may make at once (the bucket's size); "
        "unset: the per-minute figure.",
    )
    header_timeout_seconds: float = Field(
        default=10.0,
        gt=0,
        description="Longest time a request's line and headers may take to arrive (counted "
        "from the connection or the request's first byte); past it: 408, connection closed.",
    )
    body_timeout_seconds: float = Field(
        default=30.0,
        gt=0,
        description="Longest time a request's body may take to arrive; past it: 408, "
        "connection closed.",
    )
    rejected_body_quota_bytes: int = Field(
        default=50 * 1024 * 1024,
        ge=0,
        description="Bytes of rejected message bodies kept whole per client; past it the "
        "message log keeps a rejected body's hash, size and first 64 KiB only.",
    )
    # -- the citizen's view of an FIR (/status/, GET /v1/public/fir-status) --
    citizen_failures_per_fir: int = Field(
        default=10,
        ge=1,
        description="Wrong codes (or unknown FIRs) for one FIR number within the window that "
        "lock its public view for everyone, the right code included, until the oldest of them "
        "leaves the window (429 with Retry-After). Counted in the database: every process "
        "sees the same.",
    )
    citizen_failures_per_address: int = Field(
        default=30,
        ge=1,
        description="Wrong FIR numbers or codes from one remote address within the window that "
        "lock the public view for that address (a cyber cafe is many informants behind one).",
    )
    citizen_window_seconds: int = Field(
        default=3600,
        ge=60,
        description="The window the public view's failures are counted in, in seconds.",
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
    outage_backoff_seconds: float = Field(
        default=0.5,
        gt=0,
        description="A worker's first wait when the database or the broker is unreachable; "
        "doubles each time (with jitter) up to outage_backoff_max_seconds. Outages count no "
        "attempt and never make dead letters.",
    )
    outage_backoff_max_seconds: float = Field(
        default=10.0,
        gt=0,
        description="The longest a worker waits between two tries of an unreachable database "
        "or broker.",
    )
    relay_batch_size: int = Field(default=500, gt=0)
    # -- the person index (issue 13) --
    # 0.9, not 0.95: with the plausibility rule and the father's name's m from sure pairs, the
    # benchmark's population of 100,000 persons gave precision 0.854 and recall 0.706 at 0.9
    # against 0.879 and 0.638 at 0.95 (README, Performance, "Person index").
    person_link_threshold: float = Field(
        default=0.9,
        gt=0,
        le=1,
        description="Match probability at or above which two records are one person (the "
        "linkage model's, estimated from the data by `icjs persons link`).",
    )
    person_review_threshold: float = Field(
        default=0.6,
        gt=0,
        le=1,
        description="Match probability from which a pair below the link threshold goes to the "
        "operators' review queue.",
    )
    # -- forensic labs (e-Forensics): BNSS s.176(3) --
    forensic_visit_days: int = Field(
        default=30,
        ge=0,
        description="Days after the FIR of an offence punishable with 7 years or more by which a "
        "forensic request must be on record, else the case status is flagged (BNSS s.176(3)). "
        "The Act fixes no period (the visit is due on receipt of the information); this is the "
        "gateway's grace for the request to reach it.",
    )
    forensic_mandate_states: str = Field(
        default="*=2024-07-01",
        description="From when each State applies BNSS s.176(3), as notified by it: "
        "'MH=2024-07-01,DL=2024-09-01'; '*' stands for every State not named. The default "
        "assumes every State from 1 July 2024, the day the BNSS came into force (the earliest "
        "a notification can take effect): it flags rather than misses. Set the dates your "
        "States notified; a State left out of a list without '*' is never flagged.",
    )
    demo_feed_wait_seconds: float = Field(
        default=60.0,
        gt=0,
        description="How long `icjs demo` waits for a worker to file what it just caused on a "
        "feed (production mode), before saying which worker to start.",
    )
    # -- statutory clocks (canonical_model.clocks, gateway/services/deadlines.py) --
    deadline_due_soon_days: int = Field(
        default=3,
        ge=0,
        description="Days before a statutory clock's due date at which deadline.due_soon is "
        "emitted (0: on the due date itself).",
    )
    deadline_interval_seconds: float = Field(
        default=300.0,
        ge=0,
        description="How often the gateway looks for clocks falling due or breached and emits "
        "their events (one process at a time, under a PostgreSQL advisory lock); 0 turns the "
        "emitter off.",
    )
    deadline_lookback_days: int = Field(
        default=30,
        ge=0,
        description="A clock that ran out longer ago than this is not announced as breached "
        "(a store upgraded with years of history would otherwise announce every old clock); "
        "it is still listed by GET /v1/deadlines.",
    )
    metrics_clocks_seconds: float = Field(
        default=60.0,
        ge=0,
        description="How long /metrics reuses its count of clocks due and overdue: the count "
        "scans every case's clocks, more than each scrape should cost on a large store; 0 "
        "counts at every scrape.",
    )
    # -- audit: signed checkpoints of the hash chain, and who read what --
    audit_signing_key: str | None = Field(
        default=None,
        repr=False,
        description="The Ed25519 key that signs audit checkpoints: PEM text, or the base64 of "
        "its 32 bytes (`icjs audit keygen` makes one).",
    )
    audit_signing_key_file: Path | None = Field(
        default=None, description="A file holding the audit signing key (PEM or base64)."
    )
    audit_record_reads: bool = Field(
        default=True,
        description="Record every read in the access log (on the audit chain). Off only for "
        "the baseline of bench/reads.py: reads then leave no record.",
    )
    # -- the web console (/console/) --
    console_idle_minutes: int = Field(
        default=15,
        ge=1,
        le=24 * 60,
        description="Minutes a console session may sit unused before it ends and its user "
        "signs in again with the API key.",
    )
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

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        return normalise_database_url(value)  # raises ValueError naming the accepted schemes

    @field_validator("forensic_mandate_states")
    @classmethod
    def _mandate_parses(cls, value: str) -> str:
        parse_mandate_states(value)  # raises ValueError naming the item at fault
        return value

    def forensic_mandate(self) -> dict[str, dt.date]:
        """The BNSS s.176(3) start date of each State (``*``: every other State)."""
        return parse_mandate_states(self.forensic_mandate_states)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings read once from the environment (tests build their own ``Settings``)."""
    return Settings()
