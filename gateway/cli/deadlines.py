"""``icjs deadlines``: the statutory clocks at a terminal (what ``GET /v1/deadlines`` answers
an operator)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

import typer

from canonical_model.clock_facts import IST
from canonical_model.clocks import ClockState
from gateway.settings import Settings

#: The states shown by default: the clocks someone must still act on.
OPEN = (ClockState.DUE, ClockState.OVERDUE, ClockState.STAYED)


def deadlines_command(
    institution: Annotated[
        str | None,
        typer.Option(help="A police station or unit (MH/AU/CIDCO, MH/AU), a court or a prison."),
    ] = None,
    state: Annotated[
        list[ClockState] | None,
        typer.Option(help="due, overdue, met, missed, stayed (repeatable; default: open ones)."),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Count to this date, YYYY-MM-DD (default today, IST)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON document.")] = False,
) -> None:
    """The statutory clocks of every case (or of one institution's): provision, case, accused,
    due date (IST), state and who must act. Overdue first."""
    from gateway.cli.main import _open_gateway
    from gateway.services.deadlines import deadlines

    if as_of is not None:
        try:
            day = dt.date.fromisoformat(as_of)
        except ValueError:
            typer.echo(f"error: --as-of {as_of!r} is not a date (YYYY-MM-DD)", err=True)
            raise typer.Exit(2) from None
        # The end of that Indian day: clocks of hours due that day are still due.
        now = dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=IST)
    else:
        now = dt.datetime.now(dt.UTC)
    settings = Settings()
    gateway = _open_gateway(settings)
    try:
        with gateway.db.session() as session:
            found = deadlines(
                session,
                settings=settings,
                now=now,
                pillar=None,
                institution=institution.strip().upper() if institution else None,
                states=set(state or OPEN),
            )
    finally:
        gateway.close()
    if as_json:
        typer.echo(json.dumps({"deadlines": found}, indent=2))
        return
    if not found:
        typer.echo("no deadlines")
        return
    order = {ClockState.OVERDUE: 0, ClockState.DUE: 1, ClockState.STAYED: 2}
    found.sort(key=lambda d: (order.get(ClockState(d["state"]), 3), d["due_on"]))
    typer.echo(
        f"{'STATE':<8} {'DUE ON':<10} {'DAYS':>5}  {'PROVISION':<20} {'CASE':<26} "
        f"{'ACCUSED':<8} {'WHO ACTS'}"
    )
    for d in found:
        case = d["fir"] or d["cnr"] or d["case_id"]
        who = f"{d['pillar']} {d['institution'] or '(not known)'}"
        typer.echo(
            f"{d['state']:<8} {d['due_on']:<10} {d['days_left']:>5}  {d['provision']:<20} "
            f"{case:<26} {d['accused_ref'] or '-':<8} {who}"
        )
        typer.echo(f"{'':<26}{d['title']}")
