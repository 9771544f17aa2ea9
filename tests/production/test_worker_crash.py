"""The courts worker is killed (SIGKILL) in the middle of a batch: some of the batch's events
are filed, none of it is committed to Kafka. A restarted worker gets the batch again; the inbox
absorbs what was filed, and every charge sheet ends on the feed exactly once."""

from __future__ import annotations

import json
from typing import Any

from production_harness import Stack

from gateway.cli import scenario
from gateway.messaging.kafka.codec import from_record

CASES = 300
GATE = 0x1C15_0B0B

# Filing the feed entry of one chosen event waits for the test's advisory lock: the worker
# stops there, in the middle of its batch, as a slow or stuck database would stop it.


def test_worker_killed_mid_batch_files_each_charge_sheet_once(prod: Stack) -> None:
    cases = [scenario.refs(n) for n in range(1, CASES + 1)]
    prod.ingest_inprocess(scenario.fir_registered(c) for c in cases)
    server = prod.serve()
    sheets = prod.post([server], [scenario.chargesheet_filed(c) for c in cases])
    expected = [r["event_ids"][0] for r in sheets]
    prod.wait_for(lambda: prod.unpublished() == 0, "the relay to publish the backlog")

    # Where each charge sheet sits on the topic; the gate goes on the middle charge sheet of
    # one partition, so that the worker's batch there has filed some events when it stops.
    where = {}
    for record in prod.read_topic(prod.case_topic):
        event = from_record(record.value, record.headers)
        if event["type"] == "icjs.chargesheet.filed":
            where[event["id"]] = (record.partition, record.offset)
    assert set(where) == set(expected)
    partition = where[expected[0]][0]
    in_partition = sorted((o, e) for e, (p, o) in where.items() if p == partition)
    gate_offset, gate_event = in_partition[len(in_partition) // 2]
    prod.install_gate(GATE, on="INSERT ON feed_entries", when=f"NEW.event_id = '{gate_event}'")

    with prod.gate(GATE) as release:
        worker = prod.worker("worker-1")
        prod.wait_for(lambda: prod.waiting_at_gate(GATE), "the worker to reach the gate")
        filed_before_kill = prod.feed_count()
        assert 0 < filed_before_kill < CASES, filed_before_kill
        worker.kill()
        release()

    # Filed but not committed: the events of the partition at or after its committed offset.
    committed = prod.committed().get(partition, 0)
    assert committed <= gate_offset
    filed = {row[0] for row in prod.sql("SELECT event_id FROM feed_entries")}
    uncommitted = [e for e in filed if where[e][0] == partition and where[e][1] >= committed]
    assert uncommitted, (
        f"the kill was meant to land mid-batch (committed offset {committed}, gate at "
        f"{gate_offset}), but no filed event lies past the committed offset"
    )

    restarted = prod.worker("worker-2")
    prod.wait_for_feed(CASES, timeout=120)
    prod.assert_exactly_once(server, expected)
    # The restarted worker filed only what was missing: the redelivered part of the batch hit
    # the inbox and changed nothing.
    filed_again = sum(
        line["entries"]
        for line in map(_json_or_none, restarted.log().splitlines())
        if line is not None and line.get("event") == "feed entries filed"
    )
    assert filed_again == CASES - filed_before_kill, (filed_again, filed_before_kill)


def _json_or_none(text: str) -> Any:
    """A log line's JSON object, or None for anything else in the log."""
    try:
        return json.loads(text)
    except ValueError:
        return None
