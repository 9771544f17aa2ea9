"""``icjs replay --pillar courts`` rebuilds the courts feed from the event log: feed entries
lost from the database come back, and none is there twice."""

from __future__ import annotations

from production_harness import Stack

from gateway.cli import scenario

CASES = 30


def test_replay_rebuilds_the_courts_feed_exactly_once(prod: Stack) -> None:
    server = prod.serve()
    prod.worker()
    cases = [scenario.refs(n) for n in range(1, CASES + 1)]
    prod.post([server], [scenario.fir_registered(c) for c in cases])
    sheets = prod.post([server], [scenario.chargesheet_filed(c) for c in cases])
    expected = [r["event_ids"][0] for r in sheets]
    prod.wait_for_feed(CASES)
    prod.assert_exactly_once(server, expected)

    # Ten entries vanish from the feed (their inbox rows stay, so no redelivery would help).
    lost = expected[5:15]
    prod.sql("DELETE FROM feed_entries WHERE event_id = ANY(%(ids)s)", {"ids": lost})
    assert prod.feed_count() == CASES - len(lost)
    assert not set(lost) & set(prod.feed_event_ids(server))

    result = prod.cli("replay", "--pillar", "courts")
    assert result.returncode == 0, result.stderr
    assert f"{CASES} events applied" in result.stdout, result.stdout
    prod.assert_exactly_once(server, expected)

    # A second run changes nothing either.
    again = prod.cli("replay", "--pillar", "courts")
    assert again.returncode == 0, again.stderr
    prod.assert_exactly_once(server, expected)
    assert prod.feed_count() == CASES
