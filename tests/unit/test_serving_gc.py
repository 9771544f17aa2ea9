"""A serving process collects garbage less often and never walks what it built at start
(gateway/api/server.py: tune_gc_for_serving). Run in a process of its own: freezing the test
process's objects would keep them for the rest of the suite."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from gateway.api.server import GC_YOUNG_THRESHOLD

PROBE = """
import gc, json
from gateway.api.server import serving_app
before = {"threshold": gc.get_threshold()[0], "frozen": gc.get_freeze_count()}
app = serving_app()
after = {"threshold": gc.get_threshold()[0], "frozen": gc.get_freeze_count()}
print(json.dumps({"before": before, "after": after, "routes": len(app.routes)}))
"""


def test_the_serving_app_freezes_its_start_and_raises_the_young_threshold(tmp_path: Path) -> None:
    # Embedded mode on a file of its own: the probe builds a whole gateway.
    env = {k: v for k, v in os.environ.items() if k != "ICJS_KAFKA_BOOTSTRAP_SERVERS"} | {
        "ICJS_DATABASE_URL": f"sqlite:///{tmp_path / 'icjs.db'}",
        "ICJS_LOG_LEVEL": "WARNING",
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["before"]["threshold"] == 700 and seen["before"]["frozen"] == 0
    assert seen["after"]["threshold"] == GC_YOUNG_THRESHOLD
    # The app, its routes and the gateway it was built with are all frozen.
    assert seen["after"]["frozen"] > 10_000
    assert seen["routes"] > 10
