"""In production mode ``icjs audit checkpoint`` also publishes each signed checkpoint to
``<prefix>.audit.v1`` on the real Kafka broker, so a third party can hold the chain's head:
read back from the topic, it is the stored checkpoint and its signature verifies."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

from production_harness import Stack

from gateway.cli import scenario
from gateway.store import audit


def test_checkpoints_are_published_to_the_audit_topic(prod: Stack) -> None:
    prod.ingest_inprocess([scenario.fir_registered(scenario.refs(n)) for n in (1, 2, 3)])
    pem, kid = audit.generate_key()
    key_file = prod.workdir / "audit-key.pem"
    key_file.write_text(pem)

    def icjs(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "gateway", *args],
            env=prod.env(ICJS_AUDIT_SIGNING_KEY_FILE=str(key_file)),
            cwd=prod.workdir,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    first = icjs("audit", "checkpoint")
    assert first.returncode == 0, first.stderr
    assert f"published to {prod.prefix}.audit.v1" in first.stdout
    prod.ingest_inprocess([scenario.fir_registered(scenario.refs(4))])
    second = icjs("audit", "checkpoint")
    assert second.returncode == 0, second.stderr

    stored = prod.sql(
        "SELECT id, seq, head_hash, signature, key_id FROM audit_checkpoints ORDER BY id"
    )
    records = prod.read_topic(f"{prod.prefix}.audit.v1")
    assert len(records) == 2 == len(stored)
    published = [json.loads(r.value) for r in records]
    assert [r.key for r in records] == [kid.encode(), kid.encode()]
    assert [
        (p["id"], p["seq"], p["head_hash"], p["signature"], p["key_id"]) for p in published
    ] == [tuple(row) for row in stored]
    assert published[1]["seq"] > published[0]["seq"] > 0
    for checkpoint in published:
        assert audit.signature_ok(
            checkpoint["seq"],
            checkpoint["head_hash"],
            dt.datetime.fromisoformat(checkpoint["created_at"]),
            checkpoint["signature"],
            checkpoint["public_key"],
        )
    # the head a third party holds is on the chain: verify agrees, and names a rewrite
    verified = icjs("audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    prod.sql("UPDATE audit_chain SET hash = %(h)s WHERE seq = 1", {"h": "f" * 64})
    broken = icjs("audit", "verify")
    assert broken.returncode == 1
    assert "first: " in broken.stdout and "(seq 1)" in broken.stdout
