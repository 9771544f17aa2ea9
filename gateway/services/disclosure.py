"""Personal data by law where the gateway discloses a case: its status, its timeline, the
pillars' feeds (JSON and XML alike: the canonical payload is redacted before the adapter writes
it) and the vehicle and licence look-ups.

The law and the redaction are the canonical model's (:mod:`canonical_model.privacy`); this
module finds what a reader is to a case (its pillar and institution, the case's status and the
institution directory's court levels) and applies it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, col, select

from canonical_model.events import EventPayload
from canonical_model.lifecycle import CaseStatus
from canonical_model.messages import FeedItem
from canonical_model.privacy import (
    ReaderRole,
    Redactor,
    disclose_status,
    levels_needed,
    reader_roles,
    redactor_for,
)
from gateway.services.institutions import court_levels as directory_levels
from gateway.services.policies import PolicyRegistry, default_policies
from gateway.store.tables import CaseRow


def court_levels(session: Session, codes: Iterable[str]) -> dict[str, str]:
    """The institution directory's level of each court among ``codes`` (a Juvenile Justice
    Board is ``juvenile_justice_board``); a court the directory does not list has none, so it
    is never taken for a Board."""
    codes = list(codes)
    return directory_levels(session, codes) if codes else {}


def roles_of(
    session: Session,
    status: CaseStatus,
    *,
    pillar: str,
    institution: str,
    policies: PolicyRegistry | None = None,
) -> frozenset[ReaderRole]:
    """What the reader ``(pillar, institution)`` is to the case, as its pillar's policy says
    (see :func:`canonical_model.privacy.reader_roles`)."""
    needed = levels_needed(status, institution=institution)
    return reader_roles(
        status,
        policy=(policies or default_policies()).get(pillar),
        institution=institution,
        court_levels=court_levels(session, needed),
    )


def redactor_of(session: Session, status: CaseStatus, *, pillar: str, institution: str) -> Redactor:
    """The redaction of the case for the reader ``(pillar, institution)``."""
    return redactor_for(status, roles_of(session, status, pillar=pillar, institution=institution))


def statuses_of(session: Session, case_ids: Iterable[str]) -> dict[str, CaseStatus]:
    """The stored statuses of ``case_ids``, in one query."""
    ids = sorted(set(case_ids))
    if not ids:
        return {}
    rows = session.exec(select(CaseRow).where(col(CaseRow.id).in_(ids))).all()
    return {row.id: CaseStatus.model_validate(row.status) for row in rows if row.status}


def disclosed_status(
    session: Session, status: CaseStatus, tree: dict[str, Any], *, pillar: str, institution: str
) -> dict[str, Any]:
    """The status ``tree`` of the case as the reader may see it: protected persons it is not
    entitled to are labels, in every member and every text."""
    roles = roles_of(session, status, pillar=pillar, institution=institution)
    return disclose_status(tree, status, roles)


def disclosed_timeline(
    session: Session,
    status: CaseStatus,
    entries: list[dict[str, Any]],
    *,
    pillar: str,
    institution: str,
) -> list[dict[str, Any]]:
    """The timeline ``entries`` as the reader may see them: summaries scrubbed, data redacted."""
    redactor = redactor_of(session, status, pillar=pillar, institution=institution)
    if redactor.empty:
        return entries
    out = []
    for entry in entries:
        entry = dict(entry, summary=redactor.scrub(entry["summary"]))
        if "data" in entry:
            entry["data"] = redactor.redact(entry["data"])
        out.append(entry)
    return out


def redact_payload(payload: EventPayload, redactor: Redactor) -> EventPayload:
    """``payload`` as a reader of ``redactor`` may see it, still a valid canonical payload.

    Labels are longer than some names: where that would break a length limit, every text is
    kept within its own length instead.
    """
    if redactor.empty:
        return payload
    tree = payload.model_dump(mode="json")
    try:
        return type(payload).model_validate(redactor.redact(tree))
    except ValidationError:
        return type(payload).model_validate(redactor.redact(tree, bounded=True))


def disclosed_feed_items(
    session: Session,
    items: Sequence[FeedItem],
    *,
    pillar: str,
    institution: str,
    policies: PolicyRegistry | None = None,
) -> list[FeedItem]:
    """A feed page's items as the feed's institution may read them: each canonical payload
    redacted for the reader ``(pillar, institution)`` before the adapter writes it, so that
    JSON and XML carry the same labels. The statuses of the page's cases are read in one
    query, the directory's court levels in one more; one redactor per case."""
    statuses = statuses_of(session, (item.case_id for item in items))
    needed = {
        code
        for status in statuses.values()
        for code in levels_needed(status, institution=institution)
    }
    levels = court_levels(session, needed)
    policy = (policies or default_policies()).get(pillar)
    redactors = {
        case_id: redactor_for(
            status,
            reader_roles(status, policy=policy, institution=institution, court_levels=levels),
        )
        for case_id, status in statuses.items()
    }
    out: list[FeedItem] = []
    for item in items:
        redactor = redactors.get(item.case_id)
        if redactor is None or redactor.empty:
            out.append(item)
            continue
        out.append(
            FeedItem(
                cursor=item.cursor,
                case_id=item.case_id,
                event_id=item.event_id,
                recorded_at=item.recorded_at,
                payload=redact_payload(item.payload, redactor),
            )
        )
    return out
