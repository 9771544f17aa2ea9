"""Helpers for tests that run a real ``icjs serve``: a free port, and waiting until it
answers (or failing with its stderr when it exited)."""

from __future__ import annotations

import socket
import subprocess
import time

import httpx


def free_port() -> int:
    """A TCP port free on loopback now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_serving(
    proc: subprocess.Popen[str], url: str, *, seconds: float = 30
) -> httpx.Response:
    """GET ``url`` until the server answers; fail with its stderr if it exits first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            return httpx.get(url, timeout=1)
        except httpx.TransportError:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            time.sleep(0.2)
    raise AssertionError(f"icjs serve did not answer at {url} within {seconds:g} s")
