"""The prison's list of undertrials, with the BNSS s.479 review of each.

Which cases a prison holds inmates of comes from the crosswalk: every admission and
transfer makes ``prisoner:<PRISON>:<NUMBER>`` a key of its case, so the keys of one
prison are one range of the crosswalk's primary key and need no table of their own.
Who is held there now, since when, and for what, comes from each case's status (the
projection of its events), and the s.479 arithmetic from ``canonical_model.custody``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session, col, select

from canonical_model.custody import review
from canonical_model.entities import InmateCategory, ist_date
from canonical_model.lifecycle import CaseStatus
from gateway.store.tables import CaseRow, CrosswalkRow


def prison_case_ids(session: Session, prison: str) -> list[str]:
    """The cases with a prisoner number of ``prison`` (a key range: ``;`` follows ``:``)."""
    low, high = f"prisoner:{prison}:", f"prisoner:{prison};"
    rows = session.exec(
        select(CrosswalkRow.case_id)
        .where(col(CrosswalkRow.key) >= low, col(CrosswalkRow.key) < high)
        .distinct()
    ).all()
    return sorted(set(rows))


def _pending_elsewhere(session: Session, *, case_id: str, prisoner_numbers: list[str]) -> list[str]:
    """The person's other cases still pending, found by a prisoner number they share (the one
    identifier every prison message carries): each case whose accused holding that number has
    no verdict yet (BNSS s.479(2))."""
    keys = [f"prisoner:{number}" for number in prisoner_numbers]
    if not keys:
        return []
    others = session.exec(
        select(CrosswalkRow.case_id)
        .where(col(CrosswalkRow.key).in_(keys), CrosswalkRow.case_id != case_id)
        .distinct()
    ).all()
    pending: list[str] = []
    for other_id in sorted(set(others)):
        row = session.get(CaseRow, other_id)
        if row is None:
            continue
        other = CaseStatus.model_validate(row.status)
        for person in other.accused:
            if set(person.prisoner_numbers) & set(prisoner_numbers) and person.verdict is None:
                names = other.identifiers.get("cnr") or other.identifiers.get("fir") or [other_id]
                pending.append(names[0])
                break
    return pending


def undertrials(session: Session, *, prison: str, today: dt.date) -> list[dict[str, Any]]:
    """Every undertrial held in ``prison`` now, gravest situation first: those past the s.479
    threshold, then by days in custody."""
    entries: list[dict[str, Any]] = []
    for case_id in prison_case_ids(session, prison):
        case = session.get(CaseRow, case_id)
        if case is None:
            continue
        status = CaseStatus.model_validate(case.status)
        for person in status.accused:
            if (
                person.prison != prison
                or person.prison_status != "in_custody"
                or person.inmate_category is not InmateCategory.UNDERTRIAL
            ):
                continue
            offences = person.offences or status.offences
            result = review(
                periods=person.custody_periods,
                today=today,
                first_offender=person.first_offender,
                offences=offences,
                # Dates of detention are Indian dates: 01:00 IST is the day before in UTC.
                arrested_on=ist_date(person.arrested_at) if person.arrested_at else None,
                other_pending_cases=_pending_elsewhere(
                    session, case_id=case_id, prisoner_numbers=person.prisoner_numbers
                ),
            )
            entries.append(
                {
                    "case_id": case_id,
                    "identifiers": status.identifiers,
                    "accused_ref": person.ref,
                    "name": person.name,
                    "prisoner_number": person.prisoner_number,
                    "in_prison_since": person.in_prison_since,
                    "custody_since": person.custody_periods[0].since
                    if person.custody_periods
                    else None,
                    "first_offender": person.first_offender,
                    "offences": [str(o) for o in offences],
                    **result.model_dump(mode="json"),
                    "gravest_offence": str(result.gravest_offence)
                    if result.gravest_offence
                    else None,
                }
            )
    entries.sort(
        key=lambda e: (
            not e["full_maximum_crossed"],
            not e["crossed"],
            -e["days_in_custody"],
            e["prisoner_number"] or "",
        )
    )
    return entries
