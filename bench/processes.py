"""CPU time of a process and everything under it, read from Linux's /proc: what a benchmark
charges a server with worker processes (uvicorn's ``--workers``) for the work it did."""

from __future__ import annotations

import os
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def tree_cpu(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and every process under it; NaN when ``pid`` is
    not there (or this is not Linux)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if entry.isdigit() and (fields := _stat(int(entry))) is not None:
            children.setdefault(int(fields[1]), []).append(int(entry))
    if _stat(pid) is None:
        return float("nan")
    total = 0.0
    stack = [pid]
    while stack:
        current = stack.pop()
        fields = _stat(current)
        if fields is None:
            continue
        total += (int(fields[11]) + int(fields[12])) / TICK
        stack.extend(children.get(current, []))
    return total
