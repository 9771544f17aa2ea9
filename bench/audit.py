"""How fast ``icjs audit verify`` walks the audit chain: rows per second.

    .venv/bin/python bench/audit.py [--rows 200000] [--database-url URL]

A fresh store (SQLite file by default; any ``--database-url``, e.g. a new PostgreSQL database)
gets ``--rows`` chained rows through the gateway's own append path (``gateway.store.audit.touch`` and
the commit's seal, 1,000 rows a transaction): half events (a charge sheet's CloudEvent, ~1.5 kB
of JSON), a quarter messages (the charge sheet's bytes as received) and a quarter access
records. Then the verification is timed: every link's hash, every row's canonical content
against its link, the head. Rows per second = links walked / seconds (one row per link here).

    .venv/bin/python bench/audit.py --ingest 500 [--database-url URL]

measures instead what chaining costs the ingest path, in this process (the real ``Ingestor``,
no HTTP): CPU time and wall time per charge sheet accepted with the chain appended, and with
the append skipped (the baseline), alternating rounds on fresh stores (SQLite files, or new
databases created beside ``--database-url`` on PostgreSQL).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from unittest import mock

from sqlalchemy import insert

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import gateway.store.db  # noqa: E402
from gateway.bootstrap import build_gateway  # noqa: E402
from gateway.cli import scenario  # noqa: E402
from gateway.logs import configure_logging  # noqa: E402
from gateway.services.auth import Client, create_client  # noqa: E402
from gateway.services.ingest import EVENTS, MESSAGES  # noqa: E402
from gateway.services.institutions import seed_sample_directory  # noqa: E402
from gateway.settings import Settings  # noqa: E402
from gateway.store import audit  # noqa: E402
from gateway.store.db import Database, ensure_schema, make_engine  # noqa: E402

BATCH = 1000


def fill(db: Database, rows: int) -> None:
    case = scenario.refs(1)
    body = json.dumps(scenario.chargesheet_filed(case)).encode()
    data = scenario.chargesheet_filed(case)["data"]
    now = dt.datetime.now(dt.UTC)
    made = 0
    while made < rows:
        with db.session(write=True) as session:
            for _ in range(min(BATCH, rows - made)):
                n = made
                made += 1
                if n % 4 in (0, 1):
                    event_id = f"evt_{n:012d}"
                    envelope = {
                        "specversion": "1.0",
                        "id": event_id,
                        "source": "/icjs/police/MH/AU",
                        "type": "icjs.chargesheet.filed",
                        "subject": f"case_{n // 4:012d}",
                        "time": now.isoformat(),
                        "datacontenttype": "application/json",
                        "icjsreceipt": f"msg_{n:012d}",
                        "data": data,
                    }
                    session.execute(
                        insert(EVENTS),
                        {
                            "id": event_id,
                            "type": envelope["type"],
                            "case_id": envelope["subject"],
                            "pillar": "police",
                            "source": envelope["source"],
                            "time": now,
                            "receipt": envelope["icjsreceipt"],
                            "envelope": envelope,
                        },
                    )
                    audit.touch(session, "event", event_id)
                elif n % 4 == 2:
                    message_id = f"msg_{n:012d}"
                    session.execute(
                        insert(MESSAGES),
                        {
                            "id": message_id,
                            "received_at": now,
                            "updated_at": now,
                            "client_id": 1,
                            "caller": "police:MH/AU:bench",
                            "pillar": "police",
                            "institution": "MH/AU",
                            "message_type": "chargesheet.filed",
                            "media_type": "application/json",
                            "body": body,
                            "body_truncated": False,
                            "size": len(body),
                            "sha256": hashlib.sha256(body).hexdigest(),
                            "status": "accepted",
                            "errors": [],
                            "waiting_for": [],
                            "event_ids": [f"evt_{n:012d}"],
                            "case_ids": [f"case_{n // 4:012d}"],
                            "request_id": None,
                        },
                    )
                    audit.touch(session, "message", message_id)
                else:
                    audit.record_access(
                        session,
                        client_id=1,
                        client_name="bench",
                        institution="MH/AU",
                        pillar="police",
                        method="GET",
                        path=f"/v1/cases/case_{n // 4:012d}",
                        status=200,
                        case_ids=[f"case_{n // 4:012d}"],
                        request_id=f"req-{n}",
                        purpose="investigation",
                    )
        if made % 50_000 < BATCH:
            print(f"  filled {made}/{rows}", file=sys.stderr, flush=True)


def _skip_chain(session: Any) -> None:
    session.info.pop(audit.PENDING, None)


def ingest_round(url: str, messages: int, *, chained: bool) -> tuple[float, float]:
    """CPU and wall seconds per charge sheet accepted, on a fresh store at ``url``."""
    # The store seals the chain through the name its module imported: swap that name.
    sealing = mock.patch.object(
        gateway.store.db, "seal_audit", audit.seal if chained else _skip_chain
    )
    sealing.start()
    built = build_gateway(Settings(database_url=url, log_level="WARNING"))
    try:
        with built.db.session(write=True) as session:
            seed_sample_directory(session)
            row, _key = create_client(
                session, name="bench", pillar="police", institution=scenario.STATION
            )
        assert row.id is not None
        client = Client(id=row.id, name=row.name, pillar="police", institution=row.institution)
        cases = [scenario.refs(n) for n in range(1, messages + 1)]

        def ingest(message: dict[str, Any]) -> None:
            receipt = built.ingestor.ingest(
                client=client,
                pillar="police",
                body=json.dumps(message).encode(),
                media_type="application/json",
            )
            assert receipt.status == "accepted", receipt.as_dict()

        for case in cases:
            ingest(scenario.fir_registered(case))
        cpu, wall = time.process_time(), time.perf_counter()
        for case in cases:
            ingest(scenario.chargesheet_filed(case))
        return (time.process_time() - cpu) / messages, (time.perf_counter() - wall) / messages
    finally:
        built.close()
        sealing.stop()


def ingest_cost(messages: int, rounds: int, database_url: str | None) -> int:
    configure_logging(level="WARNING", fmt="json")
    results: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    for round_ in range(rounds):
        for chained in (False, True):
            if database_url:
                base = database_url.rsplit("/", 1)[0]
                name = f"icjs_bench_audit_{round_}_{int(chained)}"
                admin = make_engine(f"{base}/postgres").execution_options(
                    isolation_level="AUTOCOMMIT"
                )
                with admin.connect() as conn:
                    conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
                    conn.exec_driver_sql(f"CREATE DATABASE {name}")
                admin.dispose()
                url = f"{base}/{name}"
            else:
                url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='icjs-audit-')) / 'i.db'}"
            got = ingest_round(url, messages, chained=chained)
            results[chained].append(got)
            print(
                f"  round {round_ + 1} chain {'on ' if chained else 'off'}: "
                f"{got[0] * 1000:.2f} ms CPU, {got[1] * 1000:.2f} ms wall per message",
                file=sys.stderr,
            )
    off_cpu = statistics.median(r[0] for r in results[False])
    on_cpu = statistics.median(r[0] for r in results[True])
    off_wall = statistics.median(r[1] for r in results[False])
    on_wall = statistics.median(r[1] for r in results[True])
    print(f"charge sheets ingested in process: {messages} per round, {rounds} rounds")
    print(f"chain off: {off_cpu * 1000:.2f} ms CPU, {off_wall * 1000:.2f} ms wall per message")
    print(f"chain on:  {on_cpu * 1000:.2f} ms CPU, {on_wall * 1000:.2f} ms wall per message")
    print(
        f"chaining costs {(on_cpu - off_cpu) * 1000:+.2f} ms CPU per message "
        f"({on_cpu / off_cpu - 1:+.1%}); ingest rate ratio on/off {off_wall / on_wall:.3f}"
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=200_000, help="chained rows to verify")
    parser.add_argument("--database-url", help="a new, empty database (default: a temp SQLite)")
    parser.add_argument(
        "--ingest", type=int, metavar="N", help="measure the chain's cost on ingest instead"
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds of --ingest")
    parser.add_argument(
        "--repeat", type=int, default=3, help="times the verification is timed (median)"
    )
    args = parser.parse_args()
    if args.ingest:
        return ingest_cost(args.ingest, args.rounds, args.database_url)
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp(prefix='icjs-audit-')) / 'a.db'}"
    engine = make_engine(url)
    ensure_schema(engine)
    db = Database(engine)
    start = time.perf_counter()
    fill(db, args.rows)
    filled = time.perf_counter() - start
    print(f"filled {args.rows} rows in {filled:.1f} s ({args.rows / filled:,.0f} rows/s appended)")
    times: list[float] = []
    cpu: list[float] = []
    for _ in range(args.repeat):
        start, started_cpu = time.perf_counter(), time.process_time()
        with engine.connect() as conn:
            report = audit.verify(
                conn,
                check_cases=False,
                progress=lambda line: print(f"  {line}", file=sys.stderr, flush=True),
            )
        times.append(time.perf_counter() - start)
        # SQLite runs in this process: its CPU time is the whole verification's, and the rate
        # it gives is what one free core does, whatever else the machine runs meanwhile.
        cpu.append(time.process_time() - started_cpu)
        if not report.ok:
            print(f"verify FAILED: {report.first()}")
            return 1
        print(f"  verified in {times[-1]:.2f} s ({cpu[-1]:.2f} s CPU)", file=sys.stderr)
    engine.dispose()
    elapsed = statistics.median(times)
    print(
        f"verified {report.links} links and {report.rows} rows in {elapsed:.2f} s "
        f"(median of {len(times)}): {report.links / elapsed:,.0f} rows/s ({engine.dialect.name}, "
        f"best {report.links / min(times):,.0f})"
    )
    print(
        f"by this process's CPU time: {report.links / statistics.median(cpu):,.0f} rows/s "
        f"(median {statistics.median(cpu):.2f} s CPU)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
