"""The prosecution formats: message types, contracts, XML layout and how their fields line up
with the canonical model, named in one place for both directions of the translator.

Every prosecution message starts with the office's code (``officeCode``, BNSS s.20(1):
``MH/DOP``, ``MH/AU/DDP``, ``MH/AU/ADP``) and names its case by FIR, CNR and/or the office's own
prosecution number, which the canonical model qualifies with the office
(:class:`~canonical_model.identifiers.ProsecutionNumber`).
"""

from __future__ import annotations

from contracts.toolkit import Field, Format, Pillar, Shape
from contracts.toolkit.shapes import DOCUMENT, OFFENCE, VERDICT

#: The XML namespace of every prosecution document.
NAMESPACE = "urn:icjs:prosecution:v1"
#: Where the contracts of these formats live, under the ``contracts`` package.
CONTRACT_FOLDER = "prosecution/v1"

PROSECUTOR_ASSIGNMENT = Format(
    "prosecutor_assignment", "prosecutorAssignment", "prosecutor-assignment", CONTRACT_FOLDER
)
SCRUTINY_RESULT = Format("scrutiny_result", "scrutinyResult", "scrutiny-result", CONTRACT_FOLDER)
LEGAL_OPINION = Format("legal_opinion", "legalOpinion", "legal-opinion", CONTRACT_FOLDER)
APPEAL_RECOMMENDATION = Format(
    "appeal_recommendation", "appealRecommendation", "appeal-recommendation", CONTRACT_FOLDER
)
#: A page of an office's feed: a document the gateway serves, never a message.
PROSECUTION_FEED = Format(
    "prosecution_feed", "prosecutionFeed", "prosecution-feed", CONTRACT_FOLDER
)

#: The messages an office sends, in the order the README lists them.
INBOUND: tuple[Format, ...] = (
    PROSECUTOR_ASSIGNMENT,
    SCRUTINY_RESULT,
    LEGAL_OPINION,
    APPEAL_RECOMMENDATION,
)

#: The prosecution formats as the shared toolkit reads and writes them. XML layout: a JSON
#: array is a run of repeated XML elements named below; every other JSON member is an XML
#: element of the same name, in the order of the XSD.
PILLAR = Pillar(
    name="prosecution",
    noun="prosecution",
    speakers="prosecution offices",
    namespace=NAMESPACE,
    prefix="pr",
    contract_folder=CONTRACT_FOLDER,
    messages=INBOUND,
    feed=PROSECUTION_FEED,
    institution_member="office",
    list_items={
        "deficiencies": "deficiency",
        "grounds": "ground",
        "accusedRefs": "accusedRef",
        # -- the feed (outbound only)
        "offences": "offence",
        "accused": "accusedPerson",
        "witnesses": "witness",
        "documents": "document",
        "unknownOffences": "unknownOffence",
        "verdicts": "verdict",
    },
    containers=frozenset(
        {
            "prosecutor",
            "deficiency",
            "item",
            "policeReport",
            "judgment",
            "routing",
            "gravestOffence",
            "offence",
            "accusedPerson",
            "witness",
            "document",
            "investigatingOfficer",
            "verdict",
            "sentence",
            "judge",
        }
    ),
    integers=frozenset({"version", "pages", "age", "imprisonmentMonths", "fineAmount"}),
    booleans=frozenset({"recommended", "supplementary", "lifeImprisonment", "death", "juvenile"}),
)

# -- field correspondence: inbound messages -------------------------------------------------
# Every message starts with CASE_HEAD; ``prosecutionNumber`` is the office's local number, which
# the translator joins with ``officeCode`` (and the writer splits again).

CASE_HEAD: Shape = (
    Field("officeCode", "office"),
    Field("firNo", "fir"),
    Field("cnr", "cnr"),
)
PROSECUTOR: Shape = (
    Field("name", "name"),
    Field("prosecutorId", "prosecutor_id"),
    Field("rank", "rank"),
)
DEFICIENCY: Shape = (Field("field", "field"), Field("remark", "remark"))

ASSIGNMENT_FIELDS: Shape = (
    Field("prosecutor", "prosecutor", PROSECUTOR),
    Field("courtEstablishment", "court"),
    Field("assignedOn", "assigned_on"),
    Field("remarks", "remarks"),
)
SCRUTINY_FIELDS: Shape = (
    Field("reportNumber", "report_number"),
    Field("version", "version"),
    Field("result", "outcome"),
    Field("deficiencies", "deficiencies", DEFICIENCY, many=True),
    Field("scrutinisedOn", "scrutinised_on"),
    Field("prosecutor", "prosecutor", PROSECUTOR),
    Field("remarks", "remarks"),
)
OPINION_FIELDS: Shape = (
    Field("opinionNumber", "opinion_number"),
    Field("subject", "subject"),
    Field("opinion", "opinion"),
    Field("givenOn", "given_on"),
    Field("prosecutor", "prosecutor", PROSECUTOR),
    Field("requestedBy", "requested_by"),
    Field("documentSha256", "document_sha256"),
)
APPEAL_FIELDS: Shape = (
    Field("judgmentDate", "judgment_date"),
    Field("recommended", "recommended", always=True),  # "no appeal" is written too
    Field("grounds", "grounds", many=True),
    Field("accusedRefs", "accused_refs", many=True),
    Field("appealTo", "appeal_to"),
    Field("recommendedOn", "recommended_on"),
    Field("prosecutor", "prosecutor", PROSECUTOR),
)

#: Each inbound message: the canonical member it fills and its fields after the case head.
BODIES: dict[str, tuple[str, Shape]] = {
    PROSECUTOR_ASSIGNMENT.message_type: ("assignment", ASSIGNMENT_FIELDS),
    SCRUTINY_RESULT.message_type: ("scrutiny", SCRUTINY_FIELDS),
    LEGAL_OPINION.message_type: ("opinion", OPINION_FIELDS),
    APPEAL_RECOMMENDATION.message_type: ("recommendation", APPEAL_FIELDS),
}

# -- field correspondence: the feed -----------------------------------------------------------

OFFICER: Shape = (
    Field("name", "name"),
    Field("rank", "rank"),
    Field("badgeNumber", "badge_number"),
)
PERSON: Shape = (
    Field("ref", "ref"),
    Field("name", "name"),
    Field("fatherName", "father_name"),
    Field("gender", "gender"),
    Field("dateOfBirth", "date_of_birth"),
    Field("age", "age"),
    Field("juvenile", "juvenile"),
)
ACCUSED: Shape = (
    Field("person", "person", PERSON, inline=True),
    Field("custody", "custody"),
    Field("offences", "offences", OFFENCE, many=True),
)
ROUTING: Shape = (
    Field("office", "office"),
    Field("level", "level"),
    Field("rule", "rule"),
    Field("gravestOffence", "gravest_offence", OFFENCE),
    Field("maxPunishment", "punishment"),
    Field("unknownOffences", "unknown_offences", many=True),
    Field("monitoringOffice", "monitoring_office"),
    Field("monitoringLevel", "monitoring_level"),
    Field("monitoringRule", "monitoring_rule"),
    Field("reason", "reason"),
)
#: The police report after its FIR, police station, number, version and routing.
REPORT_FIELDS: Shape = (
    Field("kind", "kind"),
    Field("supplementary", "supplementary", always=True),
    Field("filedOn", "filed_on"),
    Field("courtEstablishment", "court"),
    Field("offences", "offences", OFFENCE, many=True),
    Field("accused", "accused", ACCUSED, many=True),
    Field("witnesses", "witnesses", PERSON, many=True),
    Field("documents", "documents", DOCUMENT, many=True),
    Field("investigatingOfficer", "investigating_officer", OFFICER),
    Field("summary", "summary"),
)
JUDGMENT_FIELDS: Shape = (
    Field("cnr", "cnr"),
    Field("judgmentDate", "judgment_date"),
    Field("prosecutionOffice", "prosecution_office"),
    Field("verdicts", "verdicts", VERDICT, many=True),
    Field("judge", "judge", OFFICER),
    Field("documentSha256", "document_sha256"),
)
