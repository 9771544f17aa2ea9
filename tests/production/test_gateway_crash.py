"""The gateway is killed (SIGKILL) while relaying: after the broker acknowledged a batch and
before the outbox rows were marked, with more rows still waiting. Another gateway process takes
over the relay; every charge sheet reaches the courts feed exactly once (the batch that went out
twice is absorbed by the worker's inbox), and no case's events are reordered."""

from __future__ import annotations

from collections import Counter, defaultdict

from production_harness import Stack

from gateway.cli import scenario
from gateway.messaging.kafka.codec import from_record

CASES = 200  # FIR + charge sheet each: 400 outbox rows
BATCH = 50
GATE = 0x1C15_7E57

# Marking the outbox row `{sequence}` as published waits for the test's advisory lock: the
# relay's batch holding that row is acknowledged by Kafka, and then the process hangs, as if it
# had been stopped between the broker's answer and its own commit.


def test_gateway_killed_while_relaying_loses_and_duplicates_nothing(prod: Stack) -> None:
    cases = [scenario.refs(n) for n in range(1, CASES + 1)]
    # Many events at once, accepted through the real ingest path, before any relay runs.
    prod.ingest_inprocess(scenario.fir_registered(c) for c in cases)
    sheets = prod.ingest_inprocess(scenario.chargesheet_filed(c) for c in cases)
    expected = {r["event_ids"][0] for r in sheets}
    total = 2 * CASES
    assert prod.unpublished() == total
    # The 4th batch of 50 (rows 151-200) hangs after the broker acknowledged it.
    sequence = prod.scalar("SELECT sequence FROM outbox ORDER BY sequence OFFSET 174 LIMIT 1")
    prod.install_gate(GATE, on="UPDATE ON outbox", when=f"OLD.sequence = {sequence}")

    prod.worker()
    with prod.gate(GATE) as release:
        first = prod.serve("serve-1", ICJS_RELAY_BATCH_SIZE=str(BATCH))
        prod.wait_for(lambda: prod.waiting_at_gate(GATE), "the relay to reach the gate")
        marked = total - prod.unpublished()
        assert marked == 3 * BATCH, f"{marked} rows marked published before the gate"
        first.proc.kill()
        release()
    # Rows 151-200 reached Kafka but are still unpublished in the outbox; 201-400 never left.
    assert prod.unpublished() == total - 3 * BATCH

    second = prod.serve("serve-2")
    prod.wait_for(lambda: prod.unpublished() == 0, "the second gateway to drain the outbox")
    prod.wait_for_feed(CASES)
    prod.assert_exactly_once(second, expected)

    # The topic holds twice (at-least-once) the acknowledged-but-unmarked batch, and at most
    # the one batch the relay sent while that mark was under way; nothing else twice, nothing
    # missing, and each case's events first appear in event-log order.
    records = prod.read_topic(prod.case_topic)
    events = [from_record(r.value, r.headers) for r in records]
    counts = Counter(e["id"] for e in events)
    twice = {event_id for event_id, n in counts.items() if n > 1}
    in_order = [row[0] for row in prod.sql("SELECT event_id FROM outbox ORDER BY sequence")]
    hung_batch = set(in_order[3 * BATCH : 4 * BATCH])
    sent_meanwhile = set(in_order[4 * BATCH : 5 * BATCH])
    assert hung_batch <= twice <= hung_batch | sent_meanwhile, (
        f"{len(twice)} events on the topic twice; expected the {BATCH} of the killed batch "
        f"({len(hung_batch - twice)} of them missing) and at most the next batch "
        f"({len(twice - hung_batch - sent_meanwhile)} others)"
    )
    assert max(counts.values()) == 2
    logged = prod.sql("SELECT id, case_id FROM events ORDER BY sequence")
    assert set(counts) == {event_id for event_id, _ in logged}
    first_seen: dict[str, list[str]] = defaultdict(list)
    for event in events:
        if event["id"] not in first_seen[event["subject"]]:
            first_seen[event["subject"]].append(event["id"])
    in_log: dict[str, list[str]] = defaultdict(list)
    for event_id, case_id in logged:
        in_log[case_id].append(event_id)
    assert first_seen == in_log
