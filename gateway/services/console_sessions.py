"""Sessions of the web console (``/console/``): a user signs in with an API key, checked as the
API checks it (:func:`gateway.services.auth.authenticate`), and gets a session token for a
cookie.

What is stored is the SHA-256 of the token and the digest of the key, never either in clear
(``console_sessions``). Every request finds the session by the token's digest, ends it when it
sat unused longer than the idle timeout (``ICJS_CONSOLE_IDLE_MINUTES``), and checks the key
again by its digest, so that a key revoked, expired or past its rotation overlap ends the
session at once. Signing out ends it; a token of an ended session never works again.

The CSRF token of a session's forms is an HMAC of the session token: it is never stored, a
form of one session is refused in another, and it needs no secret of the gateway's own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlmodel import Session

from canonical_model.errors import Unauthenticated
from gateway.services.auth import Client, authenticate, authenticate_digest, hash_key
from gateway.store.tables import ConsoleSessionRow

#: Why a session ended, as ``console_sessions.ended_why`` keeps it.
SIGNED_OUT = "signed_out"
IDLE = "idle"
KEY_INVALID = "key_invalid"


class SessionEnded(Unauthenticated):
    """The session is unknown or has ended: the user signs in again. ``reason`` says why
    (``required``: no session; ``ended``; ``idle``; ``key_invalid``), for the sign-in page."""

    def __init__(self, message: str, *, reason: str = "ended") -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ConsoleSession:
    """A live session: its token (from the cookie) and the client whose key opened it."""

    token: str
    client: Client

    @property
    def csrf(self) -> str:
        """The CSRF token of this session's forms."""
        return csrf_token(self.token)


def token_digest(token: str) -> str:
    """What ``console_sessions.id`` keeps of a session token."""
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token(secret: str) -> str:
    """The CSRF token bound to ``secret`` (a session token, or the sign-in form's cookie)."""
    return hmac.new(secret.encode(), b"icjs-console-csrf", hashlib.sha256).hexdigest()


def csrf_matches(secret: str | None, sent: str | None) -> bool:
    """Whether ``sent`` is the CSRF token of ``secret`` (compared in constant time)."""
    if not secret or not sent:
        return False
    return hmac.compare_digest(csrf_token(secret), sent)


def start_session(session: Session, *, api_key: str, now: dt.datetime) -> ConsoleSession:
    """Check ``api_key`` as the API checks a bearer key and open a session for its client;
    Unauthenticated (the API's 401 words) when the key is not valid."""
    client = authenticate(session, f"Bearer {api_key.strip()}", now=now)
    token = secrets.token_urlsafe(32)
    session.add(
        ConsoleSessionRow(
            id=token_digest(token),
            client_id=client.id,
            key_hash=hash_key(api_key.strip()),
            created_at=now,
            last_seen_at=now,
        )
    )
    session.flush()
    return ConsoleSession(token=token, client=client)


def resume_session(
    session: Session, *, token: str | None, now: dt.datetime, idle: dt.timedelta
) -> ConsoleSession | SessionEnded:
    """The live session of ``token``, its last use moved to ``now``; or the SessionEnded to
    raise when there is none, when it sat unused longer than ``idle``, or when its key is no
    longer valid. Returned, not raised, so that the unit of work that ended the session
    (idle, key no longer valid) commits before the caller raises it."""
    if not token:
        return SessionEnded("sign in with your API key to use the console", reason="required")
    row = session.get(ConsoleSessionRow, token_digest(token))
    if row is None or row.ended_at is not None:
        return SessionEnded("the session has ended; sign in again")
    if now - row.last_seen_at > idle:
        _end(session, row, now, IDLE)
        return SessionEnded(
            f"the session ended after {int(idle.total_seconds() // 60)} minutes unused; "
            "sign in again",
            reason=IDLE,
        )
    try:
        client = authenticate_digest(session, row.key_hash, now=now)
    except Unauthenticated as exc:
        _end(session, row, now, KEY_INVALID)
        return SessionEnded(f"{exc.message}; the session has ended", reason=KEY_INVALID)
    row.last_seen_at = now
    session.add(row)
    return ConsoleSession(token=token, client=client)


def end_session(session: Session, *, token: str | None, now: dt.datetime) -> None:
    """End the session of ``token`` (signing out); nothing when there is none."""
    if not token:
        return
    row = session.get(ConsoleSessionRow, token_digest(token))
    if row is not None and row.ended_at is None:
        _end(session, row, now, SIGNED_OUT)


def _end(session: Session, row: ConsoleSessionRow, now: dt.datetime, why: str) -> None:
    row.ended_at = now
    row.ended_why = why
    session.add(row)
