"""The laboratory formats: their message types, contracts, XML layout and how their fields line
up with the canonical model.

Both directions of the translator read these tables, so a field is named in one place only. A
laboratory document is first a JSON-shaped tree (the JSON format itself, or an XML document read
into the same tree); :data:`Shape` tables say which laboratory field carries which canonical
field.
"""

from __future__ import annotations

from contracts.toolkit import Field, Format, Pillar, Shape

#: The XML namespace of every laboratory document.
NAMESPACE = "urn:icjs:forensics:v1"
#: Where the contracts of these formats live, under the ``contracts`` package.
CONTRACT_FOLDER = "forensics/v1"

EXAMINATION_REQUEST = Format(
    "examination_request", "examinationRequest", "examination-request", CONTRACT_FOLDER
)
ACKNOWLEDGEMENT = Format("acknowledgement", "acknowledgement", "acknowledgement", CONTRACT_FOLDER)
CUSTODY = Format("custody", "custody", "custody", CONTRACT_FOLDER)
REPORT = Format("report", "report", "report", CONTRACT_FOLDER)
REPORT_REVISION = Format("report_revision", "reportRevision", "report-revision", CONTRACT_FOLDER)
#: A page of the examination-request feed: a document the gateway serves, never a message.
EXAMINATION_REQUEST_FEED = Format(
    "examination_request_feed",
    "examinationRequestFeed",
    "examination-request-feed",
    CONTRACT_FOLDER,
)

#: The laboratory formats as the shared toolkit reads and writes them. XML layout: a JSON
#: array is a run of repeated XML elements with the item name below; every other JSON member
#: is an XML element of the same name, in the order of the XSD.
PILLAR = Pillar(
    name="forensics",
    noun="laboratory",
    speakers="forensic laboratories",
    namespace=NAMESPACE,
    prefix="f",
    contract_folder=CONTRACT_FOLDER,
    messages=(ACKNOWLEDGEMENT, CUSTODY, REPORT, REPORT_REVISION, EXAMINATION_REQUEST),
    feed=EXAMINATION_REQUEST_FEED,
    institution_member="lab",
    list_items={
        "examinations": "examination",
        "exhibits": "exhibit",
        "chainOfCustody": "custodyEntry",
        "exhibitsReceived": "receivedExhibit",
        "findings": "finding",
        "attachments": "attachment",
        "items": "item",
    },
    containers=frozenset(
        {
            "attachment",
            "by",
            "custodyEntry",
            "examinationRequest",
            "examiner",
            "exhibit",
            "finding",
            "item",
            "requestingOfficer",
            "seizedBy",
            "seizedFrom",
        }
    ),
    integers=frozenset({"pages"}),
    booleans=frozenset({"sealIntact"}),
)

# -- field correspondence -------------------------------------------------------------------
# A laboratory field and the canonical field it carries (toolkit ``Field``).

OFFICER: Shape = (
    Field("name", "name"),
    Field("rank", "rank"),
    Field("badgeNumber", "badge_number"),
)
PLACE: Shape = (
    Field("description", "description"),
    Field("district", "district"),
    Field("state", "state"),
)
CUSTODY_ENTRY: Shape = (
    Field("exhibitId", "exhibit_id"),
    Field("action", "action"),
    Field("at", "at"),
    Field("by", "by", OFFICER),
    Field("place", "place"),
    Field("sealIntact", "seal_intact", always=True),  # a broken seal is written too
    Field("remarks", "remarks"),
)
EXHIBIT: Shape = (
    Field("exhibitId", "exhibit_id"),
    Field("description", "description"),
    Field("sealNumber", "seal_number"),
    Field("packing", "packing"),
    Field("seizedAt", "seized_at"),
    Field("seizedFrom", "seized_from", PLACE),
    Field("seizedBy", "seized_by", OFFICER),
    Field("sha256", "sha256"),
)
#: The request after its FIR and police station (which the gateway writes from the FIR).
REQUEST_HEAD: Shape = (Field("requestId", "request_id"),)
REQUEST_TAIL: Shape = (
    Field("labCode", "lab"),
    Field("requestedAt", "requested_at"),
    Field("requestingOfficer", "requesting_officer", OFFICER),
    Field("examinations", "examinations", many=True),
    Field("exhibits", "exhibits", EXHIBIT, many=True),
    Field("chainOfCustody", "chain_of_custody", CUSTODY_ENTRY, many=True),
    Field("questions", "questions"),
)
ACKNOWLEDGEMENT_FIELDS: Shape = (
    Field("requestId", "request_id"),
    Field("labCaseNumber", "lab_case"),
    Field("receivedAt", "received_at"),
    Field("exhibitsReceived", "exhibits_received", many=True),
    Field("remarks", "remarks"),
)
CUSTODY_FIELDS: Shape = (
    Field("labCaseNumber", "lab_case"),
    Field("chainOfCustody", "entries", CUSTODY_ENTRY, many=True),
)
FINDING: Shape = (
    Field("exhibitId", "exhibit_id"),
    Field("kind", "examination"),
    Field("result", "finding"),
)
EXAMINER: Shape = (Field("name", "name"), Field("designation", "designation"))
ATTACHMENT: Shape = (
    Field("title", "title"),
    Field("sha256", "sha256"),
    Field("mediaType", "media_type"),
    Field("pages", "pages"),
)
REPORT_BODY: Shape = (
    Field("findings", "findings", FINDING, many=True),
    Field("conclusion", "conclusion"),
    Field("examiner", "examiner", EXAMINER),
    Field("signedOn", "signed_on"),
    Field("attachments", "attachments", ATTACHMENT, many=True),
)
REPORT_FIELDS: Shape = (
    Field("labCaseNumber", "lab_case"),
    Field("reportNumber", "report_number"),
    *REPORT_BODY,
)
REVISION_FIELDS: Shape = (
    Field("labCaseNumber", "lab_case"),
    Field("reportNumber", "report_number"),
    Field("supersedes", "supersedes"),
    Field("revisionReason", "revision_reason"),
    *REPORT_BODY,
)
