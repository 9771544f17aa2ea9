"""The citizen's view of an FIR: the informant follows the stage of the case with the FIR
number and an access code given with the FIR copy.

The law behind it: the informant gets a copy of the FIR free of cost (BNSS s.173(2)), and the
police tell the informant the progress of the investigation within 90 days and, when the
police report is filed, the action taken (BNSS s.193(3)(ii)). The gateway holds the case's
stage; this module lets the informant read that stage, and nothing else, without an API key.

- **The code.** Issued when the police's ``fir.registered`` is accepted and answered once, in
  that message's receipt, so that the police system prints it on the FIR copy; issued again by
  the police of the case when the informant lost it (:func:`reissue_code`), which ends the old
  one. Ten characters of Crockford's base 32 (digits and capitals without I, L, O, U), shown as
  ``XXXXX-XXXXX``: 50 bits from :mod:`secrets`, read aloud and typed at a cyber café without
  confusing 0/O or 1/I/L (a typed O, I or L is read as 0, 1, 1, as Crockford's decoding does).
- **What is kept.** The digest of the code, as API keys are kept (``gateway.services.auth``:
  a SHA-256), salted with the FIR so that equal codes of two FIRs differ. A fast hash is
  enough for a 50-bit code here because what it guards is the stage of a case, which anyone
  holding the database reads directly; against guessing over the network it is the rate
  limits below that count.
- **What is answered** (:func:`citizen_view`): the stage (registered, under investigation,
  report filed with its date, in court with the CNR and next hearing date, disposed with its
  date), the FIR number asked for, and nothing else: no names, no sections, no station.
- **Sections: none, for every case.** BNS s.72 forbids making known the identity of the
  victim of an offence under BNS ss.64-71 (IPC s.228A, POCSO s.23 likewise). Withholding the
  sections of those cases only would mark them by the absence, on a screen at a cyber café
  where others can see it; and the informant holds the FIR copy, which lists the sections.
  So the answer has the same members whatever the offences.
- **Wrong code, unknown FIR.** Both answer the same 404 with the same body, after the same
  work: the stored digest is read by the FIR (a dummy digest stands in when there is none),
  compared in constant time, and the failure is written. An FIR registered before access
  codes existed has no code until its police issue one.
- **Rate limits**, counted in the database (``citizen_failures``) so that every gateway
  process sees the same failures: past ``ICJS_CITIZEN_FAILURES_PER_FIR`` failures for one FIR
  within ``ICJS_CITIZEN_WINDOW_SECONDS`` its public view is locked for everyone, the right code
  included, until the oldest of them leaves the window (429 with ``Retry-After``); past
  ``ICJS_CITIZEN_FAILURES_PER_ADDRESS`` failures from one remote address, that address is. An
  unknown FIR locks as a known one does, so a lock tells nothing of which FIRs exist. Two
  processes counting at the same moment may each let one more attempt through: the limit is
  exact to within the number of gateway processes.
- **Audit.** Every answered attempt (200, 404) is a record of the access log, on the audit
  chain, as an API read is: path without its query, the case on success, never the code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from canonical_model.errors import (
    ContractViolation,
    Forbidden,
    InvalidIdentifier,
    NotFound,
    Problem,
)
from canonical_model.events import EventPayload, FirRegistered
from canonical_model.identifiers import Cnr, Fir
from canonical_model.lifecycle import CaseStatus
from canonical_model.lifecycle.status import CourtStage, PoliceStage
from gateway.limits import RateLimited
from gateway.services.auth import Client, hash_key
from gateway.services.cases import check_can_read, load_case, resolve_case_id
from gateway.services.policies import PolicyRegistry
from gateway.settings import Settings
from gateway.store.audit import record_access
from gateway.store.db import Database
from gateway.store.tables import CitizenAccessRow, CitizenFailureRow, CrosswalkRow

#: Crockford's base 32: the digits and the capitals but I, L, O and U.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
#: Characters of a code: 10 of 32 symbols, 50 bits.
CODE_LENGTH = 10
#: How a code is written: two groups of five.
CODE_FORM = "XXXXX-XXXXX"
#: Letters typed for the ones the alphabet leaves out (Crockford's decoding).
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
#: What stands in for the stored digest of an FIR that has none: never any code's digest
#: (those are hex), so that the comparison is made, and fails, as for a wrong code.
_NO_DIGEST = "-" * 64

#: Where the informant reads the stage (the page; the API is GET /v1/public/fir-status).
STATUS_PAGE = "/status/"
#: How the access log names the public reader.
PUBLIC_READER = "citizen (FIR access code)"

#: The one answer to a wrong code and to an unknown FIR (its words name neither).
NOT_KNOWN = (
    "no FIR is known by that number with that code; check both as printed on the FIR copy "
    f"(the code is {CODE_LENGTH} letters and digits, {CODE_FORM})"
)


class Stage:
    """The stages the citizen's view shows, by their code (the API's ``stage``)."""

    REGISTERED = "registered"
    UNDER_INVESTIGATION = "under_investigation"
    REPORT_FILED = "report_filed"
    IN_COURT = "in_court"
    DISPOSED = "disposed"


#: Each stage in words, as the page says it.
STAGE_TEXT = {
    Stage.REGISTERED: "FIR registered",
    Stage.UNDER_INVESTIGATION: "Under investigation",
    Stage.REPORT_FILED: "Police report filed in court",
    Stage.IN_COURT: "Case in court",
    Stage.DISPOSED: "Case disposed of by the court",
}
#: The stages in order.
STAGES = tuple(STAGE_TEXT)

_REPORT_STAGES = (
    PoliceStage.CHARGE_SHEET_FILED,
    PoliceStage.CLOSURE_REPORT_FILED,
    PoliceStage.UNTRACED_REPORT_FILED,
)


@dataclass(frozen=True, slots=True)
class CitizenLimits:
    """The public view's rate limits (``ICJS_CITIZEN_*``)."""

    per_fir: int = 10
    per_address: int = 30
    window: dt.timedelta = dt.timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class IssuedCode:
    """A code just issued: the only time it exists in clear."""

    fir: str
    code: str
    issued_at: dt.datetime
    issues: int

    def as_dict(self) -> dict[str, Any]:
        """The code as the police are answered it."""
        return {
            "fir": self.fir,
            "code": self.code,
            "issued_at": self.issued_at.isoformat(),
            "issues": self.issues,
            "page": STATUS_PAGE,
        }


# --------------------------------------------------------------------------- codes


def new_code() -> str:
    """A new access code, ``XXXXX-XXXXX``, from the OS random source."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return f"{chars[:5]}-{chars[5:]}"


def normalise_code(text: str) -> str:
    """The code as compared: capitals, without spaces or dashes, O read as 0 and I, L as 1.
    ContractViolation at ``code`` when it is not 10 characters of the alphabet; the message
    never repeats what was typed (it is a secret, and error bodies may be shown or kept)."""
    typed = "".join(text.split()).replace("-", "").upper().translate(_READ_AS)
    if len(typed) != CODE_LENGTH or any(c not in ALPHABET for c in typed):
        message = (
            f"expected an access code of {CODE_LENGTH} letters and digits, written {CODE_FORM} "
            f"as printed on the FIR copy (e.g. 7KQ2M-X9DHP); what was sent has {len(typed)} "
            "characters besides dashes and spaces"
            + ("" if all(c in ALPHABET for c in typed) else ", not all of them letters and digits")
        )
        raise ContractViolation(message, [Problem("code", message)])
    return typed


def code_digest(fir_key: str, code: str) -> str:
    """The stored verifier of an FIR's code: SHA-256 (``gateway.services.auth.hash_key``) of
    the FIR's key and the normalised code."""
    return _digest(fir_key, normalise_code(code))


def _digest(fir_key: str, normalised: str) -> str:
    return hash_key(f"{fir_key}#{normalised}")


def parse_fir(text: str) -> Fir:
    """The FIR a citizen typed (any case, spaces around the slashes allowed);
    InvalidIdentifier at ``fir`` naming the form expected."""
    try:
        return Fir.parse(text.strip().upper())
    except InvalidIdentifier as error:
        raise InvalidIdentifier(
            "FIR number",
            text.strip(),
            "fir",
            f"{error.part}: {error.reason}",
            expected=f"an FIR number {Fir.form} as printed on the FIR copy, e.g. {Fir.examples[0]}",
        ) from None


def address_digest(address: str) -> str:
    """What the failures table keeps of a remote address: its SHA-256, not the address."""
    return hashlib.sha256(address.encode()).hexdigest()


def _store_code(
    session: Session, *, fir_key: str, case_id: str, issued_by: str, now: dt.datetime
) -> IssuedCode:
    """Draw a new code for the FIR and keep its digest (replacing the one before)."""
    code = new_code()
    row = session.get(CitizenAccessRow, fir_key)
    if row is None:
        row = CitizenAccessRow(
            fir_key=fir_key, case_id=case_id, code_digest="", issued_at=now, issued_by=issued_by
        )
        row.issues = 1
    else:
        row.issues += 1
    row.code_digest = code_digest(fir_key, code)
    row.case_id = case_id
    row.issued_at = now
    row.issued_by = issued_by
    session.add(row)
    session.flush()
    return IssuedCode(fir=fir_key.partition(":")[2], code=code, issued_at=now, issues=row.issues)


def issue_at_registration(
    session: Session,
    payloads: Iterable[EventPayload],
    *,
    issued_by: str,
    now: dt.datetime,
) -> IssuedCode | None:
    """A code for the FIR a message registers (``fir.registered``), in the transaction that
    applies the message; None for any other message. Its receipt answers it, once."""
    for payload in payloads:
        if not isinstance(payload, FirRegistered):
            continue
        fir_key = payload.fir.fir.key()
        owner = session.get(CrosswalkRow, fir_key)
        if owner is None:  # pragma: no cover - the message that registers it was just applied
            return None
        return _store_code(
            session, fir_key=fir_key, case_id=owner.case_id, issued_by=issued_by, now=now
        )
    return None


def reissue_code(
    db: Database,
    *,
    client: Client,
    ref: str,
    policies: PolicyRegistry,
    now: dt.datetime,
) -> tuple[str, IssuedCode]:
    """A new code for the FIR of the case ``ref`` names (any of its identifiers), asked by the
    police of the case when the informant lost the old one, which stops working at once.

    Only police keys issue codes (Forbidden for any other pillar's, operators' included: a
    code is given with the FIR copy, which is the police's act); police not entitled to the
    case are told what a caller asking for an unknown case is told (NotFound), as by every read
    of a case. Returns the case id and the code."""
    if client.pillar != "police":
        raise Forbidden(
            "access codes for the informant are issued by the police of the case; the key "
            f"presented is for {client.pillar}"
        )
    with db.session(write=True) as session:
        case = load_case(session, resolve_case_id(session, ref))
        check_can_read(client, case, ref=ref, policies=policies)
        firs = CaseStatus.model_validate(case.status).identifiers.get("fir", [])
        if not firs:  # pragma: no cover - every case the police can read began with its FIR
            raise NotFound(f"the case {ref.strip()!r} has no FIR to issue a code for")
        issued = _store_code(
            session,
            fir_key=Fir.parse(firs[0]).key(),
            case_id=case.id,
            issued_by=client.label,
            now=now,
        )
        return case.id, issued


# --------------------------------------------------------------------------- the view


def citizen_stage(status: CaseStatus) -> str:
    """The stage of the case as the informant is shown it, from the status the gateway keeps
    (``GET /v1/cases/{ref}``'s): disposed once the court delivered its judgment; in court once
    the court registered the case (its CNR); report filed once the police filed a charge
    sheet, closure or untraced report (BNSS s.193(3)); under investigation once the police
    arrested someone, recorded an investigation step or sent exhibits to a laboratory;
    registered before that."""
    if status.court_stage is CourtStage.DISPOSED:
        return Stage.DISPOSED
    if status.court_stage is CourtStage.PENDING:
        return Stage.IN_COURT
    if status.police_stage in _REPORT_STAGES or status.clock_facts.first_report_on is not None:
        return Stage.REPORT_FILED
    if (
        status.police_stage is PoliceStage.UNDER_INVESTIGATION
        or status.clock_facts.steps
        or status.forensic_requests
        or any(person.arrested_at is not None for person in status.accused)
    ):
        return Stage.UNDER_INVESTIGATION
    return Stage.REGISTERED


def _cnr(status: CaseStatus) -> str | None:
    """The case's CNR in its canonical 16 characters (the court's latest, after a transfer)."""
    cnrs = status.identifiers.get("cnr", [])
    return str(Cnr.parse(cnrs[-1])) if cnrs else None


def citizen_view(status: CaseStatus, fir: Fir) -> dict[str, Any]:
    """What the informant is shown: the FIR asked for, the stage, and the stage's own facts
    (the report's date; the CNR and next hearing date; the date of disposal and the CNR, under
    which the judgment is found on e-Courts). The same members for every case, each null when
    the stage has none: no names, no sections (see the module's docstring), nothing else."""
    stage = citizen_stage(status)
    in_court = stage in (Stage.IN_COURT, Stage.DISPOSED)
    report_on = status.clock_facts.first_report_on if stage == Stage.REPORT_FILED else None
    return {
        "fir": str(fir),
        "stage": stage,
        "stage_text": STAGE_TEXT[stage],
        "report_filed_on": report_on.isoformat() if report_on else None,
        "cnr": _cnr(status) if in_court else None,
        "next_hearing_on": (
            status.next_hearing_date.isoformat()
            if stage == Stage.IN_COURT and status.next_hearing_date
            else None
        ),
        "disposed_on": (
            status.judgment_date.isoformat()
            if stage == Stage.DISPOSED and status.judgment_date
            else None
        ),
    }


# --------------------------------------------------------------------------- the public read


def _locked_for(
    session: Session,
    column: Any,
    value: str,
    *,
    limit: int,
    now: dt.datetime,
    window: dt.timedelta,
) -> float | None:
    """Seconds until fewer than ``limit`` failures of ``value`` lie within the window; None
    when fewer do already."""
    at = col(CitizenFailureRow.at)
    nth = session.exec(
        select(CitizenFailureRow.at)
        .where(column == value, at > now - window)
        .order_by(at.desc())
        .offset(limit - 1)
        .limit(1)
    ).first()
    if nth is None:
        return None
    return max((nth + window - now).total_seconds(), 1.0)


@dataclass(frozen=True, slots=True)
class PublicRead:
    """One attempt at the public view, as the page or the API received it."""

    fir: str
    code: str
    #: The remote address (its digest is what the failures table keeps).
    address: str
    method: str
    path: str
    request_id: str | None


def read_fir_status(
    db: Database,
    attempt: PublicRead,
    *,
    limits: CitizenLimits,
    now: dt.datetime,
) -> dict[str, Any]:
    """The citizen's view of the FIR ``attempt`` names, if its code is right.

    Raises InvalidIdentifier or ContractViolation (422) for an FIR or a code that is not
    written as one; RateLimited (429) while the address or the FIR is locked; NotFound (404,
    :data:`NOT_KNOWN`) for a wrong code and an unknown FIR alike. Each 200 and 404 is recorded
    in the access log (the path without its query: never the code)."""
    fir = parse_fir(attempt.fir)
    code = normalise_code(attempt.code)
    fir_key = fir.key()
    address = address_digest(attempt.address)
    with db.session(write=True) as session:
        # The address first: a caller over its own limit learns nothing of the FIR's.
        wait = _locked_for(
            session,
            col(CitizenFailureRow.address),
            address,
            limit=limits.per_address,
            now=now,
            window=limits.window,
        )
        if wait is not None:
            raise RateLimited(
                "too many wrong FIR numbers or codes from this address; try again later",
                retry_after=wait,
            )
        wait = _locked_for(
            session,
            col(CitizenFailureRow.fir_key),
            fir_key,
            limit=limits.per_fir,
            now=now,
            window=limits.window,
        )
        if wait is not None:
            raise RateLimited(
                "too many wrong codes were tried for this FIR number; its status can be read "
                "again later, with the right code",
                retry_after=wait,
            )
        row = session.get(CitizenAccessRow, fir_key)
        stored = row.code_digest if row is not None else _NO_DIGEST
        # The same work whether the FIR is known or not: a digest made and compared.
        right = hmac.compare_digest(stored, _digest(fir_key, code))
        view: dict[str, Any] | None = None
        case_ids: list[str] = []
        if right and row is not None:
            view = citizen_view(
                CaseStatus.model_validate(load_case(session, row.case_id).status), fir
            )
            case_ids = [row.case_id]
        else:
            session.add(CitizenFailureRow(at=now, fir_key=fir_key, address=address))
            # The failures live as long as the window: older ones count for nothing.
            session.execute(
                delete(CitizenFailureRow).where(col(CitizenFailureRow.at) <= now - limits.window)
            )
        record_access(
            session,
            client_id=None,
            client_name=PUBLIC_READER,
            institution="public",
            pillar="citizen",
            method=attempt.method,
            path=attempt.path,
            status=200 if view is not None else 404,
            case_ids=case_ids,
            request_id=attempt.request_id,
            purpose=None,
        )
    if view is None:
        raise NotFound(NOT_KNOWN)
    return view


def limits_of(settings: Settings) -> CitizenLimits:
    """The limits the settings give (``ICJS_CITIZEN_FAILURES_PER_FIR`` and the others)."""
    return CitizenLimits(
        per_fir=settings.citizen_failures_per_fir,
        per_address=settings.citizen_failures_per_address,
        window=dt.timedelta(seconds=settings.citizen_window_seconds),
    )
