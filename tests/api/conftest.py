"""Keys the pillar path tests share: the police of the scenario's district and its court."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def police(key_for: Any) -> dict[str, str]:
    """A police key for the Chhatrapati Sambhajinagar district (``MH/AU``), every station."""
    headers: dict[str, str] = key_for("police", "MH/AU")
    return headers


@pytest.fixture
def court(key_for: Any) -> dict[str, str]:
    """A key for the scenario's court establishment (``MHAU01``)."""
    headers: dict[str, str] = key_for("courts", "MHAU01")
    return headers
