"""Pillar messages in (``POST /v1/<pillar>/messages``) and feeds out (``GET /v1/<pillar>/feed``),
plus the message log."""

# No `from __future__ import annotations` here: FastAPI must evaluate the feed route's
# annotations, which use a closure variable (the institution parameter's alias).

from typing import Annotated, Any

import structlog
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from canonical_model.errors import Forbidden, UnsupportedMediaType
from canonical_model.messages import POLICE_MESSAGE_TYPES
from gateway.api.access import recorded_read, recorded_read_async
from gateway.api.deps import BodyTooLarge, ClientDep, GatewayDep, media_type_of, read_body
from gateway.api.responses import (
    ERROR_STATUS_MEANING,
    Message,
    Messages,
    Receipt,
    Rejection,
    answers,
)
from gateway.bootstrap import Gateway
from gateway.errors import http_status
from gateway.services.auth import Client, require_pillar
from gateway.services.feeds import read_feed
from gateway.services.ingest import Receipt as IngestReceipt
from gateway.services.message_log import message_of, message_view, search_messages
from gateway.services.metrics import GatewayMetrics

log = structlog.get_logger(__name__)

_INGEST_DOC = {
    "police": 'Canonical JSON from the police system: `{"type": "fir.registered" | "person.arrested" | '
    '"investigation.step" | "chargesheet.filed" | "forensic.requested" | "vehicle.stolen" | "vehicle.recovered" | '
    '"vehicle.seized", "data": {...}}` (schemas under `/v1/contracts/canonical/v1/`).',
    "forensics": "Laboratory messages in the e-Forensics-side format, JSON (`application/json`) or "
    "XML (`application/xml`): acknowledgement with the lab case number, chain of custody, report, "
    "report revision (schemas under `/v1/contracts/forensics/v1/`).",
    "courts": "Court messages in the e-Courts-side format, JSON (`application/json`) or XML "
    "(`application/xml`): case registration with CNR, hearing, order, judgment "
    "(schemas under `/v1/contracts/courts/v1/`).",
    "prosecution": "Prosecution office messages in the e-Prosecution-side format, JSON or XML: "
    "prosecutor assignment, scrutiny result (approved, or returned with deficiencies), legal "
    "opinion, appeal recommendation (schemas under `/v1/contracts/prosecution/v1/`).",
    "prisons": "Prison messages in the e-Prisons-side format, JSON or XML: admission, production, "
    "release (also death and escape), transfer, readmission, conviction "
    "(schemas under `/v1/contracts/prisons/v1/`).",
}


def _receipt_response(receipt: IngestReceipt, request: Request) -> JSONResponse:
    body = receipt.as_dict()
    if receipt.error is not None:
        status = http_status(receipt.error)
        # The one error body: a refused message's answer names the request as every error does.
        body["request_id"] = getattr(request.state, "request_id", None)
    else:
        status = 200 if receipt.duplicate else 202
    return JSONResponse(body, status_code=status)


#: What a message route answers: the receipt, or the error with the receipt under which the
#: message log keeps the refused message (an unauthorised caller's gets the plain error).
_INGEST_RESPONSES: dict[int | str, dict[str, Any]] = {
    **answers(Receipt, status=202, description="Accepted, or held (`status`, `waiting_for`)."),
    **answers(Receipt, description="The same caller sent the same bytes before: its receipt."),
    **answers(None, 403, 408),
    **{
        status: {"model": Rejection, "description": ERROR_STATUS_MEANING[status]}
        for status in (400, 409, 413, 415, 422)
    },
}


def ingest_pillars(gateway: Gateway) -> list[str]:
    """The pillars that send messages: the police (canonical JSON) and every adapter's."""
    return ["police", *(adapter.pillar for adapter in gateway.adapters)]


def message_types(gateway: Gateway) -> dict[str, tuple[str, ...]]:
    """The message types each sending pillar declares (the metrics' bounded labels)."""
    declared = {adapter.pillar: adapter.inbound_message_types for adapter in gateway.adapters}
    return {"police": POLICE_MESSAGE_TYPES} | declared


def build_router(gateway: Gateway) -> APIRouter:
    """Routes for the police and for every registered adapter's pillar."""
    router = APIRouter(prefix="/v1")
    for pillar in ingest_pillars(gateway):
        _add_ingest_route(router, pillar)
    for adapter in gateway.adapters:
        if adapter.feed_event_types:
            # The pillar's policy names the parameter that says whose feed is read.
            param = gateway.policies.get(adapter.pillar).feed_parameter or "institution"
            _add_feed_route(router, adapter.pillar, param)
    _add_message_log_routes(router)
    return router


async def accept_message(
    request: Request, *, gateway: Gateway, client: Client, pillar: str
) -> JSONResponse:
    """``POST /v1/<pillar>/messages`` once the caller is known: read the body within its
    limit, ingest it, and answer with the receipt. The FastAPI route and the fast path
    (:mod:`gateway.api.fast_ingest`) both answer through here, and each message's outcome is
    counted here (``icjs_messages_total``), once."""
    require_pillar(client, pillar)
    metrics: GatewayMetrics = request.app.state.metrics
    media_type = media_type_of(request.headers.get("content-type"))
    request_id = getattr(request.state, "request_id", None)
    try:
        body, _size = await read_body(request, limit=gateway.settings.max_body_bytes)
    except BodyTooLarge as too_large:
        receipt = await run_in_threadpool(
            gateway.ingestor.record_refused,
            client=client,
            pillar=pillar,
            body=too_large.head,
            media_type=media_type,
            error=too_large,
            request_id=request_id,
            size=too_large.size,
        )
        metrics.observe_message(pillar=pillar, message_type=None, outcome=receipt.status)
        return _receipt_response(receipt, request)
    try:
        receipt = await gateway.ingestor.ingest_async(
            client=client,
            pillar=pillar,
            body=body,
            media_type=media_type,
            request_id=request_id,
        )
    except Exception:
        # Not the sender's fault (the message is kept as failed): counted, then answered 5xx.
        metrics.observe_message(pillar=pillar, message_type=None, outcome="failed")
        raise
    metrics.observe_message(
        pillar=pillar,
        message_type=receipt.message_type,
        outcome="duplicate" if receipt.duplicate else receipt.status,
    )
    # Embedded mode: the writer relayed the batch to the feeds before answering. Production:
    # the Kafka relay is told there is something to send.
    if receipt.status == "accepted" and not receipt.duplicate and gateway.kafka_relay is not None:
        gateway.kafka_relay.wakeup.set()
    return _receipt_response(receipt, request)


def _add_ingest_route(router: APIRouter, pillar: str) -> None:
    async def ingest(request: Request, gateway: GatewayDep, client: ClientDep) -> JSONResponse:
        return await accept_message(request, gateway=gateway, client=client, pillar=pillar)

    router.add_api_route(
        f"/{pillar}/messages",
        ingest,
        methods=["POST"],
        status_code=202,
        tags=[pillar],
        summary=f"Send a {pillar} message",
        description=_INGEST_DOC.get(pillar, f"A {pillar} message in the pillar's format.")
        + "\n\nAnswers 202 with a receipt when accepted or held, 200 with the first receipt when the "
        "same caller sent the same bytes before, and a 4xx with every error located otherwise. "
        "Every message is kept in the message log whatever its fate.",
        responses=_INGEST_RESPONSES,
        # The real bodies, one schema per message type, come from the contracts
        # (gateway/api/openapi_bodies.py); this is what a pillar without them keeps.
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"type": "object"}},
                    **(
                        {}
                        if pillar == "police"
                        else {"application/xml": {"schema": {"type": "string"}}}
                    ),
                },
            }
        },
    )


def _add_feed_route(router: APIRouter, pillar: str, param: str) -> None:
    async def feed(
        request: Request,
        gateway: GatewayDep,
        client: ClientDep,
        institution: Annotated[
            str, Query(alias=param, description=f"The {param} whose feed to read.")
        ],
        after: Annotated[
            str | None, Query(description="Cursor of the last item already read.")
        ] = None,
        limit: Annotated[int | None, Query(ge=1, description="Items per page.")] = None,
    ) -> Response:
        async with recorded_read_async(gateway, request, client) as read:
            require_pillar(client, pillar, "operator")
            institution = institution.strip().upper()
            if client.pillar == pillar and institution != client.institution:
                raise Forbidden(
                    f"this key reads the feed of {client.institution}, not of {institution}"
                )
            adapter = gateway.adapters.get(pillar)
            media_type = _negotiate(request.headers.get("accept"), adapter.media_types)
            page_size = min(
                limit or gateway.settings.feed_page_default, gateway.settings.feed_page_max
            )
            page = await run_in_threadpool(
                read_feed,
                gateway.db,
                pillar=pillar,
                institution=institution,
                after=after,
                limit=page_size,
            )
            body = adapter.encode_feed(
                page.items,
                institution=institution,
                next_cursor=page.next_cursor,
                media_type=media_type,
            )
            read.extend(item.case_id for item in page.items)
        return Response(body, media_type=media_type)

    router.add_api_route(
        f"/{pillar}/feed",
        feed,
        methods=["GET"],
        tags=[pillar],
        summary=f"Read a {pillar} feed",
        description=f"Events for one {param}, oldest first, in the {pillar}' format (JSON or XML by "
        "the Accept header). Pass the cursor of the last item read as `after` to resume; "
        "`nextCursor` is set while more pages follow.",
        responses=answers(
            None,
            403,
            415,
            422,
            description=f"A page of the {pillar}' feed in its own format: the feed page "
            f"contract under /v1/contracts/{pillar}/.",
            media_types=("application/json", "application/xml"),
        ),
    )


def _negotiate(accept: str | None, offered: tuple[str, ...]) -> str:
    """The first offered media type the Accept header allows (JSON when it allows anything)."""
    if not accept:
        return offered[0]
    ranges = []
    for part in accept.split(","):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0:
            ranges.append((q, media.lower()))
    for _q, media in sorted(ranges, key=lambda r: -r[0]):
        if media in ("*/*", "application/*"):
            return offered[0]
        if media == "text/xml" and "application/xml" in offered:
            return "application/xml"
        if media in offered:
            return media
    raise UnsupportedMediaType(f"cannot answer in {accept}; ask for one of {', '.join(offered)}")


def _add_message_log_routes(router: APIRouter) -> None:
    @router.get(
        "/messages/{receipt_id}",
        tags=["message log"],
        summary="One message and its fate",
        responses=answers(Message, 404),
    )
    def get_message(
        receipt_id: str, request: Request, gateway: GatewayDep, client: ClientDep
    ) -> dict[str, Any]:
        """The sender (or an operator) reads back a message it sent, with its raw bytes."""
        with recorded_read(gateway, request, client) as read:
            row = message_of(gateway.db, receipt_id=receipt_id, reader=client)
            read.extend(row.case_ids)
        return message_view(row, with_body=True)

    @router.get(
        "/admin/messages",
        tags=["operators"],
        summary="Search the message log",
        responses=answers(Messages, 403, 422),
    )
    def list_messages(
        request: Request,
        gateway: GatewayDep,
        client: ClientDep,
        status: Annotated[str | None, Query(pattern="^(accepted|held|rejected|failed)$")] = None,
        pillar: str | None = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
        before: Annotated[str | None, Query(description="Receipt id to page back from.")] = None,
    ) -> dict[str, Any]:
        """Newest first; operators only."""
        with recorded_read(gateway, request, client) as read:
            require_pillar(client, "operator")
            rows = search_messages(
                gateway.db, status=status, pillar=pillar, before=before, limit=limit
            )
            read.extend(case_id for r in rows for case_id in r.case_ids)
        return {"messages": [message_view(r, with_body=False) for r in rows]}
