"""The adapter registry: every pillar adapter the gateway speaks, found through entry points.

A third party ships an adapter in its own package by declaring it in the
``icjs.adapters`` entry-point group; the gateway picks it up at start.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib.metadata import entry_points

from canonical_model.errors import NotFound
from gateway.messaging.ports import PillarAdapter

ENTRY_POINT_GROUP = "icjs.adapters"


class AdapterRegistry:
    """Adapters by pillar name."""

    def __init__(self, adapters: list[PillarAdapter] | None = None) -> None:
        self._adapters: dict[str, PillarAdapter] = {}
        for adapter in adapters or []:
            self.register(adapter)

    def register(self, adapter: PillarAdapter) -> None:
        """Add an adapter; a second adapter for the same pillar is a configuration error."""
        if adapter.pillar in self._adapters:
            raise ValueError(f"two adapters registered for pillar {adapter.pillar!r}")
        self._adapters[adapter.pillar] = adapter

    def get(self, pillar: str) -> PillarAdapter:
        """The adapter of ``pillar``, or NotFound naming the pillars there are."""
        try:
            return self._adapters[pillar]
        except KeyError:
            known = ", ".join(sorted(self._adapters)) or "none"
            raise NotFound(f"no adapter for pillar {pillar!r}; registered: {known}") from None

    def __iter__(self) -> Iterator[PillarAdapter]:
        return iter(self._adapters.values())

    def __contains__(self, pillar: object) -> bool:
        return pillar in self._adapters

    @classmethod
    def from_entry_points(cls) -> AdapterRegistry:
        """Load every adapter declared in the ``icjs.adapters`` entry-point group."""
        registry = cls()
        for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            registry.register(ep.load()())
        return registry
