"""Property: random sequences of messages from random institutions never let an institution act
on or read a case it is not entitled to.

Hypothesis draws sequences of police, court and prison messages about one case, each sent by
an institution drawn from a pool (the case's own police station and another district's; four
courts of two districts, one a Court of Session; two prisons). A small model of the law, written
here independently of the gateway, says what must become of each message (accepted, held,
refused 403, refused 422) and, at the end, who may read the case:

- a court is seized by a remand production before it, a police report filed to it or a
  committal to it (BNSS ss.58, 187, 193(3), 232); only the court seized registers the case and
  speaks in it; a committal goes to a Court of Session of the committing court's district;
- a message naming a CNR the gateway does not know yet is held, and judged when that CNR's
  registration is accepted, as the case then is;
- a prison admits the accused only on an order naming it of a court seized, or when it already
  holds the accused (BNSS ss.187, 346);
- the police of another district, a court never seized and a prison that never held the
  accused read nothing of the case, and get the answer an unknown case gets;
- whoever reads the case (status, timeline, a court's feed) never sees the name or parentage of
  a victim of a sexual offence (and its informant) unless it is the police of the case or a
  court seized (BNS s.72), nor those of a child in conflict with law unless it is the police
  of the case or the Juvenile Justice Board seized (JJ Act 2015 s.74).
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from canonical_model.events import payload_class
from gateway.bootstrap import Gateway
from gateway.cli import scenario

JSON = "application/json"
OWNER_POLICE = "MH/AU/CIDCO"
POLICE = (OWNER_POLICE, "MH/PU")
#: Court -> (level, district), as in the SAMPLE directory.
COURTS = {
    "MHAU01": ("magistrate", "AU"),
    "MHAU02": ("magistrate", "AU"),
    "MHAU03": ("sessions", "AU"),
    "MHPU01": ("magistrate", "PU"),
    "MHAU04": ("juvenile_justice_board", "AU"),
}
#: A victim of a sexual offence, and the parts of the names the law keeps from other readers.
VICTIM = {"ref": "V1", "name": "Kavita Madhukar Deshpande", "gender": "female", "age": 24}
VICTIM_NAMES = ("Kavita", "Madhukar", "Deshpande", "Vinod", "Prabhakar", "Kulkarni")
#: The scenario's second accused (and his father), a child when the case makes him one.
CHILD_NAMES = ("Salim", "Yusuf", "Shaikh")
PRISONS = ("HARSUL_CP", "YERAWADA_CP")
#: A fresh case for every example: examples share the test's store.
SERIALS = itertools.count(5000)

Action = tuple[str, ...]
actions = st.one_of(
    st.tuples(st.just("arrest"), st.sampled_from(POLICE), st.sampled_from(sorted(COURTS))),
    st.tuples(st.just("chargesheet"), st.sampled_from(POLICE), st.sampled_from(sorted(COURTS))),
    st.tuples(st.just("register"), st.sampled_from(sorted(COURTS))),
    st.tuples(st.just("hearing"), st.sampled_from(sorted(COURTS))),
    st.tuples(st.just("remand"), st.sampled_from(sorted(COURTS)), st.sampled_from(PRISONS)),
    st.tuples(
        st.just("committal"), st.sampled_from(sorted(COURTS)), st.sampled_from(sorted(COURTS))
    ),
    st.tuples(st.just("admit"), st.sampled_from(PRISONS)),
)


@dataclass
class Law:
    """The model: what the case's history gives each institution."""

    seized: str | None = None
    ever_seized: set[str] = field(default_factory=set)
    registered: set[str] = field(default_factory=set)  # courts whose CNR the gateway knows
    warrants: set[str] = field(default_factory=set)  # prisons named by a court seized for A1
    held_by: str | None = None
    ever_held: set[str] = field(default_factory=set)
    waiting: dict[str, list[tuple[str, Action]]] = field(default_factory=dict)
    sexual: bool = False  # the case has a BNS s.64 charge
    child: bool = False  # the second accused was under 18 on the day of the offence

    def seize(self, court: str) -> None:
        self.seized = court
        self.ever_seized.add(court)

    def court_speaks(self, court: str) -> str:
        return "accepted" if court == self.seized else "403"

    def judge(self, action: Action) -> str:
        """What becomes of ``action`` now, changing the model as the gateway should."""
        kind = action[0]
        if kind in ("arrest", "chargesheet"):
            police, court = action[1], action[2]
            if police != OWNER_POLICE:
                return "403"
            self.seize(court)
            return "accepted"
        if kind == "register":
            court = action[1]
            outcome = self.court_speaks(court)
            if outcome == "accepted":
                self.registered.add(court)
            return outcome
        if kind == "admit":
            prison = action[1]
            if prison != self.held_by and prison not in self.warrants:
                return "403"
            self.held_by = prison
            self.ever_held.add(prison)
            return "accepted"
        court = action[1]
        if court not in self.registered:
            return "held"
        return self.court_message(action)

    def court_message(self, action: Action) -> str:
        kind, court = action[0], action[1]
        if court != self.seized:
            return "403"
        if kind == "remand":
            self.warrants.add(action[2])
        elif kind == "committal":
            target = action[2]
            level, district = COURTS[target]
            if level != "sessions" or district != COURTS[court][1]:
                return "422"
            self.seize(target)
        return "accepted"


def _person_fix(law: Law, person: dict[str, Any]) -> dict[str, Any]:
    """A2 as the drawn case has him: a child (born 2010) or an adult (born 1999)."""
    if person.get("ref") == "A2":
        return person | {"date_of_birth": "2010-05-01" if law.child else "1999-03-11"}
    return person


def _cnr(court: str, case: scenario.CaseRefs) -> str:
    return f"{court}{case.cnr.serial:06d}{case.cnr.year}"


def _message(
    gateway: Gateway, case: scenario.CaseRefs, action: Action, step: int, law: Law
) -> tuple[str, bytes]:
    """The pillar and bytes of ``action`` (every message unique: none is a retry)."""
    courts = gateway.adapters.get("courts")

    def court_body(name: str, data: dict[str, Any]) -> tuple[str, bytes]:
        payload = payload_class(name).model_validate(data)
        return "courts", courts.encode(payload, media_type=JSON)  # type: ignore[attr-defined]

    kind = action[0]
    if kind == "arrest":
        message = scenario.person_arrested(case)
        message["data"]["arrest"] |= {"produced_before": action[2], "grounds": f"step {step}"}
        return "police", json.dumps(message).encode()
    if kind == "chargesheet":
        message = scenario.chargesheet_filed(case, report_number=f"CS-{step}")
        report = message["data"]["report"]
        report["court"] = action[2]
        for charged in report["accused"]:
            charged["person"] = _person_fix(law, charged["person"])
        if law.sexual:
            report["offences"] = [{"act": "BNS", "section": "64(1)"}]
            report["summary"] = "The accused assaulted Kavita Deshpande (KAVITA) at her home."
        return "police", json.dumps(message).encode()
    if kind == "register":
        court = action[1]
        data = scenario.court_case(case) | {
            "cnr": _cnr(court, case),
            "establishment": court,
            "court_name": f"court at step {step}",
            "filing_number": None,
            "registration_number": None,
        }
        return court_body("court_case.registered", {"court_case": data})
    if kind == "hearing":
        data = scenario.hearings(case)[0] | {
            "cnr": _cnr(action[1], case),
            "business": f"step {step}",
        }
        return court_body("hearing.recorded", {"hearing": data})
    if kind in ("remand", "committal"):
        order: dict[str, Any] = {
            "cnr": _cnr(action[1], case),
            "order_number": f"O/{step}",
            "order_date": "2026-10-20",
            "kind": kind,
        }
        if kind == "remand":
            order |= {"accused_refs": ["A1"], "prison": action[2]}
        else:
            order["to_court"] = action[2]
        return court_body("order.issued", {"order": order})
    # Unique across cases too: examples share the database, and a prisoner number names one
    # inmate of one case (a second case claiming it is a conflict, 409).
    admission = scenario.admission(
        case, prison=action[1], number=f"UT/{case.cnr.serial}-{step}/2026"
    )
    del admission["warrant"]["cnr"]  # found by its FIR: never held
    return "prisons", json.dumps(admission).encode()


def _sender(action: Action) -> tuple[str, str]:
    if action[0] in ("arrest", "chargesheet"):
        return "police", action[1]
    return ("prisons", action[1]) if action[0] == "admit" else ("courts", action[1])


def _outcome(response: Any) -> str:
    if response.status_code == 202:
        return str(response.json()["status"])
    return str(response.status_code)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    sequence=st.lists(actions, min_size=1, max_size=10),
    sexual=st.booleans(),
    child=st.booleans(),
)
def test_no_sequence_of_messages_gives_authority_the_case_history_does_not(
    http: TestClient,
    gateway: Gateway,
    key_for: Any,
    sequence: list[Action],
    sexual: bool,
    child: bool,
) -> None:
    keys = _keys(http, key_for)
    case = scenario.refs(next(SERIALS))
    law = Law(sexual=sexual, child=child)
    first = scenario.fir_registered(case)
    record = first["data"]["fir"]
    record["accused"] = [_person_fix(law, person) for person in record["accused"]]
    if sexual:
        record["offences"] = [{"act": "BNS", "section": "64(1)"}]
        record["victims"] = [VICTIM]
        record["brief_facts"] = "Kavita Deshpande was assaulted at her home."
    fir = http.post(
        "/v1/police/messages",
        content=json.dumps(first).encode(),
        headers=keys[("police", OWNER_POLICE)] | {"Content-Type": JSON},
    )
    assert fir.status_code == 202, fir.text
    receipts: dict[str, str] = {}  # receipt id of a held message -> what the model expects

    for step, action in enumerate(sequence):
        pillar, body = _message(gateway, case, action, step, law)
        expected = law.judge(action)
        response = http.post(
            f"/v1/{pillar}/messages",
            content=body,
            headers=keys[_sender(action)] | {"Content-Type": JSON},
        )
        assert _outcome(response) == expected, (action, response.text)
        if expected == "held":
            receipt = response.json()["receipt_id"]
            law.waiting.setdefault(action[1], []).append((receipt, action))
            receipts[receipt] = "pending"
        if action[0] == "register" and expected == "accepted":
            # The registration released what waited for its CNR, judged as the case now is.
            for receipt, waiting in law.waiting.pop(action[1], []):
                receipts[receipt] = law.court_message(waiting)

    operator = keys[("operator", "NIC")]
    for receipt, fate in receipts.items():
        logged = http.get(f"/v1/messages/{receipt}", headers=operator).json()
        if fate == "pending":
            assert logged["status"] == "held", logged
        else:
            assert logged["status"] == ("accepted" if fate == "accepted" else "rejected"), logged

    status = http.get(f"/v1/cases/{case.fir}", headers=operator).json()
    assert status["court"] == law.seized
    entitled = {("police", OWNER_POLICE)}
    entitled |= {("courts", court) for court in law.ever_seized}
    entitled |= {("prisons", prison) for prison in law.ever_held}
    for (pillar, institution), headers in keys.items():
        if pillar == "operator":
            continue
        answer = http.get(f"/v1/cases/{case.fir}", headers=headers)
        assert answer.status_code == (200 if (pillar, institution) in entitled else 404), (
            pillar,
            institution,
            answer.text,
        )
        _check_identities(http, law, case, pillar, institution, headers)


def _check_identities(
    http: TestClient,
    law: Law,
    case: scenario.CaseRefs,
    pillar: str,
    institution: str,
    headers: dict[str, str],
) -> None:
    """No reader sees a protected name the law keeps from it, in anything it can read."""
    texts = [
        http.get(f"/v1/cases/{case.fir}", headers=headers).text,
        http.get(f"/v1/cases/{case.fir}/timeline", headers=headers).text,
    ]
    if pillar == "courts":
        feed = http.get("/v1/courts/feed", params={"court": institution}, headers=headers)
        texts += [json.dumps(i) for i in feed.json()["items"] if str(case.fir) in json.dumps(i)]
    police = (pillar, institution) == ("police", OWNER_POLICE)
    hidden: list[str] = []
    if law.sexual and not (police or (pillar == "courts" and institution in law.ever_seized)):
        hidden += VICTIM_NAMES
    board = pillar == "courts" and COURTS[institution][0] == "juvenile_justice_board"
    if law.child and not (police or (board and institution in law.ever_seized)):
        hidden += CHILD_NAMES
    for text in texts:
        for name in hidden:
            assert name.lower() not in text.lower(), (pillar, institution, name, text)


def _keys(http: TestClient, key_for: Any) -> dict[tuple[str, str], dict[str, str]]:
    """One key per institution of the pools, made once per test (per store): kept on the
    test's own HTTP client, which every example of the test shares."""
    made: dict[tuple[str, str], dict[str, str]] | None = getattr(http, "icjs_test_keys", None)
    if made is None:
        made = {("police", p): key_for("police", p) for p in POLICE}
        made |= {("courts", c): key_for("courts", c) for c in COURTS}
        made |= {("prisons", p): key_for("prisons", p) for p in PRISONS}
        made[("operator", "NIC")] = key_for("operator", "NIC")
        http.icjs_test_keys = made
    return made
