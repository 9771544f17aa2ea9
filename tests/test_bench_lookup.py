"""``bench/lookup.py`` at a tiny size, on both stores: the batch load (``gateway.store.bulk``)
writes what the look-ups then find, through the same service functions as the routes; every
existing key finds the case, vehicle or licence it names, and every absent key finds nothing.
No timing is asserted: that is the benchmark's to print."""

from __future__ import annotations

from sqlalchemy import func, select

from bench import lookup
from gateway.settings import Settings
from gateway.store.db import Database, make_engine
from gateway.store.tables import CaseRow, CrosswalkRow, LicenceRow, VehicleMentionRow, VehicleRow


def test_every_look_up_finds_what_it_asked_for(settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    try:
        sizes = lookup.Sizes.for_cases(200)
        report = lookup.load_store(engine, sizes, quiet=True)
        with engine.connect() as conn:

            def count(table: type) -> int:
                return int(conn.execute(select(func.count()).select_from(table)).scalar_one())

            assert count(CaseRow) == report.cases == 200
            # 80 registered (FIR), 60 investigated (+2), 60 in court (+7).
            assert count(CrosswalkRow) == report.crosswalk == 80 * 1 + 60 * 3 + 60 * 8
            assert count(VehicleRow) == count(VehicleMentionRow) == 50
            assert count(LicenceRow) == 50

        results = lookup.run_lookups(Database(engine), sizes, lookups=40, misses=10, warmup=2)
    finally:
        engine.dispose()

    assert {r.name for r in results} == {
        "case by case id",
        "case by FIR",
        "case by CNR",
        "case by court case no",
        "case by prisoner no",
        "case by lab case no",
        "case by prosecution no",
        "vehicle by registration",
        "vehicle by chassis",
        "vehicle by chassis suffix",
        "vehicle by engine no",
        "licence by number",
    }
    for result in results:
        assert result.wrong == [], result.name
        assert (result.hits, result.misses) == (40, 10), result.name
        assert len(result.latencies_ms) == len(result.cpu_ms) == 50
    # Fifty vehicles' chassis end in fifty different suffixes: each names one vehicle.
    assert all(r.several == 0 for r in results)


def test_a_miss_that_finds_something_is_reported(settings: Settings) -> None:
    """The check itself: asking for an existing key as a 'miss' is caught as wrong."""
    engine = make_engine(settings.database_url)
    try:
        sizes = lookup.Sizes.for_cases(20)
        lookup.load_store(engine, sizes, quiet=True)
        db = Database(engine)
        fir = lookup.case_keys(3).fir
        assert lookup.look_up_case(db, fir) == {lookup.case_id(3)}
        assert lookup.look_up_case(db, lookup.case_keys(10_000).fir) == set()
        vehicle = lookup.vehicle_numbers(2)
        assert lookup.look_up_vehicle(db, vehicle.suffix) == {vehicle.id}
        number = lookup.licence_number(4)
        assert lookup.look_up_licence(db, f"{number[:4]}-{number[4:]}") == {number}
    finally:
        engine.dispose()
