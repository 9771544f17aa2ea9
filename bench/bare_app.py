"""The baseline of bench/ingest.py: FastAPI with one POST route that reads the body and answers
202, served by the same uvicorn protocol as ``icjs serve``. Everything the gateway does beyond
this is what the benchmark's ratio measures."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

app = FastAPI()


@app.post("/v1/police/messages")
async def take(request: Request) -> JSONResponse:
    """Read the whole body, answer as the gateway would (202, a small JSON receipt)."""
    body = await request.body()
    return JSONResponse({"status": "accepted", "size": len(body)}, status_code=202)
