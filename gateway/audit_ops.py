"""Audit operations on a running gateway's store: verify the chain, sign a checkpoint and,
in production mode, publish it to ``<prefix>.audit.v1`` for a third party to hold."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
from sqlmodel import Session

from gateway import audit
from gateway.cases import rebuild_status
from gateway.db import Database
from gateway.kafka import kafka_topic, make_producer
from gateway.settings import Settings


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
    """Verify the whole store (see :func:`gateway.audit.verify`); the configured signing key,
    if any, is the key checkpoints must be signed with."""
    key = audit.configured_key(settings.audit_signing_key, settings.audit_signing_key_file)
    trusted = [audit.key_id(key.public_key())] if key is not None else []
    # One snapshot for the whole walk: a gateway writing meanwhile must not make a row written
    # after the chain was read look inserted (PostgreSQL: REPEATABLE READ; SQLite: a read
    # transaction begun explicitly, which WAL keeps at its snapshot).
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ")
        else:
            conn.exec_driver_sql("BEGIN")
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

    Raises :class:`gateway.audit.NoSigningKey` when no key is configured."""
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
