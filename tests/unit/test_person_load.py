"""The person index's batch path (``load_mentions``) leaves exactly the records and search
keys that folding the same mentions one by one, as the consumer does, would leave: on SQLite
and PostgreSQL, with a record named again in the same batch and in a later one."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from sqlmodel import select

from bench.person_population import generate
from gateway.services.persons.index import _merge, _new_row, load_mentions, record_keys
from gateway.settings import Settings
from gateway.store.db import Database, make_engine
from gateway.store.tables import PersonKeyRow, PersonRecordRow

#: Columns the two paths set each their own way: the row id, a fresh person id, the clock.
UNCOMPARED = {"id", "person_id", "first_seen", "updated_at"}


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    """The store of the test (each store in turn), without the rest of the gateway."""
    database = Database(make_engine(settings.database_url))
    yield database
    database.close()


def test_the_batch_path_folds_mentions_as_the_consumer_does(db: Database) -> None:
    mentions = [m.mention for m in generate(persons=150, seed=3)]
    # A record named twice, the second time in the same batch; another in a later batch.
    mentions.insert(5, mentions[3])
    mentions.append(mentions[0])
    assert Counter(m.record_key for m in mentions).most_common(1)[0][1] > 1

    expected: dict[str, PersonRecordRow] = {}
    for mention in mentions:
        row = expected.get(mention.record_key)
        if row is None:
            expected[mention.record_key] = _new_row(mention)
        else:
            _merge(row, mention)

    assert load_mentions(db=db, mentions=mentions, batch=40) == len(mentions)

    with db.session() as session:
        stored = {r.record_key: r for r in session.exec(select(PersonRecordRow)).all()}
        keys: dict[int, set[str]] = {}
        for key in session.exec(select(PersonKeyRow)).all():
            keys.setdefault(key.record_id, set()).add(key.key)
    assert set(stored) == set(expected)
    columns = [c for c in PersonRecordRow.model_fields if c not in UNCOMPARED]
    for record_key, row in stored.items():
        want = expected[record_key]
        assert {c: getattr(row, c) for c in columns} == {
            **{c: getattr(want, c) for c in columns},
            "linked_by": "new",
        }, record_key
        assert row.id is not None
        assert keys.get(row.id, set()) == record_keys(want)
    assert len({r.person_id for r in stored.values()}) == len(stored)
