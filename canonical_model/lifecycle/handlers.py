"""How a pillar's module declares the events it folds into a case's status.

Each pillar module of this package keeps one :class:`PillarHandlers` and adds a function per
payload type to it; :mod:`canonical_model.lifecycle.fold` merges them into the one table the
fold dispatches on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

from canonical_model.events import EventPayload
from canonical_model.lifecycle.status import CaseStatus

#: Folds one payload into a status, in place. ``Any`` because each handler takes its own
#: payload type; :meth:`PillarHandlers.add` is where the type and the handler are checked.
Handler = Callable[[CaseStatus, Any], None]

P = TypeVar("P", bound=EventPayload)


class PillarHandlers(Mapping[type[EventPayload], Handler]):
    """One pillar's handlers, by the payload type each folds."""

    def __init__(self, pillar: str) -> None:
        """Start an empty table for ``pillar`` (named in errors)."""
        self.pillar = pillar
        self._by_type: dict[type[EventPayload], Handler] = {}

    def add(self, kind: type[P], handler: Callable[[CaseStatus, P], None]) -> None:
        """Register ``handler`` as the one that folds payloads of ``kind``.

        Taking the type and the handler together lets a type checker hold the handler's
        payload parameter to ``kind``; a handler of several types is added once for each.
        """
        if kind in self._by_type:
            raise ValueError(f"{self.pillar}: {kind.__name__} has a handler already")
        self._by_type[kind] = handler

    def __getitem__(self, kind: type[EventPayload]) -> Handler:
        """The handler of ``kind`` (exactly that type)."""
        return self._by_type[kind]

    def __iter__(self) -> Iterator[type[EventPayload]]:
        """The payload types this pillar folds."""
        return iter(self._by_type)

    def __len__(self) -> int:
        """How many payload types this pillar folds."""
        return len(self._by_type)
