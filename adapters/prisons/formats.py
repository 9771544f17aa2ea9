"""The prison formats: message types, contracts, XML layout and the field correspondence with
the canonical model, named in one place for both directions of the translator.

A prison document is a JSON-shaped tree (the JSON format itself, or an XML document
read into the same tree). Every message starts with the prison's code and the
prisoner number local to it; the canonical model joins them into one
institution-qualified :class:`~canonical_model.identifiers.PrisonerNumber`.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The XML namespace of every prison document.
NAMESPACE = "urn:icjs:prisons:v1"
#: The prefix XPath locations use for :data:`NAMESPACE` (the XSDs declare the same).
PREFIXES: dict[str, str] = {NAMESPACE: "p"}
#: Where the contracts of these formats live, under the ``contracts`` package.
CONTRACT_FOLDER = "prisons/v1"


@dataclass(frozen=True, slots=True)
class Format:
    """One prison document type: its JSON ``messageType``, XML root element and contract files."""

    message_type: str
    root: str
    contract: str

    @property
    def json_contract(self) -> str:
        """The JSON Schema contract name, e.g. ``prisons/v1/admission.schema.json``."""
        return f"{CONTRACT_FOLDER}/{self.contract}.schema.json"

    @property
    def xml_contract(self) -> str:
        """The XSD contract name, e.g. ``prisons/v1/admission.xsd``."""
        return f"{CONTRACT_FOLDER}/{self.contract}.xsd"


ADMISSION = Format("admission", "admission", "admission")
PRODUCTION = Format("production", "production", "production")
RELEASE = Format("release", "release", "release")
TRANSFER = Format("transfer", "transfer", "transfer")
READMISSION = Format("readmission", "readmission", "readmission")
CONVICTION = Format("conviction", "conviction", "conviction")
#: A page of the order feed: a document the gateway serves, never a message.
ORDER_FEED = Format("order_feed", "orderFeed", "order-feed")

#: Every prison message by its ``messageType``.
MESSAGES: dict[str, Format] = {
    f.message_type: f for f in (ADMISSION, PRODUCTION, RELEASE, TRANSFER, READMISSION, CONVICTION)
}
#: Every prison message by its XML root element's local name.
MESSAGES_BY_ROOT: dict[str, Format] = {f.root: f for f in MESSAGES.values()}

# -- XML layout ---------------------------------------------------------------------------

#: JSON array member -> XML element name of each item.
LIST_ITEMS: dict[str, str] = {
    "items": "item",
    "accusedRefs": "accusedRef",
    "prisonerNumbers": "prisonerNumber",
    "verdicts": "verdict",
    "offences": "offence",
}
#: XML item element -> JSON array member (inbound messages only carry these lists).
LIST_MEMBERS: dict[str, str] = {}
#: XML elements that hold other elements (everything else holds text).
CONTAINERS = frozenset({"inmate", "warrant", "order", "sentence"})
#: Text elements holding integers.
INTEGERS = frozenset({"age", "imprisonmentMonths", "fineAmount"})
#: Text elements holding xs:boolean values.
BOOLEANS = frozenset({"firstOffender", "lifeImprisonment", "death"})

# -- field correspondence -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Field:
    """A prison field and the canonical field it carries; ``shape`` describes a nested object,
    ``many`` a list, ``always`` writes it even when false."""

    prison: str
    canonical: str
    shape: tuple[Field, ...] | None = None
    many: bool = False
    always: bool = False


Shape = tuple[Field, ...]

WARRANT: Shape = (
    Field("warrantType", "kind"),
    Field("courtEstablishment", "court"),
    Field("orderDate", "order_date"),
    Field("orderNumber", "order_number"),
    Field("cnr", "cnr"),
    Field("firNo", "fir"),
)
#: The inmate as the prison records them; the prisoner number is the message's own.
INMATE: Shape = (
    Field("name", "name"),
    Field("fatherName", "father_name"),
    Field("gender", "gender"),
    Field("age", "age"),
    Field("accusedRef", "accused_ref"),
    Field("firstOffender", "first_offender", always=True),
)
SENTENCE: Shape = (
    Field("imprisonmentMonths", "imprisonment_months"),
    Field("lifeImprisonment", "life_imprisonment"),
    Field("death", "death"),
    Field("fineAmount", "fine_inr"),
    Field("description", "description"),
)
ADMISSION_FIELDS: Shape = (
    Field("admissionDate", "admitted_on"),
    Field("category", "category"),
    Field("inmate", "inmate", INMATE),
    Field("warrant", "warrant", WARRANT),
)
PRODUCTION_FIELDS: Shape = (
    Field("productionDate", "produced_on"),
    Field("courtEstablishment", "court"),
    Field("mode", "mode"),
    Field("cnr", "cnr"),
    Field("outcome", "outcome"),
    Field("nextDate", "next_date"),
)
RELEASE_FIELDS: Shape = (
    Field("releaseDate", "released_on"),
    Field("reason", "reason"),
    Field("order", "order", WARRANT),
    Field("remarks", "remarks"),
)
TRANSFER_FIELDS: Shape = (
    Field("transferDate", "transferred_on"),
    Field("order", "order", WARRANT),
)
READMISSION_FIELDS: Shape = (
    Field("readmissionDate", "readmitted_on"),
    Field("after", "after"),
)
CONVICTION_FIELDS: Shape = (
    Field("convictionDate", "convicted_on"),
    Field("warrant", "warrant", WARRANT),
    Field("sentence", "sentence", SENTENCE),
)

# -- outbound: court orders and judgments on a prison's feed ---------------------------------

ORDER_FIELDS: Shape = (
    Field("cnr", "cnr"),
    Field("orderNumber", "order_number"),
    Field("orderDate", "order_date"),
    Field("orderType", "kind"),
    Field("appearanceDate", "appearance_date"),
    Field("prisonCode", "prison"),
    Field("accusedRefs", "accused_refs", many=True),
    Field("orderText", "text"),
)
OFFENCE: Shape = (Field("act", "act"), Field("section", "section"), Field("actName", "act_name"))
VERDICT: Shape = (
    Field("ref", "accused_ref"),
    Field("disposal", "verdict"),
    Field("offences", "offences", OFFENCE, many=True),
    Field("sentence", "sentence", SENTENCE),
)
JUDGMENT_FIELDS: Shape = (
    Field("cnr", "cnr"),
    Field("judgmentDate", "judgment_date"),
    Field("verdicts", "verdicts", VERDICT, many=True),
)
