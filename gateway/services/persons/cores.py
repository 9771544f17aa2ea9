"""The re-link's Python work spread over the machine's cores by forked worker processes:
sound keys of the records' names, the forms of the names the native comparisons read, and the
comparison levels computed in Python. One process computes on one core only.

Forked, not spawned: the workers need the name tables and functions as they are loaded here,
and touch nothing else (no database, no DuckDB).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def forked_workers(items: int, *, least: int) -> int:
    """How many forked workers to spread ``items`` pieces of work over: one per core when
    there are at least ``least`` of them (below, starting the workers costs more than they
    save), the machine has more than one core and can fork; else 0, for the work to be done
    in this process."""
    cores = os.cpu_count() or 1
    if items < least or cores < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    return cores


def map_on_cores(
    function: Callable[[T], R], items: Sequence[T], *, least: int, chunk: int
) -> list[R]:
    """``[function(item) for item in items]``, by forked workers (``chunk`` items handed out at
    a time) when :func:`forked_workers` says so. ``function`` is a module's function: the
    workers receive it by name."""
    workers = forked_workers(len(items), least=least)
    if not workers:
        return [function(item) for item in items]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return list(pool.imap(function, items, chunksize=chunk))
