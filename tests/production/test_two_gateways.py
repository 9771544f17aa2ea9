"""Two gateway processes at once, on one database and one topic prefix, taking messages
alternately (and two messages of the same case at the same moment): each event is published to
Kafka exactly once, and each case's events reach the topic in the order of the event log."""

from __future__ import annotations

from collections import Counter, defaultdict

from production_harness import Stack

from gateway.cli import scenario
from gateway.messaging.kafka.codec import from_record

CASES = 60


def test_two_relaying_gateways_publish_each_event_once_in_case_order(prod: Stack) -> None:
    first, second = prod.serve("serve-a"), prod.serve("serve-b")
    prod.worker()

    # FIRs alternately to A and B; then, for each case, its arrest to one gateway and its
    # charge sheet to the other at the same moment, so that the two processes write events
    # of one case concurrently (both wait for the case row; the event log decides the order).
    cases = [scenario.refs(n) for n in range(1, CASES + 1)]
    prod.post([first, second], [scenario.fir_registered(c) for c in cases])
    pairs = [m for c in cases for m in (scenario.person_arrested(c), scenario.chargesheet_filed(c))]
    receipts = prod.post([first, second], pairs, concurrency=8)
    sheets = {r["event_ids"][0] for r in receipts[1::2]}
    prod.wait_for(
        lambda: prod.unpublished() == 0,
        "the outbox to drain",
        detail=lambda: f"{prod.unpublished()} left",
    )
    prod.wait_for_feed(len(sheets))
    prod.assert_exactly_once(first, sheets)
    prod.assert_exactly_once(second, sheets)

    # Both processes competed for the relay; one holds the lock, the other stands by, and
    # both are ready (the standby also checks that it can reach the broker).
    ready = [s.readyz() for s in (first, second)]
    assert sorted(r["relay_leader"] for r in ready) == [False, True], ready
    assert all(r["status"] == "ready" and r["kafka"] == "ok" for r in ready), ready

    records = prod.read_topic(prod.case_topic)
    events = [from_record(r.value, r.headers) for r in records]
    ids = [e["id"] for e in events]
    twice = {i: n for i, n in Counter(ids).items() if n > 1}
    assert not twice, f"{len(twice)} events published more than once, e.g. {list(twice)[:3]}"
    logged = prod.sql("SELECT id, case_id FROM events ORDER BY sequence")
    assert set(ids) == {event_id for event_id, _ in logged}, "the topic and the event log differ"
    assert len(ids) == CASES * 3

    on_topic: dict[str, list[str]] = defaultdict(list)
    partition_of: dict[str, set[int]] = defaultdict(set)
    for record, event in zip(records, events, strict=True):
        assert record.key is not None and record.key.decode() == event["subject"]
        on_topic[event["subject"]].append(event["id"])
        partition_of[event["subject"]].add(record.partition)
    in_log: dict[str, list[str]] = defaultdict(list)
    for event_id, case_id in logged:
        in_log[case_id].append(event_id)
    assert len(in_log) == CASES
    for case_id, expected in in_log.items():
        assert len(partition_of[case_id]) == 1, f"case {case_id} spread over partitions"
        assert on_topic[case_id] == expected, (
            f"case {case_id}: topic order {on_topic[case_id]} != event log order {expected}"
        )
