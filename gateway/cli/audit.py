"""``icjs audit``: keygen, checkpoint, verify."""

from __future__ import annotations

import sys
import time
from typing import Annotated

import typer

from gateway.settings import Settings

audit_app = typer.Typer(
    help="Tamper evidence: the hash chain of messages, events and reads, and signed checkpoints.",
    no_args_is_help=True,
)


@audit_app.command("keygen")
def keygen() -> None:
    """Print a new Ed25519 signing key (PEM) for checkpoints; its key id goes to stderr.

    Keep it secret: `icjs audit keygen > audit-key.pem`, then
    ICJS_AUDIT_SIGNING_KEY_FILE=audit-key.pem."""
    from gateway.store.audit import generate_key

    pem, kid = generate_key()
    typer.echo(pem, nl=False)
    typer.echo(f"key id {kid}", err=True)


@audit_app.command("checkpoint")
def checkpoint_command() -> None:
    """Sign the chain's head (seq, hash, time) and store it; with Kafka configured, publish
    it to <prefix>.audit.v1 too."""
    from gateway.cli.main import _open_gateway
    from gateway.services.audit_ops import audit_topic, checkpoint
    from gateway.store.audit import NoSigningKey

    settings = Settings()
    gateway = _open_gateway(settings)
    try:
        made = checkpoint(gateway.db, settings)
    except NoSigningKey as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    finally:
        gateway.close()
    where = f", published to {audit_topic(settings)}" if settings.kafka_bootstrap_servers else ""
    typer.echo(
        f"checkpoint {made.id}: seq {made.seq}, head {made.head_hash}, "
        f"{made.created_at.isoformat()}, key {made.key_id}{where}"
    )


@audit_app.command("adopt")
def adopt_command() -> None:
    """Bring onto the chain the messages, events and access records written before the chain
    existed (a store upgraded from before revision 0007_audit_chain), as they stand now; then
    sign a checkpoint (`icjs audit checkpoint`). Rows already chained are left alone."""
    from gateway.cli.main import _open_gateway
    from gateway.services.audit_ops import adopt_unchained

    settings = Settings()
    gateway = _open_gateway(settings)
    start = time.perf_counter()

    def progress(line: str) -> None:
        print(f"  {line} ({time.perf_counter() - start:.1f} s)", file=sys.stderr, flush=True)

    try:
        chained = adopt_unchained(gateway.db, progress=progress)
    finally:
        gateway.close()
    typer.echo(f"{chained} rows brought onto the audit chain")


@audit_app.command("verify")
def verify_command(
    from_seq: Annotated[
        int, typer.Option("--from", help="First chain seq to verify (links before are trusted).")
    ] = 1,
    cases: Annotated[
        bool, typer.Option(help="Also compare each case's stored status with its rebuild.")
    ] = True,
) -> None:
    """Walk the chain and check every message, event and access record against it, the
    checkpoints' signatures and heads, and (by default) every case status against its rebuild.
    Names the first row altered, deleted or inserted; exit status 1 when anything is wrong."""
    from gateway.cli.main import _open_gateway
    from gateway.services.audit_ops import record_verification, verify_store

    settings = Settings()
    gateway = _open_gateway(settings)
    start = time.perf_counter()
    started = gateway.clock()

    def progress(line: str) -> None:
        print(f"  {line} ({time.perf_counter() - start:.1f} s)", file=sys.stderr, flush=True)

    try:
        report = verify_store(
            gateway.db, settings, from_seq=from_seq, check_cases=cases, progress=progress
        )
        if from_seq == 1 and cases:
            # A whole verification is what operators see as the chain's last (web console).
            record_verification(
                gateway.db,
                report,
                by="icjs audit verify",
                started=started,
                finished=gateway.clock(),
            )
    finally:
        gateway.close()
    summary = f"{report.links} links, {report.rows} rows, {report.checkpoints} checkpoints" + (
        f", {report.cases} cases" if cases else ""
    )
    first = report.first()
    if first is None:
        typer.echo(f"audit chain verified: {summary}")
        return
    typer.echo(f"audit chain BROKEN: {len(report.findings)} finding(s) in {summary}")
    typer.echo(f"first: {first}")
    for finding in report.findings[:50]:
        if finding is not first:
            typer.echo(f"  {finding}")
    raise typer.Exit(1)
