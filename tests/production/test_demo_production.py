"""``icjs demo`` in production mode: the feeds it reads are filled by the workers a moment
after each message is accepted, so the demo waits for what it reads (it used to read the Vahan
feed before `icjs worker transport` had filled it and stop with StopIteration)."""

from __future__ import annotations

import subprocess
import sys

from production_harness import Stack

PILLARS = ("courts", "prisons", "forensics", "prosecution", "transport")


def test_the_demo_runs_through_kafka_and_the_workers(prod: Stack) -> None:
    for pillar in PILLARS:
        prod.worker(f"worker-{pillar}", pillar=pillar)
    result = prod.cli("demo", timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = result.stdout
    # Every feed the demo reads was read with this case on it.
    assert "stolen   MH20DX0001" in out and "seized   MH20EK1102" in out, out
    assert "GET /v1/courts/feed?court=MHAU01" in out and "for FIR MH/AU/CIDCO" in out
    assert "GET /v1/prosecution/feed?office=MH/AU/DDP: CS-1/2026 v1 for scrutiny" in out
    assert "GET /v1/prisons/feed?prison=HARSUL_CP" in out
    assert "GET /v1/forensics/feed?lab=RFSL_AU" in out
    assert out.count("-> accepted") == 20, out


def test_the_demo_says_which_worker_to_start_when_a_feed_stays_empty(prod: Stack) -> None:
    # No worker runs: the first feed read waits (5 s here), then names the worker to start.
    result = subprocess.run(
        [sys.executable, "-m", "gateway", "demo"],
        env=prod.env(ICJS_DEMO_FEED_WAIT_SECONDS="5"),
        cwd=prod.workdir,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode != 0
    said = result.stdout + result.stderr
    assert "waiting for `icjs worker transport`" in said, said[-2000:]
    assert "nothing for this case after 5 s" in said and "is it running" in said, said[-2000:]
