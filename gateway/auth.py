"""Client credentials: API keys bound to a pillar and an institution, stored hashed.

Keys carry 256 bits from the OS random source, so a plain SHA-256 of the key is
a safe verifier (no password stretching is needed for a secret that is not
guessable); the key itself is shown once, when it is made.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import time
from dataclasses import dataclass

from sqlmodel import Session, select

from canonical_model.errors import Forbidden, Unauthenticated
from gateway.policies import PolicyRegistry, default_policies
from gateway.tables import ClientRow, InstitutionRow, utcnow

#: Every pillar a key may be made for: the installed pillars' policies and the operators'.
PILLARS = default_policies().pillars
_KEY_RE = re.compile(r"^icjs_[a-z]+_[A-Za-z0-9_-]{43}$")


@dataclass(frozen=True, slots=True)
class Client:
    """An authenticated caller."""

    id: int
    name: str
    pillar: str
    institution: str

    @property
    def label(self) -> str:
        """How logs and the message log name the caller."""
        return f"{self.pillar}:{self.institution}:{self.name}"


def hash_key(key: str) -> str:
    """The stored verifier of an API key."""
    return hashlib.sha256(key.encode()).hexdigest()


def normalise_institution(
    pillar: str, institution: str, *, policies: PolicyRegistry | None = None
) -> str:
    """Check and normalise an institution code for a pillar, as the pillar's policy defines
    it (police ``MH``, ``MH/AU`` or ``MH/AU/CIDCO``; a court ``MHAU01``; a prosecution office
    ``MH/DOP``; transport ``VAHAN`` or ``SARATHI``; ...); ValueError naming the expected form
    or the pillars there are."""
    return (policies or default_policies()).normalise_institution(pillar, institution)


def create_client(
    session: Session,
    *,
    name: str,
    pillar: str,
    institution: str,
    policies: PolicyRegistry | None = None,
) -> tuple[ClientRow, str]:
    """Create a client and return it with its new key (the only time the key exists in clear).

    The institution must be in the institution directory (``gateway.institutions``);
    raises ValueError for an unknown pillar, a malformed code or an unlisted institution.
    """
    code = normalise_institution(pillar, institution, policies=policies)
    if session.get(InstitutionRow, (pillar, code)) is None:
        raise ValueError(
            f"{pillar} institution {code} is not in the institution directory; add it with "
            "`icjs institutions add` or `icjs institutions import`"
        )
    key = f"icjs_{pillar}_{secrets.token_urlsafe(32)}"
    row = ClientRow(
        name=name,
        pillar=pillar,
        institution=code,
        key_prefix=key[: len(pillar) + 10],
        key_hash=hash_key(key),
    )
    session.add(row)
    session.flush()
    return row, key


def revoke_client(
    session: Session, *, client_id: int | None = None, key_prefix: str | None = None
) -> ClientRow:
    """Revoke a client's key, found by its id or by its key prefix (as ``icjs clients list``
    shows it); returns the client. Its key is refused from then on (by every gateway process
    within ``ICJS_AUTH_CACHE_SECONDS``). Revoking a revoked key changes nothing. Raises
    ValueError when no client, or more than one, matches.
    """
    if (client_id is None) == (key_prefix is None):
        raise ValueError("name the client by its id or by its key prefix (one of them)")
    if client_id is not None:
        row = session.get(ClientRow, client_id)
        if row is None:
            raise ValueError(f"no client with id {client_id}; `icjs clients list` shows them")
    else:
        prefix = (key_prefix or "").strip().removesuffix("...")
        rows = session.exec(select(ClientRow).where(ClientRow.key_prefix == prefix)).all()
        if not rows:
            raise ValueError(f"no client's key starts {prefix!r}; `icjs clients list` shows them")
        if len(rows) > 1:
            ids = ", ".join(str(r.id) for r in rows)
            raise ValueError(
                f"{len(rows)} clients' keys start {prefix!r} (ids {ids}); revoke by id"
            )
        row = rows[0]
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
        session.flush()
    return row


def authenticate(session: Session, authorization: str | None) -> Client:
    """Resolve an ``Authorization: Bearer <key>`` header to a client, or raise Unauthenticated."""
    if not authorization:
        raise Unauthenticated("missing credential: send 'Authorization: Bearer <api key>'")
    scheme, _, key = authorization.partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key:
        raise Unauthenticated("the Authorization header must be 'Bearer <api key>'")
    if not _KEY_RE.fullmatch(key):
        raise Unauthenticated("unknown API key")
    row = session.exec(select(ClientRow).where(ClientRow.key_hash == hash_key(key))).first()
    if row is None or row.revoked_at is not None or row.id is None:
        raise Unauthenticated("unknown or revoked API key")
    return Client(id=row.id, name=row.name, pillar=row.pillar, institution=row.institution)


def require_pillar(client: Client, *pillars: str) -> None:
    """Raise Forbidden unless the client belongs to one of ``pillars``."""
    if client.pillar not in pillars:
        raise Forbidden(
            f"this endpoint is for {' or '.join(pillars)} clients; the key presented is for {client.pillar}"
        )


class CredentialCache:
    """Recently verified keys (by hash) and their clients, for ``ttl`` seconds.

    Every request carries a key; looking each one up costs a database round trip.
    A key revoked in the database stops working within ``ttl`` seconds (0 disables
    the cache). Unknown keys are never cached, so a new key works at once.
    """

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._entries: dict[str, tuple[Client, float]] = {}
        self._lock = threading.Lock()

    def get(self, authorization: str | None) -> Client | None:
        """The cached client for this header, if verified less than ``ttl`` seconds ago."""
        if self.ttl <= 0 or not authorization:
            return None
        digest = hash_key(authorization)
        with self._lock:
            entry = self._entries.get(digest)
        if entry is None or entry[1] < time.monotonic():
            return None
        return entry[0]

    def put(self, authorization: str, client: Client) -> None:
        """Remember a header that :func:`authenticate` accepted."""
        if self.ttl <= 0:
            return
        with self._lock:
            if len(self._entries) > 10_000:  # keys are few; this only bounds a flood
                self._entries.clear()
            self._entries[hash_key(authorization)] = (client, time.monotonic() + self.ttl)
