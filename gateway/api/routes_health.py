"""Liveness and readiness."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from gateway.api.deps import GatewayDep
from gateway.outbox import outbox_lag

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process is alive")
def healthz() -> dict[str, str]:
    """Always ok while the process serves requests."""
    return {"status": "ok"}


@router.get("/readyz", summary="The gateway can take traffic")
async def readyz(gateway: GatewayDep) -> JSONResponse:
    """Ready when the database answers. Reports the bus, and the relay's lag in events and
    seconds; with Kafka down the gateway still takes messages (they wait in the outbox), so
    that is reported as ``degraded``, not as not ready. ``down`` names the dependencies that
    are down (``database``, ``kafka``), each with its own error text (``database_error``,
    ``kafka_error``)."""

    def check() -> dict[str, Any]:
        report: dict[str, Any] = {"status": "ready", "mode": gateway.mode}
        try:
            with gateway.db.session() as session:
                session.exec(text("SELECT 1"))  # type: ignore[call-overload]
            report["database"] = "ok"
            pending, age = outbox_lag(gateway.db)
            report["outbox_pending"] = pending
            report["relay_lag_events"] = pending
            report["relay_lag_seconds"] = round(age, 3)
        except Exception as exc:
            report["status"] = "not ready"
            report["database"] = "unreachable"
            report["database_error"] = f"{type(exc).__name__}: {str(exc).strip()}"[:2000]
        down = [] if report.get("database") == "ok" else ["database"]
        relay = gateway.kafka_relay
        if relay is None:
            report["bus"] = "in-process"
        else:
            report["bus"] = "kafka"
            # The relay's own account of the broker: a database error it met is not Kafka's.
            report["kafka"] = relay.health.kafka
            report["relay_leader"] = relay.health.is_leader
            if relay.health.last_error:
                report["kafka_error"] = relay.health.last_error
            if relay.health.kafka != "ok":
                down.append("kafka")
                if report["status"] == "ready":
                    report["status"] = "degraded"
        report["down"] = down
        return report

    report = await run_in_threadpool(check)
    return JSONResponse(report, status_code=503 if report["status"] == "not ready" else 200)
