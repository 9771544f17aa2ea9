"""A PostgreSQL database of a benchmark's own, made on the server the gateway's settings name
and dropped afterwards: one way for every benchmark (ingest, relay, look-ups)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql
from sqlalchemy.engine import URL, make_url


def libpq(url: URL) -> str:
    """``url`` as libpq takes it (no SQLAlchemy driver name)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


class NoAdminRole(RuntimeError):
    """No role this process can sign in as may create databases on the server."""


def admin_role(url: URL) -> str:
    """A libpq URL of a role that may create databases on the server of ``url``:
    ICJS_PG_ADMIN_URL, the server's superuser (``scripts/services.sh`` runs it with trust on
    loopback), or the gateway's own role when it has CREATEDB. NoAdminRole names why each
    failed. The test suite's PostgreSQL fixture finds its role here too."""
    named = os.environ.get("ICJS_PG_ADMIN_URL", "")
    candidates = [
        libpq(make_url(named)) if named else "",
        libpq(url.set(username="postgres", password=None, database="postgres")),
        libpq(url.set(database="postgres")),
    ]
    errors = []
    for conninfo in filter(None, candidates):
        try:
            with psycopg.connect(conninfo, autocommit=True, connect_timeout=10) as conn:
                row = conn.execute(
                    "SELECT rolsuper OR rolcreatedb FROM pg_roles WHERE rolname = current_user"
                ).fetchone()
        except psycopg.Error as error:
            errors.append(f"{make_url(conninfo).username}: {str(error).strip()}")
            continue
        if row and row[0]:
            return conninfo
        errors.append(f"{make_url(conninfo).username}: may not create databases")
    raise NoAdminRole("; ".join(errors))


def admin_conninfo(url: URL) -> str:
    """:func:`admin_role`, or the benchmark stops saying what to do."""
    try:
        return admin_role(url)
    except NoAdminRole as error:
        raise SystemExit(
            "no role may create the benchmark's database (start the servers with "
            f"`scripts/services.sh up`, or set ICJS_PG_ADMIN_URL): {error}"
        ) from None


@contextmanager
def fresh_database(server: str, *, keep: bool = False) -> Iterator[str]:
    """A new database (``icjs_bench_<random>``) owned by the gateway's role on the server of
    ``server``; yields its SQLAlchemy URL and drops it afterwards (unless ``keep``)."""
    url = make_url(server)
    admin = admin_conninfo(url)
    name = f"icjs_bench_{secrets.token_hex(4)}"
    with psycopg.connect(admin, autocommit=True, connect_timeout=10) as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} OWNER {}").format(
                sql.Identifier(name), sql.Identifier(str(url.username))
            )
        )
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        if keep:
            print(f"kept {url.set(database=name).render_as_string(hide_password=True)}")
        else:
            with psycopg.connect(admin, autocommit=True, connect_timeout=10) as conn:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
