"""The court formats: their message types, contracts, XML layout and how their fields line up
with the canonical model.

Both directions of the translator read these tables, so a field is named in one
place only. A court document is first a JSON-shaped tree (the JSON format
itself, or an XML document read into the same tree); :data:`Shape` tables say
which court field carries which canonical field.
"""

from __future__ import annotations

from contracts.toolkit import Field, Format, Pillar, Shape
from contracts.toolkit.shapes import DOCUMENT, OFFENCE, VERDICT

#: The XML namespace of every court document.
NAMESPACE = "urn:icjs:courts:v1"
#: Where the contracts of these formats live, under the ``contracts`` package.
CONTRACT_FOLDER = "courts/v1"

CASE_REGISTRATION = Format(
    "case_registration", "caseRegistration", "case-registration", CONTRACT_FOLDER
)
HEARING = Format("hearing", "hearing", "hearing", CONTRACT_FOLDER)
ORDER = Format("order", "order", "order", CONTRACT_FOLDER)
JUDGMENT = Format("judgment", "judgment", "judgment", CONTRACT_FOLDER)
CHARGESHEET = Format("chargesheet", "chargeSheet", "chargesheet", CONTRACT_FOLDER)
#: A page of the charge-sheet feed: a document the gateway serves, never a message.
CHARGESHEET_FEED = Format(
    "chargesheet_feed", "chargeSheetFeed", "chargesheet-feed", CONTRACT_FOLDER
)

#: The court formats as the shared toolkit reads and writes them. XML layout: a JSON array
#: is a run of repeated XML elements with the item name below; every other JSON member is an
#: XML element of the same name, in the order of the XSD.
PILLAR = Pillar(
    name="courts",
    noun="court",
    speakers="courts",
    namespace=NAMESPACE,
    prefix="c",
    contract_folder=CONTRACT_FOLDER,
    messages=(CASE_REGISTRATION, HEARING, ORDER, JUDGMENT, CHARGESHEET),
    feed=CHARGESHEET_FEED,
    institution_member="court",
    list_items={
        "offences": "offence",
        "accused": "accused",
        "witnesses": "witness",
        "documents": "document",
        "aliases": "alias",
        "addresses": "address",
        "identityDocuments": "identityDocument",
        "accusedRefs": "accusedRef",
        "items": "item",
    },
    containers=frozenset(
        {
            "accused",
            "address",
            "chargeSheet",
            "document",
            "fir",
            "identityDocument",
            "investigatingOfficer",
            "item",
            "judge",
            "licence",
            "offence",
            "sentence",
            "witness",
        }
    ),
    integers=frozenset(
        {
            "age",
            "pages",
            "imprisonmentMonths",
            "fineAmount",
            "filingNumber",
            "filingYear",
            "registrationNumber",
            "registrationYear",
            ("fir", "year"),
            ("fir", "number"),
        }
    ),
    booleans=frozenset({"supplementary", "juvenile", "lifeImprisonment", "death"}),
)

# -- field correspondence -------------------------------------------------------------------
# A court field and the canonical field it carries (toolkit ``Field``): the court's accused
# record is the canonical person spread inline, plus the charge.

ADDRESS: Shape = (
    Field("line", "line"),
    Field("district", "district"),
    Field("state", "state"),
    Field("pincode", "pincode"),
)
IDENTITY_DOCUMENT: Shape = (Field("type", "kind"), Field("number", "number"))
PERSON: Shape = (
    Field("ref", "ref"),
    Field("name", "name"),
    Field("aliases", "aliases", many=True),
    Field("fatherName", "father_name"),
    Field("motherName", "mother_name"),
    Field("spouseName", "spouse_name"),
    Field("gender", "gender"),
    Field("dateOfBirth", "date_of_birth"),
    Field("age", "age"),
    Field("addresses", "addresses", ADDRESS, many=True),
    Field("identityDocuments", "identity_documents", IDENTITY_DOCUMENT, many=True),
    Field("drivingLicence", "driving_licence"),
    Field("juvenile", "juvenile"),
)
#: An accused in a police report: the person, then custody and the offences charged.
CHARGED_ACCUSED: Shape = (
    Field("", "person", PERSON, inline=True),
    Field("custodyStatus", "custody", always=True),
    Field("offences", "offences", OFFENCE, many=True),
)
POLICE_OFFICER: Shape = (
    Field("name", "name"),
    Field("rank", "rank"),
    Field("badgeNumber", "badge_number"),
)
#: A judge is a canonical officer: the designation is the rank, the judge code the badge number.
JUDGE: Shape = (
    Field("name", "name"),
    Field("designation", "rank"),
    Field("judgeCode", "badge_number"),
)

#: The police report after its FIR reference (which the court gets in parts too).
REPORT_HEAD: Shape = (
    Field("reportType", "kind"),
    Field("supplementary", "supplementary", always=True),
    Field("reportNumber", "report_number"),
    Field("filingDate", "filed_on"),
    Field("establishmentCode", "court"),
)
REPORT_TAIL: Shape = (
    Field("offences", "offences", OFFENCE, many=True),
    Field("accused", "accused", CHARGED_ACCUSED, many=True),
    Field("witnesses", "witnesses", PERSON, many=True),
    Field("documents", "documents", DOCUMENT, many=True),
    Field("investigatingOfficer", "investigating_officer", POLICE_OFFICER),
    Field("summary", "summary"),
)

#: The case registration around its case numbers (which the court gives in parts).
REGISTRATION_HEAD: Shape = (
    Field("cnr", "cnr"),
    Field("establishmentCode", "establishment"),
    Field("courtName", "court_name"),
)
REGISTRATION_TAIL: Shape = (
    Field("registrationDate", "registered_on"),
    Field("firNo", "fir"),
    Field("judge", "judge", JUDGE),
)

HEARING_FIELDS: Shape = (
    Field("cnr", "cnr"),
    Field("hearingDate", "hearing_date"),
    Field("purpose", "purpose"),
    Field("business", "business"),
    Field("nextDate", "next_date"),
    Field("nextPurpose", "next_purpose"),
    Field("judge", "judge", JUDGE),
    # for the statutory clocks (optional, courts v1 additive): the stage a clock turns on
    Field("stage", "stage"),
    Field("nextStage", "next_stage"),
)

#: The driving licence a licence suspension or revocation acts on (for transport; optional,
#: courts v1 additive). The holder is ``holderRef``: ``accusedRef`` is the item of the order's
#: ``accusedRefs`` list in XML.
LICENCE: Shape = (
    Field("licenceNumber", "licence"),
    Field("effectiveFrom", "effective_from"),
    Field("effectiveUntil", "effective_until"),
    Field("provision", "provision"),
    Field("holderRef", "accused_ref"),
)
ORDER_FIELDS: Shape = (
    Field("cnr", "cnr"),
    Field("orderNumber", "order_number"),
    Field("orderDate", "order_date"),
    Field("orderType", "kind"),
    Field("accusedRefs", "accused_refs", many=True),
    Field("orderText", "text"),
    Field("documentSha256", "document_sha256"),
    # for prisons (optional, courts v1 additive): where a warrant goes, when to produce
    Field("prisonCode", "prison"),
    Field("appearanceDate", "appearance_date"),
    Field("licence", "licence", LICENCE),
    # for authority (optional, courts v1 additive): committal and transfer
    Field("toCourt", "to_court"),
    Field("issuingCourt", "issued_by"),
    # for the statutory clocks (optional, courts v1 additive): the custody a remand puts the
    # accused in, the provision an extension or stay acts on, and the last day of each
    Field("custodyKind", "custody_kind"),
    Field("provision", "provision"),
    Field("until", "until"),
)

JUDGMENT_FIELDS: Shape = (
    Field("cnr", "cnr"),
    Field("judgmentDate", "judgment_date"),
    Field("judge", "judge", JUDGE),
    Field("accused", "verdicts", VERDICT, many=True),
    Field("documentSha256", "document_sha256"),
)
