"""A poison event: one charge sheet fails in the worker on every attempt, for a real reason (a
PostgreSQL trigger refuses its feed entry). It becomes a dead letter after the configured
attempts, in the database and on the dead-letter topic, while every other event is delivered;
once the cause is removed an operator replays it, and it is filed exactly once."""

from __future__ import annotations

import httpx
from production_harness import Stack

from gateway.cli import scenario
from gateway.messaging.kafka.codec import from_record

CASES = 20
POISON = 9  # index of the case whose charge sheet cannot be filed

TRIGGER = """
CREATE FUNCTION refuse_feed_entry() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'feed entry refused for case %', NEW.case_id;
END $$;
CREATE TRIGGER refuse_feed_entry BEFORE INSERT ON feed_entries FOR EACH ROW
  WHEN (NEW.case_id = '{case_id}') EXECUTE FUNCTION refuse_feed_entry();
"""


def test_poison_event_is_dead_lettered_then_replayed_exactly_once(prod: Stack) -> None:
    server = prod.serve()
    prod.worker(ICJS_CONSUMER_MAX_ATTEMPTS="3", ICJS_CONSUMER_BACKOFF_SECONDS="0.05")
    cases = [scenario.refs(n) for n in range(1, CASES + 1)]
    firs = prod.post([server], [scenario.fir_registered(c) for c in cases])
    poison_case = firs[POISON]["case_ids"][0]
    prod.sql(TRIGGER.format(case_id=poison_case))

    sheets = prod.post([server], [scenario.chargesheet_filed(c) for c in cases])
    sheet_ids = [r["event_ids"][0] for r in sheets]
    poison_event = sheet_ids[POISON]

    # Dead-lettered after 3 attempts; everything else flows past it.
    prod.wait_for(
        lambda: prod.scalar("SELECT count(*) FROM dead_letters") == 1,
        "the poison event to be dead-lettered",
    )
    prod.wait_for_feed(CASES - 1)
    row = prod.sql(
        "SELECT id, consumer, event_id, event_type, case_id, attempts, status, error, origin "
        "FROM dead_letters"
    )[0]
    dead_id, consumer, event_id, event_type, case_id, attempts, status, error, origin = row
    assert (consumer, event_id, event_type, case_id) == (
        "feed.courts",
        poison_event,
        "icjs.chargesheet.filed",
        poison_case,
    )
    assert (attempts, status) == (3, "dead"), row
    assert "feed entry refused for case" in error, error
    assert origin.startswith(f"{prod.case_topic}/"), origin
    assert prod.feed_count() == CASES - 1
    assert poison_event not in prod.feed_event_ids(server)

    # ... and on the dead-letter topic, with the error, the attempts and the origin.
    dlq = prod.read_topic(prod.dlq_topic)
    assert len(dlq) == 1, f"{len(dlq)} records on {prod.dlq_topic}"
    headers = dict(dlq[0].headers)
    assert set(headers) >= {"icjs_error", "icjs_attempts", "icjs_origin"}, headers
    assert headers["icjs_attempts"] == b"3"
    assert headers["icjs_origin"].decode() == origin
    assert "feed entry refused" in headers["icjs_error"].decode()
    envelope = from_record(dlq[0].value, dlq[0].headers)
    assert envelope["id"] == poison_event and envelope["subject"] == poison_case
    assert dlq[0].key == poison_case.encode()

    # Operators see it.
    listed = httpx.get(
        f"{server.url}/v1/admin/dead-letters", headers=prod.keys.operator, timeout=10
    )
    assert listed.status_code == 200, listed.text
    [view] = listed.json()["dead_letters"]
    assert view["id"] == dead_id and view["event_id"] == poison_event
    assert view["attempts"] == 3 and view["status"] == "dead"
    court = httpx.get(f"{server.url}/v1/admin/dead-letters", headers=prod.keys.court, timeout=10)
    assert court.status_code == 403, "only operators see dead letters"

    replay_url = f"{server.url}/v1/admin/dead-letters/{dead_id}/replay"
    # A replay while the cause is still there fails and leaves it dead.
    early = httpx.post(replay_url, headers=prod.keys.operator, timeout=30)
    assert early.status_code == 409, early.text
    assert prod.sql("SELECT status FROM dead_letters")[0][0] == "dead"
    assert prod.feed_count() == CASES - 1

    # The fix; then the replay files it once, and a second replay changes nothing.
    prod.sql("DROP TRIGGER refuse_feed_entry ON feed_entries")
    replayed = httpx.post(replay_url, headers=prod.keys.operator, timeout=30)
    assert replayed.status_code == 200, replayed.text
    assert replayed.json()["status"] == "replayed"
    prod.assert_exactly_once(server, sheet_ids)
    again = httpx.post(replay_url, headers=prod.keys.operator, timeout=30)
    assert again.status_code == 200, again.text
    prod.assert_exactly_once(server, sheet_ids)
    assert prod.feed_count() == CASES
