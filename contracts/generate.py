"""Generate ``contracts/canonical/v1/`` from the pydantic models of ``canonical_model``.

Run ``python -m contracts.generate`` (``make contracts``) after changing the
model; a test fails while the committed files differ from what this writes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, Literal, Union, cast

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, create_model

from canonical_model.events import EVENT_PAYLOADS, CloudEvent
from canonical_model.lifecycle import CaseStatus
from canonical_model.messages import POLICE_MESSAGE_TYPES

CANONICAL_DIR = Path(__file__).parent / "canonical" / "v1"
SCHEMA_ID_BASE = "urn:icjs:contracts:canonical:v1:"


def _message_model(message_type: str) -> type[BaseModel]:
    """The canonical inbound envelope ``{"type": ..., "data": ...}`` for one message type."""
    payload = EVENT_PAYLOADS[message_type]
    name = "".join(p.capitalize() for p in message_type.replace(".", "_").split("_")) + "Message"
    model: type[BaseModel] = create_model(
        name,
        __config__=ConfigDict(extra="forbid"),
        type=(cast(Any, Literal[message_type]), Field(description="The message type.")),
        id=(str | None, Field(default=None, description="The sender's own message id, if any.")),
        data=(payload, ...),
    )
    return model


def _finish(schema: dict[str, Any], filename: str, title: str) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID_BASE + filename,
        **{k: v for k, v in schema.items() if k != "title"},
        "title": title,
    }


def build_schemas() -> dict[str, dict[str, Any]]:
    """Every canonical schema by file name."""
    schemas: dict[str, dict[str, Any]] = {}
    for name, payload in sorted(EVENT_PAYLOADS.items()):
        filename = f"{name}.schema.json"
        schemas[filename] = _finish(
            payload.model_json_schema(mode="validation"), filename, f"data of icjs.{name} (v1)"
        )
    union: Any = Union[tuple(_message_model(t) for t in POLICE_MESSAGE_TYPES)]  # noqa: UP007
    tagged: Any = Annotated[union, Field(discriminator="type")]
    police = TypeAdapter(tagged).json_schema(mode="validation")
    schemas["police-message.schema.json"] = _finish(
        police, "police-message.schema.json", "a message from the police system (v1)"
    )
    schemas["cloudevent.schema.json"] = _finish(
        CloudEvent.model_json_schema(mode="validation"),
        "cloudevent.schema.json",
        "a lifecycle event envelope (v1)",
    )
    schemas["case-status.schema.json"] = _finish(
        CaseStatus.model_json_schema(mode="serialization"),
        "case-status.schema.json",
        "a case's status (v1)",
    )
    return schemas


def render(schema: dict[str, Any]) -> str:
    """The exact text a schema is committed as."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    """Write the schemas; print what changed."""
    CANONICAL_DIR.mkdir(parents=True, exist_ok=True)
    schemas = build_schemas()
    for filename, schema in schemas.items():
        path = CANONICAL_DIR / filename
        text = render(schema)
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    for stale in sorted(set(p.name for p in CANONICAL_DIR.glob("*.schema.json")) - set(schemas)):
        (CANONICAL_DIR / stale).unlink()
        print(f"removed {CANONICAL_DIR / stale}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
