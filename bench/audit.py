"""How fast ``icjs audit verify`` walks the audit chain: rows per second.

    .venv/bin/python bench/audit.py [--rows 200000] [--database-url URL]

A fresh store (SQLite file by default; any ``--database-url``, e.g. a new PostgreSQL database)
gets ``--rows`` chained rows through the gateway's own append path (``gateway.audit.touch`` and
the commit's seal, 1,000 rows a transaction): half events (a charge sheet's CloudEvent, ~1.5 kB
of JSON), a quarter messages (the charge sheet's bytes as received) and a quarter access
records. Then the verification is timed: every link's hash, every row's canonical content
against its link, the head. Rows per second = links walked / seconds (one row per link here).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gateway import audit, scenario  # noqa: E402
from gateway.db import Database, ensure_schema, make_engine  # noqa: E402
from gateway.ingest import EVENTS, MESSAGES  # noqa: E402

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


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=200_000, help="chained rows to verify")
    parser.add_argument("--database-url", help="a new, empty database (default: a temp SQLite)")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp(prefix='icjs-audit-')) / 'a.db'}"
    engine = make_engine(url)
    ensure_schema(engine)
    db = Database(engine)
    start = time.perf_counter()
    fill(db, args.rows)
    filled = time.perf_counter() - start
    print(f"filled {args.rows} rows in {filled:.1f} s ({args.rows / filled:,.0f} rows/s appended)")
    start = time.perf_counter()
    with engine.connect() as conn:
        report = audit.verify(
            conn,
            check_cases=False,
            progress=lambda line: print(f"  {line}", file=sys.stderr, flush=True),
        )
    elapsed = time.perf_counter() - start
    engine.dispose()
    if not report.ok:
        print(f"verify FAILED: {report.first()}")
        return 1
    print(
        f"verified {report.links} links and {report.rows} rows in {elapsed:.2f} s: "
        f"{report.links / elapsed:,.0f} rows/s ({engine.dialect.name})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
