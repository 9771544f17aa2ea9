"""What the readiness check asks of the store: whether the database answers, and how far the
outbox relay is behind."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from gateway.messaging.outbox import outbox_lag
from gateway.store.db import Database

#: The longest error text a readiness report carries.
ERROR_MAX = 2000


def database_health(*, db: Database) -> dict[str, Any]:
    """The database's part of the readiness report: ``"database": "ok"`` with the relay's lag
    (``outbox_pending``, ``relay_lag_events``, ``relay_lag_seconds``), or ``"database":
    "unreachable"`` with ``database_error`` (the error's type and text) when it does not
    answer. Never raises for a database error."""
    try:
        with db.session() as session:
            session.exec(text("SELECT 1"))  # type: ignore[call-overload]
        pending, age = outbox_lag(db)
    except Exception as exc:
        return {
            "database": "unreachable",
            "database_error": f"{type(exc).__name__}: {str(exc).strip()}"[:ERROR_MAX],
        }
    return {
        "database": "ok",
        "outbox_pending": pending,
        "relay_lag_events": pending,
        "relay_lag_seconds": round(age, 3),
    }
