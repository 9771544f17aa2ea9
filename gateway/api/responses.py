"""What the API answers, as OpenAPI response models: one per endpoint, and the one error body.

The routes build their answers as mappings (the services return them), so these models only
describe them: each route names its model in ``responses`` and FastAPI puts the schema in the
document without validating or filtering the answer. They are open (members may be added, never
removed or retyped without a new version), and ``tests/api/test_openapi_responses.py`` checks
real answers against them, so the document and the gateway cannot drift apart unnoticed.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

#: What each error status means at this gateway (``gateway/errors.py`` maps the error tree to
#: them; ``gateway/api/failures.py`` answers the failures that are not the caller's).
ERROR_STATUS_MEANING: dict[int, str] = {
    400: "Malformed: the body is not well-formed JSON or XML, or uses forbidden XML features.",
    401: "No key, or a key the gateway does not know (unknown, revoked, expired).",
    403: "The key is known but may not do this (another pillar's or institution's data).",
    404: "Not known, or not this caller's to read: both answer alike.",
    408: "The body did not arrive in time (ICJS_BODY_TIMEOUT_SECONDS); the connection is closed.",
    409: "Contradicts what the gateway holds, or names more than one thing (`candidates`).",
    413: "The body is over the limit (ICJS_MAX_BODY_BYTES).",
    415: "The Content-Type (or Accept) names a format this pillar does not speak, or the body is "
    "in the other syntax than its Content-Type says.",
    422: "Valid syntax, invalid content: a parameter, an identifier or the message's contract; "
    "every problem located.",
    429: "Too many requests for this key (or, without a valid key, from this address); see "
    "Retry-After.",
    503: "The gateway's database is unavailable; nothing was applied. Retry after Retry-After.",
}


class _Open(BaseModel):
    """A documented answer: the members listed are always there; others may be added."""

    model_config = ConfigDict(extra="allow")


class ErrorLocation(BaseModel):
    """One located problem: a JSON pointer (``/data/fir/offences/0/act``), an XPath
    (``/c:hearing/c:nextDate``), a parameter (``/query/limit``) or an identifier's part."""

    location: str = Field(examples=["/data/fir/fir"])
    message: str = Field(examples=["expected an FIR number STATE/DISTRICT/STATION/YEAR/SERIAL"])


class Error(_Open):
    """Every error answer of the gateway, whatever the status."""

    code: str = Field(
        description="Stable, machine-readable: invalid_identifier, contract_violation, "
        "malformed, unknown_message_type, unsupported_media_type, payload_too_large, "
        "not_found, unauthenticated, forbidden, conflict, ambiguous, rate_limited, "
        "invalid_request, database_unavailable, internal_error, ...",
        examples=["contract_violation"],
    )
    message: str = Field(description="What is wrong, for a person.")
    errors: list[ErrorLocation] = Field(
        description="Every problem found, located (at least one); at most ICJS_MAX_ERRORS, "
        'then {"location": "/", "message": "... and N more errors"}.'
    )
    request_id: str | None = Field(
        description="The request's id (the X-Request-ID header): quote it to the operators."
    )
    errors_omitted: int | None = Field(
        default=None, description="Problems found beyond those listed (only when some were)."
    )
    candidates: list[dict[str, Any]] | None = Field(
        default=None, description="409 `ambiguous` only: the things the reference could name."
    )


class CitizenAccess(_Open):
    """The informant's access code of an FIR (``gateway.services.citizen``): answered once, when
    it is issued, and never kept in clear."""

    fir: str = Field(examples=["MH/AU/CIDCO/2026/0001"])
    code: str = Field(
        description="XXXXX-XXXXX, to print with the FIR copy.", examples=["7KQ2M-X9DHP"]
    )
    issued_at: str = Field(description="ISO 8601 date-time.")
    issues: int = Field(description="Codes the FIR has had, this one included.")
    page: str = Field(description="Where the informant reads the stage.", examples=["/status/"])


class Receipt(_Open):
    """A message's receipt (202 accepted or held; 200 when the same bytes came before)."""

    receipt_id: str = Field(examples=["msg_01J9Z6W7K3V4F5M6N7P8Q9R0ST"])
    status: Literal["accepted", "held", "rejected", "failed"]
    received_at: str = Field(description="ISO 8601 date-time.")
    message_type: str | None
    case_ids: list[str]
    event_ids: list[str]
    waiting_for: list[str] | None = Field(
        default=None, description="Held only: the references (fir:..., cnr:...) it waits for."
    )
    duplicate: bool | None = Field(default=None, description="True when answered 200.")
    citizen_access: CitizenAccess | None = Field(
        default=None,
        description="An accepted fir.registered only: the informant's access code (BNSS "
        "s.173(2): printed with the FIR copy). In this answer only: a duplicate's has none.",
    )


class Rejection(Error):
    """A refused message: the error, with the receipt under which the message log keeps it."""

    receipt_id: str | None = None
    status: str | None = Field(default=None, examples=["rejected"])
    received_at: str | None = None
    message_type: str | None = None
    case_ids: list[str] | None = None
    event_ids: list[str] | None = None


class MessageEntry(_Open):
    """A message in the message log and its fate."""

    receipt_id: str
    received_at: str
    updated_at: str
    caller: str
    pillar: str
    message_type: str | None
    media_type: str | None
    size: int
    sha256: str
    status: str
    errors: list[dict[str, Any]] | None
    waiting_for: list[str] | None
    event_ids: list[str] | None
    case_ids: list[str] | None
    request_id: str | None


class Message(MessageEntry):
    """A message with its raw bytes, for its sender (or an operator)."""

    body_base64: str
    body_truncated: bool
    body_truncated_reason: str | None = None


class Messages(_Open):
    """A page of the message log, newest first."""

    messages: list[MessageEntry]


class CaseView(_Open):
    """A case's consolidated status across pillars, disclosed to the reader (protected
    persons by label). The members hold nested records as the services make them."""

    case_id: str = Field(examples=["case_01J9Z6W7K3V4F5M6N7P8Q9R0ST"])
    identifiers: dict[str, list[str]] = Field(
        description="Every identifier of the case by kind: fir, cnr, case_no, prisoner, ..."
    )
    police_station: str | None
    offences: list[dict[str, Any]]
    police_stage: str | None
    court: str | None
    court_stage: str | None
    next_hearing_date: str | None
    accused: list[dict[str, Any]]
    clocks: list[dict[str, Any]] | None = Field(
        default=None, description="The statutory clocks, computed at the time of asking."
    )
    protected_persons: list[dict[str, Any]] | None = None


class TimelineEvent(_Open):
    """One event of a case's timeline."""

    sequence: int
    event_id: str
    type: str = Field(examples=["icjs.fir.registered"])
    time: str
    pillar: str
    source: str
    receipt_id: str | None
    summary: str
    data: dict[str, Any] | None = Field(default=None, description="Police and operators only.")


class Timeline(_Open):
    """A case's events in the order the gateway accepted them."""

    case_id: str
    events: list[TimelineEvent]


class Read(_Open):
    """One recorded read of the API."""

    id: str
    at: str
    client_id: int | None
    client_name: str | None
    institution: str | None
    pillar: str | None
    method: str
    path: str
    status: int
    case_ids: list[str]
    request_id: str | None
    purpose: str | None


class CaseReads(_Open):
    """Who read a case, newest first."""

    case_id: str
    reads: list[Read]


class Reads(_Open):
    """The access log, newest first."""

    reads: list[Read]


class Contract(_Open):
    """One contract file."""

    name: str = Field(examples=["courts/v1/hearing.xsd"])
    pillar: str
    version: str
    media_type: str
    url: str


class Contracts(_Open):
    """Every contract the gateway validates against."""

    contracts: list[Contract]


class DeadLetter(_Open):
    """An event a consumer gave up on."""

    id: int
    consumer: str
    event_id: str
    event_type: str
    case_id: str | None
    error: str
    attempts: int
    origin: str
    failed_at: str
    status: str
    replayed_at: str | None


class DeadLetters(_Open):
    """Dead letters, newest first."""

    dead_letters: list[DeadLetter]


class InstitutionEntry(_Open):
    """An institution of the directory."""

    pillar: str
    code: str
    name: str
    state: str | None
    district: str | None
    level: str | None
    sample: bool


class Institutions(_Open):
    """The institution directory."""

    institutions: list[InstitutionEntry]


class Undertrials(_Open):
    """A prison's undertrials with the BNSS s.479 review of each."""

    prison: str
    as_of: str
    rule: str = Field(examples=["BNSS s.479"])
    undertrials: list[dict[str, Any]]


class Vehicle(_Open):
    """A vehicle in the register: its numbers, Vahan record, police state, cases and links."""

    vehicle_id: str
    matched_on: str
    registration: str | None
    chassis: str | None
    engine: str | None
    police: dict[str, Any] | None
    vahan: dict[str, Any] | None
    cases: list[dict[str, Any]]
    links: list[dict[str, Any]]


class Licence(_Open):
    """A driving licence: the Sarathi record, the court's latest order on it and its cases."""

    cases: list[dict[str, Any]] | None = None


class Deadlines(_Open):
    """The statutory clocks an institution must act on."""

    as_of: str
    pillar: str
    institution: str | None
    deadlines: list[dict[str, Any]]


class LawEntry(_Open):
    """An offence's entry in the law table."""

    act: str
    section: str
    title: str
    in_force: bool
    limbs: list[dict[str, Any]]


class PersonResults(_Open):
    """Ranked candidates of a person search."""

    results: list[dict[str, Any]]


class Antecedents(_Open):
    """A person's criminal antecedents across States and pillars."""

    person_id: str
    names: list[str]
    summary: dict[str, Any]
    cases: list[dict[str, Any]]


class Verification(_Open):
    """An antecedent verification's answer: never a case, a section or a name."""

    outcome: Literal["no_record", "record_found", "manual_review"]
    message: str


class PersonLinks(_Open):
    """A page of the person index's review queue."""

    links: list[dict[str, Any]]
    next_after: int | None


class PersonLink(_Open):
    """One pair of the review queue, with both records."""

    id: int
    state: str
    records: list[dict[str, Any]]


class Liveness(_Open):
    """The process is alive."""

    status: Literal["ok"]


class Readiness(_Open):
    """Whether the gateway can take traffic, and what is down."""

    status: Literal["ready", "degraded", "not ready"]
    mode: str
    down: list[str]


def answers(
    model: type[BaseModel] | None = None,
    *errors: int,
    status: int = 200,
    description: str | None = None,
    media_types: tuple[str, ...] = (),
) -> dict[int | str, dict[str, Any]]:
    """A route's ``responses``: its success answer (``model``, or the ``media_types`` it
    answers in) and each error status it answers beyond those every keyed route can
    (401, 429, 503: added for every route that takes a key, see ``openapi_doc``), each with
    the one error body."""
    documented: dict[int | str, dict[str, Any]] = {}
    if model is not None or media_types or description:
        success: dict[str, Any] = {}
        if model is not None:
            success["model"] = model
        if media_types:
            success["content"] = {media: {} for media in media_types}
        if description:
            success["description"] = description
        documented[status] = success
    for code in errors:
        documented[code] = {"model": Error, "description": ERROR_STATUS_MEANING[code]}
    return documented
