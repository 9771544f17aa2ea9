"""The production path rides out outages, on servers of the test's own (issue 12).

About 1,000 messages: 250 cases (an FIR and a charge sheet each) wait in the outbox and on the
topic when the courts worker starts, and 250 more are posted over HTTP while the faults happen.
PostgreSQL is stopped and started again while the worker is in the middle of that backlog (held
there by a trigger, as the worker files a backlog faster than a test can poll), and
the Kafka broker is SIGKILLed and restarted while messages come in; a second worker is started
while the broker is down. Nobody restarts a worker: they wait (saying what is down) and carry
on, nothing becomes a dead letter, and every accepted charge sheet is on the courts feed
exactly once.

The test starts its own PostgreSQL server and Kafka broker (``private_services``), so that
stopping and killing them disturbs no other test or gateway.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import psycopg
from private_services import private_services
from production_harness import Proc, Server, Stack, stack

from gateway.cli import scenario

BACKLOG_CASES = 250  # ingested before the worker starts: 500 messages
LIVE_CASES = 250  # posted over HTTP during the faults: 500 messages
CHARGESHEET = "icjs.chargesheet.filed"
GATE = 0x1C15_0A7E

# Filing the feed entry of one chosen event waits for the test's advisory lock (while the
# lock is held): the worker stops there, in the middle of the backlog.


class Sender(threading.Thread):
    """Posts each live case's FIR, then its charge sheet, as a police system would: a 503 or
    a dropped connection (nothing applied) is sent again; a 409 for an FIR sent again means
    an earlier try was applied though its answer was lost."""

    def __init__(self, prod: Stack, server: Server, cases: list[Any], lanes: int = 4) -> None:
        super().__init__(daemon=True)
        self.prod = prod
        self.server = server
        self.cases = cases
        self.lanes = lanes
        self.receipts: list[dict[str, Any]] = []
        self.sheets: list[dict[str, Any]] = []  # the receipts of charge sheets
        self.statuses: dict[int, int] = {}
        self.failures: list[str] = []
        self.lock = threading.Lock()

    @property
    def accepted(self) -> int:
        with self.lock:
            return len(self.receipts)

    def _send(self, client: httpx.Client, message: dict[str, Any], fir: bool) -> None:
        headers = self.prod.keys.police | {"Content-Type": "application/json"}
        tries = 0
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            tries += 1
            try:
                response = client.post(
                    f"{self.server.url}/v1/police/messages",
                    content=json.dumps(message),
                    headers=headers,
                )
            except httpx.HTTPError:
                time.sleep(0.2)
                continue
            with self.lock:
                self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1
            if response.status_code == 202:
                with self.lock:
                    self.receipts.append(response.json())
                    if not fir:
                        self.sheets.append(response.json())
                return
            if response.status_code == 409 and fir and tries > 1:
                return
            if response.status_code not in (503, 500):
                self.failures.append(f"{response.status_code} {response.text[:300]}")
                return
            time.sleep(0.2)
        self.failures.append("a message was not accepted within 240s")

    def _lane(self, lane: int) -> None:
        with httpx.Client(timeout=30) as client:
            for case in self.cases[lane :: self.lanes]:
                self._send(client, scenario.fir_registered(case), fir=True)
                self._send(client, scenario.chargesheet_filed(case), fir=False)
                time.sleep(0.05)  # a steady stream, so that the faults land while it flows

    def run(self) -> None:
        lanes = [threading.Thread(target=self._lane, args=(n,)) for n in range(self.lanes)]
        for lane in lanes:
            lane.start()
        for lane in lanes:
            lane.join()


def _waits(proc: Proc, dependency: str) -> int:
    return proc.log().count(f'"{dependency} unreachable; waiting for it"')


def _readyz(server: Server) -> tuple[int, dict[str, Any]]:
    try:
        response = httpx.get(f"{server.url}/readyz", timeout=10)
    except httpx.HTTPError as error:
        return 0, {"error": str(error)}
    return response.status_code, response.json()


def test_workers_ride_out_postgres_restart_and_kafka_kill(tmp_path: Path) -> None:
    with private_services() as (services, postgres, kafka), stack(services, tmp_path) as prod:
        backlog = [scenario.refs(n) for n in range(1, BACKLOG_CASES + 1)]
        live = [scenario.refs(n) for n in range(BACKLOG_CASES + 1, BACKLOG_CASES + LIVE_CASES + 1)]
        prod.ingest_inprocess(scenario.fir_registered(c) for c in backlog)
        prod.ingest_inprocess(scenario.chargesheet_filed(c) for c in backlog)
        server = prod.serve()
        prod.wait_for(lambda: prod.unpublished() == 0, "the relay to publish the backlog")

        # The worker files a backlog in batches, faster than this test can poll: it is held
        # at the middle charge sheet of the backlog, where PostgreSQL then goes away.
        middle = prod.scalar(
            "SELECT id FROM events WHERE type = %(t)s ORDER BY sequence OFFSET %(n)s LIMIT 1",
            {"t": CHARGESHEET, "n": BACKLOG_CASES // 2},
        )
        prod.install_gate(GATE, on="INSERT ON feed_entries", when=f"NEW.event_id = '{middle}'")
        gate = psycopg.connect(prod.conninfo, autocommit=True)
        gate.execute("SELECT pg_advisory_lock(%(k)s)", {"k": GATE})

        worker = prod.worker("worker-1")
        pid = worker.pid
        sender = Sender(prod, server, live)

        # -- PostgreSQL goes away while the worker is in the middle of the backlog ----------
        prod.wait_for(
            lambda: prod.waiting_at_gate(GATE), "the worker to reach the backlog's middle"
        )
        assert prod.feed_count() < BACKLOG_CASES
        postgres.stop("fast")  # ends every session: the gate's, and the worker's transaction
        with contextlib.suppress(psycopg.Error):
            gate.close()
        sender.start()
        prod.wait_for(
            lambda: _waits(worker, "database") >= 4,
            "the worker to wait for the database four times",
            timeout=120,
        )
        status, ready = _readyz(server)
        assert status == 503, (status, ready)
        assert "database" in ready["down"] and "kafka" not in ready["down"], ready
        assert ready["database_error"], ready
        postgres.start()
        prod.wait_for(
            lambda: '"database reachable again; carrying on"' in worker.log(),
            "the worker to carry on when the database is back",
            timeout=120,
        )

        # -- the broker is SIGKILLed while messages come in; a worker starts meanwhile -------
        prod.wait_for(
            lambda: sender.accepted >= LIVE_CASES // 2,
            "half the live messages to be accepted",
            timeout=180,
            detail=lambda: f"accepted {sender.accepted}, statuses {sender.statuses}",
        )
        kafka.kill()
        late = Proc("worker-2", ["worker", "courts"], prod.env(), prod.workdir)
        prod.procs.append(late)
        prod.wait_for(
            lambda: _waits(late, "kafka") >= 2,
            "the worker started during the outage to wait for the broker",
            timeout=120,
        )
        assert late.alive(), late.tail()
        assert '"worker started"' not in late.log(), late.tail()

        def kafka_down() -> dict[str, Any] | None:
            status, ready = _readyz(server)
            # The broker alone down: still accepting into the outbox, so 200 "degraded".
            if status == 200 and ready.get("down") == ["kafka"]:
                assert ready["status"] == "degraded", ready
                return ready
            return None

        ready = prod.wait_for(kafka_down, "/readyz to say the broker is down", timeout=60)
        assert ready["database"] == "ok" and ready["kafka_error"], ready
        kafka.start()

        # -- nobody restarts anything: everything accepted reaches the feed once -------------
        sender.join(timeout=300)
        assert not sender.is_alive(), "the sender did not finish"
        assert not sender.failures, sender.failures[:5]
        prod.wait_for(
            lambda: '"worker started"' in late.log(), "the late worker to join", timeout=120
        )
        logged = {
            row[0]
            for row in prod.sql("SELECT id FROM events WHERE type = %(t)s", {"t": CHARGESHEET})
        }
        receipts = {r["event_ids"][0] for r in sender.sheets}
        assert len(receipts) == LIVE_CASES, len(receipts)
        assert receipts <= logged, "charge sheets answered 202 but not in the event log"
        prod.wait_for_feed(len(logged), timeout=180)
        prod.assert_exactly_once(server, logged)
        assert len(logged) >= BACKLOG_CASES + LIVE_CASES, len(logged)
        assert prod.scalar("SELECT count(*) FROM dead_letters") == 0, prod.sql(
            "SELECT event_id, error FROM dead_letters LIMIT 3"
        )
        assert worker.alive() and worker.pid == pid and late.alive(), prod.logs()

        def drained() -> dict[str, Any] | None:
            status, ready = _readyz(server)
            courts = ready.get("consumers", {}).get("courts", {})
            # Both workers in the group, once a rebalance after the broker's return has settled
            # (the reading is taken every two seconds, and may fall inside one).
            settled = courts.get("lag") == 0 and courts.get("members") == 2
            return ready if status == 200 and settled else None

        ready = prod.wait_for(
            drained, "/readyz to report the courts group caught up, both workers in it", timeout=60
        )
        assert ready["consumers"]["courts"]["members"] == 2, ready
        print(
            "database waits:",
            _waits(worker, "database"),
            "kafka waits:",
            _waits(worker, "kafka"),
            _waits(late, "kafka"),
            "statuses:",
            sender.statuses,
        )
