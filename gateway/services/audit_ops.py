"""Audit operations on a running gateway's store: verify the chain, sign a checkpoint and,
in production mode, publish it to ``<prefix>.audit.v1`` for a third party to hold."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from typing import Any

import orjson
from sqlalchemy import select
from sqlmodel import Session, col
from sqlmodel import select as select_rows

from gateway.messaging.kafka.clients import make_producer
from gateway.messaging.kafka.topics import kafka_topic
from gateway.services.cases import rebuild_status
from gateway.settings import Settings
from gateway.store import audit
from gateway.store.db import Database
from gateway.store.tables import AuditCheckpointRow, AuditHeadRow, AuditVerificationRow

#: The findings a verification's record keeps as text (the rest are counted).
FINDINGS_KEPT = 20


def audit_topic(settings: Settings) -> str:
    """The topic checkpoints are published to (``icjs.audit.v1``)."""
    return kafka_topic(settings, "icjs.audit.v1")


def verify_store(
    db: Database,
    settings: Settings,
    *,
    from_seq: int = 1,
    check_cases: bool = True,
    progress: audit.Progress | None = None,
) -> audit.Report:
    """Verify the whole store (see :func:`gateway.store.audit.verify`); the configured signing key,
    if any, is the key checkpoints must be signed with."""
    key = audit.configured_key(settings.audit_signing_key, settings.audit_signing_key_file)
    trusted = [audit.key_id(key.public_key())] if key is not None else []
    # One snapshot for the whole walk: a gateway writing meanwhile must not make a row written
    # after the chain was read look inserted (PostgreSQL: REPEATABLE READ; SQLite: the one
    # transaction the engine begins at the first read (gateway.store.db), which WAL keeps at
    # its snapshot).
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ")
        session = Session(bind=conn)

        def rebuild(case_id: str) -> dict[str, Any]:
            return rebuild_status(session, case_id).model_dump(mode="json")

        try:
            return audit.verify(
                conn,
                from_seq=from_seq,
                progress=progress,
                trusted_key_ids=trusted,
                check_cases=check_cases,
                rebuild=rebuild,
            )
        finally:
            session.close()
            conn.rollback()


def checkpoint(db: Database, settings: Settings) -> audit.Checkpoint:
    """Sign the chain's head now and store the checkpoint; in production mode (Kafka
    configured) publish it to the audit topic too, keyed by the signing key's id.

    Raises :class:`gateway.store.audit.NoSigningKey` when no key is configured."""
    key = audit.configured_key(settings.audit_signing_key, settings.audit_signing_key_file)
    if key is None:
        raise audit.NoSigningKey(audit.NO_KEY_HELP)
    with db.session(write=True) as session:
        made = audit.make_checkpoint(session, key)
    if settings.kafka_bootstrap_servers:
        asyncio.run(publish_checkpoint(settings, made))
    return made


async def publish_checkpoint(settings: Settings, made: audit.Checkpoint) -> None:
    """Publish one checkpoint (JSON) to ``<prefix>.audit.v1`` and wait for the broker's ack."""
    producer = make_producer(settings)
    timeout = settings.kafka_timeout_seconds
    await asyncio.wait_for(producer.start(), timeout=timeout)
    try:
        await asyncio.wait_for(
            producer.send_and_wait(
                audit_topic(settings),
                value=orjson.dumps(made.as_dict()),
                key=made.key_id.encode(),
                headers=[("icjs_kind", b"audit.checkpoint")],
            ),
            timeout=timeout * 3,
        )
    finally:
        await producer.stop()


#: How the rows written before the chain existed are ordered when brought onto it: messages
#: and access records by their time-ordered ids, events by the order the gateway accepted them.
_ADOPTION_ORDER = {"message": "id", "event": "sequence", "access": "id"}


def adopt_unchained(
    db: Database, *, batch: int = 1000, progress: audit.Progress | None = None
) -> int:
    """Bring onto the chain every message, event and access record that has no link: the rows
    of a store written before revision 0007 made the chain (``verify`` reports them as
    inserted until then). Each is chained as it stands now, in batches of ``batch`` rows per
    transaction; run it once after upgrading, then sign a checkpoint. Returns how many rows
    it chained; a second run chains none."""
    chain = audit.CHAIN
    total = 0
    for kind, table in audit.TABLES.items():
        linked = select(chain.c.seq).where(chain.c.kind == kind, chain.c.ref == table.c.id)
        query = select(table.c.id).where(~linked.exists()).order_by(table.c[_ADOPTION_ORDER[kind]])
        with db.session() as session:
            refs = [str(ref) for ref in session.execute(query).scalars()]
        for start in range(0, len(refs), batch):
            with db.session(write=True) as session:
                for ref in refs[start : start + batch]:
                    audit.touch(session, kind, ref)
            total += min(batch, len(refs) - start)
            if progress is not None:
                progress(f"{kind}: {min(start + batch, len(refs))} of {len(refs)} chained")
    return total


def verify_and_record(
    db: Database, settings: Settings, *, by: str, clock: Callable[[], dt.datetime]
) -> AuditVerificationRow:
    """Verify the whole store (:func:`verify_store`) and keep what was found
    (:func:`record_verification`): the web console's "verify now"."""
    started = clock()
    report = verify_store(db, settings)
    return record_verification(db, report, by=by, started=started, finished=clock())


def record_verification(
    db: Database, report: audit.Report, *, by: str, started: dt.datetime, finished: dt.datetime
) -> AuditVerificationRow:
    """Keep what a verification of the whole chain found, by whom (``icjs audit verify``, or
    the console user) and when, in ``audit_verifications``: operators read the last one in the
    web console."""
    row = AuditVerificationRow(
        started_at=started,
        finished_at=finished,
        by=by,
        ok=report.ok,
        links=report.links,
        rows=report.rows,
        checkpoints=report.checkpoints,
        cases=report.cases,
        findings=[str(f) for f in report.findings[:FINDINGS_KEPT]],
        findings_total=len(report.findings),
    )
    with db.session(write=True) as session:
        session.add(row)
        session.flush()
        session.refresh(row)
    return row


def audit_state(session: Session) -> dict[str, Any]:
    """The chain as operators watch it: its head (``seq``, ``hash``), the last signed
    checkpoint, and the last recorded verification (None for each there is not)."""
    head = session.get(AuditHeadRow, 1)
    checkpoint_row = session.exec(
        select_rows(AuditCheckpointRow).order_by(col(AuditCheckpointRow.id).desc()).limit(1)
    ).first()
    verification = session.exec(
        select_rows(AuditVerificationRow)
        .order_by(col(AuditVerificationRow.finished_at).desc(), col(AuditVerificationRow.id).desc())
        .limit(1)
    ).first()
    return {"head": head, "checkpoint": checkpoint_row, "verification": verification}
