"""The real request bodies of every pillar's ``POST /v1/<pillar>/messages`` in the OpenAPI
document: one schema per message type, taken from the contracts the gateway validates against,
as a ``oneOf`` with a discriminator (the member naming the message type: ``messageType`` in a
pillar's JSON, ``type`` in the police's canonical JSON), with the pillars' golden files as
examples (``gateway.services.conformance.golden_files``, the police's included), JSON and XML
alike.

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
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from contracts.loader import contract_path
from gateway.messaging.ports import PillarAdapter
from gateway.services.conformance import (
    POLICE,
    POLICE_CONTRACT,
    golden_files,
    police_message_type,
)

_URN = re.compile(r"^urn:icjs:contracts:(?P<pillar>[a-z_]+):(?P<version>v[0-9]+):(?P<file>[^#]+)$")


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
            out: dict[str, Any] = {}
            for key, value in node.items():
                if key == "$ref" and isinstance(value, str):
                    out[key] = f"#/components/schemas/{self._target(value, here)}"
                elif key == "discriminator" and isinstance(value, dict) and "mapping" in value:
                    # A discriminator's mapping names schemas by reference too.
                    out[key] = value | {
                        "mapping": {
                            tag: f"#/components/schemas/{self._target(ref, here)}"
                            for tag, ref in value["mapping"].items()
                        }
                    }
                elif key in ("$schema", "$id"):
                    continue
                else:
                    out[key] = self._rewrite(value, here)
            return out
        if isinstance(node, list):
            return [self._rewrite(item, here) for item in node]
        return node


@dataclass(frozen=True)
class MessageFormat:
    """One message type a pillar sends: its JSON contract and, for an XML pillar, its XSD and
    root element."""

    message_type: str
    json_contract: str
    xml_contract: str | None = None
    xml_root: str | None = None


@dataclass(frozen=True)
class PillarBodies:
    """What a pillar's message route accepts: the member naming the message type, its formats
    (one contract, itself a discriminated ``oneOf``, for the police), the XML namespace of an
    XML pillar, and its golden files (examples)."""

    pillar: str
    discriminator: str
    formats: tuple[MessageFormat, ...]
    namespace: str | None = None
    examples: tuple[Path, ...] = field(default_factory=tuple)


def _examples(pillar: PillarBodies, suffix: str) -> dict[str, Any]:
    """The pillar's golden messages of one syntax (``.json``, ``.xml``) as OpenAPI examples,
    keyed by file stem; only those of a message type the pillar sends (the golden folder also
    holds documents the gateway sends, and feed pages in ``feed/``). Every police golden file
    is a message the police send, of the type its ``type`` names (the file name's first part
    is not the type: ``fir.registered.walkthrough.json``)."""
    sent = {fmt.message_type for fmt in pillar.formats}
    found: dict[str, Any] = {}
    for path in pillar.examples:
        if path.suffix != suffix or path.parent.name != "golden":
            continue
        if pillar.pillar == POLICE:
            kind = police_message_type(path.read_bytes()) or path.stem
        else:
            kind = path.name.split(".", 1)[0]
            if kind not in sent:
                continue
        text = path.read_text(encoding="utf-8")
        found[path.stem] = {
            "summary": f"{kind} ({path.name})",
            "value": json.loads(text) if suffix == ".json" else text,
        }
    return found


def _xml_schema(pillar: PillarBodies) -> dict[str, Any]:
    """An XML body: OpenAPI describes XML as a string; the XSD of each message type (served
    under ``/v1/contracts``) says what the string must be."""
    lines = [
        f"- `{fmt.xml_root}` ({fmt.message_type}): XSD `/v1/contracts/{fmt.xml_contract}`"
        for fmt in pillar.formats
        if fmt.xml_contract is not None
    ]
    return {
        "type": "string",
        "contentMediaType": "application/xml",
        "description": f"One {pillar.pillar} message in XML (namespace `{pillar.namespace}`): "
        "the root element names the message type, and the document must be valid against "
        "its XSD:\n\n" + "\n".join(lines),
    }


def request_bodies(
    pillars: Iterable[PillarBodies],
) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """Per pillar, the ``requestBody`` of its message route, and the components they use.

    JSON bodies are a ``oneOf`` of the message types' contracts with a discriminator; an XML
    pillar's bodies are strings described by their XSDs. Both carry the golden examples.
    """
    bundler = _Bundler()
    bodies: dict[str, dict[str, Any]] = {}
    for pillar in pillars:
        refs = {fmt.message_type: bundler.contract(fmt.json_contract) for fmt in pillar.formats}
        schema: dict[str, Any]
        if len(refs) == 1:
            # One contract (the police's): it is the discriminated oneOf itself.
            schema = {"$ref": f"#/components/schemas/{next(iter(refs.values()))}"}
        else:
            schema = {
                "oneOf": [{"$ref": f"#/components/schemas/{c}"} for c in refs.values()],
                "discriminator": {
                    "propertyName": pillar.discriminator,
                    "mapping": {t: f"#/components/schemas/{c}" for t, c in refs.items()},
                },
            }
        content: dict[str, Any] = {"application/json": {"schema": schema}}
        if examples := _examples(pillar, ".json"):
            content["application/json"]["examples"] = examples
        if pillar.namespace is not None:
            content["application/xml"] = {"schema": _xml_schema(pillar)}
            if examples := _examples(pillar, ".xml"):
                content["application/xml"]["examples"] = examples
        bodies[pillar.pillar] = {"required": True, "content": content}
    return bodies, bundler.components


def pillar_bodies(adapters: Iterable[PillarAdapter]) -> list[PillarBodies]:
    """What each sending pillar's route accepts: the police's canonical message, then every
    adapter that describes its formats (a toolkit adapter; another keeps the generic body)."""
    found = [
        PillarBodies(
            POLICE,
            "type",
            (MessageFormat("police message", POLICE_CONTRACT),),
            examples=tuple(golden_files(POLICE)),
        )
    ]
    for adapter in adapters:
        description = getattr(adapter, "description", None)
        if description is None:
            continue
        xml = "application/xml" in adapter.media_types
        formats = tuple(
            MessageFormat(
                fmt.message_type,
                fmt.json_contract,
                fmt.xml_contract if xml else None,
                f"{description.prefix}:{fmt.root}" if xml else None,
            )
            for fmt in description.messages
            if fmt.message_type in adapter.inbound_message_types
        )
        if formats:
            found.append(
                PillarBodies(
                    adapter.pillar,
                    "messageType",
                    formats,
                    namespace=description.namespace if xml else None,
                    examples=tuple(golden_files(adapter.pillar)),
                )
            )
    return found


def feed_pages(paths: dict[str, Any], adapters: Iterable[PillarAdapter]) -> dict[str, Any]:
    """Declare each pillar's feed page (``GET /v1/<pillar>/feed``) by its contract, JSON and
    XML, in ``paths``; the components the JSON contracts use."""
    bundler = _Bundler()
    for adapter in adapters:
        description = getattr(adapter, "description", None)
        operation = paths.get(f"/v1/{adapter.pillar}/feed", {}).get("get")
        if description is None or operation is None:
            continue
        feed = description.feed
        content = (
            operation.setdefault("responses", {}).setdefault("200", {}).setdefault("content", {})
        )
        content["application/json"] = {
            "schema": {"$ref": f"#/components/schemas/{bundler.contract(feed.json_contract)}"}
        }
        if "application/xml" in adapter.media_types:
            content["application/xml"] = {
                "schema": {
                    "type": "string",
                    "contentMediaType": "application/xml",
                    "description": f"The same page in XML: `{description.prefix}:{feed.root}` "
                    f"(namespace `{description.namespace}`), valid against "
                    f"`/v1/contracts/{feed.xml_contract}`.",
                }
            }
    return bundler.components


def install(app: FastAPI, adapters: Iterable[PillarAdapter]) -> None:
    """Make ``app``'s OpenAPI document declare every pillar's real request bodies."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = generate()
        bodies, components = request_bodies(pillar_bodies(adapters))
        for pillar, body in bodies.items():
            operation = schema["paths"].get(f"/v1/{pillar}/messages", {}).get("post")
            if operation is not None:
                operation["requestBody"] = body
        components.update(feed_pages(schema["paths"], adapters))
        schema.setdefault("components", {}).setdefault("schemas", {}).update(components)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
