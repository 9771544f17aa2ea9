"""Search's bounded reads for a common name (``_common_name_candidates``) against the full
ordering of every record holding the name's key, on SQLite and PostgreSQL.

A small index stands in for a large one by lowering :data:`COMMON_KEY` and
:data:`MAX_SCORED`: the names whose key more records hold than the first are read the
bounded way, and only the second are scored."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import select

from bench.person_population import generate
from canonical_model.person_names import normalise_name, phonetic_key
from gateway.services.persons import search
from gateway.services.persons.index import load_mentions
from gateway.services.persons.search import PersonQuery
from gateway.settings import Settings
from gateway.store.db import Database, make_engine
from gateway.store.tables import PersonKeyRow, PersonRecordRow

TODAY = dt.date(2027, 1, 1)
SCORED = 25
COMMON = 40


@pytest.fixture(scope="module")
def mentions() -> list[Any]:
    return [m.mention for m in generate(persons=2500, seed=11)]


@pytest.fixture
def db(settings: Settings, mentions: list[Any]) -> Iterator[Database]:
    database = Database(make_engine(settings.database_url))
    load_mentions(db=database, mentions=mentions)
    yield database
    database.close()


def _candidates(db: Database, query: PersonQuery) -> list[int]:
    wanted = query.as_record(TODAY)
    with db.session() as session:
        rows = search._candidates(session, query, birth_year=wanted["birth_year"])
    return [int(r.id) for r in rows if r.id is not None]


def _common_queries(db: Database) -> list[PersonQuery]:
    """Queries for names of one or two words whose one key more than COMMON records hold:
    each as a record wrote the name, with its father's name and State."""
    with db.session() as session:
        held = Counter(k.key for k in session.exec(select(PersonKeyRow)).all())
        records = session.exec(select(PersonRecordRow).order_by(PersonRecordRow.id)).all()  # type: ignore[arg-type]
    queries: list[PersonQuery] = []
    seen: set[str] = set()
    for row in records:
        words = sorted(set(phonetic_key(row.name).split()))
        if not 1 <= len(words) <= 2 or row.phonetic_key in seen:
            continue
        key = f"n:{words[0]}" if len(words) == 1 else f"p:{words[0]}|{words[1]}"
        if held[key] > COMMON and row.father_name and row.state:
            seen.add(row.phonetic_key)
            queries.append(
                PersonQuery(
                    name=row.name,
                    father_name=row.father_name,
                    state=row.state,
                    age=2026 - row.birth_year if row.birth_year else None,
                )
            )
    return queries


def test_a_common_name_is_read_in_bounded_ranges_and_ranked_as_the_full_order(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "MAX_SCORED", SCORED)
    queries = _common_queries(db)
    assert len(queries) >= 8, "the population has too few common names for the test"
    bounded_calls: list[str] = []
    real = search._common_name_candidates

    def spy(*args: Any, **kwargs: Any) -> Any:
        bounded_calls.append(kwargs["key"])
        return real(*args, **kwargs)

    monkeypatch.setattr(search, "_common_name_candidates", spy)
    compared = 0
    for query in queries:
        # Without an age the full order is the same father's name as written, the State, then
        # the oldest record: every one of those is reached by a bounded read, so the records
        # scored are the same ones, in the same order.
        for variant in (
            PersonQuery(name=query.name),
            PersonQuery(name=query.name, father_name=query.father_name),
            PersonQuery(name=query.name, state=query.state),
            PersonQuery(name=query.name, father_name=query.father_name, state=query.state),
        ):
            monkeypatch.setattr(search, "COMMON_KEY", 10**9)
            full = _candidates(db, variant)
            calls = len(bounded_calls)
            monkeypatch.setattr(search, "COMMON_KEY", COMMON)
            bounded = _candidates(db, variant)
            assert len(bounded_calls) == calls + 1, variant
            assert bounded == full, variant
            assert len(bounded) <= SCORED
            compared += 1
        # With an age, the nearest years are read in the State only: the records naming the
        # same father as written still come first and all of them, and the rest are ranked by
        # the full order.
        if query.age is None:
            continue
        monkeypatch.setattr(search, "COMMON_KEY", 10**9)
        full = _candidates(db, query)
        monkeypatch.setattr(search, "COMMON_KEY", COMMON)
        bounded = _candidates(db, query)
        father = normalise_name(query.father_name or "")
        with db.session() as session:
            rows = {
                r.id: r
                for r in session.exec(
                    select(PersonRecordRow).where(PersonRecordRow.id.in_(full + bounded))  # type: ignore[union-attr]
                ).all()
            }
        same_father = [i for i in full if rows[i].father_norm == father]
        assert bounded[: len(same_father)] == same_father, query
        rank = search._rank_key(query, TODAY.year - query.age)
        assert bounded == [r.id for r in sorted((rows[i] for i in bounded), key=rank)], query
    assert compared >= 32
