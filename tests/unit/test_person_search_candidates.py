"""Search's bounded reads for a common name (``_common_name_candidates``) against the full
ordering of every record holding the name's key, on SQLite and PostgreSQL.

A small index stands in for a large one by lowering :data:`COMMON_KEY` and
:data:`MAX_SCORED`: the names whose key more records hold than the first are read the
bounded way, and only the second are scored."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
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


def _key_of(name: str) -> list[str]:
    words = sorted(set(phonetic_key(name).split()))
    if len(words) == 1:
        return [f"n:{words[0]}"]
    return sorted(f"p:{a}|{b}" for a, b in itertools.combinations(words, 2))


def _common_queries(db: Database, *, words: tuple[int, ...]) -> list[PersonQuery]:
    """Queries for names of so many words whose keys the index holds more than COMMON
    times: each as a record wrote the name, with its father's name, State and age."""
    with db.session() as session:
        held = Counter(k.key for k in session.exec(select(PersonKeyRow)).all())
        records = session.exec(select(PersonRecordRow).order_by(PersonRecordRow.id)).all()  # type: ignore[arg-type]
    queries: list[PersonQuery] = []
    seen: set[str] = set()
    for row in records:
        if len(set(phonetic_key(row.name).split())) not in words or row.phonetic_key in seen:
            continue
        if sum(held[k] for k in _key_of(row.name)) > COMMON and row.father_name and row.state:
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


def _rows(db: Database, ids: list[int]) -> dict[int, PersonRecordRow]:
    with db.session() as session:
        return {
            int(r.id): r
            for r in session.exec(
                select(PersonRecordRow).where(PersonRecordRow.id.in_(ids))  # type: ignore[union-attr]
            ).all()
            if r.id is not None
        }


def _shared(db: Database, ids: list[int], keys: list[str]) -> dict[int, int]:
    with db.session() as session:
        return dict(
            Counter(
                k.record_id
                for k in session.exec(
                    select(PersonKeyRow).where(
                        PersonKeyRow.record_id.in_(ids),  # type: ignore[attr-defined]
                        PersonKeyRow.key.in_(keys),  # type: ignore[attr-defined]
                    )
                ).all()
            )
        )


@pytest.fixture
def bounded(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Scoring SCORED records a search; the keys of each search read the bounded way."""
    monkeypatch.setattr(search, "MAX_SCORED", SCORED)
    calls: list[list[str]] = []
    real = search._common_name_candidates

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs["keys"])
        return real(*args, **kwargs)

    monkeypatch.setattr(search, "_common_name_candidates", spy)
    return calls


def _both(
    db: Database, query: PersonQuery, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[int], list[int]]:
    """The candidates of the full ordering, then of the bounded reads."""
    monkeypatch.setattr(search, "COMMON_KEY", 10**9)
    full = _candidates(db, query)
    monkeypatch.setattr(search, "COMMON_KEY", COMMON)
    return full, _candidates(db, query)


def test_a_common_name_of_one_key_is_read_in_bounded_ranges_as_the_full_order(
    db: Database, monkeypatch: pytest.MonkeyPatch, bounded: list[list[str]]
) -> None:
    queries = _common_queries(db, words=(1, 2))
    assert len(queries) >= 8, "the population has too few common names for the test"
    compared = 0
    for query in queries:
        # Without a State or an age, the full order is the same father's name as written, then
        # the oldest record: both are reached by a bounded read, so the records scored are the
        # same ones, in the same order.
        for variant in (
            PersonQuery(name=query.name),
            PersonQuery(name=query.name, father_name=query.father_name),
        ):
            calls = len(bounded)
            full, mine = _both(db, variant, monkeypatch)
            assert len(bounded) == calls + 1 and bounded[-1] == _key_of(query.name), variant
            assert mine == full, variant
            assert 0 < len(mine) <= SCORED
            compared += 1
        # With a State and an age: the records naming the same father as written still come
        # first, all of them, and the rest are ranked by the full order.
        full, mine = _both(db, query, monkeypatch)
        rows = _rows(db, full + mine)
        father = normalise_name(query.father_name or "")
        same_father = [i for i in full if rows[i].father_norm == father]
        assert mine[: len(same_father)] == same_father, query
        year = TODAY.year - query.age if query.age is not None else None
        ones = dict.fromkeys(mine, 1)
        assert mine == [
            r.id for r in sorted((rows[i] for i in mine), key=search._rank_key(query, year, ones))
        ]
    assert compared >= 16


def test_a_common_name_of_several_keys_is_read_in_bounded_ranges(
    db: Database, monkeypatch: pytest.MonkeyPatch, bounded: list[list[str]]
) -> None:
    # Three words or more: a record must hold the pairs of all but one of the words, and
    # those holding more come first.
    queries = _common_queries(db, words=(3, 4))
    assert len(queries) >= 4, "the population has too few common names of three words"
    with db.session() as session:
        fathers = [
            (set(r.phonetic_key.split()), r.father_name)
            for r in session.exec(select(PersonRecordRow)).all()
            if r.father_name
        ]
    variants = []
    for query in queries:
        # Also with the father's name of a record of another name: the records naming that
        # father are read, and must not be scored for not holding the name's keys.
        sounds = set(phonetic_key(query.name).split())
        other = next(father for held, father in fathers if not held & sounds)
        variants += [query, replace(query, father_name=other)]
    for query in variants:
        keys = _key_of(query.name)
        words = len(set(phonetic_key(query.name).split()))
        needed = (words - 1) * (words - 2) // 2
        full, mine = _both(db, query, monkeypatch)
        assert bounded[-1] == keys and 0 < len(mine) <= SCORED, query
        shared = _shared(db, full + mine, keys)
        assert all(shared.get(i, 0) >= needed for i in mine), query
        rows = _rows(db, mine)
        year = TODAY.year - query.age if query.age is not None else None
        rank = search._rank_key(query, year, shared)
        assert mine == [r.id for r in sorted((rows[i] for i in mine), key=rank)], query
        # The records of the name as a whole (the same sound keys) that the full order scores
        # are scored: none found ranks above them that the full order does not.
        whole = _rows(db, full)
        same_name = {i for i in full if whole[i].phonetic_key == phonetic_key(query.name)}
        assert same_name <= set(mine), query
