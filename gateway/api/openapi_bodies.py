"""The real request bodies of every pillar's ``POST /v1/<pillar>/messages`` in the OpenAPI
document: one schema per message type, taken from the contracts the gateway validates against.

The contracts are JSON Schema 2020-12 files that refer to each other by URN
(``urn:icjs:contracts:courts:v1:common.schema.json#/$defs/cnr``); OpenAPI 3.1 speaks the same
JSON Schema but resolves references inside the document, so each contract (and each
definition it uses) becomes a component and every reference points at its component. A client
generator or a fuzzer then sees exactly the shapes the gateway accepts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from fastapi import FastAPI

from contracts.loader import contract_path
from gateway.messaging.ports import PillarAdapter

_URN = re.compile(r"^urn:icjs:contracts:(?P<pillar>[a-z_]+):(?P<version>v[0-9]+):(?P<file>[^#]+)$")
#: The canonical contract of every police message (``{"type", "data"}``).
POLICE_CONTRACT = "canonical/v1/police-message.schema.json"


def _component(name: str, pointer: str = "") -> str:
    """The component name of a contract (``courts/v1/hearing.schema.json``) or of one of its
    definitions (``#/$defs/cnr``)."""
    stem = name.removesuffix(".schema.json").replace("/", "_").replace(".", "_")
    if not pointer:
        return stem
    return f"{stem}__{pointer.rsplit('/', 1)[-1]}"


@cache
def _load(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(contract_path(name).read_text())
    return document


class _Bundler:
    """Collects contracts and the definitions they use as OpenAPI components."""

    def __init__(self) -> None:
        self.components: dict[str, Any] = {}

    def contract(self, name: str) -> str:
        """Add contract ``name`` (and everything it refers to); its component's name."""
        component = _component(name)
        if component not in self.components:
            self.components[component] = {}  # placeholder: references may come back to it
            schema = {k: v for k, v in _load(name).items() if k not in ("$schema", "$id", "$defs")}
            self.components[component] = self._rewrite(schema, name)
        return component

    def definition(self, name: str, pointer: str) -> str:
        """Add the definition at ``pointer`` (``#/$defs/cnr``) of contract ``name``."""
        component = _component(name, pointer)
        if component not in self.components:
            self.components[component] = {}
            node: Any = _load(name)
            for part in pointer.lstrip("#/").split("/"):
                node = node[part]
            self.components[component] = self._rewrite(node, name)
        return component

    def _target(self, ref: str, here: str) -> str:
        location, _, pointer = ref.partition("#")
        if not location:
            name = here
        else:
            match = _URN.match(location)
            if match is None:
                raise ValueError(f"{here}: cannot bundle the reference {ref!r}")
            name = f"{match['pillar']}/{match['version']}/{match['file']}"
        if not pointer:
            return self.contract(name)
        return self.definition(name, "#" + pointer)

    def _rewrite(self, node: Any, here: str) -> Any:
        if isinstance(node, dict):
            out = {}
            for key, value in node.items():
                if key == "$ref" and isinstance(value, str):
                    out[key] = f"#/components/schemas/{self._target(value, here)}"
                elif key in ("$schema", "$id"):
                    continue
                else:
                    out[key] = self._rewrite(value, here)
            return out
        if isinstance(node, list):
            return [self._rewrite(item, here) for item in node]
        return node


def request_bodies(
    pillars: Iterable[tuple[str, list[str], bool]],
) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """Per pillar, the ``requestBody`` of its message route, and the components they use.

    ``pillars`` gives each pillar's name, the JSON contracts of its inbound messages and
    whether it also speaks XML (whose schema is the XSD beside each contract, served under
    ``/v1/contracts``: OpenAPI describes XML bodies only as strings).
    """
    bundler = _Bundler()
    bodies: dict[str, dict[str, Any]] = {}
    for pillar, contracts, xml in pillars:
        refs = [{"$ref": f"#/components/schemas/{bundler.contract(c)}"} for c in contracts]
        schema = refs[0] if len(refs) == 1 else {"oneOf": refs}
        content: dict[str, Any] = {"application/json": {"schema": schema}}
        if xml:
            content["application/xml"] = {
                "schema": {
                    "type": "string",
                    "description": "The same messages in the pillar's XML (XSDs under "
                    f"/v1/contracts/{pillar}/).",
                }
            }
        bodies[pillar] = {"required": True, "content": content}
    return bodies, bundler.components


def install(app: FastAPI, adapters: Iterable[PillarAdapter]) -> None:
    """Make ``app``'s OpenAPI document declare every pillar's real request bodies."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = generate()
        pillars: list[tuple[str, list[str], bool]] = [("police", [POLICE_CONTRACT], False)]
        for adapter in adapters:
            # A toolkit adapter describes its formats; another keeps the generic body.
            description = getattr(adapter, "description", None)
            if description is None:
                continue
            contracts = [
                fmt.json_contract
                for fmt in description.messages
                if fmt.message_type in adapter.inbound_message_types
            ]
            if contracts:
                pillars.append(
                    (adapter.pillar, contracts, "application/xml" in adapter.media_types)
                )
        bodies, components = request_bodies(pillars)
        for pillar, body in bodies.items():
            operation = schema["paths"].get(f"/v1/{pillar}/messages", {}).get("post")
            if operation is not None:
                operation["requestBody"] = body
        schema.setdefault("components", {}).setdefault("schemas", {}).update(components)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
