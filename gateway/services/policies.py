"""The policy registry: every pillar's access policy, read by authentication, ingest, case
reads, the feed routes and the CLI instead of per-pillar branches.

The police policy is the canonical model's (the police speak it); every other pillar's comes
with its adapter through the ``icjs.adapters`` entry point, so a pillar shipped in a
third-party package gets keys and access like the built-in ones. Operators are the gateway's
own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from typing import ClassVar

from canonical_model.lifecycle import CaseStatus
from canonical_model.police_policy import PolicePolicy
from canonical_model.policy import Policy
from canonical_model.privacy import ReaderRole
from gateway.messaging.ports import PillarPolicy
from gateway.services.registry import AdapterRegistry


def _unit_code(code: str, noun: str) -> str:
    """A code the gateway's own pillars (operators, verifiers) accept: upper case, letters,
    digits, ``_``, ``-`` and ``/``; ValueError naming the ``noun`` otherwise."""
    text = code.strip().upper()
    if not re.fullmatch(r"[A-Z0-9_/-]{1,64}", text):
        raise ValueError(f"{noun} {code!r}: letters, digits, '_', '-', '/' only")
    return text


class OperatorPolicy(Policy):
    """Operators run the exchange: they send no pillar messages and read every case (the
    message log, dead letters and the directory are theirs as well)."""

    pillar: ClassVar[str] = "operator"
    noun: ClassVar[str] = "operator unit"
    institution_help: ClassVar[str] = (
        "operator: the unit that runs the exchange (NIC); operators read every case and the "
        "message log"
    )

    def normalise_institution(self, code: str) -> str:
        """Letters, digits, ``_``, ``-`` and ``/``."""
        return _unit_code(code, self.noun)

    def entitled(self, institution: str, status: CaseStatus) -> bool:
        """Every case."""
        return True

    def disclosure_roles(
        self, institution: str, status: CaseStatus, *, court_levels: Mapping[str, str]
    ) -> frozenset[ReaderRole]:
        """Operators keep the records: they see every identity."""
        return frozenset({ReaderRole.OPERATOR})


class VerifierPolicy(Policy):
    """Antecedent verifiers (a passport office, an employer's verification agency): they send
    no messages, read no case, and ask only whether a person has a record
    (``GET /v1/persons/verify``), which answers where to refer, never what the record holds."""

    pillar: ClassVar[str] = "verifier"
    noun: ClassVar[str] = "verifying office"
    institution_help: ClassVar[str] = (
        "verifier: the office that verifies antecedents (a passport office such as "
        "PSK-MUMBAI); it may only ask GET /v1/persons/verify"
    )

    def normalise_institution(self, code: str) -> str:
        """Letters, digits, ``_``, ``-`` and ``/``."""
        return _unit_code(code, self.noun)


class PolicyRegistry:
    """Policies by pillar name."""

    def __init__(self, policies: Iterable[PillarPolicy]) -> None:
        self._policies: dict[str, PillarPolicy] = {}
        for policy in policies:
            if policy.pillar in self._policies:
                raise ValueError(f"two policies declared for pillar {policy.pillar!r}")
            self._policies[policy.pillar] = policy

    @classmethod
    def from_adapters(cls, adapters: AdapterRegistry) -> PolicyRegistry:
        """The police's, every adapter's, the operators' and the verifiers'."""
        return cls(
            [
                PolicePolicy(),
                *(adapter.policy for adapter in adapters),
                OperatorPolicy(),
                VerifierPolicy(),
            ]
        )

    def get(self, pillar: str) -> PillarPolicy:
        """The policy of ``pillar``; ValueError naming the pillars there are."""
        try:
            return self._policies[pillar]
        except KeyError:
            raise ValueError(f"unknown pillar {pillar!r}; one of {', '.join(self)}") from None

    @property
    def pillars(self) -> tuple[str, ...]:
        """Every pillar a key may be made for."""
        return tuple(self._policies)

    def __iter__(self) -> Iterator[str]:
        return iter(self._policies)

    def __contains__(self, pillar: object) -> bool:
        return pillar in self._policies

    def normalise_institution(self, pillar: str, institution: str) -> str:
        """The institution code of ``pillar`` in canonical form; ValueError otherwise."""
        return self.get(pillar).normalise_institution(institution)


@lru_cache(maxsize=1)
def default_policies() -> PolicyRegistry:
    """The policies of the installed pillars (for code that runs without a gateway built)."""
    return PolicyRegistry.from_adapters(AdapterRegistry.from_entry_points())
