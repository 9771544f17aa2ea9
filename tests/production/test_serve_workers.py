"""``icjs serve --workers N`` on PostgreSQL: N processes behind one port, one of them relaying
(the others stand by on the relay lock), and every accepted charge sheet filed exactly once."""

from __future__ import annotations

import httpx
from production_harness import Stack
from prometheus_client.parser import text_string_to_metric_families

from gateway.cli import scenario

CASES = 40


def test_several_serve_processes_take_messages_and_relay_once(prod: Stack) -> None:
    server = prod.serve("serve-multi", ICJS_WORKERS="2")
    prod.worker()
    cases = [scenario.refs(n) for n in range(1, CASES + 1)]
    prod.post([server], [scenario.fir_registered(c) for c in cases], concurrency=8)
    sheets = prod.post([server], [scenario.chargesheet_filed(c) for c in cases], concurrency=8)
    assert all(r["status"] == "accepted" for r in sheets)
    prod.wait_for(lambda: prod.unpublished() == 0, "the outbox to drain")
    prod.wait_for_feed(CASES)
    prod.assert_exactly_once(server, {r["event_ids"][0] for r in sheets})
    log = server.proc.log()
    assert "2 processes" in log
    assert log.count("Started server process") == 2, log[-3000:]
    # /metrics sums both processes' counters (they share a folder), whichever one answers.
    for _ in range(4):
        scraped = httpx.get(f"{server.url}/metrics", headers=prod.keys.operator, timeout=10)
        assert scraped.status_code == 200, scraped.text
        counted = {
            (s.name, s.labels.get("message_type"), s.labels.get("outcome")): s.value
            for family in text_string_to_metric_families(scraped.text)
            for s in family.samples
            if s.name == "icjs_messages_total" and s.labels.get("pillar") == "police"
        }
        assert counted == {
            ("icjs_messages_total", "fir.registered", "accepted"): CASES,
            ("icjs_messages_total", "chargesheet.filed", "accepted"): CASES,
        }
