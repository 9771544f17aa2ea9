"""The law table, read: an offence's entry with its limbs and sources, for any pillar's key.

What the gateway computes from an offence (the s.479 periods, the s.20 offices, the clocks)
comes from this entry, so every pillar may see the figures it is judged by."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import ValidationError

from canonical_model.entities import Act, Offence
from canonical_model.errors import ContractViolation, NotFound, Problem
from canonical_model.law import law_entry
from gateway.api.deps import ClientDep
from gateway.api.responses import LawEntry, answers

router = APIRouter(prefix="/v1/law", tags=["law"])

#: A section as the First Schedules number rows: 303(2), 498A, 64(2)(k).
SECTION_PATTERN = r"^[0-9]{1,4}[A-Z]{0,3}(\([0-9a-z]{1,4}\))*$"


def lookup(act: Act, section: str) -> dict[str, Any]:
    """The entry answering ``act`` ``section`` (the row itself, else its parent row), as the
    API shows it; NotFound naming what was asked when the table has neither."""
    if act is Act.OTHER:
        raise NotFound(
            "the law table holds no entries under OTHER",
            [
                Problem(
                    "act",
                    "OTHER is a law the gateway does not list; its offences are classed by BNSS "
                    "First Schedule Part II from the maximum punishment the charge states",
                )
            ],
        )
    try:
        offence = Offence(act=act, section=section)
    except ValidationError as exc:
        raise ContractViolation(
            f"{section!r} is not a section as the schedules number them",
            [Problem("section", str(error["msg"])) for error in exc.errors()],
        ) from None
    entry = law_entry(offence)
    if entry is None:
        raise NotFound(
            f"the law table has no entry for {act.value} {section}",
            [
                Problem(
                    "section",
                    f"no First Schedule row {section} of {act.value} (nor a parent row) is in "
                    "the table; sections are numbered as the schedule numbers its rows, e.g. "
                    "303(2), 498A",
                )
            ],
        )
    return entry.as_api(asked=section)


@router.get(
    "/{act}/{section}",
    summary="An offence's entry in the law table: its limbs, classes and sources",
    responses=answers(LawEntry, 404, 422),
)
def get_law_entry(
    client: ClientDep,
    act: Annotated[Act, Path(description="BNS, IPC, NDPS, POCSO, ARMS, IT, MV, DOWRY, SC_ST...")],
    section: Annotated[
        str,
        Path(
            pattern=SECTION_PATTERN,
            description="As the First Schedule numbers its rows: 303(2), 64(2)(k), 498A.",
        ),
    ],
) -> dict[str, Any]:
    """The entry of ``act`` ``section`` (its row, else the parent row that holds it): title,
    whether in force and since when, its predecessor or successor sections, and every limb
    (the plain offence first, then those that apply on a condition) with the maximum and
    minimum punishment as `{"kind": "death"|"life"|"years"|"fine", "years": n}`, whether
    cognizable (or the condition on which it is), bailable, compoundable and by whom, the court
    that tries it, and where each value was read. Any valid key may read it."""
    del client  # any authenticated caller: the law is not a case's data
    return lookup(act, section)
