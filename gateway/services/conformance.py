"""The conformance kit: a pillar's document checked offline as the gateway would answer it,
and every contract and golden example of every pillar written out for the pillars' own CI.

Nothing here opens a database or a socket. A document a pillar sends is read by the very
function ``POST /v1/<pillar>/messages`` reads it with
(:func:`gateway.services.ingest.authorisation.decode_message`: the contract, JSON Schema or
XSD, then the adapter's translation), its errors capped and laid out as the message log and
the HTTP answer lay them out (``{code, message, errors: [{location, message}]}``). What only
the running gateway can know is not checked: the sender's key, and the case's history (who is
seized of a case, whether an FIR or CNR is known yet: a message can be held or refused for
those at the endpoint and still be a valid document).

The golden examples are the pillars' golden files (``tests/adapters/<pillar>/golden/`` of the
source repository): an adapter's are pinned to it by the contract suite; the police's, canonical
JSON named ``<type>.<variant>.json``, by the kit's own tests. They are read from the source
tree this package runs from; an installation without it exports the contracts only.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path
from typing import Any

from lxml import etree

from canonical_model.errors import (
    MAX_PROBLEMS,
    FatalError,
    PayloadTooLarge,
    Problem,
    UnknownMessageType,
)
from contracts.loader import (
    CONTRACTS_DIR,
    ContractRef,
    list_contracts,
    parse_json,
    parse_xml,
    require_valid_json,
    require_valid_xml,
)
from contracts.toolkit.formats import Pillar
from contracts.toolkit.media import syntax_of
from gateway.errors import http_status
from gateway.services.ingest.authorisation import decode_message, sniff_type
from gateway.services.registry import AdapterRegistry

JSON = "application/json"
XML = "application/xml"
#: The pillar that sends canonical JSON (no adapter), and the contract folder it sends.
POLICE = "police"
CANONICAL = "canonical"
#: The contract of every police message: one ``oneOf`` of the types, discriminated by ``type``.
POLICE_CONTRACT = "canonical/v1/police-message.schema.json"
#: Where the pillars' golden files are kept in the source repository, per pillar.
GOLDEN_DIR = Path("tests") / "adapters"
#: The index file an export writes at the top of its folder.
INDEX_FILE = "index.json"
#: The layout of an export, named in its index.
EXPORT_FORMAT = "icjs-contracts-export/1"


class UnknownPillar(ValueError):
    """A pillar the gateway has no adapter for (the message names the ones it has)."""


@dataclass(frozen=True)
class Verdict:
    """What the gateway would make of one document: valid, or the error it would answer."""

    media_type: str
    message_type: str | None
    error: FatalError | None = None
    #: What to do about it, when the kit can tell more than the gateway's answer says.
    hint: str | None = None

    @property
    def valid(self) -> bool:
        """Whether the document passes the contract and the translation."""
        return self.error is None

    @property
    def status(self) -> int | None:
        """The HTTP status the gateway answers the error with (None when valid)."""
        return None if self.error is None else http_status(self.error)

    def as_dict(self) -> dict[str, Any]:
        """The verdict as JSON: ``valid``, ``media_type``, ``message_type``, and for an
        invalid document ``status`` and the error body the gateway answers
        (``code``, ``message``, ``errors``, ``errors_omitted`` when some were left out)."""
        body: dict[str, Any] = {
            "valid": self.valid,
            "media_type": self.media_type,
            "message_type": self.message_type,
        }
        if self.error is not None:
            body["status"] = self.status
            body.update(self.error.as_dict())
        if self.hint is not None:
            body["hint"] = self.hint
        return body


def sending_pillars(adapters: AdapterRegistry) -> list[str]:
    """The pillars that send messages: the police (canonical JSON) and every adapter's; the
    same list the HTTP API makes one ``POST /v1/<pillar>/messages`` route for."""
    return [POLICE, *(adapter.pillar for adapter in adapters)]


def require_pillar_known(adapters: AdapterRegistry, *, pillar: str) -> None:
    """Raise :class:`UnknownPillar` naming the pillars there are."""
    known = sending_pillars(adapters)
    if pillar not in known:
        raise UnknownPillar(f"unknown pillar {pillar!r}; the pillars are: {', '.join(known)}")


def media_type_for(*, name: str, body: bytes) -> str:
    """The Content-Type a document would be sent with: by its file name's suffix (``.json``,
    ``.xml``), else (stdin, other names) XML when its first character is ``<``, else JSON."""
    suffix = Path(name).suffix.lower()
    if suffix == ".json":
        return JSON
    if suffix == ".xml":
        return XML
    return XML if body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") else JSON


def check_document(
    *,
    adapters: AdapterRegistry,
    pillar: str,
    body: bytes,
    media_type: str,
    max_errors: int = 100,
    max_body_bytes: int | None = None,
    outbound: bool = False,
) -> Verdict:
    """Check one document of ``pillar`` as the gateway would, offline.

    By default the document is a message the pillar sends: it is decoded exactly as
    ``POST /v1/<pillar>/messages`` decodes it, and an error is the one that endpoint answers
    (at most ``max_errors`` located problems, as ``ICJS_MAX_ERRORS``; a body over
    ``max_body_bytes``, as ``ICJS_MAX_BODY_BYTES``, is refused with 413 as there).

    With ``outbound`` it is a document the gateway sends the pillar: a page of its feed,
    checked against the feed contract, or one document of the pillar's format (a feed
    entry), checked against its contract and read back by the adapter.

    Raises :class:`UnknownPillar` for a pillar without adapter (usage, not a document's fault).
    """
    require_pillar_known(adapters, pillar=pillar)
    cap = MAX_PROBLEMS.set(max_errors)
    try:
        if max_body_bytes is not None and len(body) > max_body_bytes:
            # The endpoint's own words (gateway.api.deps.BodyTooLarge).
            error: FatalError = PayloadTooLarge(
                f"the body is {len(body)} bytes or more; the limit is {max_body_bytes} bytes "
                "(ICJS_MAX_BODY_BYTES)"
            )
            return _refused(error, media_type=media_type, message_type=None, cap=max_errors)
        try:
            if outbound:
                message_type = _check_outbound(
                    adapters, pillar=pillar, body=body, media_type=media_type
                )
            else:
                message_type = decode_message(
                    adapters, pillar=pillar, body=body, media_type=media_type
                ).message_type
        except FatalError as failure:
            sniffed = sniff_type(adapters, pillar=pillar, body=body, media_type=media_type)
            verdict = _refused(failure, media_type=media_type, message_type=sniffed, cap=max_errors)
            if isinstance(failure, UnknownMessageType) and not outbound:
                return _with_outbound_hint(
                    verdict, adapters=adapters, pillar=pillar, body=body, media_type=media_type
                )
            return verdict
        return Verdict(media_type=media_type, message_type=message_type)
    finally:
        MAX_PROBLEMS.reset(cap)


def _refused(error: FatalError, *, media_type: str, message_type: str | None, cap: int) -> Verdict:
    # As the message log keeps it (gateway.services.ingest.receipts.Outcomes.rejected).
    error.capped(cap)
    return Verdict(media_type=media_type, message_type=message_type, error=error)


def _with_outbound_hint(
    verdict: Verdict, *, adapters: AdapterRegistry, pillar: str, body: bytes, media_type: str
) -> Verdict:
    """The verdict with a hint when the document is one the gateway sends the pillar (a
    charge sheet sent to a court as if the court sent it): the error stays the gateway's."""
    if pillar == POLICE:
        return verdict
    try:
        kind = _check_outbound(adapters, pillar=pillar, body=body, media_type=media_type)
    except FatalError:
        return verdict
    hint = (
        f"{kind!r} is a document the gateway sends {pillar}, not one {pillar} send: "
        "check it with --outbound"
    )
    return replace(verdict, hint=hint)


def _description(adapters: AdapterRegistry, pillar: str) -> Pillar | None:
    """The toolkit's description of a pillar's formats, when its adapter is built on the
    toolkit (a third party's adapter need not be)."""
    description = getattr(adapters.get(pillar), "description", None)
    return description if isinstance(description, Pillar) else None


def _check_outbound(adapters: AdapterRegistry, *, pillar: str, body: bytes, media_type: str) -> str:
    if pillar == POLICE:
        raise UnknownMessageType(
            "the gateway sends the police system no documents of a pillar format: "
            "check police messages without --outbound",
            [Problem("/", "the police read cases over the API, not a feed")],
        )
    adapter = adapters.get(pillar)
    description = _description(adapters, pillar)
    if description is not None:
        # UnsupportedMediaType naming the pillar's types, as the adapter says it.
        syntax = syntax_of(media_type, description)
        if syntax == "xml":
            root = parse_xml(body)
            qname = etree.QName(root)
            if (qname.namespace, qname.localname) == (description.namespace, description.feed.root):
                require_valid_xml(description.feed.xml_contract, root)
                return description.feed.message_type
        else:
            document = parse_json(body)
            # A feed page names whose feed it is and carries no messageType (a message does).
            if (
                isinstance(document, dict)
                and "messageType" not in document
                and description.institution_member in document
            ):
                require_valid_json(description.feed.json_contract, document)
                return description.feed.message_type
    return adapter.decode(body, media_type=media_type).message_type


# -- export --------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportedFile:
    """One file an export wrote, as its index lists it."""

    path: str
    media_type: str
    sha256: str
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The index entry."""
        return {
            "path": self.path,
            "media_type": self.media_type,
            "sha256": self.sha256,
            **self.extra,
        }


@dataclass
class Export:
    """What :func:`export_contracts` wrote: the index and the pillars without examples."""

    index: dict[str, Any]
    files: int
    without_examples: list[str]


def exported_schema_path(contract: str) -> str:
    """Where an export writes contract ``courts/v1/hearing.xsd``: ``courts/schemas/v1/hearing.xsd``
    (a version's files stay side by side, so that their relative references hold)."""
    ref = ContractRef.parse(contract)
    return f"{ref.pillar}/schemas/{ref.version}/{ref.filename}"


def golden_dir(pillar: str) -> Path:
    """The folder of ``pillar``'s golden files in the source tree this package runs from
    (it may not exist in an installed package)."""
    return CONTRACTS_DIR.parent / GOLDEN_DIR / pillar / "golden"


def golden_files(pillar: str) -> list[Path]:
    """Every golden file of ``pillar`` (messages, and feed pages under ``feed/``), sorted."""
    folder = golden_dir(pillar)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".json", ".xml"))


def police_message_type(data: bytes) -> str | None:
    """The message type a police document names (its ``type``), None when it names none."""
    try:
        document = json.loads(data)
    except ValueError:
        return None
    kind = document.get("type") if isinstance(document, dict) else None
    return kind if isinstance(kind, str) else None


def export_contracts(*, adapters: AdapterRegistry, target: Path) -> Export:
    """Write every contract and every golden example of every pillar into ``target``
    (which the caller has made sure is empty or may be written over), with ``index.json``.

    Layout: ``<pillar>/schemas/<version>/<file>`` for the contracts (the police send the
    ``canonical`` ones), ``<pillar>/examples/<file>`` for the golden messages and
    ``<pillar>/examples/feed/<file>`` for golden feed pages; the police's examples are beside
    their contracts, in ``canonical/examples/``."""
    written = 0
    contract_pillars: dict[str, list[ExportedFile]] = {}
    folders: set[tuple[str, str]] = set()
    for ref in list_contracts():
        relative = exported_schema_path(ref.name)
        data = ref.path.read_bytes()
        _write(target / relative, data)
        written += 1
        contract_pillars.setdefault(ref.pillar, []).append(
            ExportedFile(relative, ref.media_type, _sha256(data), {"contract": ref.name})
        )
        folders.add((ref.pillar, ref.version))
    documentation: dict[str, list[ExportedFile]] = {}
    for pillar, version in sorted(folders):
        # A contract folder's README says where the format comes from and what it means.
        readme = CONTRACTS_DIR / pillar / version / "README.md"
        if readme.is_file():
            relative = f"{pillar}/schemas/{version}/README.md"
            data = readme.read_bytes()
            _write(target / relative, data)
            written += 1
            documentation.setdefault(pillar, []).append(
                ExportedFile(relative, "text/markdown", _sha256(data))
            )
    pillars: dict[str, Any] = {}
    without_examples: list[str] = []
    for pillar in sending_pillars(adapters):
        folder = CANONICAL if pillar == POLICE else pillar
        examples = _export_examples(adapters, pillar=pillar, folder=folder, target=target)
        written += len(examples)
        if not examples:
            without_examples.append(pillar)
        pillars[pillar] = {
            "sends_to": f"POST /v1/{pillar}/messages",
            "schemas": [f.as_dict() for f in contract_pillars.pop(folder, [])],
            "documentation": [f.as_dict() for f in documentation.pop(folder, [])],
            "examples": [f.as_dict() for f in examples],
        }
    for folder, files in sorted(contract_pillars.items()):
        # A contract folder no sending pillar owns: listed all the same.
        pillars[folder] = {
            "schemas": [f.as_dict() for f in files],
            "documentation": [f.as_dict() for f in documentation.pop(folder, [])],
            "examples": [],
        }
    index = {
        "format": EXPORT_FORMAT,
        "gateway_version": _version(),
        "layout": {
            "schemas": "<pillar>/schemas/<version>/<file> (JSON Schema 2020-12 and XSD 1.0; "
            "references are to sibling files), with the format's README.md",
            "examples": "<pillar>/examples/<file>; feed pages under <pillar>/examples/feed/",
        },
        "check": "icjs contracts check --pillar <pillar> FILE... "
        "(add --outbound for the examples whose direction is 'out')",
        "pillars": pillars,
    }
    _write(target / INDEX_FILE, (json.dumps(index, indent=2, ensure_ascii=False) + "\n").encode())
    return Export(index=index, files=written + 1, without_examples=without_examples)


def _export_examples(
    adapters: AdapterRegistry, *, pillar: str, folder: str, target: Path
) -> list[ExportedFile]:
    source = golden_dir(pillar)
    inbound = set(adapters.get(pillar).inbound_message_types) if pillar in adapters else set()
    description = _description(adapters, pillar) if pillar in adapters else None
    exported: list[ExportedFile] = []
    for path in golden_files(pillar):
        relative = f"{folder}/examples/{path.relative_to(source).as_posix()}"
        data = path.read_bytes()
        _write(target / relative, data)
        media_type = media_type_for(name=path.name, body=data)
        extra: dict[str, Any]
        if pillar == POLICE:
            # A police type has a dot of its own (fir.registered.walkthrough.json): the
            # document names it, and every police example is a message the police send.
            extra = {
                "message_type": police_message_type(data),
                "direction": "in",
                "schema": exported_schema_path(POLICE_CONTRACT),
            }
            exported.append(ExportedFile(relative, media_type, _sha256(data), extra))
            continue
        message_type = path.name.split(".", 1)[0]
        is_feed_page = path.parent != source
        extra = {
            "message_type": message_type,
            "direction": "in" if message_type in inbound and not is_feed_page else "out",
        }
        schema = _schema_of(description, message_type=message_type, media_type=media_type)
        if schema is not None:
            extra["schema"] = exported_schema_path(schema)
        exported.append(ExportedFile(relative, media_type, _sha256(data), extra))
    return exported


def _schema_of(description: Pillar | None, *, message_type: str, media_type: str) -> str | None:
    if description is None:
        return None
    formats = {**description.by_type, description.feed.message_type: description.feed}
    fmt = formats.get(message_type)
    if fmt is None:
        return None
    return fmt.xml_contract if media_type == XML else fmt.json_contract


def _version() -> str | None:
    try:
        return metadata.version("icjs-gateway")
    except metadata.PackageNotFoundError:
        return None


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_empty_dir(path: Path) -> bool:
    """Whether ``path`` does not exist or is an empty folder."""
    return not path.exists() or (path.is_dir() and not any(path.iterdir()))
