"""The relay's leadership lives in a PostgreSQL session (an advisory lock). When that session
is terminated under a running leader (an operator's pg_terminate_backend, a failover, a
network cut), the server frees the lock and either gateway may take it; the old leader must
notice that it lost the lock, so that only one of the two relays afterwards. Every charge
sheet still reaches the feed exactly once."""

from __future__ import annotations

import time

from production_harness import Server, Stack

from gateway.cli import scenario
from gateway.messaging.kafka.lock import RelayLock

CASES = 20

#: Advisory locks are per database: count those of the database this test created only.
THIS_DATABASE = " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"


def leaders(servers: list[Server]) -> list[bool]:
    return [bool(s.readyz()["relay_leader"]) for s in servers]


def test_terminated_lock_session_leaves_exactly_one_relay(prod: Stack) -> None:
    first = prod.serve("serve-a")
    prod.wait_for(lambda: leaders([first]) == [True], "serve-a to lead the relay")
    second = prod.serve("serve-b")
    prod.worker()
    servers = [first, second]
    cases = [scenario.refs(n) for n in range(1, 2 * CASES + 1)]
    prod.post(servers, [scenario.fir_registered(c) for c in cases])
    sheets = prod.post(servers, [scenario.chargesheet_filed(c) for c in cases[:CASES]])
    prod.wait_for_feed(CASES)
    assert leaders(servers) == [True, False]

    # The session that holds the lock goes away under serve-a.
    key = RelayLock.KEY
    # Only this test's database: another gateway on the same server holds the same key in its
    # own database, and must neither be counted nor terminated.
    holders = prod.sql(
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted "
        "AND classid = %(hi)s AND objid = %(lo)s" + THIS_DATABASE,
        {"hi": key >> 32, "lo": key & 0xFFFF_FFFF},
    )
    assert len(holders) == 1, holders
    prod.sql("SELECT pg_terminate_backend(%(pid)s)", {"pid": holders[0][0]})

    def lock_holders() -> int:
        return int(
            prod.scalar(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND classid = %(hi)s AND objid = %(lo)s" + THIS_DATABASE,
                {"hi": key >> 32, "lo": key & 0xFFFF_FFFF},
            )
        )

    # Whichever gateway wins the lock again leads; the other stands by. An old leader that
    # went on believing it led would relay next to the new one.
    prod.wait_for(lambda: lock_holders() == 1, "a gateway to take the relay lock again")
    time.sleep(1)  # both relay loops have run a few times since
    prod.wait_for(
        lambda: sorted(leaders(servers)) == [False, True],
        "exactly one gateway to report itself the relay leader",
        timeout=30,
        detail=lambda: f"relay_leader of serve-a, serve-b: {leaders(servers)}",
    )
    assert lock_holders() == 1

    sheets += prod.post(servers, [scenario.chargesheet_filed(c) for c in cases[CASES:]])
    prod.wait_for_feed(2 * CASES)
    prod.assert_exactly_once(first, [r["event_ids"][0] for r in sheets])
    assert all(s.readyz()["status"] == "ready" for s in servers)
