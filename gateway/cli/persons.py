"""``icjs persons``: the person index at a terminal (``link``: the full re-link; ``rebuild``:
the records again from the event log)."""

from __future__ import annotations

import sys
import time
from typing import Annotated

import typer

from gateway.settings import Settings

persons_app = typer.Typer(
    help="The person index: records of persons in criminal roles, linked into persons.",
    no_args_is_help=True,
)


@persons_app.command("link")
def link_command(
    link_threshold: Annotated[
        float | None,
        typer.Option(
            "--link-threshold",
            help="A pair at or above this match probability is one person "
            "(default ICJS_PERSON_LINK_THRESHOLD, 0.9).",
            min=0.0,
            max=1.0,
        ),
    ] = None,
    review_threshold: Annotated[
        float | None,
        typer.Option(
            "--review-threshold",
            help="A pair from this probability up to the link threshold goes to review "
            "(default ICJS_PERSON_REVIEW_THRESHOLD, 0.6).",
            min=0.0,
            max=1.0,
        ),
    ] = None,
) -> None:
    """Link every record of the person index again: estimate the model from the records
    (Splink), put each record in its person, and refill the review queue. Operators'
    confirmations and splits are kept; person ids stay where a person's records agree.
    Progress goes to stderr, a summary line to stdout."""
    from gateway.cli.main import _open_gateway
    from gateway.services.persons.linking import NoRecords, relink

    settings = Settings()
    if link_threshold is None:
        link_threshold = settings.person_link_threshold
    if review_threshold is None:
        review_threshold = settings.person_review_threshold
    if not 0 < review_threshold <= link_threshold <= 1:
        typer.echo(
            f"error: need 0 < --review-threshold ({review_threshold}) <= --link-threshold "
            f"({link_threshold}) <= 1",
            err=True,
        )
        raise typer.Exit(2)
    gateway = _open_gateway(settings)
    start = time.perf_counter()

    def progress(line: str) -> None:
        print(f"  {line}", file=sys.stderr, flush=True)

    try:
        report = relink(
            db=gateway.db,
            progress=progress,
            link_threshold=link_threshold,
            review_threshold=review_threshold,
        )
    except NoRecords:
        typer.echo(
            "error: the person index holds no records yet. It fills as the gateway accepts "
            "events naming accused, arrested persons, inmates, convicts and licence holders "
            "(in the embedded mode by itself; with Kafka, run `icjs worker persons`). For "
            "events accepted before the index existed, run `icjs persons rebuild` first.",
            err=True,
        )
        raise typer.Exit(1) from None
    finally:
        gateway.close()
    if report.note:
        typer.echo(f"note: {report.note}", err=True)
    typer.echo(
        f"{report.records} records, {report.persons} persons, {report.review_pairs} pairs to "
        f"review, {time.perf_counter() - start:.1f} s"
    )


@persons_app.command("rebuild")
def rebuild_command() -> None:
    """Fill the person index again from the event log: after an upgrade to a gateway with the
    index, or to repair it. Records and their search keys are made anew (each record its own
    person until `icjs persons link`); operators' confirmations and splits and the trained
    models are kept. Progress goes to stderr, a summary line to stdout."""
    from gateway.cli.main import _open_gateway
    from gateway.services.persons.index import rebuild_index

    gateway = _open_gateway(Settings())
    start = time.perf_counter()

    def progress(done: int, total: int) -> None:
        print(f"  {done}/{total} events", file=sys.stderr, flush=True)

    try:
        events = rebuild_index(db=gateway.db, progress=progress)
        with gateway.db.session() as session:
            from sqlalchemy import func
            from sqlmodel import select

            from gateway.store.tables import PersonRecordRow

            records = session.exec(select(func.count()).select_from(PersonRecordRow)).one()
    finally:
        gateway.close()
    typer.echo(
        f"{events} events naming persons, {records} records, "
        f"{time.perf_counter() - start:.1f} s; now run `icjs persons link`"
    )
