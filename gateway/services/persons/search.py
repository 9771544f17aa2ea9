"""Person search, criminal antecedents and antecedent verification, under the gateway's
privacy rules.

- Search ranks persons by the linkage model's match weight between the query and each of
  their records (the best record speaks for the person), with the reasons: which fields
  agreed, and how.
- Antecedents are every case a person is linked to, with its FIR, sections, stage and court
  from the case's own projection, and what happened to the person in it (arrests, custody,
  charge sheets, verdicts).
- Verification (a passport office, an employer's verifier) answers ``no_record``,
  ``record_found`` with the police stations to refer to, or ``manual_review``; never a case.

Only records in a criminal role are searched (victims, complainants and witnesses are never
in the index), and a child in conflict with law is never shown: the Juvenile Justice (Care
and Protection of Children) Act, 2015 s.24(1) removes the disqualification attaching to the
finding, and s.24(2) has the records destroyed; s.74 forbids disclosing the child's identity.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import case, func, text
from sqlmodel import Session, col, select

from canonical_model.errors import ContractViolation, Forbidden, NotFound, Problem
from canonical_model.lifecycle import CaseStatus
from canonical_model.person_matching import (
    COMPARISONS,
    NULL_LEVEL,
    RECORD_COLUMNS,
    ModelParameters,
)
from canonical_model.person_mentions import CRIMINAL_ROLES
from canonical_model.person_names import normalise_name, phonetic_key
from gateway.services.auth import Client
from gateway.services.cases import can_read
from gateway.services.persons.index import Thresholds, comparable, word_pair_keys
from gateway.store.tables import CaseRow, PersonKeyRow, PersonRecordRow

#: Who may search persons and read antecedents; courts and prosecution only for a case before
#: them (``case``), named with the search.
SEARCHERS = ("police", "operator", "courts", "prosecution")
#: Who may ask for an antecedent verification.
VERIFIERS = ("verifier", "operator")
#: Who must name the case they search for.
FOR_A_CASE = ("courts", "prosecution")
#: At most this many records are scored for one search (the likeliest first: see
#: ``_candidates``). Scoring is Python's, and a name the process has not met costs some
#: 100 µs to put in comparable form, so a common name's search was mostly this. 400 searches
#: of the benchmark's 100,000 persons found the person first, and in the first ten, as often
#: scoring 200 as 500 (87% and 94%; 100 lost some), and p99 fell from 97 to 58 ms.
MAX_SCORED = 200
#: A name whose one search key more records than this hold is read by bounded queries
#: (:func:`_common_name_candidates`): in an index of a million persons "kumar" alone is held
#: by 140,000 records, and ordering them all to score the likeliest took a quarter of a second.
COMMON_KEY = 5_000
#: At most this many index entries of a State's nearest years are read for one such search.
NEAR_READ = 12_000
_CRIMINAL = {role.value for role in CRIMINAL_ROLES}


@dataclass(frozen=True, slots=True)
class PersonQuery:
    """What a searcher knows of the person: a name at least."""

    name: str
    father_name: str | None = None
    gender: str | None = None
    age: int | None = None
    date_of_birth: dt.date | None = None
    state: str | None = None
    district: str | None = None

    def as_record(self, today: dt.date) -> dict[str, Any]:
        """The query in the shape of a record, for the comparisons (an age counts from
        today)."""
        birth_year = (
            self.date_of_birth.year
            if self.date_of_birth is not None
            else (today.year - self.age if self.age is not None else None)
        )
        return {
            "name": normalise_name(self.name) or None,
            "aliases": [],
            "father_name": normalise_name(self.father_name) if self.father_name else None,
            "gender": self.gender or "unknown",
            "birth_year": birth_year,
            "state": self.state.upper() if self.state else None,
            "district": normalise_name(self.district) if self.district else None,
            "identifiers": [],
        }


def check_query(query: PersonQuery) -> None:
    """Refuse a query that names no one (422 at ``name``)."""
    if not phonetic_key(query.name).strip():
        raise ContractViolation(
            "the search needs a name",
            [Problem("name", "give the person's name (Latin or Devanagari), e.g. 'Ramesh Jadhav'")],
        )


def check_can_search(session: Session, client: Client, *, case: str | None) -> str | None:
    """Raise unless ``client`` may search; return the case id a court or prosecution office
    searches for. Police (any station) and operators may search; courts and prosecution for
    a case before them, which they name."""
    if client.pillar not in SEARCHERS:
        raise Forbidden(
            f"{client.pillar} clients may not search persons; the index is open to the police, "
            "operators, and courts and prosecution for the cases before them"
        )
    if client.pillar not in FOR_A_CASE:
        return None
    if not case:
        raise ContractViolation(
            f"{client.pillar} clients search for a case before them",
            [Problem("case", "name the case (its id, FIR or CNR) the search is for")],
        )
    from gateway.services.cases import load_case, not_known, resolve_case_id

    case_id = resolve_case_id(session, case)
    row = load_case(session, case_id)
    if not can_read(client, row):
        raise NotFound(not_known(case))
    return case_id


def check_can_verify(client: Client) -> None:
    """Raise unless ``client`` may ask for an antecedent verification: verifiers and
    operators (the police search persons instead)."""
    if client.pillar not in VERIFIERS:
        raise Forbidden(
            f"{client.pillar} clients do not verify antecedents; verifier keys do "
            "(the police search persons with GET /v1/persons/search)"
        )


def _visible(row: PersonRecordRow) -> bool:
    return not row.juvenile and bool(_CRIMINAL.intersection(row.roles))


#: The columns of a candidate that search reads: what the comparisons read
#: (:func:`gateway.services.persons.index.comparable`), whether it may be shown, and what an
#: answer says of its best record. Candidates are read as plain rows of these, not as ORM
#: objects: a common name brings two thousand, and making an ORM object of each (with its
#: facts) cost more than the rest of the search.
_CANDIDATE_COLUMNS = (
    "id",
    "person_id",
    "name",
    "name_norm",
    "alias_norms",
    "father_name",
    "father_norm",
    "gender",
    "birth_year",
    "state",
    "district",
    "identifiers",
    "roles",
    "juvenile",
    "case_id",
    "fir",
    "police_station",
    "first_seen",
)


def _candidates(
    session: Session, query: PersonQuery, *, birth_year: int | None
) -> list[PersonRecordRow]:
    """The records sharing enough of the query's name words, as rows of
    :data:`_CANDIDATE_COLUMNS` (typed as the records they stand for: they have those of
    their attributes that search reads)."""
    words = sorted(set(phonetic_key(query.name).split()))
    # Every word of a one- or two-word name, all but one of a longer one: a middle name
    # left out is common, a surname and given name both wrong is another person.
    wanted_words = len(words) if len(words) <= 2 else len(words) - 1
    if len(words) >= 2:
        # By pairs of words: sharing k words is sharing k(k-1)/2 of their pairs, and a pair
        # is one index entry where a common word is many.
        keys = sorted(word_pair_keys(words))
        needed = wanted_words * (wanted_words - 1) // 2
    else:
        keys = [f"n:{w}" for w in words]
        needed = wanted_words
    if _held_by_more_than(session, keys, COMMON_KEY):
        return _common_name_candidates(
            session, query, keys=keys, needed=needed, birth_year=birth_year
        )
    shared = (
        select(PersonKeyRow.record_id, func.count().label("shared"))
        .where(col(PersonKeyRow.key).in_(keys))
        .group_by(col(PersonKeyRow.record_id))
        .having(func.count() >= needed)
        .subquery()
    )
    # A common name ("Ramesh Kumar") has more records than are scored: the ones scored are
    # the likeliest by what the database can judge cheaply (more name words in common, the
    # same father's name as written, the State, the nearest birth year), then the oldest, so
    # that the same query always scores the same records whatever order the rows are stored
    # in.
    order: list[Any] = [shared.c.shared.desc(), *_likeliest_first(query, birth_year)]
    rows = session.execute(
        select(*_columns())
        .join(shared, _RECORDS.c.id == shared.c.record_id)
        .order_by(*order)
        .limit(MAX_SCORED)
    ).all()
    return [cast(PersonRecordRow, r) for r in rows if _visible(cast(PersonRecordRow, r))]


_RECORDS = PersonRecordRow.__table__  # type: ignore[attr-defined]
_KEYS = PersonKeyRow.__table__  # type: ignore[attr-defined]
#: What a common name's candidates are ranked by (read from indexes that hold them).
_RANKED_BY = ("id", "father_norm", "state", "birth_year")


def _columns() -> list[Any]:
    return [_RECORDS.c[name] for name in _CANDIDATE_COLUMNS]


def _likeliest_first(query: PersonQuery, birth_year: int | None) -> list[Any]:
    """The order of the records sharing as many of the query's name words: the same
    father's name as written, the State, the nearest birth year, then the oldest record."""
    order: list[Any] = []
    father = normalise_name(query.father_name) if query.father_name else ""
    if father:
        order.append(case((_RECORDS.c.father_norm == father, 0), else_=1))
    if query.state:
        order.append(case((_RECORDS.c.state == query.state.upper(), 0), else_=1))
    if birth_year is not None:
        order.append(
            case(
                (_RECORDS.c.birth_year.is_(None), 50),
                else_=func.abs(_RECORDS.c.birth_year - birth_year),
            )
        )
    order.append(_RECORDS.c.id)
    return order


def _rank_key(
    query: PersonQuery, birth_year: int | None, shared: dict[int, int]
) -> Callable[[Any], tuple[int, int, int, int, int]]:
    """The full order (:func:`_candidates`: the most name words in common, then
    :func:`_likeliest_first`) in Python, for rows of ``_RANKED_BY`` and the count of the
    name's keys each holds."""
    father = normalise_name(query.father_name) if query.father_name else ""
    state = query.state.upper() if query.state else ""

    def key(row: Any) -> tuple[int, int, int, int, int]:
        year = row.birth_year
        distance = 0 if birth_year is None else 50 if year is None else abs(year - birth_year)
        return (
            -shared.get(row.id, 0),
            0 if father and row.father_norm == father else 1,
            0 if state and row.state == state else 1,
            distance,
            row.id,
        )

    return key


def _held_by_more_than(session: Session, keys: list[str], count: int) -> bool:
    """Whether the index holds ``keys`` more than ``count`` times (reading at most
    ``count + 1`` of its entries)."""
    held = session.execute(
        select(func.count()).select_from(
            select(_KEYS.c.record_id).where(_KEYS.c.key.in_(keys)).limit(count + 1).subquery()
        )
    ).scalar_one()
    return int(held) > count


def _common_name_candidates(
    session: Session,
    query: PersonQuery,
    *,
    keys: list[str],
    needed: int,
    birth_year: int | None,
) -> list[PersonRecordRow]:
    """The records to score for a name whose search keys many records hold ("Kumar",
    "Ramesh Kumar", "Ramesh Kumar Yadav" in a large index), without reading and ordering them
    all: the likeliest by each of a few bounded reads, each a range of an index,

    * the records of the same name as a whole (the same sound keys, no more words);
    * those naming the same father as written;
    * each key's oldest records;
    * for a name of one key, those of the same State born in the same year, then within
      one, then within three, while fewer than :data:`MAX_SCORED` are found and at most
      :data:`NEAR_READ` entries were read (from the index alone, which holds their names'
      sound keys: a record sharing the name by an alias only is left to the others);

    then, of those holding enough of the keys (:func:`_candidates`), the first in the order
    the full query ranks all of them. For a name of one or two words (one key) without a
    father's name, State or age, or with the father's name only, they are exactly the full
    query's; otherwise the likeliest found near the person rather than among every holder of
    the name."""
    ranked = [_RECORDS.c[name] for name in _RANKED_BY]
    order = _likeliest_first(query, birth_year)
    father = normalise_name(query.father_name) if query.father_name else ""
    state = query.state.upper() if query.state else None
    found: dict[int, Any] = {}

    def likeliest(*conditions: Any) -> Any:
        return select(*ranked).where(*conditions).order_by(*order).limit(MAX_SCORED)

    reads = [likeliest(_RECORDS.c.phonetic_key == phonetic_key(query.name))]
    if father:
        # A father's name as written is shared by few records: read them all.
        reads.append(select(*ranked).where(_RECORDS.c.father_norm == father))
    reads += [
        select(*ranked)
        .select_from(_KEYS.join(_RECORDS, _RECORDS.c.id == _KEYS.c.record_id))
        .where(_KEYS.c.key == key)
        .order_by(_KEYS.c.record_id)
        .limit(MAX_SCORED)
        for key in keys
    ]
    for read in reads:
        for row in session.execute(read).all():
            found.setdefault(row.id, row)
    if len(keys) == 1 and state is not None and birth_year is not None:
        # One key (one or two words): records holding it are dense in a State's year, and
        # are read from the index alone (it holds their names' sound keys), kept when their
        # words are the key's. Nearest years first, at most NEAR_READ entries in all (a large
        # State's year holds thousands of records).
        words = set(keys[0].partition(":")[2].split("|"))
        budget, near = NEAR_READ, 0
        with_words = [*ranked, _RECORDS.c.phonetic_key]
        for years in ((0,), (-1, 1), (-2, 2, -3, 3)):
            window = session.execute(
                select(*with_words)
                .where(
                    _RECORDS.c.state == state,
                    _RECORDS.c.birth_year.in_([birth_year + y for y in years]),
                )
                .limit(budget)
            ).all()
            budget -= len(window)
            for row in window:
                if words <= set(row.phonetic_key.split()):
                    found.setdefault(row.id, row)
                    near += 1
            if near >= MAX_SCORED or budget <= 0:
                break
    # How many of the keys each record found holds (its aliases' words count).
    shared: dict[int, int] = {}
    ids = sorted(found)
    for at in range(0, len(ids), 500):
        shared.update(
            (int(record_id), int(count))
            for record_id, count in session.execute(
                select(_KEYS.c.record_id, func.count())
                .where(_KEYS.c.record_id.in_(ids[at : at + 500]), _KEYS.c.key.in_(keys))
                .group_by(_KEYS.c.record_id)
            ).all()
        )
    holding = [row for row in found.values() if shared.get(row.id, 0) >= needed]
    chosen = [r.id for r in sorted(holding, key=_rank_key(query, birth_year, shared))]
    chosen = chosen[:MAX_SCORED]
    rows = {
        row.id: row
        for row in session.execute(select(*_columns()).where(_RECORDS.c.id.in_(chosen))).all()
    }
    candidates = [cast(PersonRecordRow, rows[i]) for i in chosen if i in rows]
    return [row for row in candidates if _visible(row)]


class _Levels:
    """The comparisons' levels between the query and each candidate, each comparison's
    function called once per distinct value of the columns it reads: candidates of a common
    name share the name, the father's name, the State, so most levels are looked up, not
    computed again."""

    def __init__(self, wanted: dict[str, Any]) -> None:
        self.wanted = wanted
        # Per comparison: its columns, which of them hold lists (made tuples to be a key),
        # and the levels known so far by the values of those columns.
        self.plan = [
            (
                comparison,
                comparison.columns,
                any(RECORD_COLUMNS.get(c, "").endswith("[]") for c in comparison.columns),
                dict[tuple[Any, ...], int](),
            )
            for comparison in COMPARISONS
        ]

    def of(self, record: dict[str, Any]) -> dict[str, int]:
        """What ``comparison_levels(wanted, record)`` gives."""
        levels: dict[str, int] = {}
        for comparison, columns, lists, known in self.plan:
            if lists:
                key = tuple(
                    tuple(value) if isinstance(value, list) else value
                    for value in (record.get(c) for c in columns)
                )
            else:
                key = tuple([record.get(c) for c in columns])
            level = known.get(key)
            if level is None:
                level = known[key] = comparison.level_of(self.wanted, record)
            levels[comparison.name] = level
        return levels


def _score(
    model: ModelParameters | None, levels: dict[str, int]
) -> tuple[float, float | None, list[dict[str, Any]]]:
    if model is not None:
        return model.match_weight(levels), model.match_probability(levels), model.reasons(levels)
    # No model trained yet (before the first `icjs persons link`): rank by the agreement
    # levels themselves and say so; no probability is claimed.
    reasons = [
        {"field": f, "level": v, "agreement": None, "weight": None} for f, v in levels.items()
    ]
    return float(sum(max(v, 0) for v in levels.values())), None, reasons


def _records_of(session: Session, person_ids: Iterable[str]) -> dict[str, list[PersonRecordRow]]:
    ids = sorted(set(person_ids))
    found: dict[str, list[PersonRecordRow]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        for row in session.exec(
            select(PersonRecordRow).where(
                col(PersonRecordRow.person_id).in_(ids[start : start + 500])
            )
        ).all():
            if _visible(row) and row.person_id is not None:
                found[row.person_id].append(row)
    return found


def _case_line(row: PersonRecordRow) -> dict[str, Any]:
    return {
        "case_id": row.case_id,
        "fir": row.fir,
        "police_station": row.police_station,
        "roles": list(row.roles),
    }


def search_persons(
    session: Session,
    *,
    query: PersonQuery,
    model: ModelParameters | None,
    today: dt.date,
    limit: int = 20,
) -> list[dict[str, Any]]:
    """Ranked candidates for ``query``: person id, score (the match weight, log2 of the odds),
    match probability, the name as written, the reasons, and the cases linked to the person
    (case id, FIR, police station, roles)."""
    check_query(query)
    if session.get_bind().dialect.name == "postgresql":
        # A search reads a few hundred or thousand index entries a query: PostgreSQL's
        # parallel workers (its plans for a common name's ranges) cost more to start, some
        # 10 ms a query, than they save.
        session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
    wanted = query.as_record(today)
    # The weight alone for every candidate; the probability and the reasons only for the
    # best record of each person answered (they cost more than the weight).
    best: dict[str, tuple[float, dict[str, int], PersonRecordRow]] = {}
    levels_of = _Levels(wanted)
    weigh = model.match_weight if model is not None else None
    for row in _candidates(session, query, birth_year=wanted["birth_year"]):
        if row.person_id is None:
            continue
        levels = levels_of.of(comparable(row))
        if levels.get("name", NULL_LEVEL) <= 0:
            # Words in common but no agreement of the names as a whole ("Raju Ramesh Jadhav"
            # is not "Ramesh Shankar Jadhav"): not a candidate.
            continue
        weight = weigh(levels) if weigh is not None else _score(None, levels)[0]
        held = best.get(row.person_id)
        if held is None or weight > held[0]:
            best[row.person_id] = (weight, levels, row)
    ranked = sorted(best.items(), key=lambda item: item[1][0], reverse=True)[:limit]
    records = _records_of(session, (person_id for person_id, _ in ranked))
    answer = []
    for person_id, (_, levels, row) in ranked:
        weight, probability, reasons = _score(model, levels)
        mine = records.get(person_id, [row])
        answer.append(
            {
                "person_id": person_id,
                "score": round(weight, 3),
                "match_probability": None if probability is None else round(probability, 4),
                "name": row.name,
                "father_name": row.father_name,
                "gender": row.gender,
                "birth_year": row.birth_year,
                "reasons": reasons,
                "cases": [_case_line(r) for r in sorted(mine, key=lambda r: r.first_seen)],
            }
        )
    return answer


def case_ids_of(results: Sequence[dict[str, Any]]) -> list[str]:
    """The case ids an answer names (for the access log)."""
    return sorted({c["case_id"] for r in results for c in r.get("cases", ()) if c.get("case_id")})


def _case_entry(group: list[PersonRecordRow], status: CaseStatus | None) -> dict[str, Any]:
    """One case of a person's antecedents from the person's records in it."""
    refs = {r.party_ref for r in group if r.party_ref}
    accused = (
        next((a for a in status.accused if a.ref in refs), None) if status is not None else None
    )
    facts = sorted(
        (f for r in group for f in r.facts), key=lambda f: (f.get("on") or "", f.get("kind", ""))
    )
    verdict = accused.verdict.value if accused and accused.verdict else None
    verdict = verdict or next(
        (str(f.get("verdict")) for f in facts if f.get("kind") == "judgment"), None
    )
    first = group[0]
    return {
        "case_id": first.case_id,
        "fir": next((r.fir for r in group if r.fir), None),
        "police_station": next((r.police_station for r in group if r.police_station), None),
        "recorded_as": [
            {
                "name": r.name,
                "aliases": list(r.aliases),
                "father_name": r.father_name,
                "party_ref": r.party_ref,
                "identifiers": [i for i in r.identifiers if i.startswith(("prisoner:", "dl:"))],
            }
            for r in group
        ],
        "roles": sorted({role for r in group for role in r.roles}),
        "sections": [str(o) for o in status.offences] if status else [],
        "police_stage": status.police_stage.value if status and status.police_stage else None,
        "court": status.court if status else None,
        "court_stage": status.court_stage.value if status else None,
        "cnr": next(iter(status.identifiers.get("cnr") or ()), None) if status else None,
        "next_hearing_date": (
            status.next_hearing_date.isoformat() if status and status.next_hearing_date else None
        ),
        "accused_status": {
            "police_status": accused.police_status if accused else None,
            "arrested_at": (
                accused.arrested_at.isoformat() if accused and accused.arrested_at else None
            ),
            "charge_sheeted": accused.charge_sheeted if accused else None,
            "custody": accused.custody.value if accused and accused.custody else None,
            "prison_status": accused.prison_status if accused else None,
            "verdict": verdict,
        },
        "history": facts,
    }


def antecedents(session: Session, *, person_id: str) -> dict[str, Any]:
    """A person's record across States and pillars: the names they were recorded under, every
    case with its FIR, sections, stage and court, and in each what happened to them. 404 for
    an unknown person, and for one known only as a child in conflict with law or a licence
    holder (no criminal antecedents to show)."""
    rows = _records_of(session, [person_id]).get(person_id, [])
    if not rows:
        raise NotFound(f"no person {person_id} with criminal antecedents")
    case_ids = sorted({r.case_id for r in rows if r.case_id})
    statuses = {
        c.id: CaseStatus.model_validate(c.status)
        for c in session.exec(select(CaseRow).where(col(CaseRow.id).in_(case_ids))).all()
    }
    # One entry a case: an accused and the inmate a prison admitted on the case's warrant are
    # two records of one person in one case.
    by_case: dict[str, list[PersonRecordRow]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: r.first_seen):
        by_case[row.case_id or row.record_key].append(row)
    cases = [_case_entry(group, statuses.get(group[0].case_id or "")) for group in by_case.values()]
    arrests = sum(any(f.get("kind") == "arrested" for f in c["history"]) for c in cases)
    verdicts = [c["accused_status"]["verdict"] for c in cases]
    convictions = sum(v == "convicted" for v in verdicts)
    acquittals = sum(v in ("acquitted", "discharged") for v in verdicts)
    names = sorted({r.name for r in rows} | {a for r in rows for a in r.aliases})
    return {
        "person_id": person_id,
        "names": names,
        "summary": {
            "cases": len(cases),
            "states": sorted({r.fir.split("/")[0] for r in rows if r.fir}),
            "arrests": arrests,
            "convictions": convictions,
            "acquittals": acquittals,
        },
        "cases": cases,
        "note": "children in conflict with law are never shown (Juvenile Justice Act 2015, "
        "s.24 and s.74); victims, complainants and witnesses are not in the index",
    }


def verify(
    session: Session,
    *,
    query: PersonQuery,
    model: ModelParameters | None,
    thresholds: Thresholds,
    today: dt.date,
) -> dict[str, Any]:
    """An antecedent verification: ``no_record``, ``record_found`` (one person above the link
    threshold: the police stations of their cases to refer to) or ``manual_review`` (several,
    or one in the review band: how each agrees, and where to refer), never a case."""
    results = search_persons(session, query=query, model=model, today=today, limit=10)

    def strength(result: dict[str, Any]) -> float:
        probability = result["match_probability"]
        if probability is not None:
            return float(probability)
        # No trained model: only an agreement of name, father's name and birth year counts.
        levels = {r["field"]: r["level"] for r in result["reasons"]}
        strong = (
            levels.get("name", -1) >= 3
            and levels.get("father_name", -1) >= 3
            and levels.get("birth_year", -1) >= 2
        )
        return 1.0 if strong else 0.0

    sure = [r for r in results if strength(r) >= thresholds.link]
    unsure = [r for r in results if thresholds.review <= strength(r) < thresholds.link]

    def stations(result: dict[str, Any]) -> list[str]:
        return sorted({c["police_station"] for c in result["cases"] if c.get("police_station")})

    if len(sure) == 1 and not unsure:
        return {
            "outcome": "record_found",
            "message": "record found: refer the applicant to the police",
            "refer_to": stations(sure[0]),
        }
    if not sure and not unsure:
        return {"outcome": "no_record", "message": "no record found in the person index"}
    return {
        "outcome": "manual_review",
        "message": "possible records: refer for manual verification by the police",
        "candidates": [
            {
                "match_probability": r["match_probability"],
                "agreements": [
                    {"field": x["field"], "agreement": x["agreement"]} for x in r["reasons"]
                ],
                "refer_to": stations(r),
            }
            for r in sure + unsure
        ],
    }
