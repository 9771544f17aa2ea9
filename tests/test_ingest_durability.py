"""Every 202 is durable: ``icjs serve`` (embedded SQLite) is SIGKILLed while sixteen senders
post FIRs, then started again on the same database. Every receipt it answered is found,
accepted, with its events and its case; nothing it did not answer is half there."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import httpx
from served import free_port, wait_until_serving

from gateway.cli import scenario

SENDERS = 16
KILL_AFTER = 300  # answered receipts before the kill; the senders keep sending through it


def _icjs(env: dict[str, str], cwd: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "gateway", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def _serve(env: dict[str, str], cwd: Path, port: int) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "gateway", "serve", "--port", str(port)],
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_until_serving(proc, f"http://127.0.0.1:{port}/healthz")
    return proc


def test_every_answered_receipt_survives_a_sigkill(tmp_path: Path) -> None:
    db = tmp_path / "icjs.db"
    env = os.environ | {
        "ICJS_DATABASE_URL": f"sqlite:///{db}",
        "ICJS_RATE_LIMIT_PER_MINUTE": "0",
        "ICJS_LOG_LEVEL": "WARNING",
    }
    env.pop("ICJS_KAFKA_BOOTSTRAP_SERVERS", None)
    _icjs(env, tmp_path, "institutions", "import", "--sample")
    key = _icjs(env, tmp_path, "clients", "add", "--pillar", "police", "--institution", "MH/AU")
    port = free_port()
    proc = _serve(env, tmp_path, port)
    url = f"http://127.0.0.1:{port}/v1/police/messages"
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}

    answered: list[dict[str, Any]] = []
    unanswered = 0
    lock = threading.Lock()
    stop = threading.Event()
    enough = threading.Event()

    failures: list[str] = []

    def sender(lane: int) -> None:
        try:
            send(lane)
        except BaseException as error:  # a failure in a sender fails the test
            failures.append(repr(error))
            enough.set()

    def send(lane: int) -> None:
        nonlocal unanswered
        serial = lane * 50_000  # FIR and CNR serials have at most six digits
        with httpx.Client(timeout=30) as client:
            while not stop.is_set():
                serial += 1
                body = json.dumps(scenario.fir_registered(scenario.refs(serial))).encode()
                try:
                    response = client.post(url, content=body, headers=headers)
                except httpx.TransportError:
                    with lock:
                        unanswered += 1
                    if proc.poll() is not None:
                        return
                    continue
                assert response.status_code == 202, response.text
                with lock:
                    answered.append(response.json())
                    if len(answered) >= KILL_AFTER:
                        enough.set()

    threads = [threading.Thread(target=sender, args=(lane,)) for lane in range(SENDERS)]
    for thread in threads:
        thread.start()
    try:
        assert enough.wait(120), f"only {len(answered)} receipts answered before the kill"
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)
        if proc.poll() is None:
            proc.kill()
    assert failures == []
    # The kill came under load: requests were in flight and went unanswered.
    assert unanswered >= 1
    assert all(r["status"] == "accepted" for r in answered)

    # Started again on the same database: every answered receipt is there, accepted.
    port = free_port()
    again = _serve(env, tmp_path, port)
    try:
        with httpx.Client(
            base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=30
        ) as client:
            for receipt in answered:
                found = client.get(f"/v1/messages/{receipt['receipt_id']}")
                assert found.status_code == 200, found.text
                assert found.json()["status"] == "accepted"
                assert found.json()["event_ids"] == receipt["event_ids"]
    finally:
        again.terminate()
        again.wait(30)

    with sqlite3.connect(db) as conn:
        events = {row[0] for row in conn.execute("SELECT id FROM events")}
        cases = {row[0] for row in conn.execute("SELECT id FROM cases")}
        outbox = {row[0] for row in conn.execute("SELECT event_id FROM outbox")}
        accepted = conn.execute(
            "SELECT COUNT(*) FROM messages WHERE status = 'accepted'"
        ).fetchone()
    for receipt in answered:
        assert set(receipt["event_ids"]) <= events & outbox
        assert set(receipt["case_ids"]) <= cases
    # Whatever was committed but not answered is whole too: one case per accepted FIR.
    assert len(cases) == accepted[0] >= len(answered)
