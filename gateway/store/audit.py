"""Evidence-grade records: the audit hash chain, signed checkpoints and who read what.

Every stored message (each state it takes: received, held, applied, rejected), every event
and every access record is a link of one chain (``audit_chain``): the SHA-256 of the row's
canonical content (sorted-key JSON of its columns; bytes as hex, JSON columns as the text
stored) chained to the link before it::

    hash = SHA-256(prev_hash | seq | kind | ref | content_hash | columns)

Links are appended in the transaction that writes the row (:func:`touch` notes the row,
:func:`seal` appends when :class:`gateway.store.db.Database` commits), under a lock on the one-row
``audit_head`` (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite has one writer), so the chain
is one sequence without gaps. :func:`verify` walks it and names the first row altered, deleted
or inserted by plain SQL. An attacker able to rewrite the whole chain is caught by the signed
checkpoints (:func:`make_checkpoint`): the head's hash at a seq, signed with the gateway's
Ed25519 key, held by a third party (in production also published to ``<prefix>.audit.v1``).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import (
    JSON,
    BigInteger,
    String,
    Table,
    bindparam,
    cast,
    func,
    insert,
    literal,
    select,
    type_coerce,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.types import NullType
from sqlmodel import Session

from gateway.store.raw import current_connection
from gateway.store.tables import (
    AccessRow,
    AuditChainRow,
    AuditCheckpointRow,
    AuditHeadRow,
    CaseRow,
    EventRow,
    MessageRow,
    utcnow,
)

#: The hash the chain starts from: the ``prev_hash`` of its first link.
GENESIS = "0" * 64
#: The session's ``info`` key under which the rows to chain at commit are noted.
PENDING = "icjs_audit_pending"

CHAIN: Table = AuditChainRow.__table__  # type: ignore[attr-defined]
HEAD: Table = AuditHeadRow.__table__  # type: ignore[attr-defined]
CHECKPOINTS: Table = AuditCheckpointRow.__table__  # type: ignore[attr-defined]
ACCESS: Table = AccessRow.__table__  # type: ignore[attr-defined]
#: The chained tables, by the kind their links carry; each keyed by its ``id``.
TABLES: dict[str, Table] = {
    "message": MessageRow.__table__,  # type: ignore[attr-defined]
    "event": EventRow.__table__,  # type: ignore[attr-defined]
    "access": ACCESS,
}

Progress = Callable[[str], None]


# -- canonical content ---------------------------------------------------------------------


def content_select(table: Table) -> Any:
    """The table's columns as the chain reads them: the values the database driver gives,
    without the models' conversions (JSON columns as their stored text, what was written byte
    for byte; times as the database keeps them), so that writing and verifying read the same."""
    return select(
        *[
            cast(column, String).label(column.name)
            if isinstance(column.type, JSON)
            else type_coerce(column, NullType()).label(column.name)
            for column in table.columns
        ]
    )


def _default(value: Any) -> Any:
    """Canonical JSON of what JSON has no type for: bytes as hex, a time in UTC (ISO 8601)."""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, dt.datetime):
        return (value.astimezone(dt.UTC) if value.tzinfo is not None else value).isoformat()
    raise TypeError(f"no canonical form for {type(value).__name__}")


_CANONICAL = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME


def canonical(row: Mapping[str, Any]) -> bytes:
    """A row's canonical serialisation: sorted-key JSON of its columns as the driver gives them
    (:func:`content_select`), bytes as hex, times in UTC."""
    return orjson.dumps(dict(row), default=_default, option=_CANONICAL)


def content_hash(row: Mapping[str, Any]) -> str:
    """SHA-256 of a row's canonical content (:func:`canonical`)."""
    return hashlib.sha256(canonical(row)).hexdigest()


def column_digests(row: Mapping[str, Any]) -> str:
    """A short digest of each column (sorted-key JSON), to name what differs in an altered row."""
    digests = {
        name: hashlib.sha256(orjson.dumps(value, default=_default, option=_CANONICAL)).hexdigest()[
            :12
        ]
        for name, value in row.items()
    }
    return orjson.dumps(digests, option=orjson.OPT_SORT_KEYS).decode()


_LOCK_HEAD = select(HEAD.c.seq, HEAD.c.hash).where(HEAD.c.id == 1).with_for_update()
_INSERT_HEAD = insert(HEAD).values(id=1, seq=0, hash=GENESIS)
_UPDATE_HEAD = (
    update(HEAD)
    .where(HEAD.c.id == 1)
    .values(seq=bindparam("head_seq"), hash=bindparam("head_hash"))
)


def link_hash(prev_hash: str, seq: int, kind: str, ref: str, content: str, columns: str) -> str:
    """The hash of one link of the chain."""
    text = f"{prev_hash}|{seq}|{kind}|{ref}|{content}|{columns}"
    return hashlib.sha256(text.encode()).hexdigest()


# -- appending -----------------------------------------------------------------------------


def touch(session: Session, kind: str, ref: str, content: Mapping[str, Any] | None = None) -> None:
    """Chain row ``ref`` of ``kind`` (message, event, access) when the session commits.

    Without ``content`` the row is read back from the database at commit (the state the
    transaction leaves it in); with it, ``content`` is the row as stored (JSON columns as the
    text written)."""
    session.info.setdefault(PENDING, []).append((kind, ref, content))


def mark(session: Session) -> int:
    """Where the pending links stand, to :func:`rewind` to when a savepoint rolls back."""
    return len(session.info.get(PENDING, ()))


def rewind(session: Session, position: int) -> None:
    """Forget the links noted since ``position`` (their rows were rolled back)."""
    pending = session.info.get(PENDING)
    if pending is not None:
        del pending[position:]


def seal(session: Session) -> None:
    """Append a link for each row noted in this transaction, under the chain head's lock.

    Called by :meth:`gateway.store.db.Database.session` just before it commits."""
    pending: list[tuple[str, str, Mapping[str, Any] | None]] | None = session.info.pop(
        PENDING, None
    )
    if not pending:
        return
    session.flush()
    seen: set[tuple[str, str]] = set()
    order: list[tuple[str, str, Mapping[str, Any] | None]] = []
    for kind, ref, content in reversed(pending):  # a row noted twice: its last state, once
        if (kind, ref) not in seen:
            seen.add((kind, ref))
            order.append((kind, ref, content))
    order.reverse()
    wanted: dict[str, list[str]] = {}
    for kind, ref, content in order:
        if content is None:
            wanted.setdefault(kind, []).append(ref)
    # This runs in every writing transaction: its statements are compiled once per dialect and
    # run on the transaction's DB-API cursor (SQLAlchemy's cost per statement was most of it).
    conn = current_connection(session)
    sql = _compiled(conn.dialect)
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    cursor = dbapi.cursor()
    stored: dict[tuple[str, str], Mapping[str, Any]] = {}
    for kind, refs in wanted.items():
        statement, names = sql.read_back[kind]
        for ref in refs:
            cursor.execute(statement.sql, statement.params({"ref": ref}))
            found = cursor.fetchone()
            if found is not None:
                stored[(kind, ref)] = dict(zip(names, found, strict=True))
    cursor.execute(sql.lock_head.sql, sql.lock_head.params({}))
    head = cursor.fetchone()
    if head is None:
        # The head row is made by the migration; a store without it starts the chain anew
        # (verify reports the head as not matching the chain when links existed).
        conn.execute(_INSERT_HEAD)
        seq, prev = 0, GENESIS
    else:
        seq, prev = head
    now = sql.recorded_at(utcnow())
    links: list[dict[str, Any]] = []
    for kind, ref, content in order:
        row = content if content is not None else stored.get((kind, ref))
        if row is None:  # written and removed in the same transaction
            continue
        seq += 1
        digest, columns = content_hash(row), column_digests(row)
        link = link_hash(prev, seq, kind, ref, digest, columns)
        links.append(
            {
                "seq": seq,
                "kind": kind,
                "ref": ref,
                "content_hash": digest,
                "columns": columns,
                "prev_hash": prev,
                "hash": link,
                "recorded_at": now,
            }
        )
        prev = link
    if links:
        cursor.executemany(sql.insert_links.sql, [sql.insert_links.params(link) for link in links])
        cursor.execute(
            sql.update_head.sql, sql.update_head.params({"head_seq": seq, "head_hash": prev})
        )
    cursor.close()


@dataclass(frozen=True, slots=True)
class _Raw:
    """A statement compiled for one dialect, run on a DB-API cursor."""

    sql: str
    order: tuple[str, ...] | None  # positional parameters' names; None: named
    fixed: dict[str, Any]  # the statement's own values (``id = 1``)

    def params(self, values: Mapping[str, Any]) -> Any:
        given = {**self.fixed, **values}
        return given if self.order is None else tuple(given[name] for name in self.order)

    @classmethod
    def of(cls, statement: Any, dialect: Any) -> _Raw:
        compiled = statement.compile(dialect=dialect)
        order = tuple(compiled.positiontup) if compiled.positional else None
        fixed = {k: v for k, v in compiled.params.items() if v is not None}
        return cls(sql=str(compiled), order=order, fixed=fixed)


@dataclass(frozen=True, slots=True)
class _Chain:
    """The append's statements for one dialect."""

    read_back: dict[str, tuple[_Raw, list[str]]]
    lock_head: _Raw
    insert_links: _Raw
    update_head: _Raw
    recorded_at: Callable[[dt.datetime], Any]


_CHAIN_SQL: dict[str, _Chain] = {}


def _compiled(dialect: Any) -> _Chain:
    found = _CHAIN_SQL.get(dialect.name)
    if found is None:
        read_back = {
            kind: (
                _Raw.of(content_select(table).where(table.c.id == bindparam("ref")), dialect),
                [c.name for c in table.columns],
            )
            for kind, table in TABLES.items()
        }
        stamp = CHAIN.c.recorded_at.type.bind_processor(dialect)
        found = _Chain(
            read_back=read_back,
            lock_head=_Raw.of(_LOCK_HEAD, dialect),
            insert_links=_Raw.of(
                insert(CHAIN).values({c.name: bindparam(c.name) for c in CHAIN.columns}), dialect
            ),
            update_head=_Raw.of(_UPDATE_HEAD, dialect),
            recorded_at=stamp if stamp is not None else (lambda value: value),
        )
        _CHAIN_SQL[dialect.name] = found
    return found


# -- who read what ---------------------------------------------------------------------------


def new_access_id() -> str:
    """A new access record id (``acc_`` + time-ordered hex)."""
    return f"acc_{int(utcnow().timestamp() * 1000):012x}{secrets.token_hex(6)}"


def record_access(
    session: Session,
    *,
    client_id: int | None,
    client_name: str,
    institution: str,
    pillar: str,
    method: str,
    path: str,
    status: int,
    case_ids: Sequence[str],
    request_id: str | None,
    purpose: str | None,
) -> str:
    """Write one access record and chain it, in the caller's (write) session."""
    values: dict[str, Any] = {
        "id": new_access_id(),
        "at": utcnow(),
        "client_id": client_id,
        "client_name": client_name,
        "institution": institution,
        "pillar": pillar,
        "method": method,
        "path": path,
        "status": status,
        "case_ids": list(dict.fromkeys(case_ids)),
        "request_id": request_id,
        "purpose": purpose,
    }
    session.execute(insert(ACCESS), values)
    touch(session, "access", values["id"])
    return str(values["id"])


def access_view(row: Any) -> dict[str, Any]:
    """An access record as the API answers it."""
    return {
        "id": row.id,
        "at": row.at.isoformat(),
        "client_id": row.client_id,
        "client_name": row.client_name,
        "institution": row.institution,
        "pillar": row.pillar,
        "method": row.method,
        "path": row.path,
        "status": row.status,
        "case_ids": list(row.case_ids),
        "request_id": row.request_id,
        "purpose": row.purpose,
    }


def query_access(
    session: Session,
    *,
    case_id: str | None = None,
    client_id: int | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """Access records, newest first, by case, client and time."""
    query = select(ACCESS)
    if case_id is not None:
        # The JSON list's stored text holds the id quoted: one filter on both databases.
        query = query.where(cast(ACCESS.c.case_ids, String).like(f'%"{case_id}"%'))
    if client_id is not None:
        # A 64-bit bind: an id beyond the column's range (PostgreSQL's integer) matches
        # nothing, rather than making the database refuse the statement (issue 10).
        query = query.where(ACCESS.c.client_id == literal(client_id, BigInteger))
    if since is not None:
        query = query.where(ACCESS.c.at >= since)
    if until is not None:
        query = query.where(ACCESS.c.at < until)
    rows = session.execute(query.order_by(ACCESS.c.at.desc(), ACCESS.c.id.desc()).limit(limit))
    return [access_view(row) for row in rows]


# -- signed checkpoints ----------------------------------------------------------------------


class NoSigningKey(RuntimeError):
    """No Ed25519 key is configured; the message says how to make one."""


NO_KEY_HELP = (
    "no audit signing key: make one with `icjs audit keygen > audit-key.pem` (keep it "
    "secret), then set ICJS_AUDIT_SIGNING_KEY_FILE=audit-key.pem (or ICJS_AUDIT_SIGNING_KEY "
    "to the PEM text or the base64 of the 32-byte key)"
)


def generate_key() -> tuple[str, str]:
    """A new Ed25519 key: (private key PEM, key id)."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return pem, key_id(key.public_key())


def load_key(text: str) -> Ed25519PrivateKey:
    """An Ed25519 private key from PEM text or the base64 of its 32 raw bytes."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("the audit signing key must be an Ed25519 key")
        return key
    raw = base64.b64decode(text, validate=True)
    if len(raw) != 32:
        raise ValueError("a base64 audit signing key must decode to 32 bytes (Ed25519)")
    return Ed25519PrivateKey.from_private_bytes(raw)


def configured_key(key: str | None, key_file: Path | None) -> Ed25519PrivateKey | None:
    """The key of ``ICJS_AUDIT_SIGNING_KEY`` or ``ICJS_AUDIT_SIGNING_KEY_FILE``, if set."""
    if key:
        return load_key(key)
    if key_file is not None:
        return load_key(Path(key_file).read_text())
    return None


def _public_raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public: Ed25519PublicKey) -> str:
    """A public key's id: the first 16 hex digits of the SHA-256 of its raw bytes."""
    return hashlib.sha256(_public_raw(public)).hexdigest()[:16]


def checkpoint_message(seq: int, head_hash: str, created_at: dt.datetime) -> bytes:
    """What a checkpoint signs."""
    return f"icjs-audit-checkpoint/v1\n{seq}\n{head_hash}\n{created_at.isoformat()}".encode()


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A signed head of the chain."""

    id: int
    seq: int
    head_hash: str
    created_at: dt.datetime
    signature: str
    key_id: str
    public_key: str

    def as_dict(self) -> dict[str, Any]:
        """As published to the audit topic and printed."""
        return {
            "id": self.id,
            "seq": self.seq,
            "head_hash": self.head_hash,
            "created_at": self.created_at.isoformat(),
            "signature": self.signature,
            "key_id": self.key_id,
            "public_key": self.public_key,
        }


def make_checkpoint(session: Session, key: Ed25519PrivateKey) -> Checkpoint:
    """Sign the chain's head as it is now and store the checkpoint (caller's write session)."""
    head = session.execute(
        select(HEAD.c.seq, HEAD.c.hash).where(HEAD.c.id == 1).with_for_update()
    ).first()
    seq, head_hash = (0, GENESIS) if head is None else (int(head[0]), str(head[1]))
    created_at = utcnow()
    signature = base64.b64encode(key.sign(checkpoint_message(seq, head_hash, created_at))).decode()
    public = key.public_key()
    kid = key_id(public)
    public_b64 = base64.b64encode(_public_raw(public)).decode()
    values = {
        "seq": seq,
        "head_hash": head_hash,
        "created_at": created_at,
        "signature": signature,
        "key_id": kid,
        "public_key": public_b64,
    }
    new_id = session.execute(
        insert(CHECKPOINTS).values(**values).returning(CHECKPOINTS.c.id)
    ).scalar_one()
    return Checkpoint(
        id=int(new_id),
        seq=seq,
        head_hash=head_hash,
        created_at=created_at,
        signature=signature,
        key_id=kid,
        public_key=public_b64,
    )


def signature_ok(
    seq: int, head_hash: str, created_at: dt.datetime, signature: str, public_key: str
) -> bool:
    """Whether ``signature`` is the checkpoint's, by the Ed25519 ``public_key`` (base64 raw)."""
    try:
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key))
        public.verify(base64.b64decode(signature), checkpoint_message(seq, head_hash, created_at))
    except (InvalidSignature, ValueError):
        return False
    return True


# -- verifying -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing verification found wrong: which row (kind, ref, seq) and what."""

    kind: str
    ref: str
    seq: int | None
    problem: str

    def __str__(self) -> str:
        if self.kind == "case":
            return f"case {self.ref}: {self.problem}"
        where = f"seq {self.seq}" if self.seq is not None else "not on the chain"
        return f"{self.kind} {self.ref} ({where}): {self.problem}"


@dataclass(slots=True)
class Report:
    """What :func:`verify` found."""

    links: int = 0
    rows: int = 0
    checkpoints: int = 0
    cases: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Nothing wrong."""
        return not self.findings

    def first(self) -> Finding | None:
        """The first row found wrong, in chain order (rows not on the chain last)."""
        ordered = sorted(
            self.findings, key=lambda f: (f.seq is None, f.seq if f.seq is not None else 0)
        )
        return ordered[0] if ordered else None


def _stream(conn: Connection, statement: Any) -> Iterator[Any]:
    result = conn.execution_options(stream_results=True, yield_per=5000).execute(statement)
    yield from result


def _raw(conn: Connection, statement: Any, batch: int = 5000) -> Iterator[tuple[Any, ...]]:
    """The statement's rows as the DB-API driver gives them (tuples, no per-row conversion):
    verification reads every row once, and SQLAlchemy's rows cost as much as the hashing.
    PostgreSQL streams them through a server-side cursor."""
    sql = str(statement.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    if conn.dialect.name == "postgresql":
        cursor = dbapi.cursor(name=f"icjs_audit_{secrets.token_hex(4)}")
    else:
        cursor = dbapi.cursor()
    try:
        cursor.execute(sql)
        while rows := cursor.fetchmany(batch):
            yield from rows
    finally:
        cursor.close()


def _differs(conn: Connection, seq: int, row: Mapping[str, Any]) -> str:
    stored = conn.execute(select(CHAIN.c.columns).where(CHAIN.c.seq == seq)).scalar_one()
    before = orjson.loads(stored)
    now = orjson.loads(column_digests(row))
    changed = sorted(
        name for name in before.keys() | now.keys() if before.get(name) != now.get(name)
    )
    return ", ".join(changed) or "the content (same columns)"


def verify(
    conn: Connection,
    *,
    from_seq: int = 1,
    progress: Progress | None = None,
    every: int = 50_000,
    trusted_key_ids: Iterable[str] = (),
    check_cases: bool = True,
    rebuild: Callable[[str], dict[str, Any]] | None = None,
) -> Report:
    """Walk the chain from ``from_seq`` and check every chained row against it.

    Finds: a link altered, deleted or inserted (its hash or ``prev_hash`` does not follow, a gap
    in the seqs, a head that is not the chain's end); a message, event or access record altered
    (its content is not the hash of its last link: the columns that differ are named), deleted
    (its link names a row that is gone) or inserted (a row no link names); a checkpoint whose
    signature fails, signed by a key not trusted, or whose head is not on the chain; and, with
    ``check_cases`` and ``rebuild``, a case whose stored status is not its rebuild from events.
    """
    say = progress or (lambda _line: None)
    report = Report()
    trusted = set(trusted_key_ids)
    checkpoints = list(conn.execute(select(CHECKPOINTS).order_by(CHECKPOINTS.c.id)))
    wanted_seqs = {int(c.seq) for c in checkpoints}
    hash_at: dict[int, str] = {0: GENESIS}
    total = conn.execute(select(func.count()).select_from(CHAIN)).scalar_one()
    start = max(from_seq, 1)
    prev = GENESIS
    expected = 1
    if start > 1:
        before = conn.execute(
            select(CHAIN.c.seq, CHAIN.c.hash)
            .where(CHAIN.c.seq < start)
            .order_by(CHAIN.c.seq.desc())
        ).first()
        if before is not None:
            expected, prev = int(before[0]) + 1, str(before[1])
    # Each row's last link (seq, content hash); the column digests are read again only for a
    # row found altered, so the map stays small (a chain of millions fits in memory).
    latest: dict[tuple[str, str], tuple[int, str]] = {}
    if start > 1:
        for kind, ref, seq, digest in _raw(
            conn,
            select(CHAIN.c.kind, CHAIN.c.ref, CHAIN.c.seq, CHAIN.c.content_hash)
            .where(CHAIN.c.seq < start)
            .order_by(CHAIN.c.seq),
        ):
            latest[(kind, ref)] = (seq, digest)
            if seq in wanted_seqs:
                hash_at[seq] = ""  # before the walk: taken from the chain as it stands
    sha256 = hashlib.sha256
    walk = select(
        CHAIN.c.seq,
        CHAIN.c.kind,
        CHAIN.c.ref,
        CHAIN.c.content_hash,
        CHAIN.c.columns,
        CHAIN.c.prev_hash,
        CHAIN.c.hash,
    ).where(CHAIN.c.seq >= start)
    links = 0
    for seq, kind, ref, digest, columns, prev_hash, stored in _raw(
        conn, walk.order_by(CHAIN.c.seq)
    ):
        if seq != expected:
            report.findings.append(
                Finding(
                    "chain",
                    f"{expected}..{seq - 1}",
                    expected,
                    f"links seq {expected} to {seq - 1} are missing (deleted)",
                )
            )
        if prev_hash != prev:
            report.findings.append(
                Finding(
                    kind,
                    ref,
                    seq,
                    "the link's prev_hash is not the hash of the link before it "
                    "(a link was inserted, deleted or rewritten here)",
                )
            )
        text = f"{prev_hash}|{seq}|{kind}|{ref}|{digest}|{columns}"
        if sha256(text.encode()).hexdigest() != stored:
            report.findings.append(
                Finding(
                    kind, ref, seq, "the chain link itself was altered (its hash does not match)"
                )
            )
        prev = stored
        expected = seq + 1
        latest[(kind, ref)] = (seq, digest)
        if seq in wanted_seqs:
            hash_at[seq] = stored
        links += 1
        if links % every == 0:
            say(f"chain: {links} of {total} links")
    report.links = links
    last_seq, last_hash = expected - 1, prev
    head = conn.execute(select(HEAD.c.seq, HEAD.c.hash).where(HEAD.c.id == 1)).first()
    if head is None or (int(head[0]), str(head[1])) != (last_seq, last_hash):
        said = "missing" if head is None else f"seq {head[0]}"
        report.findings.append(
            Finding(
                "chain",
                "head",
                last_seq,
                f"the chain head ({said}) is not the last link (seq {last_seq}): links at the "
                "end were deleted, or appended without the head",
            )
        )
    checked = 0
    for kind, table in TABLES.items():
        names = [c.name for c in table.columns]
        at_id = names.index("id")
        for row in _raw(conn, content_select(table)):
            ref = row[at_id]
            link = latest.pop((kind, ref), None)
            checked += 1
            if checked % every == 0:
                say(f"rows: {checked} checked")
            if link is None:
                report.findings.append(
                    Finding(kind, ref, None, "the row is on no link of the chain (inserted)")
                )
                continue
            seq, digest = link
            if seq < start:
                continue
            mapping = dict(zip(names, row, strict=True))
            now = sha256(orjson.dumps(mapping, default=_default, option=_CANONICAL)).hexdigest()
            if now != digest:
                report.findings.append(
                    Finding(kind, ref, seq, f"altered: {_differs(conn, seq, mapping)} differ")
                )
    report.rows = checked
    for (kind, ref), (seq, _digest) in latest.items():
        if kind in TABLES and seq >= start:
            report.findings.append(
                Finding(
                    kind, ref, seq, "deleted: the chain names the row, the table has it no more"
                )
            )
    keys_seen: set[str] = set()
    for checkpoint in checkpoints:
        report.checkpoints += 1
        where = f"checkpoint {checkpoint.id}"
        if not signature_ok(
            int(checkpoint.seq),
            checkpoint.head_hash,
            checkpoint.created_at,
            checkpoint.signature,
            checkpoint.public_key,
        ):
            report.findings.append(
                Finding("checkpoint", str(checkpoint.id), int(checkpoint.seq), "bad signature")
            )
            continue
        if _public_key_id(checkpoint.public_key) != checkpoint.key_id:
            report.findings.append(
                Finding(
                    "checkpoint", str(checkpoint.id), int(checkpoint.seq), "key id is not its key's"
                )
            )
        keys_seen.add(checkpoint.key_id)
        if trusted and checkpoint.key_id not in trusted:
            report.findings.append(
                Finding(
                    "checkpoint",
                    str(checkpoint.id),
                    int(checkpoint.seq),
                    f"signed by key {checkpoint.key_id}, not a trusted key ({', '.join(sorted(trusted))})",
                )
            )
        at = hash_at.get(int(checkpoint.seq))
        if at == "":
            at = conn.execute(
                select(CHAIN.c.hash).where(CHAIN.c.seq == checkpoint.seq)
            ).scalar_one_or_none()
        if at is None:
            report.findings.append(
                Finding(
                    "checkpoint",
                    str(checkpoint.id),
                    int(checkpoint.seq),
                    f"{where}'s head (seq {checkpoint.seq}) is not on the chain (links deleted)",
                )
            )
        elif at != checkpoint.head_hash:
            report.findings.append(
                Finding(
                    "checkpoint",
                    str(checkpoint.id),
                    int(checkpoint.seq),
                    f"{where}'s head hash is not the chain's at seq {checkpoint.seq} "
                    "(the chain up to it was rewritten)",
                )
            )
    if check_cases and rebuild is not None:
        cases_table: Table = CaseRow.__table__  # type: ignore[attr-defined]
        for case_id, status in _stream(conn, select(cases_table.c.id, cases_table.c.status)):
            report.cases += 1
            if rebuild(case_id) != status:
                report.findings.append(
                    Finding(
                        "case",
                        case_id,
                        None,
                        "the stored status is not its rebuild from the case's events",
                    )
                )
            if report.cases % 5000 == 0:
                say(f"cases: {report.cases} rebuilt")
    return report


def _public_key_id(public_key: str) -> str:
    try:
        return key_id(Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key)))
    except ValueError:
        return ""
