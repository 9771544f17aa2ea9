"""Alembic's environment for the gateway, loaded by Alembic for every migration command.

:func:`gateway.store.db.alembic_config` hands over either an open connection (in
``config.attributes["connection"]``, the usual case: the caller owns the transaction) or
a database URL (``sqlalchemy.url``). SQLite runs in batch mode, because it can alter
a table only by copying it.
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from gateway.store import tables  # noqa: F401  (registers the tables on SQLModel.metadata)

config = context.config
target_metadata = SQLModel.metadata


def _options(dialect_name: str) -> dict[str, Any]:
    options: dict[str, Any] = {
        "target_metadata": target_metadata,
        "render_as_batch": dialect_name == "sqlite",
        "compare_type": True,
    }
    on_apply = config.attributes.get("on_version_apply")
    if on_apply is not None:
        options["on_version_apply"] = on_apply
    return options


def run_migrations_offline() -> None:
    """Print the SQL instead of running it (``alembic ... --sql``)."""
    url = config.get_main_option("sqlalchemy.url") or ""
    context.configure(
        url=url,
        literal_binds=True,
        **_options(url.split(":", 1)[0].split("+", 1)[0]),
    )
    with context.begin_transaction():
        context.run_migrations()


def _run(connection: Connection) -> None:
    context.configure(connection=connection, **_options(connection.dialect.name))
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations on the caller's connection, or on a new engine for the URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from gateway.store.db import make_engine

    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    try:
        with engine.begin() as connection:
            _run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
