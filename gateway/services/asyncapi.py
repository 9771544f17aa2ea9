"""The AsyncAPI 3.0 document of the gateway's Kafka topics, made from the code.

* ``<prefix>.<family>.v1`` (``icjs.case.v1``, ``icjs.registry.v1``): every canonical event, one
  channel per event family (``EventPayload.family``, as ``gateway.services.ingest.append``
  routes the outbox), each event a message whose payload is the JSON schema of its pydantic
  model. The records are CloudEvents 1.0 in the binary content mode of the CloudEvents Kafka
  protocol binding: the attributes are ``ce_*`` headers (``gateway.messaging.kafka.codec``),
  the value is the event data, the key the case id.
* ``<prefix>.dlq.<pillar>`` (``icjs.dlq.courts``): the events a pillar's workers gave up on,
  as they came, with the ``icjs_error``, ``icjs_attempts``, ``icjs_origin``,
  ``icjs_consumer`` and ``icjs_dead_letter_id`` headers (``gateway.messaging.kafka.worker``).
* ``<prefix>.audit.v1``: the audit chain's signed checkpoints (``gateway.services.audit_ops``).

Topic names carry the configured prefix (``ICJS_KAFKA_TOPIC_PREFIX``). The document is built
the same way every time (sorted keys, models in sorted order), so it can be compared and
committed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from pydantic import TypeAdapter
from pydantic.json_schema import models_json_schema

from canonical_model.events import EVENT_PAYLOADS, CloudEvent, EventPayload
from gateway.messaging.kafka.topics import dlq_topic, kafka_topic
from gateway.messaging.ports import Consumer
from gateway.services.audit_ops import audit_topic
from gateway.settings import Settings
from gateway.store.audit import Checkpoint

ASYNCAPI_VERSION = "3.0.0"
#: The CloudEvents attributes that travel as headers, and the one that is the value.
_VALUE_ATTRIBUTE = "data"
_CONTENT_TYPE_ATTRIBUTE = "datacontenttype"
#: What a dead letter's record carries besides the event's own headers.
DEAD_LETTER_HEADERS = {
    "icjs_error": "The error the consumer last failed with.",
    "icjs_attempts": "How many times the consumer tried (decimal).",
    "icjs_origin": "Where the event came from (the relay, a replay).",
    "icjs_consumer": "The consumer that gave up on it (feed.courts, persons).",
    "icjs_dead_letter_id": "The dead letter's id (POST /v1/admin/dead-letters/{id}/replay).",
}
SCHEMA_REF = "#/components/schemas/{model}"


def logical_topic(family: str) -> str:
    """The logical topic of an event family (``icjs.case.v1``), as the outbox names it."""
    return f"icjs.{family}.v1"


def message_name(payload: type[EventPayload]) -> str:
    """The component name of an event's message (``fir.registered``)."""
    return payload.name


def _header_schema() -> dict[str, Any]:
    """The ``ce_*`` headers of a binary-mode record: every CloudEvent attribute but the data
    (the value) and the data's content type (the ``content-type`` header)."""
    envelope = CloudEvent.model_json_schema()
    properties: dict[str, Any] = {}
    for name, attribute in envelope["properties"].items():
        if name in (_VALUE_ATTRIBUTE, _CONTENT_TYPE_ATTRIBUTE):
            continue
        schema = {"type": "string"}
        if "description" in attribute:
            schema["description"] = attribute["description"]
        properties[f"ce_{name}"] = schema
    properties["ce_subject"]["description"] = "The gateway's case id (none for registry events)."
    properties["ce_type"]["description"] = "The event type: icjs.<name> (icjs.fir.registered)."
    properties["content-type"] = {"type": "string", "const": "application/json"}
    required = [
        f"ce_{name}"
        for name in envelope.get("required", [])
        if name not in (_VALUE_ATTRIBUTE, _CONTENT_TYPE_ATTRIBUTE)
    ]
    # Attributes with a default (specversion) are always written too.
    required = sorted({*required, "ce_specversion", "content-type"})
    return {"type": "object", "properties": properties, "required": required}


def _schemas(models: list[type[EventPayload]]) -> tuple[dict[str, str], dict[str, Any]]:
    """JSON schemas of ``models`` (as serialised) as AsyncAPI components: each model's
    component name, and every schema they use."""
    keyed, top = models_json_schema(
        [(model, "serialization") for model in models], ref_template=SCHEMA_REF
    )
    names = {model.__name__: keyed[(model, "serialization")]["$ref"] for model in models}
    return (
        {name: ref.rsplit("/", 1)[1] for name, ref in names.items()},
        _asyncapi_schema(top.get("$defs", {})),
    )


def _asyncapi_schema(node: Any) -> Any:
    """An OpenAPI-style discriminator object (pydantic's) as the AsyncAPI Schema's
    discriminator, which is the property name alone."""
    if isinstance(node, dict):
        out = {key: _asyncapi_schema(value) for key, value in node.items()}
        discriminator = out.get("discriminator")
        if isinstance(discriminator, dict):
            out["discriminator"] = discriminator["propertyName"]
        return out
    if isinstance(node, list):
        return [_asyncapi_schema(item) for item in node]
    return node


def asyncapi_document(settings: Settings, workers: Mapping[str, Consumer]) -> dict[str, Any]:
    """The AsyncAPI 3.0 document of the gateway's topics under ``settings``; ``workers`` are
    the consumers whose failures go to a dead-letter topic, by the pillar ``icjs worker``
    names (each pillar's feed, and the person index's ``persons``)."""
    payloads = [EVENT_PAYLOADS[name] for name in sorted(EVENT_PAYLOADS)]
    component_of, schemas = _schemas(list(payloads))
    # The checkpoint is a dataclass (``Checkpoint.as_dict`` is what is published).
    schemas["Checkpoint"] = TypeAdapter(Checkpoint).json_schema(
        mode="serialization", ref_template=SCHEMA_REF
    )
    schemas["CloudEventHeaders"] = _header_schema()
    dead_headers = {
        "allOf": [
            {"$ref": "#/components/schemas/CloudEventHeaders"},
            {
                "type": "object",
                "properties": {
                    name: {"type": "string", "description": text}
                    for name, text in DEAD_LETTER_HEADERS.items()
                },
                "required": sorted(DEAD_LETTER_HEADERS),
            },
        ]
    }
    schemas["DeadLetterHeaders"] = dead_headers

    messages: dict[str, Any] = {}
    families: dict[str, list[str]] = defaultdict(list)
    for payload in payloads:
        name = message_name(payload)
        families[payload.family].append(name)
        messages[name] = {
            "name": payload.event_type(),
            "title": payload.event_type(),
            "summary": (payload.__doc__ or name).strip().split("\n\n", 1)[0],
            "contentType": "application/json",
            "headers": {
                "allOf": [
                    {"$ref": "#/components/schemas/CloudEventHeaders"},
                    {
                        "type": "object",
                        "properties": {"ce_type": {"const": payload.event_type()}},
                    },
                ]
            },
            "payload": {"$ref": f"#/components/schemas/{component_of[payload.__name__]}"},
            "correlationId": {
                "description": "The event's id (also the CloudEvent id).",
                "location": "$message.header#/ce_id",
            },
            "bindings": {
                "kafka": {
                    "key": {
                        "type": "string",
                        "description": "The case id (case events), so that one case's events "
                        "keep their order on one partition.",
                    },
                    "bindingVersion": "0.5.0",
                }
            },
        }
    messages["audit.checkpoint"] = {
        "name": "audit.checkpoint",
        "title": "A signed checkpoint of the audit chain",
        "summary": "The chain's head, signed with the gateway's Ed25519 key, for a third party "
        "to hold.",
        "contentType": "application/json",
        "headers": {
            "type": "object",
            "properties": {"icjs_kind": {"type": "string", "const": "audit.checkpoint"}},
            "required": ["icjs_kind"],
        },
        "payload": {"$ref": "#/components/schemas/Checkpoint"},
        "bindings": {
            "kafka": {
                "key": {"type": "string", "description": "The signing key's id."},
                "bindingVersion": "0.5.0",
            }
        },
    }

    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for family, names in sorted(families.items()):
        channel = f"{family}Events"
        channels[channel] = {
            "address": kafka_topic(settings, logical_topic(family)),
            "title": f"{family} events",
            "description": f"Every `{family}` event the gateway accepted, in the order it "
            "accepted them per key, at least once (consumers dedupe by `ce_id`).",
            "messages": {n: {"$ref": f"#/components/messages/{n}"} for n in names},
        }
        operations[f"publish{family.capitalize()}Events"] = {
            "action": "send",
            "title": f"The outbox relay publishes {family} events",
            "channel": {"$ref": f"#/channels/{channel}"},
            "messages": [{"$ref": f"#/channels/{channel}/messages/{n}"} for n in names],
        }
    for pillar, consumer in sorted(workers.items()):
        wanted = [message_name(p) for p in payloads if consumer.wants(p.event_type())]
        channel = f"deadLetters_{pillar}"
        channels[channel] = {
            "address": dlq_topic(settings, pillar),
            "title": f"dead letters of the {pillar} workers",
            "description": f"Events the `icjs worker {pillar}` consumers gave up on, as they "
            "came, with the error and attempts in headers; replayed with "
            "`POST /v1/admin/dead-letters/{id}/replay`.",
            "messages": {
                n: {
                    "name": f"dead {n}",
                    "contentType": "application/json",
                    "headers": {"$ref": "#/components/schemas/DeadLetterHeaders"},
                    "payload": messages[n]["payload"],
                }
                for n in wanted
            },
        }
        operations[f"deadLetter_{pillar}"] = {
            "action": "send",
            "title": f"The {pillar} workers dead-letter an event",
            "channel": {"$ref": f"#/channels/{channel}"},
            "messages": [{"$ref": f"#/channels/{channel}/messages/{n}"} for n in wanted],
        }
    channels["auditCheckpoints"] = {
        "address": audit_topic(settings),
        "title": "audit checkpoints",
        "description": "Signed checkpoints of the audit hash chain (`icjs audit checkpoint`).",
        "messages": {"checkpoint": {"$ref": "#/components/messages/audit.checkpoint"}},
    }
    operations["publishAuditCheckpoint"] = {
        "action": "send",
        "title": "The gateway publishes a signed checkpoint",
        "channel": {"$ref": "#/channels/auditCheckpoints"},
        "messages": [{"$ref": "#/channels/auditCheckpoints/messages/checkpoint"}],
    }

    document: dict[str, Any] = {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {
            "title": "ICJS Gateway: Kafka topics",
            "version": "1",
            "description": "The case lifecycle events the gateway carries between the pillars, "
            "as CloudEvents 1.0 in the binary content mode (attributes as `ce_*` headers, the "
            "event data as the value, keyed by case id), the dead letters of its workers and "
            "its signed audit checkpoints. The same events reach each pillar's feed over HTTP "
            "(`GET /v1/<pillar>/feed`).",
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "operations": operations,
        "components": {"schemas": dict(sorted(schemas.items())), "messages": messages},
    }
    if settings.kafka_bootstrap_servers:
        first = settings.kafka_bootstrap_servers.split(",", 1)[0].strip()
        document["servers"] = {
            "kafka": {
                "host": first,
                "protocol": "kafka",
                "description": "A bootstrap server of the gateway's Kafka cluster.",
            }
        }
    return document
