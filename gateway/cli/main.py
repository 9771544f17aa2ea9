"""The ``icjs`` command: serve the gateway, manage client keys, run the demo.

With nothing configured every command uses ``./icjs.db``; ``ICJS_DATABASE_URL``
points them all elsewhere.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from gateway.cli.audit import audit_app
from gateway.cli.contracts import contracts_app
from gateway.cli.deadlines import deadlines_command
from gateway.cli.law import law_app
from gateway.cli.listen import port_problem
from gateway.cli.persons import persons_app
from gateway.services.auth import PILLARS
from gateway.services.policies import default_policies
from gateway.settings import Settings

if TYPE_CHECKING:
    from gateway.bootstrap import Gateway
    from gateway.messaging.feed import FeedProjector

app = typer.Typer(
    help="ICJS Gateway: one canonical case model between police, courts and the other pillars.",
    no_args_is_help=True,
    add_completion=False,
)
clients_app = typer.Typer(help="Client credentials (API keys bound to a pillar and institution).")
app.add_typer(clients_app, name="clients")
institutions_app = typer.Typer(
    help="The institution directory: every institution keys may be issued to.",
    no_args_is_help=True,
)
app.add_typer(institutions_app, name="institutions")
db_app = typer.Typer(
    help="The database schema: where it is, and upgrading it (migrations).", no_args_is_help=True
)
app.add_typer(db_app, name="db")
app.add_typer(audit_app, name="audit")
app.add_typer(law_app, name="law")
app.add_typer(persons_app, name="persons")
app.add_typer(contracts_app, name="contracts")
app.command("deadlines")(deadlines_command)


def _settings() -> Settings:
    """The settings from the environment, or exit 2 naming each variable at fault and why (never
    the value: a database URL holds a password)."""
    from pydantic import ValidationError

    try:
        return Settings()
    except ValidationError as exc:
        for error in exc.errors(include_url=False, include_input=False):
            variable = "ICJS_" + "_".join(str(p) for p in error["loc"]).upper()
            reason = str(error["msg"]).removeprefix("Value error, ")
            typer.echo(f"error: {variable}: {reason}", err=True)
        raise typer.Exit(2) from None


def _open_gateway(settings: Settings) -> Gateway:
    """Build the gateway, turning the failures a user can fix into one line and exit 1."""
    from sqlalchemy.exc import OperationalError

    from gateway.bootstrap import build_gateway
    from gateway.logs import configure_logging
    from gateway.store.db import SchemaOutOfDate, describe_url

    # Every command that opens the gateway logs as `icjs serve` does: JSON lines on stderr
    # (a feed rebuilt by `icjs replay` logs each entry filed; stdout keeps the command's answer).
    configure_logging(level=settings.log_level, fmt=settings.log_format)
    try:
        return build_gateway(settings)
    except SchemaOutOfDate as exc:
        typer.echo(f"error: {exc}", err=True)
    except OperationalError as exc:
        typer.echo(
            f"error: cannot open the database {describe_url(settings.database_url)}: "
            f"{str(exc.orig or exc).strip()} (check ICJS_DATABASE_URL)",
            err=True,
        )
    raise typer.Exit(1)


def _open_gateway_waiting(settings: Settings, *, what: str) -> Gateway:
    """Build the gateway, waiting (backoff with jitter, a log line at each wait) while the
    database is unreachable, as a worker does once running; other failures as
    :func:`_open_gateway`."""
    from gateway.errors import Dependency, database_down
    from gateway.messaging.consumers import DeliveryPolicy, Outage
    from gateway.store.db import describe_url

    outage = Outage(
        policy=DeliveryPolicy(
            outage_backoff_seconds=settings.outage_backoff_seconds,
            outage_backoff_max_seconds=max(
                settings.outage_backoff_max_seconds, settings.outage_backoff_seconds
            ),
        ),
        what=what,
        where=lambda _dependency: describe_url(settings.database_url),
    )
    while True:
        from gateway.bootstrap import build_gateway

        try:
            gateway = build_gateway(settings)
        except Exception as exc:
            if not database_down(exc):
                break
            outage.wait(Dependency.DATABASE, exc, step="start")
            continue
        outage.recovered(step="start")
        return gateway
    return _open_gateway(settings)


def _projector(gateway: Gateway, pillar: str) -> FeedProjector:
    projector = gateway.feeds.get(pillar)
    if projector is None:
        gateway.close()
        typer.echo(
            f"error: no outbound feed for pillar {pillar!r}; one of: {', '.join(gateway.feeds)}",
            err=True,
        )
        raise typer.Exit(2)
    return projector


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on (ICJS_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (ICJS_PORT).")] = None,
    workers: Annotated[
        int | None,
        typer.Option(help="Worker processes (ICJS_WORKERS); more than one needs PostgreSQL."),
    ] = None,
) -> None:
    """Run the gateway's HTTP API."""
    import uvicorn

    from gateway.api.app import create_app
    from gateway.logs import configure_logging
    from gateway.store.db import describe_url

    settings = _settings()
    configure_logging(level=settings.log_level, fmt=settings.log_format)
    processes = workers or settings.workers
    if processes > 1 and settings.database_url.startswith("sqlite"):
        # Each process would relay the one SQLite outbox to its own in-process bus.
        typer.echo(
            "error: several worker processes need a server database; set ICJS_DATABASE_URL "
            "to PostgreSQL, or run one process (SQLite is for the embedded mode)",
            err=True,
        )
        raise typer.Exit(2)
    # Before the database is opened (and, the first time, created): see gateway.cli.listen.
    problem = port_problem(host or settings.host, port or settings.port)
    if problem is not None:
        typer.echo(f"error: {problem}", err=True)
        raise typer.Exit(1)
    gateway = _open_gateway(settings)  # migrates a new database, refuses one that is behind
    where = f"http://{host or settings.host}:{port or settings.port}"
    typer.echo(
        f"ICJS gateway on {where} (database {describe_url(settings.database_url)}"
        f"{f', {processes} processes' if processes > 1 else ''}); API docs at /docs",
        err=True,
    )
    from gateway.api.server import HeaderTimeoutProtocol, shared_metrics, tune_gc_for_serving

    # The request's headers have ICJS_HEADER_TIMEOUT_SECONDS to arrive (408 past it).
    HeaderTimeoutProtocol.header_timeout = settings.header_timeout_seconds
    common: dict[str, Any] = {
        "host": host or settings.host,
        "port": port or settings.port,
        "log_level": settings.log_level.lower(),
        "access_log": False,
        "http": HeaderTimeoutProtocol,
        # uvicorn's own log format would be a second one: its loggers go through ours.
        "log_config": None,
    }
    if processes == 1:
        app = create_app(gateway)
        tune_gc_for_serving()
        uvicorn.run(app, **common)
        return
    gateway.close()
    # Every process builds its own gateway from the same ICJS_ settings; one of them wins
    # the relay lock, the others stand by (see RelayLock). Their counters are summed in /metrics.
    with shared_metrics():
        uvicorn.run("gateway.api.server:serving_app", factory=True, workers=processes, **common)


@clients_app.command("add")
def clients_add(
    pillar: Annotated[str, typer.Option(help=f"One of: {', '.join(PILLARS)}.")],
    institution: Annotated[
        str,
        typer.Option(
            help="The institution the key speaks for, by its code in the institution directory "
            "(it must be listed: `icjs institutions list`). "
            # Each pillar's policy says what its codes are (a third party's pillar too).
            + "; ".join(default_policies().get(p).institution_help for p in PILLARS)
            + "."
        ),
    ],
    name: Annotated[
        str | None, typer.Option(help="A label for the client (defaults to pillar-institution).")
    ] = None,
    expires_in: Annotated[
        str | None,
        typer.Option(
            "--expires-in",
            metavar="DURATION",
            help="The key expires this long from now (90d, 12w, 24h; units s, m, h, d, w); "
            "then it answers 401 'expired API key'. Default: it never expires.",
        ),
    ] = None,
) -> None:
    """Create a client and print its API key (shown this once; only its hash is stored)."""
    from gateway.services.auth import create_client

    lifetime = _duration("--expires-in", expires_in)
    gateway = _open_gateway(_settings())
    try:
        with gateway.db.session(write=True) as session:
            row, key = create_client(
                session,
                name=name or f"{pillar}-{institution}",
                pillar=pillar,
                institution=institution,
                expires_in=lifetime,
            )
            label = f"{row.pillar} {row.institution} ({row.name})"
            if row.expires_at is not None:
                label += f", expires {_when(row.expires_at)}"
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    finally:
        gateway.close()
    typer.echo(f"created client {label}; its API key, shown only now:", err=True)
    typer.echo(key)


def _duration(option: str, text: str | None) -> dt.timedelta | None:
    """A duration option (``90d``, ``24h``), or exit 2 naming the option."""
    from gateway.services.auth import parse_duration

    if text is None:
        return None
    try:
        return parse_duration(text)
    except ValueError as exc:
        typer.echo(f"error: {option}: {exc}", err=True)
        raise typer.Exit(2) from None


def _when(moment: dt.datetime | None) -> str:
    """A time as ``icjs clients`` shows it: UTC, to the minute; ``-`` for none."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%MZ") if moment else "-"


#: The columns of ``icjs clients list``, tab-separated.
CLIENT_COLUMNS = (
    "ID", "PILLAR", "INSTITUTION", "NAME", "KEY", "CREATED", "LAST USED", "EXPIRES", "STATE",
)  # fmt: skip


@clients_app.command("list")
def clients_list() -> None:
    """List clients (never their keys), tab-separated under a header row: id, pillar,
    institution, name, key prefix, when the key was made, when it was last used (to the
    minute), when it expires, and its state: active, revoked, expired, or rotating (a key
    replaced by `icjs clients rotate` still works until its overlap ends)."""
    from sqlmodel import col, select

    from gateway.services.auth import key_state
    from gateway.store.tables import ClientRow, RetiredKeyRow, utcnow

    gateway = _open_gateway(_settings())
    try:
        with gateway.db.session() as session:
            rows = session.exec(select(ClientRow).order_by(col(ClientRow.id))).all()
            now = utcnow()
            retired: dict[int, list[RetiredKeyRow]] = {}
            for old in session.exec(
                select(RetiredKeyRow).where(col(RetiredKeyRow.valid_until) > now)
            ).all():
                retired.setdefault(old.client_id, []).append(old)
    finally:
        gateway.close()
    typer.echo("\t".join(CLIENT_COLUMNS))
    for row in rows:
        state = key_state(row, retired.get(row.id or 0, []), now)
        typer.echo(
            "\t".join(
                [
                    str(row.id),
                    row.pillar,
                    row.institution,
                    row.name,
                    f"{row.key_prefix}...",
                    _when(row.created_at),
                    _when(row.last_used_at),
                    _when(row.expires_at),
                    state,
                ]
            )
        )


@clients_app.command("rotate")
def clients_rotate(
    client: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="The client's id, or its key prefix, as `icjs clients list` shows them.",
        ),
    ],
    overlap: Annotated[
        str,
        typer.Option(
            metavar="DURATION",
            help="How long the old key keeps working beside the new one (24h, 7d, 0s: not "
            "at all); then it answers 401.",
        ),
    ] = "24h",
    expires_in: Annotated[
        str | None,
        typer.Option(
            "--expires-in",
            metavar="DURATION",
            help="The new key expires this long from now. Default: after as long a lifetime "
            "as the old key had (never, if it had no expiry).",
        ),
    ] = None,
) -> None:
    """Give a client a new key, for the same identity (id, pillar, institution, name), and
    print it (shown this once). The old key stays valid for the overlap, then answers 401."""
    from sqlmodel import col, select

    from gateway.services.auth import rotate_client
    from gateway.store.tables import RetiredKeyRow

    window = _duration("--overlap", overlap)
    lifetime = _duration("--expires-in", expires_in)
    gateway = _open_gateway(_settings())
    try:
        with gateway.db.session(write=True) as session:
            ref: dict[str, Any] = (
                {"client_id": int(client)} if client.strip().isdigit() else {"key_prefix": client}
            )
            row, key = rotate_client(
                session, overlap=window or dt.timedelta(0), expires_in=lifetime, **ref
            )
            retired = session.exec(
                select(RetiredKeyRow)
                .where(RetiredKeyRow.client_id == row.id)
                .order_by(col(RetiredKeyRow.id).desc())
            ).first()
            until = _when(retired.valid_until if retired is not None else None)
            label = f"{row.id} {row.pillar} {row.institution} ({row.name})"
            if row.expires_at is not None:
                label += f", expires {_when(row.expires_at)}"
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    finally:
        gateway.close()
    typer.echo(
        f"rotated client {label}; the old key works until {until}; the new key, shown only now:",
        err=True,
    )
    typer.echo(key)


@clients_app.command("revoke")
def clients_revoke(
    client: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="The client's id, or its key prefix, as `icjs clients list` shows them.",
        ),
    ],
) -> None:
    """Revoke a client's key: it is refused from then on (by running gateways within
    ICJS_AUTH_CACHE_SECONDS)."""
    from gateway.services.auth import revoke_client

    gateway = _open_gateway(_settings())
    try:
        with gateway.db.session(write=True) as session:
            ref: dict[str, Any] = (
                {"client_id": int(client)} if client.strip().isdigit() else {"key_prefix": client}
            )
            row = revoke_client(session, **ref)
            label = f"{row.id} {row.pillar} {row.institution} ({row.name})"
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    finally:
        gateway.close()
    typer.echo(f"revoked client {label}")


@institutions_app.command("add")
def institutions_add(
    pillar: Annotated[
        str,
        typer.Option(
            help="police, courts, prisons, forensics, prosecution, transport or operator."
        ),
    ],
    code: Annotated[
        str,
        typer.Option(
            help="The institution's code, as keys and messages name it (MH/AU/CIDCO, MHAU01, "
            "HARSUL_CP, RFSL_AU, MH/AU/DDP, VAHAN, OPS)."
        ),
    ],
    name: Annotated[str, typer.Option(help="The institution's name.")],
    state: Annotated[
        str | None,
        typer.Option(
            help="State code as in FIR numbers (MH); police, courts and prosecution: from the code."
        ),
    ] = None,
    district: Annotated[
        str | None,
        typer.Option(
            help="District code as in FIR numbers (AU); police, courts and prosecution: from the code."
        ),
    ] = None,
    level: Annotated[
        str | None,
        typer.Option(
            help="Courts only: magistrate, sessions, high_court or juvenile_justice_board."
        ),
    ] = None,
) -> None:
    """Add an institution to the directory, or correct one already listed."""
    from gateway.services.institutions import add_institution

    gateway = _open_gateway(_settings())
    try:
        with gateway.db.session(write=True) as session:
            added = add_institution(
                session,
                pillar=pillar,
                code=code,
                name=name,
                state=state,
                district=district,
                level=level,
            )
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    finally:
        gateway.close()
    where = "/".join(part for part in (added.state, added.district) if part)
    typer.echo(
        f"{added.pillar} {added.code}: {added.name}"
        + (f" ({where})" if where else "")
        + (f", {added.level}" if added.level else "")
    )


@institutions_app.command("import")
def institutions_import(
    file: Annotated[
        Path | None,
        typer.Argument(
            metavar="[FILE.csv]",
            help="A CSV file with the header pillar,code,name,state,district,level (level only "
            "for courts; lines starting with # are comments).",
        ),
    ] = None,
    sample: Annotated[
        bool,
        typer.Option(
            "--sample",
            help="Load the shipped SAMPLE directory (demo and test codes, not official ones) "
            "instead of a file.",
        ),
    ] = False,
) -> None:
    """Import a directory file: good rows are added or updated, each bad row is reported by
    line and column (exit status 1 when any row was rejected)."""
    from gateway.services.institutions import (
        SAMPLE_DIRECTORY,
        import_institutions,
        seed_sample_directory,
    )

    if (file is None) == (not sample):
        typer.echo("error: give a FILE.csv or --sample (one of them)", err=True)
        raise typer.Exit(2)
    gateway = _open_gateway(_settings())
    try:
        with gateway.db.session(write=True) as session:
            if file is None:
                added = seed_sample_directory(session)
                typer.echo(f"loaded the SAMPLE directory {SAMPLE_DIRECTORY}: {added} added")
                return

            def progress(done: int, total: int) -> None:
                typer.echo(f"  {done}/{total} rows", err=True)

            report = import_institutions(session, path=file, progress=progress)
    finally:
        gateway.close()
    typer.echo(f"imported {report.imported}, rejected {report.rejected}")
    for error in report.errors:
        typer.echo(error)
    if report.errors:
        raise typer.Exit(1)


@institutions_app.command("list")
def institutions_list(
    pillar: Annotated[str | None, typer.Option(help="Only this pillar's institutions.")] = None,
) -> None:
    """List the directory: pillar, code, State, district, level, name (and SAMPLE rows)."""
    from gateway.services.institutions import list_institutions

    gateway = _open_gateway(_settings())
    try:
        with gateway.db.session() as session:
            rows = list_institutions(session, pillar=pillar)
    finally:
        gateway.close()
    table = [("PILLAR", "CODE", "STATE", "DISTRICT", "LEVEL", "NAME")] + [
        (
            row.pillar,
            row.code,
            row.state or "-",
            row.district or "-",
            row.level or "-",
            row.name + (" [SAMPLE]" if row.sample else ""),
        )
        for row in rows
    ]
    widths = [max(len(line[i]) for line in table) for i in range(5)]
    for line in table:
        typer.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(line[:5], widths, strict=True))
            + line[5]
        )
    if not rows:
        typer.echo(
            "(no institutions"
            + (f" of pillar {pillar}" if pillar else "")
            + "; `icjs institutions import` or `icjs institutions import --sample` adds them)",
            err=True,
        )


@app.command()
def worker(
    pillar: Annotated[
        str,
        typer.Argument(
            help="The pillar whose outbound feed this worker fills (courts, prisons, forensics, prosecution, transport), or `persons` for the person index."
        ),
    ],
) -> None:
    """Run a pillar's outbound consumer in the Kafka consumer group icjs-<pillar> (or the
    person index's, icjs-persons, fed by the case and registry topics).

    Start more of them to scale out; each event is applied once whatever the number.
    """
    import asyncio
    import signal

    from gateway.logs import configure_logging
    from gateway.messaging.consumers import BatchConsumer
    from gateway.messaging.kafka.topics import case_topic, kafka_topic
    from gateway.messaging.kafka.worker import run_worker
    from gateway.services.persons.index import CONSUMER

    settings = _settings()
    configure_logging(level=settings.log_level, fmt=settings.log_format)
    if not settings.kafka_bootstrap_servers:
        typer.echo("error: workers consume from Kafka: set ICJS_KAFKA_BOOTSTRAP_SERVERS", err=True)
        raise typer.Exit(2)
    gateway = _open_gateway_waiting(settings, what=f"worker {pillar} (starting)")
    consumer: BatchConsumer
    topics: list[str] | None = None
    if pillar == CONSUMER:
        consumer = gateway.persons
        topics = [case_topic(settings), kafka_topic(settings, "icjs.registry.v1")]
    else:
        consumer = _projector(gateway, pillar)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await run_worker(
            db=gateway.db,
            settings=settings,
            consumer=consumer,
            label=pillar,
            topics=topics,
            stop=stop,
            policy=gateway.policy,
        )

    typer.echo(
        f"worker for {pillar}: consumer group {settings.kafka_topic_prefix}-{pillar} on "
        f"{settings.kafka_bootstrap_servers}",
        err=True,
    )
    try:
        asyncio.run(main())
    finally:
        gateway.close()


@app.command()
def replay(
    pillar: Annotated[
        str,
        typer.Option(
            help="The pillar whose feed to rebuild (courts, prisons, forensics, prosecution, transport)."
        ),
    ],
    from_sequence: Annotated[int, typer.Option(help="First event-log sequence to replay.")] = 1,
) -> None:
    """Rebuild a pillar's feed from the event log (entries come back with new cursors)."""
    from gateway.messaging.consumers import rebuild_feed

    gateway = _open_gateway(_settings())
    projector = _projector(gateway, pillar)
    try:

        def progress(done: int, total: int) -> None:
            typer.echo(f"  replayed {done}/{total} events", err=True)

        count = rebuild_feed(
            db=gateway.db,
            consumer=projector,
            pillar=pillar,
            from_sequence=from_sequence,
            progress=progress,
        )
    finally:
        gateway.close()
    typer.echo(f"rebuilt the {pillar} feed from event {from_sequence}: {count} events applied")


@app.command("rebuild-register")
def rebuild_register_command() -> None:
    """Rebuild the vehicle and licence register (vehicles, police reports naming them, links
    between cases, licences) from the event log."""
    from gateway.services.vehicles import rebuild_register

    gateway = _open_gateway(_settings())
    try:
        with gateway.db.session(write=True) as session:
            count = rebuild_register(session)
    finally:
        gateway.close()
    typer.echo(f"rebuilt the vehicle and licence register: {count} events applied")


@app.command()
def demo() -> None:
    """Seed one realistic case from the police through all five pillars (courts, prisons,
    forensic labs, prosecution, transport), and print its status."""
    from gateway.cli.demo import DemoError, run_demo
    from gateway.logs import configure_logging

    settings = _settings()
    # The demo's own lines tell the story; the gateway's log would drown them (it still
    # shows warnings, and ICJS_LOG_LEVEL=INFO brings it back).
    if "ICJS_LOG_LEVEL" not in os.environ:
        settings = settings.model_copy(update={"log_level": "WARNING"})
    configure_logging(level=settings.log_level, fmt=settings.log_format)
    try:
        run_demo(settings, echo=typer.echo)
    except DemoError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[
        str, typer.Option(help="The revision to upgrade to (head: the newest).")
    ] = "head",
) -> None:
    """Migrate the database up to a revision (the newest by default), printing each step."""
    from alembic.util.exc import CommandError
    from sqlalchemy.exc import SQLAlchemyError

    from gateway.store.db import SchemaOutOfDate, describe_url, upgrade

    settings = _settings()
    typer.echo(f"database {describe_url(settings.database_url)}", err=True)
    try:
        before, after = upgrade(
            settings.database_url, revision, progress=lambda line: typer.echo(f"  {line}", err=True)
        )
    except (SchemaOutOfDate, CommandError, SQLAlchemyError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    if before == after:
        typer.echo(f"already at {after}: nothing to do")
    else:
        typer.echo(f"upgraded from {before or 'no revision'} to {after}")


@db_app.command("current")
def db_current() -> None:
    """Print the database's schema revision, and whether it is the one this gateway needs."""
    from sqlalchemy.exc import SQLAlchemyError

    from gateway.store.db import current_revision, describe_url, head_revision, upgrade_command

    settings = _settings()
    typer.echo(f"database {describe_url(settings.database_url)}", err=True)
    try:
        current = current_revision(settings.database_url)
    except SQLAlchemyError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    head = head_revision()
    if current == head:
        typer.echo(f"{current} (head)")
    elif current is None:
        typer.echo(
            f"none (head is {head}: the gateway migrates a new database when it starts; "
            "`icjs db upgrade` does it now)"
        )
    else:
        typer.echo(f"{current} (head is {head}: run {upgrade_command(settings.database_url)})")


def main() -> None:
    """Entry point for ``python -m gateway``."""
    app()
