"""Whether the sender of a message may say it of the case it names: the institution directory
and the sender pillar's policy, judged against the case's history.

Called inside the transaction that would apply the message (and again when a held message is
released), so nothing a message claims grants anything in advance.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam
from sqlalchemy import select as core_select
from sqlmodel import Session

from canonical_model.competence import Directory, InstitutionRecord, check_institutions_known
from canonical_model.events import EventPayload
from canonical_model.lifecycle import CaseStatus
from gateway.messaging.ports import PillarPolicy
from gateway.services.auth import normalise_institution
from gateway.store.raw import RawStatement, connection_of
from gateway.store.tables import InstitutionRow

_INSTITUTIONS = InstitutionRow.__table__  # type: ignore[attr-defined]
_SELECT_INSTITUTION = RawStatement(
    core_select(_INSTITUTIONS.c.level, _INSTITUTIONS.c.state, _INSTITUTIONS.c.district).where(
        _INSTITUTIONS.c.pillar == bindparam("pillar"), _INSTITUTIONS.c.code == bindparam("code")
    )
)


@dataclass(frozen=True, slots=True)
class Sender:
    """The institution a message came from (its key's pillar and institution)."""

    pillar: str
    institution: str


def session_directory(session: Session) -> Directory:
    """The institution directory as the checks read it, in ``session``'s transaction (each
    institution looked up once)."""
    seen: dict[tuple[str, str], InstitutionRecord | None] = {}

    def lookup(pillar: str, code: str) -> InstitutionRecord | None:
        key = (pillar, code)
        if key not in seen:
            try:
                canonical = normalise_institution(pillar, code)
            except ValueError:
                seen[key] = None
                return None
            # On the DB-API cursor: this runs for every institution a message names, in the
            # group-commit writer, where the ORM's lookup cost more than the rest of the check.
            found = _SELECT_INSTITUTION.first(
                connection_of(session), {"pillar": pillar, "code": canonical}
            )
            seen[key] = None if found is None else InstitutionRecord(pillar, canonical, *found)
        return seen[key]

    return lookup


def check_competence(
    session: Session,
    *,
    policy: PillarPolicy,
    sender: Sender,
    status: CaseStatus,
    payload: EventPayload,
) -> None:
    """Raise unless every institution ``payload`` names is in the directory (422 at its field)
    and the case's history gives ``sender`` authority for it (403)."""
    directory = session_directory(session)
    check_institutions_known(payload, directory=directory)
    policy.check_case(sender.institution, payload, status=status, directory=directory)
