"""The person index's storage and its consumer: records of persons in criminal roles, filled
from every pillar's events, each scored against its candidates as it arrives.

The consumer (:class:`PersonIndexer`, ``persons``) is fed like a pillar's feed: by the
in-process bus in the embedded mode, by ``icjs worker persons`` (the Kafka consumer group
``icjs-persons``) in production; its inbox makes a redelivered event change nothing. What
an event says of whom is :mod:`canonical_model.person_mentions`' (pure); how two records
compare is :mod:`canonical_model.person_matching`'s, with the parameters the last full
re-link estimated (:mod:`gateway.services.persons.linking`).

Incremental linking, for a record that is new or whose identity changed:
- a record sharing an identifier with it (driving licence, prisoner number, a document's
  digest) is the same person;
- else, with a trained model, the best-scoring candidate (records sharing a sound key of a
  name word) at or above the link threshold gives its person; one in the review band puts the
  pair in the operators' queue;
- an operator's ``split`` of a pair is never undone here, and two parties of one case are
  never one person (a case names each accused once).
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import structlog
from sqlalchemy import delete, insert, or_
from sqlmodel import Session, col, select

from canonical_model.events import CloudEvent
from canonical_model.person_matching import (
    ModelParameters,
    comparison_levels,
    father_level,
    name_level,
)
from canonical_model.person_mentions import (
    PERSON_EVENT_TYPES,
    FactFor,
    PersonMention,
    person_updates,
)
from canonical_model.person_names import normalise_name, phonetic_key
from gateway.messaging.inbox import claim_events
from gateway.store.db import Database
from gateway.store.tables import (
    PersonKeyRow,
    PersonLinkRow,
    PersonModelRow,
    PersonRecordRow,
    utcnow,
)

log = structlog.get_logger(__name__)

#: The consumer's name: its inbox, its dead letters, its Kafka group (``icjs-persons``).
CONSUMER = "persons"
#: The name level from which two records of one case are the same person (same words, or the
#: same by initials or sound).
SAME_NAME = 3
#: At most this many candidates are scored for a new record (the most words in common first).
MAX_CANDIDATES = 200


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Match probabilities: at or above ``link`` the same person; from ``review`` up to it, a
    pair for the operators' queue."""

    link: float = 0.9
    review: float = 0.6


def new_person_id() -> str:
    """A new person id: ``P`` and 12 hex digits."""
    return "P" + uuid.uuid4().hex[:12].upper()


def pair(a: str, b: str) -> tuple[str, str]:
    """Two record keys in the order the review queue keeps them."""
    return (a, b) if a <= b else (b, a)


def comparable(row: PersonRecordRow) -> dict[str, Any]:
    """A record in the shape :func:`canonical_model.person_matching.comparison_levels` reads."""
    return {
        "name": row.name_norm or None,
        "aliases": list(row.alias_norms),
        "father_name": row.father_norm,
        "gender": row.gender,
        "birth_year": row.birth_year,
        "state": row.state,
        "district": row.district,
        "identifiers": list(row.identifiers),
    }


def word_pair_keys(words: Iterable[str]) -> set[str]:
    """``p:`` and every two distinct sound keys of one name, in order: a search for a common
    two-word name reads the records holding both words at one index entry instead of
    counting every record of each word ("kumar" alone is a tenth of a large index)."""
    unique = sorted(set(words))
    return {f"p:{a}|{b}" for a, b in itertools.combinations(unique, 2)}


def record_keys(row: PersonRecordRow) -> set[str]:
    """The search keys of a record: ``n:`` and each word's sound key, ``p:`` and each two of
    them (name and each alias apart), ``i:`` and each identifier."""
    keys = {f"i:{identifier}" for identifier in row.identifiers}
    for name in (row.name, *row.aliases):
        words = phonetic_key(name).split()
        keys.update(f"n:{word}" for word in words)
        keys.update(word_pair_keys(words))
    return keys


def _identity(row: PersonRecordRow) -> tuple[Any, ...]:
    """What the comparisons read of a record: when it changes, the record is linked again."""
    return (
        row.name_norm,
        tuple(row.alias_norms),
        row.father_norm,
        row.birth_year,
        tuple(row.identifiers),
        row.gender,
        row.state,
        row.district,
    )


def _merge(row: PersonRecordRow, mention: PersonMention) -> bool:
    """Fold what ``mention`` says into ``row``; whether the identity changed (a relinking is
    due)."""
    before = _identity(row)
    spelt_otherwise = normalise_name(mention.name) != row.name_norm
    if spelt_otherwise and mention.name not in row.aliases:
        # Another spelling of the name in a later document: kept as an alias.
        row.aliases = [*row.aliases, mention.name]
    for alias in mention.aliases:
        if alias != row.name and alias not in row.aliases:
            row.aliases = [*row.aliases, alias]
    row.alias_norms = sorted({normalise_name(a) for a in row.aliases} - {row.name_norm, ""})
    if mention.father_name and not row.father_name:
        row.father_name = mention.father_name
        row.father_norm = normalise_name(mention.father_name) or None
    if mention.gender != "unknown" and row.gender == "unknown":
        row.gender = mention.gender
    if mention.date_of_birth is not None and row.date_of_birth is None:
        row.date_of_birth = mention.date_of_birth
        row.birth_year = mention.date_of_birth.year
    elif row.birth_year is None and mention.birth_year is not None:
        row.age, row.stated_on, row.birth_year = mention.age, mention.stated_on, mention.birth_year
    if mention.district and not row.district:
        row.district = normalise_name(mention.district) or None
    if mention.state and not row.state:
        row.state = mention.state
    row.identifiers = sorted({*row.identifiers, *mention.identifiers})
    if mention.role.value not in row.roles:
        row.roles = [*row.roles, mention.role.value]
    row.juvenile = row.juvenile or mention.juvenile
    row.fir = row.fir or mention.fir
    row.police_station = row.police_station or mention.police_station
    if mention.fact is not None:
        _add_fact(row, mention.fact.as_dict())
    return _identity(row) != before


def _add_fact(row: PersonRecordRow, fact: dict[str, Any]) -> None:
    if fact not in row.facts:
        row.facts = [*row.facts, fact]


def _new_row(mention: PersonMention) -> PersonRecordRow:
    row = PersonRecordRow(
        record_key=mention.record_key,
        case_id=mention.case_id,
        party_ref=mention.party_ref,
        name=mention.name,
        name_norm=normalise_name(mention.name),
        phonetic_key=phonetic_key(mention.name),
    )
    _merge(row, mention)
    return row


def _write_keys(session: Session, row: PersonRecordRow) -> None:
    assert row.id is not None
    session.execute(delete(PersonKeyRow).where(col(PersonKeyRow.record_id) == row.id))
    keys = sorted(record_keys(row))
    if keys:
        session.execute(insert(PersonKeyRow), [{"key": key, "record_id": row.id} for key in keys])


#: The version of what the re-link gives Splink (comparisons and their levels, blocking rules,
#: training settings; ``gateway.services.persons.linking.splink_settings``), bumped whenever it
#: changes. A model records the version it was trained on, and only a model of this version
#: scores pairs: the m and u of another version's levels mean something else. After an upgrade
#: that bumps it, records are linked by identifiers alone until ``icjs persons link`` runs.
#: "2": the father's name's agreement split by whether it rests on one word or more, and its
#: disagreement by whether both records are a man's.
SETTINGS_VERSION = "2"


#: The newest model's parameters as last parsed, by its database, row id and training time:
#: every search and incremental link reads them, and parsing the model's JSON took a
#: millisecond or two of each. A model's row is never changed (each re-link stores a new one),
#: so its key says whether the parsed copy is still it.
_PARSED: dict[tuple[str, int, str], ModelParameters] = {}


def latest_model(session: Session) -> ModelParameters | None:
    """The parameters of the newest model trained on these settings (:data:`SETTINGS_VERSION`),
    or None before the first re-link on them."""
    table = PersonModelRow.__table__  # type: ignore[attr-defined]
    newest = session.execute(
        select(table.c.id, table.c.trained_at)
        .where(table.c.settings_version == SETTINGS_VERSION)
        .order_by(table.c.id.desc())
        .limit(1)
    ).first()
    if newest is None:
        return None
    key = (str(session.get_bind().engine.url), int(newest[0]), str(newest[1]))
    parsed = _PARSED.get(key)
    if parsed is None:
        row = session.get(PersonModelRow, newest[0])
        if row is None or not row.model:
            return None
        parsed = ModelParameters.from_splink_json(row.model)
        _PARSED.clear()
        _PARSED[key] = parsed
    return parsed


def candidates(
    session: Session, row: PersonRecordRow, *, limit: int = MAX_CANDIDATES
) -> list[PersonRecordRow]:
    """The records that share a search key with ``row`` (most keys in common first), never
    ``row`` itself nor another party of its case."""
    keys = sorted(record_keys(row))
    if not keys:
        return []
    from sqlalchemy import func

    shared = (
        select(PersonKeyRow.record_id, func.count().label("shared"))
        .where(col(PersonKeyRow.key).in_(keys))
        .group_by(col(PersonKeyRow.record_id))
        .order_by(func.count().desc())
        .limit(limit + 1)
        .subquery()
    )
    found = session.exec(
        select(PersonRecordRow)
        .join(shared, col(PersonRecordRow.id) == shared.c.record_id)
        .where(col(PersonRecordRow.id) != row.id)
    ).all()
    return [
        other
        for other in found
        if not (
            row.case_id is not None
            and other.case_id == row.case_id
            and row.party_ref is not None
            and other.party_ref is not None
        )
    ]


def _splits(session: Session, key: str) -> set[str]:
    rows = session.exec(
        select(PersonLinkRow).where(
            col(PersonLinkRow.state) == "split",
            or_(col(PersonLinkRow.record_a) == key, col(PersonLinkRow.record_b) == key),
        )
    ).all()
    return {r.record_b if r.record_a == key else r.record_a for r in rows}


def _plausible_with(
    session: Session, row: PersonRecordRow, *, person_id: str | None, model: ModelParameters
) -> bool:
    """Whether ``row`` is plausibly the same person as every record of ``person_id``
    (:meth:`~canonical_model.person_matching.ModelParameters.plausible`), as the full re-link
    requires of a cluster: one strong pair does not make a record the person whose other
    records it contradicts."""
    if person_id is None:
        return False
    me = comparable(row)
    theirs = session.exec(
        select(PersonRecordRow).where(
            col(PersonRecordRow.person_id) == person_id, col(PersonRecordRow.id) != row.id
        )
    ).all()
    return all(model.plausible(comparison_levels(me, comparable(other))) for other in theirs)


def link_one(
    session: Session,
    row: PersonRecordRow,
    *,
    model: ModelParameters | None,
    thresholds: Thresholds,
) -> None:
    """Give ``row`` its person: by a shared identifier, else by the model's best candidate,
    else a new person; queue a pair in the review band."""
    others = candidates(session, row)
    split = _splits(session, row.record_key)
    others = [o for o in others if o.record_key not in split and o.person_id is not None]
    mine = set(row.identifiers)
    by_identifier = [o for o in others if mine & set(o.identifiers)]
    if by_identifier:
        row.person_id = by_identifier[0].person_id
        row.linked_by, row.link_probability = "identifier", 1.0
        return
    # Within one case, an inmate admitted on its warrant without a party reference is the
    # accused of the same name and father's name (as the case's projection matches them).
    in_case = [
        o
        for o in others
        if row.case_id is not None
        and o.case_id == row.case_id
        and (o.party_ref is None) != (row.party_ref is None)
        and name_level(row.name_norm, o.name_norm) >= SAME_NAME
        and father_level(row.father_norm, o.father_norm) != 0
    ]
    if in_case:
        row.person_id = in_case[0].person_id
        row.linked_by, row.link_probability = "case", 1.0
        return
    best: tuple[float, PersonRecordRow, dict[str, int]] | None = None
    if model is not None:
        me = comparable(row)
        for other in others:
            levels = comparison_levels(me, comparable(other))
            probability = model.match_probability(levels)
            if best is None or probability > best[0]:
                best = (probability, other, levels)
    if (
        best is not None
        and model is not None
        and best[0] >= thresholds.link
        and _plausible_with(session, row, person_id=best[1].person_id, model=model)
    ):
        row.person_id = best[1].person_id
        row.linked_by, row.link_probability = "model", best[0]
        return
    if row.person_id is None or row.linked_by in ("identifier", "model"):
        row.person_id, row.linked_by, row.link_probability = new_person_id(), "new", None
    if best is not None and best[0] >= thresholds.review and model is not None:
        a, b = pair(row.record_key, best[1].record_key)
        exists = session.exec(
            select(PersonLinkRow).where(
                col(PersonLinkRow.record_a) == a, col(PersonLinkRow.record_b) == b
            )
        ).first()
        if exists is None:
            session.add(
                PersonLinkRow(
                    record_a=a,
                    record_b=b,
                    match_probability=best[0],
                    match_weight=model.match_weight(best[2]),
                    reasons=model.reasons(best[2]),
                )
            )


def _find_for_fact(session: Session, update: FactFor) -> PersonRecordRow | None:
    if update.party_ref is not None:
        return session.exec(
            select(PersonRecordRow).where(
                col(PersonRecordRow.record_key) == f"case:{update.case_id}:{update.party_ref}"
            )
        ).first()
    if update.identifier is None:
        return None
    return session.exec(
        select(PersonRecordRow)
        .join(PersonKeyRow, col(PersonKeyRow.record_id) == col(PersonRecordRow.id))
        .where(
            col(PersonKeyRow.key) == f"i:{update.identifier}",
            col(PersonRecordRow.case_id) == update.case_id,
        )
    ).first()


def apply_updates(
    session: Session,
    updates: Iterable[PersonMention | FactFor],
    *,
    model: ModelParameters | None,
    thresholds: Thresholds,
    link: bool = True,
) -> int:
    """Fold mentions and facts into the records, in order, and link each record whose
    identity changed; return how many records were written."""
    written = 0
    now = utcnow()
    for update in updates:
        if isinstance(update, FactFor):
            row = _find_for_fact(session, update)
            if row is None:
                log.warning(
                    "a fact names no record of the person index",
                    case_id=update.case_id,
                    party_ref=update.party_ref,
                    identifier=update.identifier,
                    fact=update.fact.kind,
                )
                continue
            _add_fact(row, update.fact.as_dict())
            if update.role is not None and update.role.value not in row.roles:
                row.roles = [*row.roles, update.role.value]
            row.updated_at = now
            session.add(row)
            written += 1
            continue
        row = session.exec(
            select(PersonRecordRow).where(col(PersonRecordRow.record_key) == update.record_key)
        ).first()
        if row is None:
            row, changed = _new_row(update), True
        else:
            changed = _merge(row, update)
        row.updated_at = now
        session.add(row)
        session.flush()
        if changed:
            _write_keys(session, row)
            if link:
                link_one(session, row, model=model, thresholds=thresholds)
            elif row.person_id is None:
                row.person_id, row.linked_by = new_person_id(), "new"
            session.add(row)
            session.flush()
        written += 1
    return written


class PersonIndexer:
    """The consumer that keeps the person index: every event naming a person in a criminal
    role, each applied once (its inbox), records linked as they arrive."""

    name = CONSUMER

    def __init__(self, *, db: Database, thresholds: Thresholds | None = None) -> None:
        self.db = db
        self.thresholds = thresholds or Thresholds()

    def wants(self, event_type: str) -> bool:
        """Whether ``event_type`` can name a person in a criminal role."""
        return event_type in PERSON_EVENT_TYPES

    def handle(self, envelope: dict[str, Any]) -> None:
        """Apply one event, once."""
        self.handle_batch([envelope])

    def handle_batch(self, envelopes: Sequence[dict[str, Any]]) -> int:
        """Apply a batch of events in one transaction, each once; return the records written.
        Raises (and applies nothing) if any event cannot be applied."""
        events = [CloudEvent.model_validate(e) for e in envelopes]
        with self.db.session(write=True) as session:
            new = claim_events(session, consumer=self.name, event_ids=[e.id for e in events])
            model = latest_model(session)
            written = 0
            seen: set[str] = set()
            for event in events:
                if event.id not in new or event.id in seen:
                    continue
                seen.add(event.id)
                updates = person_updates(event.payload(), case_id=event.subject)
                written += apply_updates(session, updates, model=model, thresholds=self.thresholds)
        log.info(
            "person index updated",
            events=len(seen),
            duplicates=len(events) - len(seen),
            records=written,
        )
        return written


class _Draft:
    """A new record as the batch path builds it: the columns of :class:`PersonRecordRow`
    (but ``id``) as plain attributes, starting from the model's defaults, folded by the very
    :func:`_merge` the consumer uses. An ORM row costs more to make and to flush than all
    the folding; a plain object, written by a bulk insert, does not."""

    person_id: str | None
    linked_by: str | None

    def __init__(self, mention: PersonMention, now: dt.datetime) -> None:
        for name, default in _DRAFT_DEFAULTS.items():
            # A fresh list per record: a default is never shared between records.
            setattr(self, name, list(default) if isinstance(default, list) else default)
        self.record_key = mention.record_key
        self.case_id = mention.case_id
        self.party_ref = mention.party_ref
        self.name = mention.name
        self.name_norm = normalise_name(mention.name)
        self.phonetic_key = phonetic_key(mention.name)
        self.first_seen = self.updated_at = now

    def row(self) -> dict[str, Any]:
        """The record's columns, for the insert."""
        return {name: getattr(self, name) for name in _DRAFT_DEFAULTS}


def _draft_defaults() -> dict[str, Any]:
    """Each column of :class:`PersonRecordRow` but ``id``, with the value a new row starts
    from (what ``_new_row`` gets from the model before folding the mention in)."""
    out: dict[str, Any] = {}
    for name, info in PersonRecordRow.model_fields.items():
        if name != "id":
            out[name] = info.get_default(call_default_factory=True)
    return out


_DRAFT_DEFAULTS = _draft_defaults()


def load_mentions(
    *,
    db: Database,
    mentions: Iterable[PersonMention],
    progress: Callable[[int], None] | None = None,
    batch: int = 20_000,
) -> int:
    """The batch path (benchmarks, imports): write mentions as records without scoring them,
    each record its own person until ``icjs persons link`` links them; return the count.

    A batch per transaction. Records new to the store are built as plain objects, folded as
    the consumer folds (:func:`_merge`), and written with their keys in bulk (``COPY`` on
    PostgreSQL, ``executemany`` elsewhere: :func:`gateway.store.bulk.insert_rows`); a
    mention whose record the store holds already is folded into that row as the consumer
    would, through the ORM (rare in a load: the same party named again in a later batch).
    """
    from gateway.store.bulk import insert_rows

    records = PersonRecordRow.__table__  # type: ignore[attr-defined]
    keys_table = PersonKeyRow.__table__  # type: ignore[attr-defined]
    done = 0
    chunk: list[PersonMention] = []

    def flush() -> None:
        nonlocal done
        if not chunk:
            return
        with db.session(write=True) as session:
            wanted = list({m.record_key for m in chunk})
            existing: dict[str, PersonRecordRow] = {}
            for at in range(0, len(wanted), 5000):  # bound the statement's parameters
                existing.update(
                    (r.record_key, r)
                    for r in session.exec(
                        select(PersonRecordRow).where(
                            col(PersonRecordRow.record_key).in_(wanted[at : at + 5000])
                        )
                    ).all()
                )
            now = utcnow()
            fresh: dict[str, _Draft] = {}
            for mention in chunk:
                stored = existing.get(mention.record_key)
                if stored is not None:
                    _merge(stored, mention)
                    session.add(stored)
                    continue
                draft = fresh.get(mention.record_key)
                if draft is None:
                    draft = fresh[mention.record_key] = _Draft(mention, now)
                    draft.person_id, draft.linked_by = new_person_id(), "new"
                _merge(cast(PersonRecordRow, draft), mention)
            session.flush()
            conn = session.connection()
            insert_rows(conn, records, [d.row() for d in fresh.values()])
            ids: dict[str, int] = {}
            fresh_keys = list(fresh)
            for at in range(0, len(fresh_keys), 5000):
                part = fresh_keys[at : at + 5000]
                # Pairs, not a mapping: a result has keys() (its columns), which update() would take.
                for record_key, record_id in conn.execute(
                    select(records.c.record_key, records.c.id).where(records.c.record_key.in_(part))
                ):
                    ids[record_key] = record_id
            changed = [r.id for r in existing.values() if r.id is not None]
            for at in range(0, len(changed), 5000):
                session.execute(
                    delete(PersonKeyRow).where(
                        col(PersonKeyRow.record_id).in_(changed[at : at + 5000])
                    )
                )
            key_rows = [
                {"key": key, "record_id": ids[d.record_key]}
                for d in fresh.values()
                for key in sorted(record_keys(cast(PersonRecordRow, d)))
            ]
            key_rows += [
                {"key": key, "record_id": r.id}
                for r in existing.values()
                for key in sorted(record_keys(r))
            ]
            insert_rows(conn, keys_table, key_rows)
        done += len(chunk)
        chunk.clear()
        if progress is not None:
            progress(done)

    for mention in mentions:
        chunk.append(mention)
        if len(chunk) >= batch:
            flush()
    flush()
    return done


def rebuild_index(*, db: Database, progress: Callable[[int, int], None] | None = None) -> int:
    """Fill the index again from the event log (after an upgrade, or to repair it): records,
    keys and the consumer's inbox rows go, operators' decisions and models stay; the events
    are applied in log order without scoring (run ``icjs persons link`` after)."""
    from gateway.store.tables import EventRow, InboxRow

    with db.session(write=True) as session:
        session.execute(delete(PersonKeyRow))
        session.execute(delete(PersonRecordRow))
        session.execute(delete(InboxRow).where(col(InboxRow.consumer) == CONSUMER))
        session.execute(delete(PersonLinkRow).where(col(PersonLinkRow.state) == "review"))
    with db.session() as session:
        ids = session.exec(
            select(EventRow.sequence)
            .where(col(EventRow.type).in_(sorted(PERSON_EVENT_TYPES)))
            .order_by(col(EventRow.sequence))
        ).all()
    total = len(ids)
    done = 0
    for start in range(0, total, 500):
        chunk = ids[start : start + 500]
        with db.session(write=True) as session:
            rows = session.exec(
                select(EventRow)
                .where(col(EventRow.sequence).in_(chunk))
                .order_by(col(EventRow.sequence))
            ).all()
            events = [CloudEvent.model_validate(r.envelope) for r in rows]
            claim_events(session, consumer=CONSUMER, event_ids=[e.id for e in events])
            for event in events:
                apply_updates(
                    session,
                    person_updates(event.payload(), case_id=event.subject),
                    model=None,
                    thresholds=Thresholds(),
                    link=False,
                )
        done += len(chunk)
        if progress is not None:
            progress(done, total)
    return done
