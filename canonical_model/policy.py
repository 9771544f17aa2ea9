"""A pillar's access policy: who its institutions are, what they may send, which cases they
may read.

Each pillar declares one beside its adapter (``adapters/<pillar>/policy.py``), and the adapter
carries it, so a pillar registered through the ``icjs.adapters`` entry point brings its rules
with it; the police pillar, which speaks the canonical model itself, declares its own here.
The gateway reads policies and holds no per-pillar branches.

Three questions, asked in this order of every message:

1. :meth:`Policy.may_send`: is this a message the pillar sends at all, and does the sender speak
   for itself (a court about its own CNR, a prison about its own prisoner numbers)?
2. :meth:`Policy.check_case`: does the case's history give the sender authority (a court
   seized, a prison with a warrant, a lab a request was addressed to)? Asked inside the
   transaction that applies the message, and again when a held message is released.
3. :meth:`Policy.entitled`: may the institution read the case?
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar

from canonical_model.errors import Forbidden
from canonical_model.events import EventPayload
from canonical_model.privacy import ReaderRole

if TYPE_CHECKING:
    from canonical_model.competence import Directory
    from canonical_model.lifecycle import CaseStatus


class Policy:
    """The base of every pillar's policy; a subclass sets the class attributes and overrides
    what its pillar needs (the defaults deny)."""

    #: The pillar's name, as in the API paths (``courts``).
    pillar: ClassVar[str] = ""
    #: What one of its institutions is called (``court establishment``).
    noun: ClassVar[str] = "institution"
    #: What ``--institution`` means for a key of this pillar, with an example.
    institution_help: ClassVar[str] = ""
    #: The query parameter naming the institution whose feed is read; None without a feed.
    feed_parameter: ClassVar[str | None] = None
    #: The canonical events its institutions may send.
    sends: ClassVar[tuple[type[EventPayload], ...]] = ()

    @property
    def message_types(self) -> tuple[str, ...]:
        """The canonical names of the events the pillar may send (``order.issued``)."""
        return tuple(cls.name for cls in self.sends)

    def normalise_institution(self, code: str) -> str:
        """The institution code in canonical form; ValueError naming the expected form."""
        text = code.strip().upper()
        if not re.fullmatch(r"[A-Z0-9_-]{1,32}", text):
            raise ValueError(f"{self.noun} code {code!r}: 1 to 32 of A-Z 0-9 _ -")
        return text

    def may_send(self, institution: str, payload: EventPayload) -> None:
        """Raise Forbidden unless the pillar sends ``payload`` and ``institution`` speaks for
        itself in it."""
        if not isinstance(payload, self.sends):
            raise Forbidden(f"{self.pillar} clients may not send {payload.name}")
        self.speaks_for(institution, payload)

    def speaks_for(self, institution: str, payload: EventPayload) -> None:
        """Raise Forbidden when the message speaks for another institution than the sender."""

    def check_case(
        self,
        institution: str,
        payload: EventPayload,
        *,
        status: CaseStatus,
        directory: Directory,
    ) -> None:
        """Raise when the case's history gives ``institution`` no authority for ``payload``."""

    def entitled(self, institution: str, status: CaseStatus) -> bool:
        """Whether ``institution`` may read the case."""
        return False

    def disclosure_roles(
        self, institution: str, status: CaseStatus, *, court_levels: Mapping[str, str]
    ) -> frozenset[ReaderRole]:
        """What ``institution`` is to the case for personal data by law
        (:mod:`canonical_model.privacy`): none by default, so it sees every protected person
        by label."""
        return frozenset()


def police_covers(institution: str, station: str | None) -> bool:
    """Whether a police unit bound to ``institution`` (state ``MH``, district ``MH/AU`` or
    station ``MH/AU/CIDCO``) covers a station in canonical ``STATE/DISTRICT/STATION`` form."""
    if station is None:
        return False
    return station == institution or station.startswith(institution + "/")
