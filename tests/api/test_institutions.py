"""The institution directory (SQLite and PostgreSQL): the service, keys only for listed
institutions, revocation, and the operators' API."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlmodel import select

from gateway.api.app import create_app
from gateway.bootstrap import Gateway, build_gateway
from gateway.services import institutions as directory
from gateway.services.auth import create_client, revoke_client
from gateway.services.institutions import (
    LEVELS,
    SAMPLE_DIRECTORY,
    Institution,
    InvalidInstitution,
    add_institution,
    court_levels,
    get_institution,
    import_institutions,
    list_institutions,
    seed_sample_directory,
    unknown_institutions,
)
from gateway.store.tables import ClientRow, InstitutionRow


def sample_rows() -> list[dict[str, str]]:
    lines = [line for line in SAMPLE_DIRECTORY.read_text().splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines))


# -- the SAMPLE directory -----------------------------------------------------------------------


def test_the_sample_file_is_marked_and_holds_every_code_the_suite_uses() -> None:
    first = SAMPLE_DIRECTORY.read_text().splitlines()[0]
    assert first == (
        "# SAMPLE institution codes for demos and tests; not official codes of any State"
    )
    codes = {(row["pillar"], row["code"]) for row in sample_rows()}
    for wanted in [
        ("police", "MH"),
        ("police", "MH/AU/CIDCO"),
        ("police", "MH/PN/HADAPSAR"),
        ("police", "DL"),
        ("courts", "MHAU01"),
        ("courts", "MHHC01"),
        ("courts", "KABN01"),
        ("prisons", "HARSUL_CP"),
        ("prisons", "YERAWADA_CP"),
        ("forensics", "FSL_MUMBAI"),
        ("prosecution", "MH/PU/ADP"),
        ("prosecution", "KA/DOP"),
        ("transport", "SARATHI"),
        ("operator", "OPS"),
    ]:
        assert wanted in codes, wanted
    assert SAMPLE_DIRECTORY.parent.joinpath("__init__.py").exists(), "shipped as package data"


def test_every_store_holds_the_sample_directory(gateway: Gateway) -> None:
    with gateway.db.session() as session:
        listed = list_institutions(session)
        courts = list_institutions(session, pillar="courts")
    assert len(listed) == len(sample_rows())
    assert all(i.sample for i in listed)
    assert [c.code for c in courts] == sorted(c.code for c in courts)
    assert {c.pillar for c in courts} == {"courts"}
    by_code = {c.code: c for c in courts}
    assert by_code["MHAU01"] == Institution(
        pillar="courts",
        code="MHAU01",
        name="Chief Judicial Magistrate, Aurangabad",
        state="MH",
        district="AU",
        level="magistrate",
        sample=True,
    )
    assert by_code["MHHC01"].level == "high_court" and by_code["MHHC01"].district is None
    assert by_code["MHAU04"].level == "juvenile_justice_board"
    with gateway.db.session(write=True) as session:
        assert seed_sample_directory(session) == 0, "seeding again adds nothing"


def test_seeding_adds_only_what_is_missing_and_keeps_corrections(gateway: Gateway) -> None:
    with gateway.db.session(write=True) as session:
        session.delete(session.get(InstitutionRow, ("prisons", "HARSUL_CJ")))
        add_institution(
            session,
            pillar="courts",
            code="MHAU01",
            name="Court of the Chief Judicial Magistrate, Chhatrapati Sambhajinagar",
            level="magistrate",
        )
    with gateway.db.session(write=True) as session:
        assert seed_sample_directory(session) == 1
        corrected = get_institution(session, pillar="courts", code="MHAU01")
        restored = get_institution(session, pillar="prisons", code="HARSUL_CJ")
    assert corrected is not None and corrected.name.startswith("Court of the Chief")
    assert corrected.sample is False, "an operator's record is no longer a sample"
    assert restored is not None and restored.sample is True


# -- adding -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            {"pillar": "police", "code": "ka/bn/ koramangala", "name": " Koramangala PS "},
            ("police", "KA/BN/KORAMANGALA", "Koramangala PS", "KA", "BN", None),
        ),
        (
            {"pillar": "police", "code": "KA/BN", "name": "Bengaluru City Police", "state": "ka"},
            ("police", "KA/BN", "Bengaluru City Police", "KA", "BN", None),
        ),
        (
            {"pillar": "courts", "code": "mhau05", "name": "Addl. Sessions", "level": "Sessions"},
            ("courts", "MHAU05", "Addl. Sessions", "MH", "AU", "sessions"),
        ),
        (
            {"pillar": "courts", "code": "MHHC02", "name": "Bombay HC, Aurangabad Bench"},
            ("courts", "MHHC02", "Bombay HC, Aurangabad Bench", "MH", None, "high_court"),
        ),
        (
            {
                "pillar": "courts",
                "code": "MHHC02",
                "name": "Bombay HC, Aurangabad Bench",
                "district": "AU",
                "level": "high_court",
            },
            ("courts", "MHHC02", "Bombay HC, Aurangabad Bench", "MH", "AU", "high_court"),
        ),
        (
            {"pillar": "prosecution", "code": "ka/bn/ddp", "name": "DDP Bengaluru"},
            ("prosecution", "KA/BN/DDP", "DDP Bengaluru", "KA", "BN", None),
        ),
        (
            {"pillar": "prosecution", "code": "DL/DOP", "name": "Directorate, Delhi"},
            ("prosecution", "DL/DOP", "Directorate, Delhi", "DL", None, None),
        ),
        (
            {"pillar": "prisons", "code": "tihar_cj1", "name": "Tihar", "state": "DL"},
            ("prisons", "TIHAR_CJ1", "Tihar", "DL", None, None),
        ),
        (
            {
                "pillar": "forensics",
                "code": "CFSL_DL",
                "name": "CFSL",
                "state": "dl",
                "district": "nd",
            },
            ("forensics", "CFSL_DL", "CFSL", "DL", "ND", None),
        ),
    ],
)
def test_add_normalises_the_code_and_takes_the_area_from_it(
    gateway: Gateway, given: dict[str, Any], expected: tuple[Any, ...]
) -> None:
    with gateway.db.session(write=True) as session:
        added = add_institution(session, **given)
    with gateway.db.session() as session:
        stored = get_institution(session, pillar=given["pillar"], code=given["code"])
    got = (added.pillar, added.code, added.name, added.state, added.district, added.level)
    assert got == expected
    assert stored == added and stored.sample is False


@pytest.mark.parametrize(
    ("given", "field", "fragment"),
    [
        ({"pillar": "courts", "code": "MHAU05", "name": "X"}, "level", "a court needs its level"),
        (
            {"pillar": "courts", "code": "MHAU05", "name": "X", "level": "district"},
            "level",
            "one of magistrate",
        ),
        (
            {"pillar": "courts", "code": "MHAU05", "name": "X", "level": "high_court"},
            "level",
            "HC as its district part",
        ),
        (
            {"pillar": "courts", "code": "MHHC02", "name": "X", "level": "sessions"},
            "level",
            "level high_court",
        ),
        (
            {"pillar": "courts", "code": "MHAU05", "name": "X", "level": "sessions", "state": "KA"},
            "state",
            "is in State MH",
        ),
        (
            {
                "pillar": "courts",
                "code": "MHAU05",
                "name": "X",
                "level": "sessions",
                "district": "PU",
            },
            "district",
            "is in district AU",
        ),
        (
            {"pillar": "courts", "code": "Aurangabad", "name": "X", "level": "sessions"},
            "code",
            "AURANGABAD",
        ),
        (
            {"pillar": "police", "code": "MH/AU/CIDCO", "name": "X", "state": "KA"},
            "state",
            "is in State MH",
        ),
        (
            {"pillar": "police", "code": "MH", "name": "X", "district": "AU"},
            "district",
            "State-level",
        ),
        (
            {"pillar": "police", "code": "MH/AU", "name": "X", "level": "sessions"},
            "level",
            "only courts",
        ),
        (
            {"pillar": "prosecution", "code": "MH/AU/DDP", "name": "X", "district": "PU"},
            "district",
            "is in district AU",
        ),
        (
            {"pillar": "prosecution", "code": "MH/DOP", "name": "X", "district": "AU"},
            "district",
            "State-level",
        ),
        (
            {"pillar": "prisons", "code": "X1", "name": "X", "state": "Maharashtra"},
            "state",
            "2 letters",
        ),
        (
            {"pillar": "prisons", "code": "X1", "name": "X", "district": "AU"},
            "district",
            "needs its State",
        ),
        ({"pillar": "prisons", "code": "X1", "name": "  "}, "name", "missing"),
        ({"pillar": "prisons", "code": "X1", "name": "two\nlines"}, "name", "line breaks"),
        ({"pillar": "transport", "code": "PARIVAHAN", "name": "X"}, "code", "VAHAN"),
        ({"pillar": "judges", "code": "X1", "name": "X"}, "pillar", "one of police"),
    ],
)
def test_add_refuses_what_is_wrong_naming_the_field(
    gateway: Gateway, given: dict[str, Any], field: str, fragment: str
) -> None:
    with gateway.db.session(write=True) as session, pytest.raises(InvalidInstitution) as refused:
        add_institution(session, **given)
    assert [p.field for p in refused.value.problems] == [field]
    assert fragment in refused.value.problems[0].message
    assert isinstance(refused.value, ValueError), "the CLI reports it as any ValueError"
    with gateway.db.session() as session:
        assert len(list_institutions(session)) == len(sample_rows()), "nothing was written"


def test_every_wrong_field_is_named_at_once() -> None:
    with pytest.raises(InvalidInstitution) as refused:
        directory.check_institution(
            pillar="courts", code="MHAU05", name="", state="Maharashtra", level="district"
        )
    assert [p.field for p in refused.value.problems] == ["name", "state", "level"]
    assert "state: 2 letters A-Z" in str(refused.value)
    assert "(got 'Maharashtra')" in str(refused.value)


def test_adding_again_changes_nothing_and_other_values_update(gateway: Gateway) -> None:
    fields: dict[str, Any] = {
        "pillar": "prisons",
        "code": "NASIK_CP",
        "name": "Nashik Road Central Prison",
    }
    with gateway.db.session(write=True) as session:
        add_institution(session, **fields, state="MH")
    with gateway.db.session() as session:
        first = session.get(InstitutionRow, ("prisons", "NASIK_CP"))
    with gateway.db.session(write=True) as session:
        add_institution(session, **fields, state="MH")
    with gateway.db.session() as session:
        again = session.get(InstitutionRow, ("prisons", "NASIK_CP"))
    assert first is not None and again is not None
    assert again.model_dump() == first.model_dump()
    with gateway.db.session(write=True) as session:
        add_institution(session, **fields | {"name": "Nashik Road Central Prison (Nashik)"})
    with gateway.db.session() as session:
        corrected = session.get(InstitutionRow, ("prisons", "NASIK_CP"))
    assert corrected is not None
    assert corrected.name == "Nashik Road Central Prison (Nashik)"
    assert corrected.state is None, "the record takes the values given, all of them"
    assert corrected.created_at == first.created_at


# -- reading ------------------------------------------------------------------------------------


def test_get_normalises_and_answers_none_for_unknown_or_unparseable(gateway: Gateway) -> None:
    with gateway.db.session() as session:
        found = get_institution(session, pillar="courts", code=" mhau01 ")
        assert found is not None and found.code == "MHAU01"
        found = get_institution(session, pillar="prosecution", code="mh / au / ddp")
        assert found is not None and found.code == "MH/AU/DDP"
        assert get_institution(session, pillar="courts", code="MHAU99") is None
        assert get_institution(session, pillar="courts", code="Aurangabad") is None
        assert get_institution(session, pillar="judges", code="MHAU01") is None
        assert get_institution(session, pillar="police", code="MHAU01") is None


def test_court_levels_of_the_listed_courts(gateway: Gateway) -> None:
    with gateway.db.session() as session:
        levels = court_levels(session, ["MHAU01", "mhau03", "MHHC01", "MHAU04", "MHAU99", "??"])
        assert court_levels(session, []) == {}
    assert levels == {
        "MHAU01": "magistrate",
        "MHAU03": "sessions",
        "MHHC01": "high_court",
        "MHAU04": "juvenile_justice_board",
    }
    assert set(levels.values()) == set(LEVELS)


@pytest.fixture
def statements(gateway: Gateway) -> Iterator[list[str]]:
    """The SQL statements the gateway's engine runs while the test runs."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    event.listen(gateway.db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(gateway.db.engine, "before_cursor_execute", record)


def test_unknown_institutions_in_one_query(gateway: Gateway, statements: list[str]) -> None:
    refs = [
        ("courts", "MHAU01"),
        ("courts", "mhau01"),
        ("courts", "MHAU99"),
        ("prisons", "HARSUL_CP"),
        ("prisons", "ARTHUR_ROAD"),
        ("forensics", "RFSL_AU"),
        ("prosecution", "MH/AU/DDP"),
        ("police", "MH/AU/NOWHERE"),
        ("courts", "Aurangabad"),
        ("prisons", "ARTHUR_ROAD"),
    ]
    with gateway.db.session() as session:
        statements.clear()
        unknown = unknown_institutions(session, refs)
        selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
        assert unknown_institutions(session, [("courts", "MHAU01")]) == []
        assert unknown_institutions(session, []) == []
    assert unknown == [
        ("courts", "MHAU99"),
        ("prisons", "ARTHUR_ROAD"),
        ("police", "MH/AU/NOWHERE"),
        ("courts", "Aurangabad"),
    ]
    assert len(selects) == 1, statements


# -- importing ----------------------------------------------------------------------------------

GOOD_AND_BAD = """\
# a directory of two districts
pillar,code,name,state,district,level
police,MH/NG,Nagpur City Police,MH,NG,
courts,mhng01,"Chief Judicial Magistrate, Nagpur",,,magistrate

courts,MHNG02,Sessions Court Nagpur,MH,NG,sessions_court
police,MH/NG/SITABULDI,Sitabuldi PS,KA,,
# a row too short and one too long
prisons,NAGPUR_CP
prisons,NAGPUR_CP,Nagpur Central Prison,MH,NG,,extra
prisons,NAGPUR_CP,Nagpur Central Prison,MH,NG,
forensics,RFSL_NG,"Regional FSL, Nagpur",MH,NG,
courts,MHNG01,CJM Nagpur (again),MH,NG,magistrate
"""


def write(tmp_path: Path, text: str, name: str = "directory.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_takes_the_good_rows_and_locates_every_bad_one(
    gateway: Gateway, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(directory, "BATCH_ROWS", 3)
    calls: list[tuple[int, int]] = []
    with gateway.db.session(write=True) as session:
        report = import_institutions(
            session,
            path=write(tmp_path, GOOD_AND_BAD),
            progress=lambda done, total: calls.append((done, total)),
        )
    assert report.errors == [
        "line 6, column level: one of magistrate, sessions, high_court, juvenile_justice_board "
        "(got 'sessions_court')",
        "line 7, column state: the code MH/NG/SITABULDI is in State MH (got 'KA')",
        "line 9, column name: missing: the row has 2 of the 6 columns "
        "(pillar,code,name,state,district,level) (got 'prisons,NAGPUR_CP')",
        "line 10, column 7: unexpected: the header has 6 columns "
        "(pillar,code,name,state,district,level) (got 'extra')",
        "line 13, column code: courts institution MHNG01 is listed on line 4 already; list "
        "each institution once (got 'MHNG01')",
    ]
    assert (report.imported, report.rejected) == (4, 5)
    assert calls == [(3, 9), (6, 9), (9, 9)]
    with gateway.db.session() as session:
        nagpur = [i for i in list_institutions(session) if i.district == "NG"]
    assert {(i.pillar, i.code, i.state, i.level) for i in nagpur} == {
        ("police", "MH/NG", "MH", None),
        ("courts", "MHNG01", "MH", "magistrate"),
        ("prisons", "NAGPUR_CP", "MH", None),
        ("forensics", "RFSL_NG", "MH", None),
    }
    assert all(not i.sample for i in nagpur)
    cjm = next(i for i in nagpur if i.code == "MHNG01")
    assert cjm.name == "Chief Judicial Magistrate, Nagpur", "the first of a duplicated row"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (
            "pillar,code,name,state,district\npolice,MH/NG,Nagpur,,\n",
            "line 1: the header must be 'pillar,code,name,state,district,level' "
            "(got 'pillar,code,name,state,district'); nothing was imported",
        ),
        (
            "# only a comment\npolice,MH/NG,Nagpur City Police,MH,NG,\n",
            "line 2: the header must be 'pillar,code,name,state,district,level' "
            "(got 'police,MH/NG,Nagpur City Police,MH,NG,'); nothing was imported",
        ),
        (
            "# nothing but comments\n\n",
            "line 1: no header: the file has no rows; its first line (after # comments) must be "
            "'pillar,code,name,state,district,level'",
        ),
    ],
    ids=["short-header", "no-header", "empty"],
)
def test_a_missing_or_wrong_header_is_one_error_and_nothing_is_imported(
    gateway: Gateway, tmp_path: Path, text: str, error: str
) -> None:
    with gateway.db.session(write=True) as session:
        report = import_institutions(session, path=write(tmp_path, text))
    assert report.errors == [error]
    assert (report.imported, report.rejected) == (0, 0)
    with gateway.db.session() as session:
        assert get_institution(session, pillar="police", code="MH/NG") is None


def test_a_header_in_other_case_and_spacing_is_accepted(gateway: Gateway, tmp_path: Path) -> None:
    text = "Pillar, Code, Name, State, District, Level\ncourts,MHNG01,CJM Nagpur,,,magistrate\n"
    with gateway.db.session(write=True) as session:
        report = import_institutions(session, path=write(tmp_path, text))
    assert (report.imported, report.errors) == (1, [])


def test_a_file_that_is_not_there_or_not_text_is_one_error(
    gateway: Gateway, tmp_path: Path
) -> None:
    binary = tmp_path / "directory.xlsx"
    binary.write_bytes(b"PK\x03\x04\xff\xfe\x00")
    with gateway.db.session(write=True) as session:
        missing = import_institutions(session, path=tmp_path / "nowhere.csv")
        garbled = import_institutions(session, path=binary)
    assert missing.errors == [f"{tmp_path / 'nowhere.csv'}: no such file"]
    assert len(garbled.errors) == 1 and "not UTF-8 text" in garbled.errors[0]


def test_the_sample_file_imports_cleanly(gateway: Gateway) -> None:
    with gateway.db.session(write=True) as session:
        report = import_institutions(session, path=SAMPLE_DIRECTORY)
        courts = list_institutions(session, pillar="courts")
    assert report.errors == [] and report.imported == len(sample_rows())
    assert not any(c.sample for c in courts), "a file an operator imports is theirs"


# -- keys ---------------------------------------------------------------------------------------


def test_a_key_is_made_only_for_a_listed_institution(gateway: Gateway) -> None:
    with gateway.db.session(write=True) as session, pytest.raises(ValueError) as refused:
        create_client(session, name="x", pillar="prisons", institution="arthur_road")
    assert str(refused.value) == (
        "prisons institution ARTHUR_ROAD is not in the institution directory; add it with "
        "`icjs institutions add` or `icjs institutions import`"
    )
    with gateway.db.session() as session:
        assert session.exec(select(ClientRow)).all() == []
    with gateway.db.session(write=True) as session:
        add_institution(session, pillar="prisons", code="ARTHUR_ROAD", name="Mumbai Central")
        row, key = create_client(session, name="x", pillar="prisons", institution="arthur_road")
    assert row.institution == "ARTHUR_ROAD" and key.startswith("icjs_prisons_")


def test_a_revoked_key_is_refused(settings: Any, gateway: Gateway, key_for: Any) -> None:
    court = key_for("courts", "MHAU01")
    with TestClient(create_app(gateway)) as http:
        ok = http.get("/v1/courts/feed", params={"court": "MHAU01"}, headers=court)
        assert ok.status_code == 200
    with gateway.db.session(write=True) as session:
        row = session.exec(select(ClientRow)).one()
        assert row.id is not None
        revoked = revoke_client(session, client_id=row.id)
        assert revoked.revoked_at is not None
    # A gateway that has not cached the key (and one that caches nothing) refuses it.
    uncached = build_gateway(settings.model_copy(update={"auth_cache_seconds": 0}))
    try:
        with TestClient(create_app(uncached)) as http:
            refused = http.get("/v1/courts/feed", params={"court": "MHAU01"}, headers=court)
    finally:
        uncached.close()
    assert refused.status_code == 401
    assert refused.json()["code"] == "unauthenticated"
    assert "revoked" in refused.json()["message"]


def test_revoke_by_prefix_once_and_refuse_what_matches_nothing(
    gateway: Gateway, key_for: Any
) -> None:
    key = key_for("operator", "OPS")["Authorization"].removeprefix("Bearer ")
    with gateway.db.session(write=True) as session:
        row = session.exec(select(ClientRow)).one()
        first = revoke_client(session, key_prefix=row.key_prefix + "...")
        when = first.revoked_at
        again = revoke_client(session, client_id=first.id)
        assert again.revoked_at == when, "revoking twice keeps the first time"
        with pytest.raises(ValueError, match="no client with id 9999"):
            revoke_client(session, client_id=9999)
        with pytest.raises(ValueError, match="no client's key starts"):
            revoke_client(session, key_prefix="icjs_operator_zzzz")
        with pytest.raises(ValueError, match="one of them"):
            revoke_client(session)
    assert key.startswith(row.key_prefix) and first.id == row.id


# -- the operators' API -------------------------------------------------------------------------


def test_operators_list_the_directory(http: TestClient, key_for: Any) -> None:
    operator = key_for("operator", "NIC")
    everything = http.get("/v1/admin/institutions", headers=operator)
    courts = http.get("/v1/admin/institutions", params={"pillar": "courts"}, headers=operator)
    assert everything.status_code == 200 and courts.status_code == 200
    assert len(everything.json()["institutions"]) == len(sample_rows())
    listed = courts.json()["institutions"]
    assert {i["pillar"] for i in listed} == {"courts"}
    assert listed[0] == {
        "pillar": "courts",
        "code": "KABN01",
        "name": "Chief Metropolitan Magistrate, Bengaluru",
        "state": "KA",
        "district": "BN",
        "level": "magistrate",
        "sample": True,
    }
    bad = http.get("/v1/admin/institutions", params={"pillar": "judges"}, headers=operator)
    assert bad.status_code == 422


def test_operators_add_and_correct_an_institution(http: TestClient, key_for: Any) -> None:
    operator = key_for("operator", "OPS")
    body = {"pillar": "courts", "code": "mhng01", "name": "CJM Nagpur", "level": "magistrate"}
    added = http.post("/v1/admin/institutions", json=body, headers=operator)
    assert added.status_code == 201, added.text
    assert added.json() == {
        "pillar": "courts",
        "code": "MHNG01",
        "name": "CJM Nagpur",
        "state": "MH",
        "district": "NG",
        "level": "magistrate",
        "sample": False,
    }
    again = http.post("/v1/admin/institutions", json=body, headers=operator)
    assert again.status_code == 200 and again.json() == added.json()
    corrected = http.post(
        "/v1/admin/institutions",
        json=body | {"name": "Chief Judicial Magistrate, Nagpur", "state": None},
        headers=operator,
    )
    assert corrected.status_code == 200
    assert corrected.json()["name"] == "Chief Judicial Magistrate, Nagpur"
    listed = http.get("/v1/admin/institutions", params={"pillar": "courts"}, headers=operator)
    assert "Chief Judicial Magistrate, Nagpur" in {i["name"] for i in listed.json()["institutions"]}
    # ... and a key can be made for it now.
    assert key_for("courts", "MHNG01")["Authorization"].startswith("Bearer icjs_courts_")


@pytest.mark.parametrize(
    ("body", "locations", "fragment"),
    [
        (
            {"pillar": "courts", "code": "MHNG01", "name": "CJM", "level": "district"},
            ["/level"],
            "one of magistrate",
        ),
        (
            {"pillar": "police", "code": "MH/NG/SITABULDI", "name": "PS", "state": "KA"},
            ["/state"],
            "is in State MH",
        ),
        ({"pillar": "courts", "code": "Nagpur", "name": "CJM"}, ["/code"], "NAGPUR"),
        ({"pillar": "courts", "code": "MHNG01", "name": 7}, ["/name"], "must be a string"),
        (
            {"pillar": "prisons", "code": "NAGPUR_CP", "name": "CP", "town": "Nagpur"},
            ["/town"],
            "unknown member",
        ),
        ({"code": "MHNG01"}, ["/pillar", "/name"], "one of police"),
    ],
)
def test_a_bad_institution_is_422_located(
    http: TestClient, key_for: Any, body: dict[str, Any], locations: list[str], fragment: str
) -> None:
    response = http.post("/v1/admin/institutions", json=body, headers=key_for("operator", "OPS"))
    assert response.status_code == 422, response.text
    answer = response.json()
    assert answer["code"] == "contract_violation"
    assert [e["location"] for e in answer["errors"]] == locations
    assert fragment in answer["errors"][0]["message"]


def test_a_body_that_is_not_a_json_object_is_refused(http: TestClient, key_for: Any) -> None:
    operator = key_for("operator", "OPS")
    not_json = http.post("/v1/admin/institutions", content=b"pillar=courts", headers=operator)
    a_list = http.post("/v1/admin/institutions", json=[1], headers=operator)
    assert not_json.status_code == 400 and not_json.json()["code"] == "malformed"
    assert a_list.status_code == 422 and a_list.json()["errors"][0]["location"] == "/"


def test_only_operators_read_or_change_the_directory(http: TestClient, key_for: Any) -> None:
    body = {"pillar": "courts", "code": "MHNG01", "name": "CJM Nagpur", "level": "magistrate"}
    for pillar, code in (("police", "MH"), ("courts", "MHAU01"), ("prosecution", "MH/DOP")):
        headers = key_for(pillar, code)
        listed = http.get("/v1/admin/institutions", headers=headers)
        added = http.post("/v1/admin/institutions", json=body, headers=headers)
        assert listed.status_code == 403 and added.status_code == 403, pillar
        assert listed.json()["code"] == "forbidden"
    assert http.get("/v1/admin/institutions").status_code == 401
    assert http.post("/v1/admin/institutions", json=body).status_code == 401
    operator = key_for("operator", "NIC")
    courts = http.get("/v1/admin/institutions", params={"pillar": "courts"}, headers=operator)
    assert "MHNG01" not in {i["code"] for i in courts.json()["institutions"]}
