"""Tamper evidence: a plain-SQL edit, delete or insert of a message, an event, an access record
or a chain link is named by ``icjs audit verify``; a rewritten chain is caught by a signed
checkpoint; a case status that is not its rebuild is named. Both stores."""

from __future__ import annotations

import base64
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from typer.testing import CliRunner

from gateway.bootstrap import Gateway
from gateway.cli import scenario
from gateway.cli.main import app as cli
from gateway.services.audit_ops import checkpoint, verify_store
from gateway.store import audit

CASE = scenario.refs(7)


def send(http: TestClient, headers: dict[str, str], message: dict[str, Any]) -> dict[str, Any]:
    response = http.post(
        "/v1/police/messages",
        content=json.dumps(message),
        headers=headers | {"Content-Type": "application/json"},
    )
    assert response.status_code in (200, 202, 422), response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
def seeded(http: TestClient, key_for: Any) -> dict[str, Any]:
    """A charge sheet held for its FIR, the FIR (which releases it), a rejected message and a
    read of the case: every kind of chained row, and a message chained in two states."""
    police = key_for("police", "MH/AU")
    held = send(http, police, scenario.chargesheet_filed(CASE))
    assert held["status"] == "held"
    fir = send(http, police, scenario.fir_registered(CASE))
    assert fir["status"] == "accepted"
    rejected = send(http, police, {"type": "fir.registered", "data": {}})
    assert rejected["status"] == "rejected"
    read = http.get(f"/v1/cases/{CASE.fir}", headers=police | {"X-Purpose": "investigation"})
    assert read.status_code == 200
    return {
        "held": held["receipt_id"],
        "fir": fir["receipt_id"],
        "event": fir["event_ids"][0],
        "case": fir["case_ids"][0],
        "rejected": rejected["receipt_id"],
    }


def sql(gateway: Gateway, statement: str, **params: Any) -> None:
    with gateway.db.engine.begin() as conn:
        conn.execute(text(statement), params)


def json_param(gateway: Gateway) -> str:
    """How a plain-SQL statement writes a JSON column's text on this store."""
    return "CAST(:value AS json)" if not gateway.db.is_sqlite else ":value"


def findings(gateway: Gateway, **kwargs: Any) -> list[audit.Finding]:
    return verify_store(gateway.db, gateway.settings, **kwargs).findings


def only(found: list[audit.Finding]) -> audit.Finding:
    assert len(found) == 1, [str(f) for f in found]
    return found[0]


def test_an_untouched_store_verifies_and_a_released_message_is_chained_in_each_state(
    gateway: Gateway, seeded: dict[str, Any]
) -> None:
    report = verify_store(gateway.db, gateway.settings)
    assert report.ok, [str(f) for f in report.findings]
    assert report.cases == 1
    with gateway.db.engine.connect() as conn:
        links = conn.execute(
            text("SELECT kind, ref, prev_hash, hash FROM audit_chain ORDER BY seq")
        ).all()
        head = conn.execute(text("SELECT seq, hash FROM audit_head")).one()
    kinds = {kind for kind, *_ in links}
    assert kinds == {"message", "event", "access"}
    # held, then applied when the FIR arrived: two links for one message
    assert sum(1 for _, ref, *_ in links if ref == seeded["held"]) == 2
    assert [link[2] for link in links[1:]] == [link[3] for link in links[:-1]]
    assert links[0][2] == audit.GENESIS
    assert head == (len(links), links[-1][3])


def test_an_edited_message_body_is_named(gateway: Gateway, seeded: dict[str, Any]) -> None:
    sql(gateway, "UPDATE messages SET body = :body WHERE id = :id", body=b"{}", id=seeded["fir"])
    finding = only(findings(gateway))
    assert (finding.kind, finding.ref) == ("message", seeded["fir"])
    assert finding.problem == "altered: body differ"


def test_an_edited_message_status_is_named(gateway: Gateway, seeded: dict[str, Any]) -> None:
    sql(gateway, "UPDATE messages SET status = 'accepted' WHERE id = :id", id=seeded["rejected"])
    finding = only(findings(gateway))
    assert (finding.kind, finding.ref, finding.problem) == (
        "message",
        seeded["rejected"],
        "altered: status differ",
    )


def test_an_edited_event_envelope_is_named(gateway: Gateway, seeded: dict[str, Any]) -> None:
    with gateway.db.engine.connect() as conn:
        stored = conn.execute(
            text("SELECT envelope FROM events WHERE id = :id"), {"id": seeded["event"]}
        ).scalar_one()
    envelope = stored if isinstance(stored, dict) else json.loads(stored)
    envelope["source"] = "/icjs/police/MH/XX"
    sql(
        gateway,
        f"UPDATE events SET envelope = {json_param(gateway)} WHERE id = :id",
        value=json.dumps(envelope),
        id=seeded["event"],
    )
    found = findings(gateway, check_cases=False)
    finding = only(found)
    assert (finding.kind, finding.ref) == ("event", seeded["event"])
    assert finding.problem == "altered: envelope differ"
    assert isinstance(finding.seq, int)


def test_an_edited_access_record_is_named(gateway: Gateway, seeded: dict[str, Any]) -> None:
    sql(gateway, "UPDATE access_log SET purpose = 'audit' WHERE purpose = 'investigation'")
    finding = only(findings(gateway))
    assert finding.kind == "access" and finding.problem == "altered: purpose differ"


def test_a_deleted_access_record_is_named(gateway: Gateway, seeded: dict[str, Any]) -> None:
    with gateway.db.engine.connect() as conn:
        access_id = conn.execute(text("SELECT id FROM access_log")).scalar_one()
    sql(gateway, "DELETE FROM access_log WHERE id = :id", id=access_id)
    finding = only(findings(gateway))
    assert (finding.kind, finding.ref) == ("access", access_id)
    assert finding.problem.startswith("deleted")


def test_a_deleted_event_is_named(gateway: Gateway, seeded: dict[str, Any]) -> None:
    sql(gateway, "DELETE FROM outbox WHERE event_id = :id", id=seeded["event"])
    sql(gateway, "DELETE FROM events WHERE id = :id", id=seeded["event"])
    found = findings(gateway, check_cases=False)
    finding = only(found)
    assert (finding.kind, finding.ref) == ("event", seeded["event"])
    assert finding.problem.startswith("deleted")


def test_an_inserted_message_is_named(gateway: Gateway, seeded: dict[str, Any]) -> None:
    sql(
        gateway,
        "INSERT INTO messages (id, received_at, updated_at, client_id, caller, pillar, "
        "institution, message_type, media_type, body, body_truncated, size, sha256, status, "
        "errors, waiting_for, event_ids, case_ids, request_id) "
        "SELECT 'msg_FORGED', received_at, updated_at, client_id, caller, pillar, institution, "
        "message_type, media_type, body, body_truncated, size, 'x', status, errors, "
        "waiting_for, event_ids, case_ids, request_id FROM messages WHERE id = :id",
        id=seeded["fir"],
    )
    finding = only(findings(gateway))
    assert (finding.kind, finding.ref, finding.seq) == ("message", "msg_FORGED", None)
    assert "inserted" in finding.problem


def test_an_edited_chain_link_is_named(gateway: Gateway, seeded: dict[str, Any]) -> None:
    sql(
        gateway,
        "UPDATE audit_chain SET content_hash = :h WHERE kind = 'event' AND ref = :id",
        h="0" * 64,
        id=seeded["event"],
    )
    found = findings(gateway, check_cases=False)
    kinds = {(f.kind, f.ref, f.problem.split(" ")[0]) for f in found}
    # the link no longer hashes to itself, and the row no longer matches its link
    assert ("event", seeded["event"], "the") in kinds
    assert ("event", seeded["event"], "altered:") in kinds
    first = verify_store(gateway.db, gateway.settings, check_cases=False).first()
    assert first is not None and first.ref == seeded["event"]


def test_a_deleted_chain_link_is_named(gateway: Gateway, seeded: dict[str, Any]) -> None:
    sql(gateway, "DELETE FROM audit_chain WHERE seq = 2")
    found = findings(gateway)
    assert found[0].kind == "chain" and found[0].seq == 2
    assert found[0].problem == "links seq 2 to 2 are missing (deleted)"
    assert any("prev_hash" in f.problem and f.seq == 3 for f in found)


def test_an_inserted_chain_link_is_named(gateway: Gateway, seeded: dict[str, Any]) -> None:
    with gateway.db.engine.connect() as conn:
        last = conn.execute(text("SELECT MAX(seq) FROM audit_chain")).scalar_one()
    sql(
        gateway,
        "INSERT INTO audit_chain (seq, kind, ref, content_hash, columns, prev_hash, hash, "
        "recorded_at) SELECT seq + 1, kind, 'acc_FORGED', content_hash, columns, hash, hash, "
        "recorded_at FROM audit_chain WHERE seq = :last",
        last=last,
    )
    found = findings(gateway)
    problems = {(f.kind, f.ref, f.problem.split(":")[0]) for f in found}
    assert any(f.seq == last + 1 and "altered (its hash" in f.problem for f in found), problems
    assert any(f.ref == "head" for f in found), problems


def test_links_deleted_at_the_end_are_caught_by_the_head(
    gateway: Gateway, seeded: dict[str, Any]
) -> None:
    with gateway.db.engine.connect() as conn:
        last = conn.execute(text("SELECT MAX(seq) FROM audit_chain")).scalar_one()
    sql(gateway, "DELETE FROM audit_chain WHERE seq = :last", last=last)
    found = findings(gateway)
    assert any(f.ref == "head" and f"seq {last}" in f.problem for f in found)
    # and the row the link covered is no longer on the chain
    assert any(f.seq is None and "inserted" in f.problem for f in found)


def test_a_stored_case_status_that_is_not_its_rebuild_is_named(
    gateway: Gateway, seeded: dict[str, Any]
) -> None:
    with gateway.db.engine.connect() as conn:
        stored = conn.execute(
            text("SELECT status FROM cases WHERE id = :id"), {"id": seeded["case"]}
        ).scalar_one()
    status = stored if isinstance(stored, dict) else json.loads(stored)
    status["police_station"] = "MH/AU/OTHER"
    sql(
        gateway,
        f"UPDATE cases SET status = {json_param(gateway)} WHERE id = :id",
        value=json.dumps(status),
        id=seeded["case"],
    )
    finding = only(findings(gateway))
    assert (finding.kind, finding.ref) == ("case", seeded["case"])
    assert str(finding).startswith(f"case {seeded['case']}: the stored status")
    assert not findings(gateway, check_cases=False)


def _rewrite_chain(gateway: Gateway) -> None:
    """What an attacker with the database but not the signing key can do: alter a row and
    recompute every link after it, and the head."""
    with gateway.db.engine.begin() as conn:
        conn.execute(text("UPDATE access_log SET purpose = 'nothing to see'"))
        prev = audit.GENESIS
        links = conn.execute(text("SELECT seq, kind, ref FROM audit_chain ORDER BY seq")).all()
        for seq, kind, ref in links:
            table = audit.TABLES[kind]
            row = dict(
                conn.execute(audit.content_select(table).where(table.c.id == ref)).one()._mapping
            )
            digest, columns = audit.content_hash(row), audit.column_digests(row)
            link = audit.link_hash(prev, seq, kind, ref, digest, columns)
            conn.execute(
                text(
                    "UPDATE audit_chain SET content_hash = :d, columns = :c, prev_hash = :p, "
                    "hash = :h WHERE seq = :s"
                ),
                {"d": digest, "c": columns, "p": prev, "h": link, "s": seq},
            )
            prev = link
        conn.execute(text("UPDATE audit_head SET hash = :h"), {"h": prev})


def test_signed_checkpoints_catch_a_rewritten_chain(
    gateway: Gateway, seeded: dict[str, Any]
) -> None:
    with pytest.raises(audit.NoSigningKey, match="icjs audit keygen"):
        checkpoint(gateway.db, gateway.settings)
    pem, kid = audit.generate_key()
    gateway.settings = gateway.settings.model_copy(update={"audit_signing_key": pem})
    made = checkpoint(gateway.db, gateway.settings)
    assert made.key_id == kid and made.seq > 0
    assert audit.signature_ok(
        made.seq, made.head_hash, made.created_at, made.signature, made.public_key
    )
    assert verify_store(gateway.db, gateway.settings).ok

    _rewrite_chain(gateway)
    found = findings(gateway)
    finding = only(found)
    assert finding.kind == "checkpoint" and finding.seq == made.seq
    assert "head hash is not the chain's" in finding.problem


def test_a_forged_checkpoint_is_named(gateway: Gateway, seeded: dict[str, Any]) -> None:
    pem, _kid = audit.generate_key()
    gateway.settings = gateway.settings.model_copy(update={"audit_signing_key": pem})
    made = checkpoint(gateway.db, gateway.settings)
    sql(gateway, "UPDATE audit_checkpoints SET seq = seq - 1 WHERE id = :id", id=made.id)
    assert only(findings(gateway)).problem == "bad signature"
    sql(gateway, "UPDATE audit_checkpoints SET seq = seq + 1 WHERE id = :id", id=made.id)
    # a checkpoint signed by another key than the configured one
    other, other_kid = audit.generate_key()
    checkpoint(gateway.db, gateway.settings.model_copy(update={"audit_signing_key": other}))
    finding = only(findings(gateway))
    assert finding.kind == "checkpoint" and other_kid in finding.problem


def test_a_base64_key_is_accepted(gateway: Gateway, seeded: dict[str, Any]) -> None:
    raw = base64.b64encode(bytes(range(32))).decode()
    gateway.settings = gateway.settings.model_copy(update={"audit_signing_key": raw})
    made = checkpoint(gateway.db, gateway.settings)
    assert made.key_id == audit.key_id(audit.load_key(raw).public_key())
    assert verify_store(gateway.db, gateway.settings).ok


def test_verify_from_a_seq_and_its_progress(gateway: Gateway, seeded: dict[str, Any]) -> None:
    sql(gateway, "UPDATE messages SET body = :b WHERE id = :id", b=b"x", id=seeded["rejected"])
    with gateway.db.engine.connect() as conn:
        seq = conn.execute(
            text("SELECT MAX(seq) FROM audit_chain WHERE ref = :r"), {"r": seeded["rejected"]}
        ).scalar_one()
        lines: list[str] = []
        report = audit.verify(conn, progress=lines.append, every=2, check_cases=False)
        assert not report.ok and lines and lines[0].startswith("chain: 2 of ")
        # from after the altered row's link: that row is trusted, nothing else is wrong
        assert audit.verify(conn, from_seq=seq + 1, check_cases=False).ok
        assert not audit.verify(conn, from_seq=seq, check_cases=False).ok


def test_icjs_audit_verify_names_the_first_broken_row_and_exits_1(
    gateway: Gateway, seeded: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ICJS_DATABASE_URL", gateway.settings.database_url)
    runner = CliRunner()
    good = runner.invoke(cli, ["audit", "verify"])
    assert good.exit_code == 0, good.output
    assert good.stdout.startswith("audit chain verified: ")
    no_key = runner.invoke(cli, ["audit", "checkpoint"])
    assert no_key.exit_code == 1 and "icjs audit keygen" in no_key.stderr
    sql(gateway, "UPDATE messages SET body = :b WHERE id = :id", b=b"{}", id=seeded["fir"])
    bad = runner.invoke(cli, ["audit", "verify"])
    assert bad.exit_code == 1
    assert f"first: message {seeded['fir']} (seq " in bad.stdout
    assert "altered: body differ" in bad.stdout


def test_keygen_then_checkpoint(
    gateway: Gateway, seeded: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    runner = CliRunner()
    made = runner.invoke(cli, ["audit", "keygen"])
    assert made.exit_code == 0 and made.stdout.startswith("-----BEGIN PRIVATE KEY-----")
    key_file = tmp_path / "audit-key.pem"
    key_file.write_text(made.stdout)
    monkeypatch.setenv("ICJS_DATABASE_URL", gateway.settings.database_url)
    monkeypatch.setenv("ICJS_AUDIT_SIGNING_KEY_FILE", str(key_file))
    signed = runner.invoke(cli, ["audit", "checkpoint"])
    assert signed.exit_code == 0, signed.output
    kid = made.stderr.strip().removeprefix("key id ")
    assert f"key {kid}" in signed.stdout
    with gateway.db.engine.connect() as conn:
        row = conn.execute(text("SELECT seq, head_hash, key_id FROM audit_checkpoints")).one()
        head = conn.execute(text("SELECT seq, hash FROM audit_head")).one()
    assert (row[0], row[1], row[2]) == (head[0], head[1], kid)


def test_concurrent_writers_and_readers_make_one_unbroken_chain(
    http: TestClient, gateway: Gateway, key_for: Any
) -> None:
    """Appends are serialised by the head's lock: writers and readers in parallel threads (each
    its own connection) leave one chain, every seq once, that verifies."""
    police = key_for("police", "MH/AU")
    cases = [scenario.refs(100 + n) for n in range(12)]

    def work(case: Any) -> None:
        assert send(http, police, scenario.fir_registered(case))["status"] == "accepted"
        assert http.get(f"/v1/cases/{case.fir}", headers=police).status_code == 200
        assert send(http, police, scenario.chargesheet_filed(case))["status"] == "accepted"

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(work, cases))
    with gateway.db.engine.connect() as conn:
        seqs = [s for (s,) in conn.execute(text("SELECT seq FROM audit_chain ORDER BY seq"))]
        kinds: dict[str, int] = dict(
            conn.execute(text("SELECT kind, COUNT(*) FROM audit_chain GROUP BY kind")).all()
        )
    assert seqs == list(range(1, len(seqs) + 1))
    assert kinds == {"message": 24, "event": 24, "access": 12}
    report = verify_store(gateway.db, gateway.settings)
    assert report.ok, [str(f) for f in report.findings]
    assert report.links == 60 and report.cases == 12


def test_a_store_from_before_the_chain_is_adopted_once_and_then_verifies(
    gateway: Gateway, seeded: dict[str, Any]
) -> None:
    # As a store upgraded from before revision 0007 is: rows, but no chain.
    sql(gateway, "DELETE FROM audit_chain")
    sql(gateway, "UPDATE audit_head SET seq = 0, hash = :genesis", genesis=audit.GENESIS)
    before = findings(gateway)
    assert before, "rows without links must be reported"
    assert {f.ref for f in before} >= {seeded["fir"], seeded["event"]}

    result = CliRunner().invoke(cli, ["audit", "adopt"], env=_cli_env(gateway))

    assert result.exit_code == 0, result.output
    chained = int(result.stdout.split()[0])
    assert chained >= 5  # three messages, an event, an access record at least
    assert findings(gateway) == []
    again = CliRunner().invoke(cli, ["audit", "adopt"], env=_cli_env(gateway))
    assert again.stdout.startswith("0 rows brought onto the audit chain"), again.output
    # Adopted rows are guarded like any other from then on.
    sql(gateway, "UPDATE messages SET caller = 'forged' WHERE id = :id", id=seeded["rejected"])
    assert only(findings(gateway)).ref == seeded["rejected"]


def _cli_env(gateway: Gateway) -> dict[str, str]:
    return {"ICJS_DATABASE_URL": gateway.settings.database_url}
