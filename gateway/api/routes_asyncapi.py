"""``GET /asyncapi.json``: the AsyncAPI 3.0 document of the Kafka topics, for any valid key."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from gateway.api.access import recorded_read_async
from gateway.api.deps import ClientDep, GatewayDep
from gateway.api.responses import answers
from gateway.bootstrap import Gateway
from gateway.messaging.ports import Consumer
from gateway.services.asyncapi import asyncapi_document
from gateway.services.persons.index import CONSUMER as PERSONS

router = APIRouter(tags=["documents"])


@router.get(
    "/asyncapi.json",
    summary="The AsyncAPI 3.0 document of the gateway's Kafka topics",
    responses=answers(description="An AsyncAPI 3.0 document (JSON)."),
)
async def get_asyncapi(request: Request, gateway: GatewayDep, client: ClientDep) -> dict[str, Any]:
    """The case and registry event topics (every event type, its payload's JSON schema and its
    CloudEvents headers), the workers' dead-letter topics and the audit checkpoint topic, under
    the configured topic prefix. Any valid key may read it, as the law table: it describes
    the exchange, not a case; it names the broker only when Kafka is configured. Each read is
    recorded in the access log."""
    async with recorded_read_async(gateway, request, client):
        document: dict[str, Any] | None = request.app.state.asyncapi
        if document is None:
            # Made once per app (the settings do not change while it runs).
            document = await run_in_threadpool(
                asyncapi_document, gateway.settings, dead_letter_workers(gateway)
            )
            request.app.state.asyncapi = document
    return document


def dead_letter_workers(gateway: Gateway) -> dict[str, Consumer]:
    """The workers whose failures go to a dead-letter topic, by the pillar ``icjs worker``
    takes: each pillar's feed, and the person index."""
    found: dict[str, Consumer] = dict(gateway.feeds)
    found[PERSONS] = gateway.persons
    return found
