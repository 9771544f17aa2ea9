"""The OpenAPI document finished from the code: who needs a key, and the one error body.

FastAPI writes each route's parameters and the responses the route declares
(:func:`gateway.api.responses.answers`). What every keyed route shares is added here, read from
the routes themselves rather than listed by hand:

* a route that depends on :func:`gateway.api.deps.get_client` needs an API key: it gets the
  bearer security scheme (and loses the ``authorization`` header parameter the dependency
  reads, which the scheme replaces), and the answers every such route can give: 401 (no or an
  unknown key), 429 (the key's rate limit) and 503 (the database away);
* FastAPI documents its parameter errors as its own ``HTTPValidationError``; the gateway answers
  them in its error body (``gateway/api/app.py``), so every such reference becomes ``Error``;
* a route that returns ``dict[str, Any]`` and names its model in ``responses`` gets the two
  schemas merged by FastAPI; the model alone is kept, so that a generator makes its class.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from gateway.api.deps import get_client
from gateway.api.responses import ERROR_STATUS_MEANING

#: The name of the bearer security scheme in ``components.securitySchemes``.
SCHEME = "apiKey"
ERROR_REF = "#/components/schemas/Error"
#: FastAPI's own error schemas, which the gateway never answers with.
_FASTAPI_ERRORS = ("HTTPValidationError", "ValidationError")
#: What every route that takes a key can answer besides its own errors.
KEYED_ERRORS = (401, 429, 503)


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any] | None]:
    for dependency in dependant.dependencies:
        yield dependency.call
        yield from _calls(dependency)


def needs_key(route: APIRoute) -> bool:
    """Whether the route authenticates its caller by API key."""
    return any(call is get_client for call in _calls(route.dependant))


def _error(status: int) -> dict[str, Any]:
    return {
        "description": ERROR_STATUS_MEANING[status],
        "content": {"application/json": {"schema": {"$ref": ERROR_REF}}},
    }


def _replace_validation_errors(node: Any) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.rsplit("/", 1)[-1] in _FASTAPI_ERRORS:
            return {"$ref": ERROR_REF}
        return {key: _replace_validation_errors(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_replace_validation_errors(item) for item in node]
    return node


def finish(app: FastAPI, document: dict[str, Any]) -> None:
    """Add the security scheme and the errors every keyed route answers to ``document``, and
    document parameter errors in the gateway's error body."""
    components = document.setdefault("components", {})
    components.setdefault("securitySchemes", {})[SCHEME] = {
        "type": "http",
        "scheme": "bearer",
        "description": "The API key of a client (`icjs clients add --pillar P --institution I`), "
        "sent as `Authorization: Bearer <key>`. A key is bound to one pillar and one "
        "institution: what it may send and read follows from them.",
    }
    paths = document.get("paths", {})
    # The routes as the document lists them (included routers resolved, prefixes applied).
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute) or not context.include_in_schema:
            continue
        keyed = needs_key(route)
        for method in context.methods or ():
            operation = paths.get(context.path_format, {}).get(method.lower())
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            for response in responses.values():
                for body in response.get("content", {}).values():
                    schema = body.get("schema", {})
                    if "$ref" in schema:
                        # A route returning dict[str, Any] that names its model in
                        # `responses` gets both merged; the model alone is the answer's schema.
                        body["schema"] = {"$ref": schema["$ref"]}
            if "422" in responses:
                responses["422"]["description"] = ERROR_STATUS_MEANING[422]
            if not keyed:
                continue
            operation["security"] = [{SCHEME: []}]
            parameters = [
                p
                for p in operation.get("parameters", [])
                if not (p.get("in") == "header" and p.get("name", "").lower() == "authorization")
            ]
            if parameters:
                operation["parameters"] = parameters
            else:
                operation.pop("parameters", None)
            for status in KEYED_ERRORS:
                responses.setdefault(str(status), _error(status))
            # Statuses in order, as a reader scans them.
            operation["responses"] = dict(sorted(responses.items()))
    document["paths"] = _replace_validation_errors(paths)
    schemas = components.get("schemas", {})
    for name in _FASTAPI_ERRORS:
        schemas.pop(name, None)


def install(app: FastAPI) -> None:
    """Finish ``app``'s OpenAPI document once, when it is first made (after the request bodies
    of ``gateway.api.openapi_bodies``, whose ``install`` must come first)."""
    generate = app.openapi
    finished: list[bool] = []

    def openapi() -> dict[str, Any]:
        document = generate()
        if not finished:
            finish(app, document)
            finished.append(True)
        return document

    app.openapi = openapi  # type: ignore[method-assign]
