"""``icjs contracts``: the conformance kit for the pillars' implementers.

``icjs contracts check --pillar courts FILE...`` checks documents offline (no database, no
server) exactly as ``POST /v1/courts/messages`` would read them, every error located;
``icjs contracts export DIR`` writes every contract and golden example for a pillar's own CI.

Exit status of ``check``: 0 when every document is valid, 1 when any is not, 2 for a usage
error (an unknown pillar, a file that cannot be read).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from gateway.services.conformance import (
    INDEX_FILE,
    UnknownPillar,
    Verdict,
    check_document,
    export_contracts,
    golden_dir,
    is_empty_dir,
    media_type_for,
    require_pillar_known,
    sending_pillars,
)
from gateway.services.registry import AdapterRegistry
from gateway.settings import Settings

contracts_app = typer.Typer(
    help="The conformance kit: check a pillar's documents offline, export every contract "
    "and golden example.",
    no_args_is_help=True,
)

#: Exit statuses of ``check``.
VALID, INVALID, USAGE = 0, 1, 2
STDIN = "-"


def _usage(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(USAGE)


def _read(name: str) -> bytes:
    """The bytes of a file named on the command line (``-``: standard input)."""
    if name == STDIN:
        return sys.stdin.buffer.read()
    path = Path(name)
    try:
        return path.read_bytes()
    except IsADirectoryError:
        raise _usage(f"{name} is a folder; name the documents in it (e.g. {name}/*.json)") from None
    except OSError as exc:
        raise _usage(f"cannot read {name}: {exc.strerror or exc}") from None


@contracts_app.command("check")
def check_command(
    files: Annotated[
        list[str],
        typer.Argument(
            help="Documents to check (.json or .xml; '-' reads standard input).",
            metavar="FILE",
            show_default=False,
        ),
    ],
    pillar: Annotated[
        str,
        typer.Option(
            "--pillar",
            "-p",
            help="The pillar that sends the documents: police (canonical JSON), courts, "
            "forensics, prisons, prosecution, transport (or an installed third-party adapter's).",
            show_default=False,
        ),
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON document on stdout, for machines.")
    ] = False,
    media_type: Annotated[
        str | None,
        typer.Option(
            "--media-type",
            help="The Content-Type the documents are sent with. Default: by the file's "
            "suffix (.json, .xml), else XML when the document begins with '<', else JSON.",
            show_default=False,
        ),
    ] = None,
    outbound: Annotated[
        bool,
        typer.Option(
            "--outbound",
            help="The documents are ones the gateway sends the pillar (feed pages, feed "
            "entries), checked against the pillar's contracts for them.",
        ),
    ] = False,
) -> None:
    """Check documents a pillar sends, offline, as the gateway would answer them.

    Each document is validated against its contract (JSON Schema or XSD) and translated by the pillar's adapter: the same code as POST /v1/<pillar>/messages, without a database or a server. Every error is located (a JSON pointer, an XPath, or line and column).

    What only the running gateway knows is not checked: the key, and the case's history (a valid document can still be held, or refused for the case it names).

    Exit 0: every document is valid; 1: some document is not; 2: usage error.
    """
    adapters = AdapterRegistry.from_entry_points()
    try:
        require_pillar_known(adapters, pillar=pillar)
    except UnknownPillar as exc:
        raise _usage(str(exc)) from None
    if outbound and pillar == "police":
        raise _usage(
            "the gateway sends the police no feed: check police messages without --outbound"
        )
    if files.count(STDIN) > 1:
        raise _usage("'-' (standard input) may be named once")
    bodies = [(name, _read(name)) for name in files]
    try:
        settings = Settings()
    except ValidationError as exc:
        # The limits the gateway applies (ICJS_MAX_ERRORS, ICJS_MAX_BODY_BYTES) come from here.
        raise _usage(f"the ICJS_ settings do not load: {exc}") from None
    results: list[tuple[str, Verdict]] = [
        (
            name,
            check_document(
                adapters=adapters,
                pillar=pillar,
                body=body,
                media_type=media_type or media_type_for(name=name, body=body),
                max_errors=settings.max_errors,
                max_body_bytes=settings.max_body_bytes,
                outbound=outbound,
            ),
        )
        for name, body in bodies
    ]
    invalid = sum(1 for _, verdict in results if not verdict.valid)
    if as_json:
        report: dict[str, Any] = {
            "pillar": pillar,
            "direction": "out" if outbound else "in",
            "valid": invalid == 0,
            "files": [
                {"file": "<stdin>" if name == STDIN else name, **verdict.as_dict()}
                for name, verdict in results
            ],
        }
        typer.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        for name, verdict in results:
            typer.echo("\n".join(render(name, verdict)))
        if len(results) > 1:
            typer.echo(
                f"{len(results) - invalid} of {len(results)} documents valid"
                + (f", {invalid} invalid" if invalid else "")
            )
    raise typer.Exit(INVALID if invalid else VALID)


def render(name: str, verdict: Verdict) -> list[str]:
    """One document's verdict as lines for a terminal: ``FILE: OK (type)``, or the status,
    code and message, then each located error on a line of its own."""
    shown = "<stdin>" if name == STDIN else name
    kind = f" ({verdict.message_type})" if verdict.message_type else ""
    if verdict.error is None:
        return [f"{shown}: OK{kind}"]
    body = verdict.error.as_dict()
    lines = [f"{shown}: INVALID{kind}: {verdict.status} {body['code']}: {body['message']}"]
    errors: list[dict[str, str]] = body["errors"]  # type: ignore[assignment]
    lines += [f"  {error['location']}: {error['message']}" for error in errors]
    if verdict.hint is not None:
        lines.append(f"  hint: {verdict.hint}")
    return lines


@contracts_app.command("export")
def export_command(
    target: Annotated[
        Path,
        typer.Argument(
            help="The folder to write into (made when missing).", metavar="DIR", show_default=False
        ),
    ],
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Write into a folder that is not empty (files of the same name are replaced).",
        ),
    ] = False,
) -> None:
    """Write every contract and every golden example of every pillar into a folder.

    Layout: DIR/<pillar>/schemas/<version>/<file> (JSON Schema and XSD; the police send the 'canonical' ones), DIR/<pillar>/examples/<file> (feed pages under examples/feed/), and DIR/index.json, listing every file with its media type and SHA-256, and for an example its message type, its direction ('in': the pillar sends it; 'out': the gateway sends it, check it with --outbound) and its schema.
    """
    if target.exists() and not target.is_dir():
        raise _usage(f"{target} exists and is not a folder")
    if not force and not is_empty_dir(target):
        raise _usage(
            f"{target} is not empty; name an empty folder, or add --force to write into it"
        )
    adapters = AdapterRegistry.from_entry_points()
    try:
        target.mkdir(parents=True, exist_ok=True)
        done = export_contracts(adapters=adapters, target=target)
    except OSError as exc:
        raise _usage(f"cannot write into {target}: {exc.strerror or exc}") from None
    for pillar in done.without_examples:
        typer.echo(
            f"note: no golden examples of {pillar} were written: {golden_dir(pillar)} is not "
            "here (the golden files are in the source repository, tests/adapters/<pillar>/golden/)",
            err=True,
        )
    pillars = sending_pillars(adapters)
    typer.echo(
        f"wrote {done.files} files for {', '.join(pillars)} into {target} (index: {target / INDEX_FILE})"
    )
