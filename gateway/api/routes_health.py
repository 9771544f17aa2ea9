"""Liveness and readiness."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from gateway.api.deps import GatewayDep

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process is alive")
def healthz() -> dict[str, str]:
    """Always ok while the process serves requests."""
    return {"status": "ok"}


@router.get("/readyz", summary="The gateway can take traffic")
async def readyz(gateway: GatewayDep) -> JSONResponse:
    """Ready when the database answers; reports the events waiting in the outbox."""

    def check() -> dict[str, Any]:
        report: dict[str, Any] = {"status": "ready", "bus": "in-process"}
        try:
            with gateway.db.session() as session:
                session.exec(text("SELECT 1"))  # type: ignore[call-overload]
            report["database"] = "ok"
            report["outbox_pending"] = gateway.relay.pending()
        except Exception as exc:
            report["status"] = "not ready"
            report["database"] = f"unreachable: {type(exc).__name__}: {exc}"
        return report

    report = await run_in_threadpool(check)
    return JSONResponse(report, status_code=200 if report["status"] == "ready" else 503)
