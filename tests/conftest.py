"""Fixtures shared by the whole suite: a gateway on its own SQLite file, an HTTP client, keys."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gateway.api.app import create_app
from gateway.auth import create_client
from gateway.bootstrap import Gateway, build_gateway
from gateway.settings import Settings

KeyMaker = Callable[[str, str], dict[str, str]]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Embedded-mode settings on a fresh SQLite file."""
    return Settings(database_url=f"sqlite:///{tmp_path / 'icjs.db'}", log_format="json")


@pytest.fixture
def gateway(settings: Settings) -> Iterator[Gateway]:
    """A gateway built by the composition root."""
    built = build_gateway(settings)
    yield built
    built.close()


@pytest.fixture
def http(gateway: Gateway) -> Iterator[TestClient]:
    """The HTTP API of ``gateway``, lifespan included."""
    with TestClient(create_app(gateway)) as client:
        yield client


@pytest.fixture
def key_for(gateway: Gateway) -> KeyMaker:
    """Make a client and return the Authorization header for it."""

    def make(pillar: str, institution: str) -> dict[str, str]:
        with gateway.db.session(write=True) as session:
            _, key = create_client(
                session, name=f"test-{pillar}", pillar=pillar, institution=institution
            )
        return {"Authorization": f"Bearer {key}"}

    return make


def as_json(message: dict[str, Any]) -> bytes:
    """A canonical message as bytes."""
    return json.dumps(message).encode()
