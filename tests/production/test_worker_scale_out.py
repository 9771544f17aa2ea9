"""Workers scale out as a Kafka consumer group: more workers join while the first is in the
middle of a batch, and the rebalance gives the partition it is working on to another worker.
The busy worker stays up (it stops that batch instead of committing offsets it no longer
owns), and each charge sheet is filed exactly once."""

from __future__ import annotations

from production_harness import Stack

from gateway.cli import scenario
from gateway.messaging.kafka.codec import from_record

CASES = 300
GATE = 0x1C15_5CA1
MAX_WORKERS = 6
# Group members are ordered by member id, which begins with the client id, and the
# round-robin assignor deals partitions out in that order: the first worker sorting last
# loses every partition once there are more members than partitions.
LAST = "zz-first-worker"

# Filing one chosen event waits for the test's advisory lock, so that the first worker is
# inside its batch, for as long as the test likes, while the group rebalances.


def test_worker_losing_its_partition_mid_batch_stays_up_and_files_once(prod: Stack) -> None:
    cases = [scenario.refs(n) for n in range(1, CASES + 1)]
    prod.ingest_inprocess(scenario.fir_registered(c) for c in cases)
    sheets = prod.ingest_inprocess(scenario.chargesheet_filed(c) for c in cases)
    expected = [r["event_ids"][0] for r in sheets]
    server = prod.serve()
    prod.wait_for(lambda: prod.unpublished() == 0, "the relay to publish the backlog")

    where = {}
    for record in prod.read_topic(prod.case_topic):
        event = from_record(record.value, record.headers)
        if event["type"] == "icjs.chargesheet.filed":
            where[event["id"]] = (record.partition, record.offset)
    partition = where[expected[0]][0]
    in_partition = sorted((o, e) for e, (p, o) in where.items() if p == partition)
    gate_event = in_partition[len(in_partition) // 2][1]
    prod.install_gate(GATE, on="INSERT ON feed_entries", when=f"NEW.event_id = '{gate_event}'")

    with prod.gate(GATE) as release:
        workers = [prod.worker("worker-1", ICJS_KAFKA_CLIENT_ID=LAST)]
        prod.wait_for(lambda: prod.waiting_at_gate(GATE), "the first worker to reach the gate")
        _state, members = prod.group_members()
        [first] = members
        # Workers join until the rebalance has given the gated partition to another one.
        while True:
            n = len(workers) + 1
            workers.append(prod.worker(f"worker-{n}", ICJS_KAFKA_CLIENT_ID=f"aa-worker-{n}"))

            def settled(n: int = len(workers)) -> dict[str, set[int]] | None:
                state, owned = prod.group_members()
                return owned if state == "Stable" and len(owned) == n else None

            owned = prod.wait_for(settled, f"the group to settle with {len(workers)} workers")
            if partition not in owned[first]:
                break
            assert len(workers) < MAX_WORKERS, (
                f"partition {partition} stayed with the first worker through "
                f"{len(workers)} rebalances"
            )
        release()

    prod.wait_for_feed(CASES, timeout=120)
    # The first worker finishes the gated event, then finds its partition gone.
    prod.wait_for(
        lambda: not workers[0].alive() or "partition revoked during a batch" in workers[0].log(),
        "the first worker to leave the revoked partition's batch",
    )
    dead = [w.tail() for w in workers if not w.alive()]
    assert not dead, "a worker died after a rebalance:\n" + "\n".join(dead)
    prod.assert_exactly_once(server, expected)
