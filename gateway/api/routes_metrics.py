"""``GET /metrics``: the Prometheus exposition, for operators' keys only."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client.exposition import choose_encoder
from starlette.concurrency import run_in_threadpool

from gateway.api.access import recorded_read_async
from gateway.api.deps import ClientDep, GatewayDep
from gateway.api.responses import answers
from gateway.services.auth import require_pillar
from gateway.services.metrics import GatewayMetrics

router = APIRouter(tags=["operators"])


@router.get(
    "/metrics",
    summary="Metrics for Prometheus",
    responses=answers(
        None,
        403,
        description="The Prometheus text format (or OpenMetrics, by the Accept header).",
        media_types=("text/plain", "application/openmetrics-text"),
    ),
    response_class=Response,
)
async def metrics(request: Request, gateway: GatewayDep, client: ClientDep) -> Response:
    """The gateway's metrics in the Prometheus text format (OpenMetrics when the Accept header
    asks for it): this process's HTTP requests and messages, and the store's outbox, relay lag,
    dead letters, statutory clocks due and overdue and, in production mode, the workers'
    consumer lag. Operators' keys only (401 without a key, 403 for a pillar's key); each scrape
    is recorded in the access log like any read."""
    async with recorded_read_async(gateway, request, client):
        require_pillar(client, "operator")
        registry = metrics_of(request).registry
        encode, media_type = choose_encoder(request.headers.get("accept", ""))
        # The store's gauges are read now, with the database's blocking calls.
        body = await run_in_threadpool(encode, registry)
    return Response(body, media_type=media_type)


def metrics_of(request: Request) -> GatewayMetrics:
    """The metrics of the app answering ``request`` (made by ``create_app``)."""
    found: GatewayMetrics = request.app.state.metrics
    return found
