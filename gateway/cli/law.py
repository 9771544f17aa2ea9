"""``icjs law show``: an offence's entry in the law table at a terminal, limb by limb."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from canonical_model.entities import Act
from canonical_model.errors import IcjsError

law_app = typer.Typer(help="The law table: offences, limb by limb, with their sources.")


def _yes_no(value: bool | str, yes: str, no: str) -> str:
    # A class on a condition is the schedule's own words ("cognizable only on ...").
    if isinstance(value, str):
        return value
    return yes if value else no


def _term(punishment: dict[str, Any] | None) -> str:
    return "-" if punishment is None else str(punishment["text"])


def render(entry: dict[str, Any]) -> list[str]:
    """The entry as lines for a terminal."""
    head = f"{entry['act']} {entry['section']}: {entry['title']}"
    if "asked" in entry:
        head += f"  (asked: {entry['asked']})"
    lines = [head]
    if entry["in_force"]:
        since = entry["in_force_from"]
        lines.append(f"  in force{' since ' + since if since else ''}")
    else:
        lines.append(f"  NOT IN FORCE: {entry['in_force_note'] or 'not notified'}")
    for key in ("predecessors", "successors"):
        if entry.get(key):
            lines.append(f"  {key}: {', '.join(entry[key])}")
    for limb in entry["limbs"]:
        name = limb["condition"] or "the offence"
        if limb["code"]:
            name += f"  [limb {limb['code']}]"
        lines.append(f"  - {name}")
        maximum = _term(limb["max_punishment"])
        if limb["max_punishment"] is None and limb["punishment_text"]:
            maximum = limb["punishment_text"]
        lines.append(
            f"      punishment: at most {maximum}; at least {_term(limb['min_punishment'])}"
        )
        compoundable = limb["compoundable"]
        lines.append(
            "      "
            + "; ".join(
                [
                    _yes_no(limb["cognizable"], "cognizable", "non-cognizable"),
                    _yes_no(limb["bailable"], "bailable", "non-bailable"),
                    f"compoundable by {compoundable}"
                    if isinstance(compoundable, str)
                    else ("compoundable" if compoundable else "not compoundable"),
                    f"triable by {limb['triable_by']}",
                ]
            )
        )
        lines.append(f"      source: {limb['source']}")
    return lines


@law_app.command("show")
def law_show(
    act: Annotated[
        str, typer.Argument(help="BNS, IPC, NDPS, POCSO, ARMS, IT, MV, DOWRY, SC_ST...")
    ],
    section: Annotated[
        str, typer.Argument(help="As the First Schedule numbers its rows: 303(2), 498A.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="The API's JSON document.")] = False,
) -> None:
    """An offence's entry: whether in force, and each limb with its punishment, classes, court
    and source (the same as GET /v1/law/{act}/{section})."""
    from gateway.api.routes_law import lookup

    try:
        chosen = Act(act.upper())
    except ValueError:
        known = ", ".join(a.value for a in Act)
        typer.echo(f"error: act {act!r} is not one the gateway knows; one of {known}", err=True)
        raise typer.Exit(2) from None
    try:
        entry = lookup(chosen, section.strip())
    except IcjsError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        for problem in exc.problems:
            typer.echo(f"  {problem.location}: {problem.message}", err=True)
        raise typer.Exit(1) from None
    except ValueError as exc:  # a section that is not a section number
        typer.echo(
            f"error: {section!r} is not a section as the schedules number them "
            f"(e.g. 303(2), 498A): {exc.__class__.__name__}",
            err=True,
        )
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps(entry, indent=2, ensure_ascii=False))
        return
    typer.echo("\n".join(render(entry)))
