"""In embedded mode a request is answered once its events are relayed, even when the background
relay happens to be running at that moment (it used to return at once, leaving the event to
the background relay: a feed read right after the answer could miss it)."""

from __future__ import annotations

import json
import threading

from gateway.bootstrap import Gateway
from gateway.cli import scenario
from gateway.services.auth import Client, create_client


def _police(gateway: Gateway) -> Client:
    with gateway.db.session(write=True) as session:
        row, _ = create_client(session, name="p", pillar="police", institution="MH/AU")
    assert row.id is not None
    return Client(id=row.id, name=row.name, pillar=row.pillar, institution=row.institution)


def test_an_inline_drain_waits_for_a_running_relay_and_leaves_nothing_behind(
    gateway: Gateway,
) -> None:
    client = _police(gateway)
    body = json.dumps(scenario.fir_registered(scenario.refs(1))).encode()
    # This test is about a drain that waits for a running relay: the group-commit writer,
    # which relays each batch that way before answering it (the test below), is told not to.
    gateway.db.writer.after_commit = None
    receipt = gateway.ingestor.ingest(
        client=client, pillar="police", body=body, media_type="application/json"
    )
    assert receipt.status == "accepted"
    assert gateway.relay.pending() == 1

    gateway.relay._running.acquire()  # the background relay is busy right now
    assert gateway.relay.drain() == 0  # without waiting: a note for the running relay
    relayed: list[int] = []
    inline = threading.Thread(target=lambda: relayed.append(gateway.relay.drain(wait=True)))
    inline.start()
    inline.join(timeout=0.5)
    assert inline.is_alive()  # it waits: the lock is held, it cannot have returned
    gateway.relay._running.release()
    inline.join(timeout=60)

    assert not inline.is_alive()
    assert relayed == [1]
    assert gateway.relay.pending() == 0


def test_the_group_commit_writer_relays_a_message_before_it_is_answered(
    gateway: Gateway,
) -> None:
    client = _police(gateway)
    body = json.dumps(scenario.fir_registered(scenario.refs(2))).encode()
    receipt = gateway.ingestor.ingest(
        client=client, pillar="police", body=body, media_type="application/json"
    )
    assert receipt.status == "accepted"
    # The writer's batch went to the feeds before the answer, on either store.
    assert gateway.relay.pending() == 0
