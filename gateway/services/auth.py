"""Client credentials: API keys bound to a pillar and an institution, stored hashed.

Keys carry 256 bits from the OS random source, so a plain SHA-256 of the key is
a safe verifier (no password stretching is needed for a secret that is not
guessable); the key itself is shown once, when it is made.

A key may expire (``icjs clients add|rotate --expires-in 90d``: then it answers 401
"expired API key") and may be replaced by ``icjs clients rotate``: the new key works at
once and the old one stays valid for the overlap (``--overlap 24h``), then answers 401.
When a key was last used is recorded to the minute (:class:`UsageRecorder`), not on
every request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from canonical_model.errors import Forbidden, Unauthenticated
from gateway.services.policies import PolicyRegistry, default_policies
from gateway.store.tables import ClientRow, InstitutionRow, RetiredKeyRow, utcnow

#: Every pillar a key may be made for: the installed pillars' policies and the operators'.
PILLARS = default_policies().pillars
_KEY_RE = re.compile(r"^icjs_[a-z]+_[A-Za-z0-9_-]{43}$")
_DURATION_RE = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
#: The last use of a key is written at most this often (per key and gateway process).
LAST_USED_EVERY = dt.timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Client:
    """An authenticated caller."""

    id: int
    name: str
    pillar: str
    institution: str
    #: The key presented is one replaced by rotation, still in its overlap.
    retired: bool = field(default=False, compare=False)
    #: When the key presented stops working (its expiry, or the end of its overlap).
    valid_until: dt.datetime | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        """How logs and the message log name the caller."""
        return f"{self.pillar}:{self.institution}:{self.name}"


def hash_key(key: str) -> str:
    """The stored verifier of an API key."""
    return hashlib.sha256(key.encode()).hexdigest()


def parse_duration(text: str) -> dt.timedelta:
    """A duration as the CLI takes it: a whole number and a unit, ``45s``, ``30m``, ``24h``,
    ``90d`` or ``2w``; ValueError otherwise."""
    match = _DURATION_RE.fullmatch(text.lower())
    if match is None:
        raise ValueError(
            f"{text!r} is not a duration: a whole number and a unit, s, m, h, d or w (90d, 24h)"
        )
    return dt.timedelta(seconds=int(match[1]) * _UNITS[match[2]])


def _new_key(pillar: str) -> tuple[str, str, str]:
    """A new key for a pillar: the key, its prefix (as listed) and its hash."""
    key = f"icjs_{pillar}_{secrets.token_urlsafe(32)}"
    return key, key[: len(pillar) + 10], hash_key(key)


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
    expires_in: dt.timedelta | None = None,
    now: dt.datetime | None = None,
) -> tuple[ClientRow, str]:
    """Create a client and return it with its new key (the only time the key exists in clear).

    The institution must be in the institution directory (``gateway.services.institutions``);
    raises ValueError for an unknown pillar, a malformed code or an unlisted institution.
    With ``expires_in`` the key expires that long after ``now``.
    """
    if expires_in is not None and expires_in <= dt.timedelta(0):
        raise ValueError("a key's lifetime (--expires-in) must be more than nothing")
    now = now or utcnow()
    code = normalise_institution(pillar, institution, policies=policies)
    if session.get(InstitutionRow, (pillar, code)) is None:
        raise ValueError(
            f"{pillar} institution {code} is not in the institution directory; add it with "
            "`icjs institutions add` or `icjs institutions import`"
        )
    key, prefix, digest = _new_key(pillar)
    row = ClientRow(
        name=name,
        pillar=pillar,
        institution=code,
        key_prefix=prefix,
        key_hash=digest,
        created_at=now,
        expires_at=now + expires_in if expires_in is not None else None,
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
    row = find_client(session, client_id=client_id, key_prefix=key_prefix, verb="revoke")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
        session.flush()
    return row


def find_client(
    session: Session,
    *,
    client_id: int | None = None,
    key_prefix: str | None = None,
    verb: str = "name",
) -> ClientRow:
    """A client by its id or by its current key's prefix; ValueError when none, or more
    than one, matches."""
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
                f"{len(rows)} clients' keys start {prefix!r} (ids {ids}); {verb} by id"
            )
        row = rows[0]
    return row


def rotate_client(
    session: Session,
    *,
    client_id: int | None = None,
    key_prefix: str | None = None,
    overlap: dt.timedelta = dt.timedelta(hours=24),
    expires_in: dt.timedelta | None = None,
    now: dt.datetime | None = None,
) -> tuple[ClientRow, str]:
    """Give a client a new key (returned: the only time it exists in clear), for the same
    identity (id, pillar, institution, name). The old key stays valid for ``overlap``,
    then answers 401. The new key expires ``expires_in`` from now; without it, after as
    long a lifetime as the old key had (none if the old key had no expiry).

    A revoked client cannot be rotated (make a new client); ValueError then, and for a
    negative overlap or a client that is not found (:func:`find_client`).
    """
    if overlap < dt.timedelta(0):
        raise ValueError("the overlap cannot be negative")
    if expires_in is not None and expires_in <= dt.timedelta(0):
        raise ValueError("a key's lifetime (--expires-in) must be more than nothing")
    now = now or utcnow()
    row = find_client(session, client_id=client_id, key_prefix=key_prefix, verb="rotate")
    if row.revoked_at is not None:
        raise ValueError(f"client {row.id} is revoked; a revoked client gets no new key")
    if row.id is None:  # pragma: no cover - a stored row has its id
        raise ValueError("the client has no id")
    lifetime = expires_in
    if lifetime is None and row.expires_at is not None:
        lifetime = row.expires_at - row.created_at
    valid_until = now + overlap
    if row.expires_at is not None:
        valid_until = min(valid_until, row.expires_at)
    session.add(
        RetiredKeyRow(
            client_id=row.id,
            key_prefix=row.key_prefix,
            key_hash=row.key_hash,
            created_at=row.created_at,
            expires_at=row.expires_at,
            retired_at=now,
            valid_until=valid_until,
            last_used_at=row.last_used_at,
        )
    )
    key, row.key_prefix, row.key_hash = _new_key(row.pillar)
    row.created_at = now
    row.expires_at = now + lifetime if lifetime is not None else None
    row.last_used_at = None
    session.add(row)
    session.flush()
    return row, key


def key_state(row: ClientRow, retired: list[RetiredKeyRow], now: dt.datetime | None = None) -> str:
    """What ``icjs clients list`` says of a client: revoked, expired, rotating (an old key
    is still in its overlap) or active."""
    now = now or utcnow()
    if row.revoked_at is not None:
        return "revoked"
    if row.expires_at is not None and row.expires_at <= now:
        return "expired"
    if any(r.valid_until > now for r in retired):
        return "rotating"
    return "active"


def authenticate(
    session: Session, authorization: str | None, *, now: dt.datetime | None = None
) -> Client:
    """Resolve an ``Authorization: Bearer <key>`` header to a client, or raise Unauthenticated
    (unknown, revoked, expired, or replaced by rotation and past its overlap)."""
    if not authorization:
        raise Unauthenticated("missing credential: send 'Authorization: Bearer <api key>'")
    scheme, _, key = authorization.partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key:
        raise Unauthenticated("the Authorization header must be 'Bearer <api key>'")
    if not _KEY_RE.fullmatch(key):
        raise Unauthenticated("unknown API key")
    return authenticate_digest(session, hash_key(key), now=now)


def authenticate_digest(session: Session, digest: str, *, now: dt.datetime | None = None) -> Client:
    """The client whose key has the digest ``digest`` (:func:`hash_key`), under the rules of
    :func:`authenticate`: the web console keeps the digest of the key a user signed in with,
    never the key, and asks again on every request, so that a key revoked, expired or past its
    rotation overlap ends the session at once."""
    now = now or utcnow()
    row = session.exec(select(ClientRow).where(ClientRow.key_hash == digest)).first()
    old: RetiredKeyRow | None = None
    if row is None:
        old = session.exec(select(RetiredKeyRow).where(RetiredKeyRow.key_hash == digest)).first()
        if old is not None:
            row = session.get(ClientRow, old.client_id)
    if row is None or row.revoked_at is not None or row.id is None:
        raise Unauthenticated("unknown or revoked API key")
    expires_at = old.expires_at if old is not None else row.expires_at
    if expires_at is not None and expires_at <= now:
        raise Unauthenticated("expired API key")
    valid_until = expires_at
    if old is not None:
        if old.valid_until <= now:
            raise Unauthenticated(
                "this API key was replaced (icjs clients rotate) and its overlap has ended"
            )
        valid_until = min(old.valid_until, expires_at or old.valid_until)
    return Client(
        id=row.id,
        name=row.name,
        pillar=row.pillar,
        institution=row.institution,
        retired=old is not None,
        valid_until=valid_until,
    )


def record_use(session: Session, authorization: str, client: Client, now: dt.datetime) -> None:
    """Write ``now`` as the last use of the key in ``authorization``, unless a use less than
    :data:`LAST_USED_EVERY` ago is already written (by this process or another)."""
    digest = hash_key(authorization.partition(" ")[2].strip())
    table = RetiredKeyRow if client.retired else ClientRow
    stale = now - LAST_USED_EVERY
    last_used = col(table.last_used_at)
    session.execute(
        update(table)
        .where(col(table.key_hash) == digest)
        .where(or_(last_used.is_(None), last_used < stale))
        .values(last_used_at=now)
    )


class UsageRecorder:
    """Decides when the last use of a key is written: at most once a :data:`LAST_USED_EVERY`
    per key in this process (so not a write per request)."""

    def __init__(self, clock: Callable[[], float] | None = None) -> None:
        self._clock = clock
        self._written: dict[str, float] = {}
        self._lock = threading.Lock()

    def due(self, authorization: str) -> bool:
        """True (and remembered) if this key's use was not written in the last minute."""
        now = self._clock() if self._clock is not None else time.monotonic()
        digest = hash_key(authorization)
        with self._lock:
            last = self._written.get(digest)
            if last is not None and now - last < LAST_USED_EVERY.total_seconds():
                return False
            if len(self._written) > 10_000:
                self._written.clear()
            self._written[digest] = now
            return True


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
    the cache). Unknown keys are never cached, so a new key works at once. A key whose
    expiry (or end of overlap) has come is not answered from the cache, so it answers
    "expired API key" on time.
    """

    def __init__(self, ttl: float, clock: Callable[[], float] | None = None) -> None:
        self.ttl = ttl
        #: Seconds, monotonic (tests put a fake clock here).
        self.clock = clock
        self._entries: dict[str, tuple[Client, float]] = {}
        self._lock = threading.Lock()

    def _now(self) -> float:
        return self.clock() if self.clock is not None else time.monotonic()

    def get(self, authorization: str | None) -> Client | None:
        """The cached client for this header, if verified less than ``ttl`` seconds ago."""
        if self.ttl <= 0 or not authorization:
            return None
        digest = hash_key(authorization)
        with self._lock:
            entry = self._entries.get(digest)
        if entry is None or entry[1] < self._now():
            return None
        client = entry[0]
        if client.valid_until is not None and client.valid_until <= utcnow():
            return None
        return client

    def put(self, authorization: str, client: Client) -> None:
        """Remember a header that :func:`authenticate` accepted."""
        if self.ttl <= 0:
            return
        with self._lock:
            if len(self._entries) > 10_000:  # keys are few; this only bounds a flood
                self._entries.clear()
            self._entries[hash_key(authorization)] = (client, self._now() + self.ttl)
