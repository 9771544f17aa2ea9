"""``icjs clients add --expires-in``, ``rotate``, ``list`` and ``revoke``, on SQLite and
PostgreSQL (in process, with ICJS_DATABASE_URL naming the test's own store), and the keys
they print answering over HTTP."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient
from sqlalchemy import update
from typer.testing import CliRunner, Result

from gateway.api.app import create_app
from gateway.cli import main as cli
from gateway.settings import Settings
from gateway.store.db import make_engine
from gateway.store.tables import ClientRow, RetiredKeyRow, utcnow

HEADER = ["ID", "PILLAR", "INSTITUTION", "NAME", "KEY", "CREATED", "LAST USED", "EXPIRES", "STATE"]


def icjs(settings: Settings, *args: str) -> Result:
    """Run ``icjs`` on the test's store."""
    return CliRunner().invoke(cli.app, list(args), env={"ICJS_DATABASE_URL": settings.database_url})


def listing(settings: Settings) -> dict[str, dict[str, str]]:
    """``icjs clients list`` as {id: {column: value}}, checking its header row."""
    listed = icjs(settings, "clients", "list")
    assert listed.exit_code == 0, listed.output
    lines = listed.stdout.splitlines()
    assert lines[0].split("\t") == HEADER
    rows = [dict(zip(HEADER, line.split("\t"), strict=True)) for line in lines[1:]]
    return {row["ID"]: row for row in rows}


def add(settings: Settings, *extra: str) -> tuple[str, str]:
    """Add a court client; its id and key."""
    made = icjs(settings, "clients", "add", "--pillar", "courts", "--institution", "MHAU01", *extra)
    assert made.exit_code == 0, made.output
    key = made.stdout.strip()
    assert key.startswith("icjs_courts_")
    new = [row for row in listing(settings).values() if key.startswith(row["KEY"][:-3])]
    assert len(new) == 1
    return new[0]["ID"], key


def feed(http: TestClient, key: str) -> int:
    answer = http.get(
        "/v1/courts/feed", params={"court": "MHAU01"}, headers={"Authorization": f"Bearer {key}"}
    )
    status: int = answer.status_code
    return status


def execute(settings: Settings, statement: object) -> None:
    engine = make_engine(settings.database_url)
    try:
        with engine.begin() as conn:
            conn.execute(statement)  # type: ignore[call-overload]
    finally:
        engine.dispose()


def test_list_has_a_header_row_and_every_column(settings: Settings) -> None:
    client_id, key = add(settings, "--name", "Aurangabad CJM")
    row = listing(settings)[client_id]
    assert row["PILLAR"] == "courts" and row["INSTITUTION"] == "MHAU01"
    assert row["NAME"] == "Aurangabad CJM"
    assert row["KEY"].endswith("...") and key.startswith(row["KEY"][:-3])
    created = dt.datetime.strptime(row["CREATED"], "%Y-%m-%dT%H:%MZ").replace(tzinfo=dt.UTC)
    assert abs(created - utcnow()) < dt.timedelta(minutes=5)
    assert (row["LAST USED"], row["EXPIRES"], row["STATE"]) == ("-", "-", "active")
    assert key not in icjs(settings, "clients", "list").stdout


def test_add_with_an_expiry_lists_it_and_the_key_expires(settings: Settings) -> None:
    client_id, key = add(settings, "--expires-in", "90d")
    row = listing(settings)[client_id]
    expires = dt.datetime.strptime(row["EXPIRES"], "%Y-%m-%dT%H:%MZ").replace(tzinfo=dt.UTC)
    assert abs(expires - (utcnow() + dt.timedelta(days=90))) < dt.timedelta(minutes=5)
    assert row["STATE"] == "active"
    live = settings.model_copy(update={"auth_cache_seconds": 0})
    with TestClient(create_app(settings=live)) as http:
        assert feed(http, key) == 200
        execute(
            settings,
            update(ClientRow)
            .where(ClientRow.id == int(client_id))  # type: ignore[arg-type]
            .values(expires_at=utcnow() - dt.timedelta(minutes=1)),
        )
        answer = http.get(
            "/v1/courts/feed",
            params={"court": "MHAU01"},
            headers={"Authorization": f"Bearer {key}"},
        )
    assert answer.status_code == 401 and answer.json()["message"] == "expired API key"
    assert listing(settings)[client_id]["STATE"] == "expired"


def test_add_refuses_a_bad_duration(settings: Settings) -> None:
    refused = icjs(
        settings,
        *("clients", "add", "--pillar", "courts", "--institution", "MHAU01"),
        *("--expires-in", "ninety days"),
    )
    assert refused.exit_code == 2
    assert "error: --expires-in: 'ninety days' is not a duration" in refused.stderr
    assert listing(settings) == {}, "nothing is made"


def test_rotate_prints_a_new_key_and_the_old_one_works_until_the_overlap_ends(
    settings: Settings,
) -> None:
    client_id, old = add(settings)
    before = listing(settings)[client_id]
    rotated = icjs(settings, "clients", "rotate", client_id, "--overlap", "24h")
    assert rotated.exit_code == 0, rotated.output
    new = rotated.stdout.strip()
    assert new.startswith("icjs_courts_") and new != old
    assert f"rotated client {client_id} courts MHAU01" in rotated.stderr
    until = re.search(r"the old key works until (\S+);", rotated.stderr)
    assert until is not None, rotated.stderr
    ends = dt.datetime.strptime(until[1], "%Y-%m-%dT%H:%MZ").replace(tzinfo=dt.UTC)
    assert abs(ends - (utcnow() + dt.timedelta(hours=24))) < dt.timedelta(minutes=5)
    after = listing(settings)[client_id]
    assert after["STATE"] == "rotating"
    assert after["KEY"] != before["KEY"] and new.startswith(after["KEY"][:-3])
    assert len(listing(settings)) == 1, "the same client, not a new one"
    live = settings.model_copy(update={"auth_cache_seconds": 0})
    with TestClient(create_app(settings=live)) as http:
        assert (feed(http, old), feed(http, new)) == (200, 200)
        execute(
            settings,
            update(RetiredKeyRow).values(valid_until=utcnow() - dt.timedelta(seconds=1)),
        )
        assert (feed(http, old), feed(http, new)) == (401, 200)
    row = listing(settings)[client_id]
    assert row["STATE"] == "active"
    assert row["LAST USED"] != "-", "the new key's use is recorded"


def test_rotate_with_no_overlap_refuses_the_old_key_at_once(settings: Settings) -> None:
    client_id, old = add(settings, "--expires-in", "30d")
    rotated = icjs(
        settings, "clients", "rotate", client_id, "--overlap", "0s", "--expires-in", "7d"
    )
    assert rotated.exit_code == 0, rotated.output
    new = rotated.stdout.strip()
    row = listing(settings)[client_id]
    assert row["STATE"] == "active"
    expires = dt.datetime.strptime(row["EXPIRES"], "%Y-%m-%dT%H:%MZ").replace(tzinfo=dt.UTC)
    assert abs(expires - (utcnow() + dt.timedelta(days=7))) < dt.timedelta(minutes=5)
    live = settings.model_copy(update={"auth_cache_seconds": 0})
    with TestClient(create_app(settings=live)) as http:
        assert (feed(http, old), feed(http, new)) == (401, 200)


def test_rotate_by_key_prefix_and_refusals(settings: Settings) -> None:
    client_id, _ = add(settings)
    prefix = listing(settings)[client_id]["KEY"]
    by_prefix = icjs(settings, "clients", "rotate", prefix)
    assert by_prefix.exit_code == 0, by_prefix.output
    unknown = icjs(settings, "clients", "rotate", "9999")
    assert unknown.exit_code == 2 and "no client with id 9999" in unknown.stderr
    bad = icjs(settings, "clients", "rotate", client_id, "--overlap", "soon")
    assert bad.exit_code == 2 and "--overlap" in bad.stderr
    revoked = icjs(settings, "clients", "revoke", client_id)
    assert revoked.exit_code == 0, revoked.output
    assert listing(settings)[client_id]["STATE"] == "revoked"
    again = icjs(settings, "clients", "rotate", client_id)
    assert again.exit_code == 2 and "is revoked" in again.stderr
