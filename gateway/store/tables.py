"""The gateway's tables (SQLModel over SQLAlchemy), the same on SQLite and PostgreSQL.

The event log (``events``) is append-only; ``cases``, ``crosswalk``,
``feed_entries`` and the vehicle and licence register (``vehicles``,
``vehicle_mentions``, ``vehicle_links``, ``licences``, ``licence_mentions``) are
projections that can be rebuilt from it. ``institutions`` is the directory of the
institutions keys are issued to, kept by operators (not a projection).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index, LargeBinary, UniqueConstraint, text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


def utcnow() -> dt.datetime:
    """The current time, timezone-aware in UTC."""
    return dt.datetime.now(dt.UTC)


def empty_list() -> list[Any]:
    """A new empty list, as a column default.

    Not ``default_factory=list``: pydantic inspects a factory's signature each time it
    builds a row, and for a builtin that means parsing its text signature (a third of
    the cost of writing a message, measured).
    """
    return []


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A point in time, stored in UTC and always read back timezone-aware in UTC.

    PostgreSQL stores it as ``timestamp with time zone``; SQLite keeps no offset,
    so the value is converted to UTC before it is written (a naive value is taken
    as UTC) and the offset is put back when it is read.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    @staticmethod
    def _utc(value: dt.datetime | None) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        """Written in UTC; a naive value is taken to be UTC already."""
        return self._utc(value)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        """Read back aware, in UTC, whatever the session's time zone."""
        return self._utc(value)


class ClientRow(SQLModel, table=True):
    """A client credential: an API key bound to one pillar and one institution."""

    __tablename__ = "clients"

    id: int | None = Field(default=None, primary_key=True)
    name: str
    pillar: str = Field(index=True)
    institution: str
    key_prefix: str = Field(index=True)
    key_hash: str = Field(unique=True)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    revoked_at: dt.datetime | None = Field(default=None, sa_type=UtcDateTime)
    #: The key answers 401 "expired API key" from then on (None: never expires).
    expires_at: dt.datetime | None = Field(default=None, sa_type=UtcDateTime)
    #: When the key was last seen, to the minute (written at most once a minute per key).
    last_used_at: dt.datetime | None = Field(default=None, sa_type=UtcDateTime)


class RetiredKeyRow(SQLModel, table=True):
    """A client's key replaced by ``icjs clients rotate``: it stays valid until
    ``valid_until`` (the end of the overlap), then answers 401."""

    __tablename__ = "retired_keys"

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(index=True, foreign_key="clients.id")
    key_prefix: str
    key_hash: str = Field(unique=True)
    #: When the key was made, and when it would have expired had it not been replaced.
    created_at: dt.datetime = Field(sa_type=UtcDateTime)
    expires_at: dt.datetime | None = Field(default=None, sa_type=UtcDateTime)
    retired_at: dt.datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    valid_until: dt.datetime = Field(sa_type=UtcDateTime)
    last_used_at: dt.datetime | None = Field(default=None, sa_type=UtcDateTime)


class InstitutionRow(SQLModel, table=True):
    """One institution of the directory: a police state, district or station, a court
    establishment (with its level), a prison, a laboratory, a prosecution office, a transport
    registry or an operator unit. Keys are issued only to institutions listed here."""

    __tablename__ = "institutions"
    __table_args__ = (Index("ix_institutions_area", "pillar", "state", "district"),)

    pillar: str = Field(primary_key=True)
    code: str = Field(primary_key=True)
    name: str
    state: str | None = None
    district: str | None = None
    #: Courts only: magistrate, sessions, high_court or juvenile_justice_board.
    level: str | None = None
    #: Loaded from the shipped SAMPLE directory (demos and tests), not an official record.
    sample: bool = False
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class MessageRow(SQLModel, table=True):
    """Every inbound message, whatever became of it: the operators' record of what pillars sent."""

    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_dedupe", "client_id", "sha256"),)

    id: str = Field(primary_key=True)
    received_at: dt.datetime = Field(default_factory=utcnow, index=True, sa_type=UtcDateTime)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    client_id: int | None = Field(default=None, index=True)
    caller: str
    pillar: str = Field(index=True)
    institution: str
    message_type: str | None = None
    media_type: str | None = None
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    body_truncated: bool = False
    #: Why only the start of the body is kept: over the size limit, or over the client's
    #: quota of rejected bodies kept whole (ICJS_REJECTED_BODY_QUOTA_BYTES).
    body_truncated_reason: str | None = None
    size: int
    sha256: str
    status: str = Field(index=True)
    errors: list[dict[str, Any]] = Field(
        default_factory=empty_list, sa_column=Column(JSON, nullable=False)
    )
    waiting_for: list[str] = Field(
        default_factory=empty_list, sa_column=Column(JSON, nullable=False)
    )
    event_ids: list[str] = Field(default_factory=empty_list, sa_column=Column(JSON, nullable=False))
    case_ids: list[str] = Field(default_factory=empty_list, sa_column=Column(JSON, nullable=False))
    request_id: str | None = None


class HeldKeyRow(SQLModel, table=True):
    """A held message waiting for a crosswalk key; any one of its keys releases it."""

    __tablename__ = "held_keys"

    key: str = Field(primary_key=True)
    message_id: str = Field(primary_key=True, foreign_key="messages.id")


class EventRow(SQLModel, table=True):
    """The append-only event log: one row per CloudEvent, in acceptance order."""

    __tablename__ = "events"

    sequence: int | None = Field(default=None, primary_key=True)
    id: str = Field(unique=True)
    type: str = Field(index=True)
    # None for registry events (a Vahan or Sarathi record belongs to no case).
    case_id: str | None = Field(default=None, index=True)
    pillar: str
    source: str
    time: dt.datetime = Field(sa_type=UtcDateTime)
    receipt: str | None = Field(default=None, index=True)
    envelope: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


class OutboxRow(SQLModel, table=True):
    """An event waiting to be relayed to the bus, written in the same transaction as the event."""

    __tablename__ = "outbox"
    # The relay's query (unpublished rows in sequence order) reads only this small index.
    __table_args__ = (
        Index(
            "ix_outbox_unpublished",
            "sequence",
            sqlite_where=text("published_at IS NULL"),
            postgresql_where=text("published_at IS NULL"),
        ),
    )

    sequence: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(unique=True)
    topic: str
    key: str
    envelope: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    # The Kafka record as it goes on the wire (binary content mode), encoded at acceptance;
    # empty on rows written before revision 0003, which the relay encodes from the envelope.
    record_value: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    record_headers: list[list[str]] | None = Field(
        default=None, sa_column=Column(JSON, nullable=True)
    )
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    published_at: dt.datetime | None = Field(default=None, index=True, sa_type=UtcDateTime)


class CaseRow(SQLModel, table=True):
    """One case and its consolidated status (a projection of its events)."""

    __tablename__ = "cases"

    id: str = Field(primary_key=True)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    police_station: str | None = Field(default=None, index=True)
    court: str | None = Field(default=None, index=True)
    status: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


class CrosswalkRow(SQLModel, table=True):
    """Any identifier of a case (``fir:...``, ``cnr:...``) to the case it belongs to."""

    __tablename__ = "crosswalk"

    key: str = Field(primary_key=True)
    case_id: str = Field(index=True, foreign_key="cases.id")
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class InboxRow(SQLModel, table=True):
    """Events a consumer has applied; a redelivered event finds its row and changes nothing."""

    __tablename__ = "inbox"

    consumer: str = Field(primary_key=True)
    event_id: str = Field(primary_key=True)
    processed_at: dt.datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class FeedEntryRow(SQLModel, table=True):
    """One entry of a pillar institution's outbound feed, filled by that pillar's consumer."""

    __tablename__ = "feed_entries"
    __table_args__ = (
        UniqueConstraint("pillar", "institution", "event_id"),
        Index("ix_feed_entries_page", "pillar", "institution", "sequence"),
    )

    sequence: int | None = Field(default=None, primary_key=True)
    pillar: str
    institution: str
    event_id: str
    case_id: str
    event_type: str
    recorded_at: dt.datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    envelope: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


class DeadLetterRow(SQLModel, table=True):
    """An event a consumer gave up on after its attempts; kept for operators to inspect and replay."""

    __tablename__ = "dead_letters"

    id: int | None = Field(default=None, primary_key=True)
    consumer: str = Field(index=True)
    event_id: str = Field(index=True)
    event_type: str
    case_id: str | None = None
    envelope: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    error: str
    attempts: int
    origin: str = Field(
        description="Where the event came from: topic/partition/offset, or 'in-process'."
    )
    failed_at: dt.datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    status: str = Field(default="dead", index=True)
    replayed_at: dt.datetime | None = Field(default=None, sa_type=UtcDateTime)


# -- the vehicle and licence register (transport) -------------------------------------------


class VehicleRow(SQLModel, table=True):
    """One physical vehicle as the gateway knows it: its numbers (normalised), its latest
    Vahan record and what the police last reported about it."""

    __tablename__ = "vehicles"

    id: str = Field(primary_key=True)
    registration: str | None = Field(default=None, index=True)
    chassis: str | None = Field(default=None, index=True)
    chassis_suffix: str | None = Field(default=None, index=True)
    engine: str | None = Field(default=None, index=True)
    record: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    record_as_of: dt.date | None = None
    record_event_id: str | None = None
    state: str | None = Field(default=None, description="stolen, recovered or seized")
    state_on: dt.date | None = None
    state_case_id: str | None = None
    stolen_on: dt.date | None = None
    recovered_on: dt.date | None = None
    seized_on: dt.date | None = None
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class VehicleMentionRow(SQLModel, table=True):
    """A police report naming a vehicle in a case: the numbers normalised and as written."""

    __tablename__ = "vehicle_mentions"

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(unique=True)
    vehicle_id: str | None = Field(default=None, index=True)
    case_id: str = Field(index=True)
    fir: str
    police_station: str
    kind: str
    occurred_on: dt.date
    reported_at: dt.datetime = Field(sa_type=UtcDateTime)
    registration: str | None = Field(default=None, index=True)
    chassis: str | None = Field(default=None, index=True)
    engine: str | None = Field(default=None, index=True)
    written: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    match: str = Field(description="new, registration, chassis, chassis_last5, engine, ambiguous")
    match_note: str | None = None
    candidates: list[str] = Field(
        default_factory=empty_list, sa_column=Column(JSON, nullable=False)
    )


class VehicleLinkRow(SQLModel, table=True):
    """A theft in one case linked to a recovery or seizure of the same vehicle in another."""

    __tablename__ = "vehicle_links"
    __table_args__ = (UniqueConstraint("stolen_event", "found_event"),)

    id: int | None = Field(default=None, primary_key=True)
    vehicle_id: str | None = Field(default=None, index=True)
    stolen_event: str
    found_event: str
    stolen_case_id: str = Field(index=True)
    found_case_id: str = Field(index=True)
    found_kind: str
    matched_on: str
    stolen_link_event: str | None = None
    found_link_event: str | None = None
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class LicenceRow(SQLModel, table=True):
    """One driving licence: its latest Sarathi record and the court's latest order on it."""

    __tablename__ = "licences"

    number: str = Field(primary_key=True)
    record: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    record_as_of: dt.date | None = None
    record_event_id: str | None = None
    order_kind: str | None = None
    order_number: str | None = None
    order_date: dt.date | None = None
    effective_from: dt.date | None = None
    effective_until: dt.date | None = None
    cnr: str | None = None
    case_id: str | None = None
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class LicenceMentionRow(SQLModel, table=True):
    """A case naming a driving licence: a court's order on it, or an accused who holds it."""

    __tablename__ = "licence_mentions"
    __table_args__ = (UniqueConstraint("event_id", "licence"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: str
    licence: str = Field(index=True)
    case_id: str = Field(index=True)
    #: ``licence_suspension`` / ``licence_revocation`` (a court order) or ``accused``.
    kind: str
    person_ref: str | None = None
    cnr: str | None = None
    order_number: str | None = None
    order_date: dt.date | None = None
    effective_from: dt.date | None = None
    effective_until: dt.date | None = None


# -- audit: the hash chain, its head, signed checkpoints and who read what ----------------------


class AuditChainRow(SQLModel, table=True):
    """One link of the audit chain: a message, event or access record (``kind``, ``ref``) as it
    was written, by the SHA-256 of its canonical content, chained to the link before it."""

    __tablename__ = "audit_chain"
    __table_args__ = (Index("ix_audit_chain_ref", "kind", "ref"),)

    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    kind: str
    ref: str
    #: SHA-256 of the row's canonical content (sorted-key JSON of its columns).
    content_hash: str
    #: A short digest of each column, to name the column that differs when a row is altered.
    columns: str
    prev_hash: str
    hash: str
    recorded_at: dt.datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class AuditHeadRow(SQLModel, table=True):
    """The chain's head: one row (id 1), locked by every append so appends are serialised."""

    __tablename__ = "audit_head"

    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    seq: int
    hash: str


class AuditCheckpointRow(SQLModel, table=True):
    """A signed checkpoint: the chain's head at ``seq``, signed with the gateway's Ed25519 key."""

    __tablename__ = "audit_checkpoints"

    id: int | None = Field(default=None, primary_key=True)
    seq: int
    head_hash: str
    created_at: dt.datetime = Field(sa_type=UtcDateTime)
    signature: str
    key_id: str
    public_key: str


class AccessRow(SQLModel, table=True):
    """One read: who (client, institution, pillar) read what (path, the case ids answered),
    when, under which request id and stated purpose (``X-Purpose``); chained like messages."""

    __tablename__ = "access_log"

    id: str = Field(primary_key=True)
    at: dt.datetime = Field(sa_type=UtcDateTime, index=True)
    client_id: int | None = Field(default=None, index=True)
    client_name: str
    institution: str
    pillar: str
    method: str
    path: str
    status: int
    case_ids: list[str] = Field(default_factory=empty_list, sa_column=Column(JSON, nullable=False))
    request_id: str | None = None
    purpose: str | None = None


class DeadlineNoticeRow(SQLModel, table=True):
    """A deadline event the gateway has emitted: at most one per case, clock, kind and due date
    (the unique constraint is what keeps two emitters from announcing the same twice)."""

    __tablename__ = "deadline_notices"
    __table_args__ = (
        UniqueConstraint("case_id", "clock", "kind", "due_on", name="uq_deadline_notices_once"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: str = Field(foreign_key="cases.id")
    clock: str
    kind: str = Field(description="due_soon or breached")
    due_on: dt.date
    event_id: str
    emitted_at: dt.datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


# -- the person index (issue 13): records of persons in criminal roles, linked into persons --


class PersonRecordRow(SQLModel, table=True):
    """One person as one source knows them (an accused of one case, an inmate admitted on its
    warrant, a licence holder): what the events said of them, merged, with the forms the
    linker compares, and the person the linker put them in. A projection of the event log,
    written by the person index's consumer (``gateway/services/persons/index.py``)."""

    __tablename__ = "person_records"
    # Search reads a common name's records by bounded ranges of these, covering what it ranks
    # them by (gateway/services/persons/search.py, _common_name_candidates).
    __table_args__ = (
        Index(
            "ix_person_records_name_place",
            "phonetic_key",
            "state",
            "birth_year",
            "father_norm",
            postgresql_include=["id"],
        ),
        Index(
            "ix_person_records_place_year",
            "state",
            "birth_year",
            "father_norm",
            "phonetic_key",
            postgresql_include=["id"],
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    record_key: str = Field(unique=True)
    case_id: str | None = Field(default=None, index=True)
    party_ref: str | None = None
    fir: str | None = None
    police_station: str | None = None
    name: str
    aliases: list[str] = Field(default_factory=empty_list, sa_column=Column(JSON, nullable=False))
    #: ``canonical_model.person_names.normalise_name`` of the name and of each alias.
    name_norm: str = ""
    alias_norms: list[str] = Field(
        default_factory=empty_list, sa_column=Column(JSON, nullable=False)
    )
    #: The sorted sound keys of the name's words, space-joined (search finds candidates by it).
    phonetic_key: str = ""
    father_name: str | None = None
    father_norm: str | None = Field(default=None, index=True)
    gender: str = "unknown"
    date_of_birth: dt.date | None = None
    birth_year: int | None = Field(default=None, index=True)
    age: int | None = None
    stated_on: dt.date | None = None
    state: str | None = None
    district: str | None = None
    identifiers: list[str] = Field(
        default_factory=empty_list, sa_column=Column(JSON, nullable=False)
    )
    roles: list[str] = Field(default_factory=empty_list, sa_column=Column(JSON, nullable=False))
    #: What happened to the person in this record's case, in the events' order.
    facts: list[dict[str, Any]] = Field(
        default_factory=empty_list, sa_column=Column(JSON, nullable=False)
    )
    #: A child in conflict with law: never in antecedents (JJ Act 2015 s.24).
    juvenile: bool = False
    person_id: str | None = Field(default=None, index=True)
    #: How the record came to its person: ``new`` (its own, joined to no other record: as it
    #: arrived, or as a re-link left it), ``identifier``, ``model``, ``decision``, ``relink``.
    linked_by: str | None = None
    link_probability: float | None = None
    first_seen: dt.datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class PersonKeyRow(SQLModel, table=True):
    """A word's sound key (or an identifier) of a record: how search and the incremental
    linker find candidates without reading every record."""

    __tablename__ = "person_keys"
    __table_args__ = (
        UniqueConstraint("key", "record_id", name="uq_person_keys"),
        Index("ix_person_keys_record", "record_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str
    record_id: int = Field(foreign_key="person_records.id")


class PersonLinkRow(SQLModel, table=True):
    """A pair of records the linker was unsure of (``review``), or an operator's decision on a
    pair (``confirmed``: the same person; ``split``: not). Decisions survive every re-link."""

    __tablename__ = "person_links"
    __table_args__ = (UniqueConstraint("record_a", "record_b", name="uq_person_links_pair"),)

    id: int | None = Field(default=None, primary_key=True)
    #: The two records' keys, the smaller first.
    record_a: str = Field(index=True)
    record_b: str = Field(index=True)
    state: str = Field(default="review", index=True)
    match_probability: float | None = None
    match_weight: float | None = None
    reasons: list[dict[str, Any]] = Field(
        default_factory=empty_list, sa_column=Column(JSON, nullable=False)
    )
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    decided_by: str | None = None
    decided_at: dt.datetime | None = Field(default=None, sa_type=UtcDateTime)
    note: str | None = None


class PersonModelRow(SQLModel, table=True):
    """One trained linkage model: the Fellegi-Sunter parameters Splink estimated from the
    records (never typed in), the settings version they belong to, and the run's figures."""

    __tablename__ = "person_models"

    id: int | None = Field(default=None, primary_key=True)
    trained_at: dt.datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    settings_version: str
    records: int
    model: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    stats: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class ConsoleSessionRow(SQLModel, table=True):
    """A signed-in session of the web console (``/console/``): whose key opened it (the key's
    digest, never the key), when it was last used (the idle timeout counts from there) and
    when it was ended (signed out, timed out, or its key no longer valid)."""

    __tablename__ = "console_sessions"

    #: SHA-256 of the session token the cookie carries (the token itself is never stored).
    id: str = Field(primary_key=True)
    client_id: int = Field(index=True)
    #: The digest of the API key that signed in (``gateway.services.auth.hash_key``): each
    #: request checks it again, so a revoked, expired or rotated-out key ends the session.
    key_hash: str
    created_at: dt.datetime = Field(sa_type=UtcDateTime)
    last_seen_at: dt.datetime = Field(sa_type=UtcDateTime)
    ended_at: dt.datetime | None = Field(default=None, sa_type=UtcDateTime)
    #: signed_out, idle, key_invalid (None while the session lives).
    ended_why: str | None = None


class AuditVerificationRow(SQLModel, table=True):
    """One verification of the audit chain (``gateway.services.audit_ops.verify_store``) and
    what it found, so that operators see when the chain was last verified and by whom."""

    __tablename__ = "audit_verifications"

    id: int | None = Field(default=None, primary_key=True)
    started_at: dt.datetime = Field(sa_type=UtcDateTime)
    finished_at: dt.datetime = Field(sa_type=UtcDateTime, index=True)
    by: str
    ok: bool
    links: int
    rows: int
    checkpoints: int
    cases: int
    #: The first findings (at most 20), as text.
    findings: list[str] = Field(default_factory=empty_list, sa_column=Column(JSON, nullable=False))
    findings_total: int = 0


# -- the citizen's view of an FIR (issue 14): access codes and failed attempts --


class CitizenAccessRow(SQLModel, table=True):
    """The access code the informant of an FIR reads its stage with (``/status/``,
    ``GET /v1/public/fir-status``): issued when the FIR is registered and printed with its copy
    (BNSS s.173(2)), issued again by the police of the case when it is lost. Only the code's
    digest is kept (``gateway.services.citizen.code_digest``), never the code. Not a projection:
    a code is drawn at random, so nothing in the event log could make it again."""

    __tablename__ = "citizen_access"

    #: The FIR's crosswalk key (``fir:MH/AU/CIDCO/2026/0001``): one code per FIR.
    fir_key: str = Field(primary_key=True)
    case_id: str = Field(foreign_key="cases.id", index=True)
    code_digest: str
    issued_at: dt.datetime = Field(sa_type=UtcDateTime)
    #: Who issued it: the police client whose registration or request made it.
    issued_by: str
    #: How many codes the FIR has had (1: the one of the registration).
    issues: int = 1


class CitizenFailureRow(SQLModel, table=True):
    """One wrong attempt at an FIR's public view (an unknown FIR or a wrong code, alike): what
    the rate limits count across every gateway process. Kept for the limits' window only."""

    __tablename__ = "citizen_failures"
    __table_args__ = (
        Index("ix_citizen_failures_fir_at", "fir_key", "at"),
        Index("ix_citizen_failures_address_at", "address", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(sa_type=UtcDateTime, index=True)
    #: The FIR asked for, known or not (so that an unknown FIR locks as a known one does).
    fir_key: str
    #: SHA-256 of the remote address (the address itself is not kept).
    address: str
