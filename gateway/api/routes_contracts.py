"""The contract files (JSON Schema and XSD) every pillar validates against."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse

from contracts.loader import contract_path, list_contracts
from gateway.api.deps import ClientDep
from gateway.api.responses import Contracts, answers

router = APIRouter(prefix="/v1/contracts", tags=["contracts"])


@router.get(
    "", summary="Every contract the gateway validates against", responses=answers(Contracts)
)
def get_contracts(request: Request, client: ClientDep) -> dict[str, Any]:
    """Contracts by pillar and version, with the URL of each file."""
    base = str(request.base_url).rstrip("/")
    return {
        "contracts": [
            {
                "name": ref.name,
                "pillar": ref.pillar,
                "version": ref.version,
                "media_type": ref.media_type,
                "url": f"{base}/v1/contracts/{ref.name}",
            }
            for ref in list_contracts()
        ]
    }


@router.get(
    "/{pillar}/{version}/{filename}",
    summary="One contract file",
    responses=answers(
        None,
        404,
        description="The JSON Schema or XSD file.",
        media_types=("application/schema+json", "application/xml"),
    ),
)
def get_contract(pillar: str, version: str, filename: str, client: ClientDep) -> FileResponse:
    """The file itself (``application/schema+json`` or ``application/xml``)."""
    path = contract_path(f"{pillar}/{version}/{filename}")
    media = "application/xml" if filename.endswith(".xsd") else "application/schema+json"
    return FileResponse(path, media_type=media)
