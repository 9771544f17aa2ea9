"""Liveness and readiness."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from gateway.api.deps import GatewayDep
from gateway.api.responses import Liveness, Readiness, answers
from gateway.bootstrap import Gateway
from gateway.services.health import database_health

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process is alive", responses=answers(Liveness))
def healthz() -> dict[str, str]:
    """Always ok while the process serves requests."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="The gateway can take traffic",
    responses=answers(Readiness)
    | answers(Readiness, status=503, description="Not ready: the database is down."),
)
async def readyz(gateway: GatewayDep) -> JSONResponse:
    """Ready (200) when the database and, in production mode, the Kafka broker answer. With
    the database down: 503, ``"status": "not ready"`` (nothing can be accepted). With only the
    broker down: 200, ``"status": "degraded"``: messages are still accepted and kept in the
    outbox, relayed when the broker returns, so a load balancer must not take every gateway out
    of service for a broker outage. ``down`` names each dependency that is down
    (``database``, ``kafka``) with its own error (``database_error``, ``kafka_error``): a
    database error is never put on the broker, nor the reverse. Reports
    the relay's lag in events and seconds and, in production mode, each pillar's worker group
    (``consumers``: group, lag, members, state, per-partition committed and end offsets), read
    from Kafka in the background (``consumers_read_at``), so that this answers at once."""

    report = await run_in_threadpool(readiness, gateway)
    return JSONResponse(report, status_code=503 if "database" in report["down"] else 200)


def readiness(gateway: Gateway) -> dict[str, Any]:
    """The readiness report of ``/readyz`` (see :func:`readyz`), also what the web console's
    health page shows: the database and the relay's lag, the bus, and in production mode the
    broker and each pillar's worker group with its lag. Blocking (reads the database)."""
    report: dict[str, Any] = {"status": "ready", "mode": gateway.mode}
    report.update(database_health(db=gateway.db))
    down = [] if report.get("database") == "ok" else ["database"]
    relay = gateway.kafka_relay
    if relay is None:
        report["bus"] = "in-process"
    else:
        report["bus"] = "kafka"
        # The relay's own account of the broker: a database error it met is not Kafka's.
        kafka = relay.health.kafka
        errors = [relay.health.last_error] if relay.health.last_error else []
        report["relay_leader"] = relay.health.is_leader
        lag = gateway.consumer_lag
        if lag is not None:
            report["consumers"] = lag.report()
            report["consumers_read_at"] = (
                dt.datetime.fromtimestamp(lag.read_at, dt.UTC).isoformat()
                if lag.read_at is not None
                else None
            )
            if lag.last_error:
                report["consumers_error"] = lag.last_error
                if lag.broker_down and (kafka == "ok" or not errors):
                    kafka = "unreachable"
                    errors.append(f"reading the workers' offsets: {lag.last_error}")
        report["kafka"] = kafka
        if errors:
            report["kafka_error"] = "; ".join(errors)[:2000]
        if kafka != "ok":
            down.append("kafka")
    if "database" in down:
        report["status"] = "not ready"
    elif down:
        report["status"] = "degraded"
    report["down"] = down
    return report
