"""Production mode against the real PostgreSQL server and the real Kafka broker.

Every test gets a fresh database and its own Kafka topic prefix, and runs the gateway
(``icjs serve``) and the courts worker (``icjs worker courts``) as real processes. The
services come from ``scripts/services.sh up``; when they are not reachable the tests fail,
with a message saying so, rather than skip.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from production_harness import (
    Services,
    ServicesUnavailable,
    Stack,
    discover_services,
    drop_leftovers,
    stack,
)


@pytest.fixture(scope="session")
def services() -> Services:
    """The real servers; the whole production suite fails at once without them."""
    try:
        found = discover_services()
    except ServicesUnavailable as missing:
        pytest.fail(str(missing), pytrace=False)
    drop_leftovers(found)
    return found


@pytest.fixture
def prod(services: Services, tmp_path: Path) -> Iterator[Stack]:
    """A fresh production stack for one test."""
    with stack(services, tmp_path) as built:
        yield built
