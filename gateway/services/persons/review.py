"""The operators' review queue of the person index: pairs of records the linker was unsure
of, and the decisions that settle them (``confirm``: one person; ``split``: two).

A decision takes effect at once (the two records' persons are merged, or the second record
is given a person of its own) and is kept: every later re-link starts from it
(:mod:`gateway.services.persons.linking`), and the incremental linker never joins a split
pair.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, literal, update
from sqlmodel import Session, col, select

from canonical_model.errors import Conflict, NotFound
from gateway.services.persons.index import new_person_id
from gateway.store.tables import PersonLinkRow, PersonRecordRow, utcnow

#: The states a pair can be in.
STATES = ("review", "confirmed", "split")
#: What an operator may decide, and the state it leaves the pair in.
DECISIONS = {"confirm": "confirmed", "split": "split"}


def _record_view(row: PersonRecordRow | None, key: str) -> dict[str, Any]:
    if row is None:
        return {"record_key": key, "known": False}
    return {
        "record_key": row.record_key,
        "person_id": row.person_id,
        "name": row.name,
        "aliases": list(row.aliases),
        "father_name": row.father_name,
        "gender": row.gender,
        "birth_year": row.birth_year,
        "state": row.state,
        "district": row.district,
        "case_id": row.case_id,
        "fir": row.fir,
        "roles": list(row.roles),
        "juvenile": row.juvenile,
    }


def link_view(session: Session, link: PersonLinkRow) -> dict[str, Any]:
    """A pair with both records as the index holds them."""
    records = {
        r.record_key: r
        for r in session.exec(
            select(PersonRecordRow).where(
                col(PersonRecordRow.record_key).in_([link.record_a, link.record_b])
            )
        ).all()
    }
    return {
        "id": link.id,
        "state": link.state,
        "match_probability": link.match_probability,
        "match_weight": link.match_weight,
        "reasons": list(link.reasons),
        "created_at": link.created_at.isoformat(),
        "decided_by": link.decided_by,
        "decided_at": link.decided_at.isoformat() if link.decided_at else None,
        "note": link.note,
        "records": [
            _record_view(records.get(link.record_a), link.record_a),
            _record_view(records.get(link.record_b), link.record_b),
        ],
    }


def list_links(
    session: Session, *, state: str | None, limit: int, after: int = 0
) -> list[dict[str, Any]]:
    """Pairs (of one state, when given) in id order after ``after``, at most ``limit``."""
    statement = select(PersonLinkRow).where(col(PersonLinkRow.id) > after)
    if state is not None:
        statement = statement.where(col(PersonLinkRow.state) == state)
    rows = session.exec(statement.order_by(col(PersonLinkRow.id)).limit(limit)).all()
    return [link_view(session, row) for row in rows]


def decide(
    session: Session, *, link_id: int, decision: str, decided_by: str, note: str | None
) -> dict[str, Any]:
    """Settle a pair: ``confirm`` merges the second record's person into the first's, ``split``
    gives the second record a person of its own if they shared one. A pair decided before is
    a conflict (409) unless the same decision is asked again."""
    link = session.exec(
        select(PersonLinkRow)
        .where(col(PersonLinkRow.id) == literal(link_id, BigInteger))
        .with_for_update()
    ).first()
    if link is None:
        raise NotFound(f"no person link {link_id}")
    state = DECISIONS[decision]
    if link.state == state:
        return link_view(session, link)
    if link.state != "review":
        raise Conflict(
            f"person link {link_id} was decided before ({link.state} by {link.decided_by}); "
            "a decision is not reversed by another: ask the index's keepers"
        )
    rows = {
        r.record_key: r
        for r in session.exec(
            select(PersonRecordRow).where(
                col(PersonRecordRow.record_key).in_([link.record_a, link.record_b])
            )
        ).all()
    }
    first, second = rows.get(link.record_a), rows.get(link.record_b)
    if first is None or second is None:
        raise Conflict(f"person link {link_id} names a record the index no longer holds")
    if state == "confirmed" and first.person_id != second.person_id and second.person_id:
        session.execute(
            update(PersonRecordRow)
            .where(col(PersonRecordRow.person_id) == second.person_id)
            .values(person_id=first.person_id, linked_by="decision", updated_at=utcnow())
        )
    elif state == "split" and first.person_id == second.person_id:
        second.person_id, second.linked_by, second.link_probability = (
            new_person_id(),
            "decision",
            None,
        )
        session.add(second)
    link.state = state
    link.decided_by = decided_by
    link.decided_at = utcnow()
    link.note = note
    session.add(link)
    session.flush()
    session.refresh(link)
    return link_view(session, link)
