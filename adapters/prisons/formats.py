"""The prison formats: message types, contracts, XML layout and the field correspondence with
the canonical model, named in one place for both directions of the translator.

A prison document is a JSON-shaped tree (the JSON format itself, or an XML document
read into the same tree). Every message starts with the prison's code and the
prisoner number local to it; the canonical model joins them into one
institution-qualified :class:`~canonical_model.identifiers.PrisonerNumber`.
"""

from __future__ import annotations

from canonical_model.entities import OrderKind
from contracts.toolkit import Field, Format, Pillar, Shape
from contracts.toolkit.shapes import SENTENCE, VERDICT

#: The XML namespace of every prison document.
NAMESPACE = "urn:icjs:prisons:v1"
#: Where the contracts of these formats live, under the ``contracts`` package.
CONTRACT_FOLDER = "prisons/v1"

ADMISSION = Format("admission", "admission", "admission", CONTRACT_FOLDER)
PRODUCTION = Format("production", "production", "production", CONTRACT_FOLDER)
RELEASE = Format("release", "release", "release", CONTRACT_FOLDER)
TRANSFER = Format("transfer", "transfer", "transfer", CONTRACT_FOLDER)
READMISSION = Format("readmission", "readmission", "readmission", CONTRACT_FOLDER)
CONVICTION = Format("conviction", "conviction", "conviction", CONTRACT_FOLDER)
#: A page of the order feed: a document the gateway serves, never a message.
ORDER_FEED = Format("order_feed", "orderFeed", "order-feed", CONTRACT_FOLDER)

#: The prison formats as the shared toolkit reads and writes them.
PILLAR = Pillar(
    name="prisons",
    noun="prison",
    speakers="prisons",
    namespace=NAMESPACE,
    prefix="p",
    contract_folder=CONTRACT_FOLDER,
    messages=(ADMISSION, PRODUCTION, RELEASE, TRANSFER, READMISSION, CONVICTION),
    feed=ORDER_FEED,
    institution_member="prison",
    # JSON array member -> XML element of each item: only the outbound documents have lists.
    list_items={
        "items": "item",
        "accusedRefs": "accusedRef",
        "prisonerNumbers": "prisonerNumber",
        "verdicts": "verdict",
        "offences": "offence",
    },
    # Inbound messages carry no lists (and their prisonerNumber is a plain element).
    list_members={},
    containers=frozenset({"inmate", "warrant", "order", "sentence"}),
    integers=frozenset({"age", "imprisonmentMonths", "fineAmount"}),
    booleans=frozenset({"firstOffender", "lifeImprisonment", "death"}),
)

# -- field correspondence -------------------------------------------------------------------
# A prison field and the canonical field it carries (toolkit ``Field``).

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

#: The court orders a prison acts on, and so the only ones on its feed (``orderType``): a
#: warrant putting or keeping the accused in custody (remand, custody, warrant, bail
#: rejected), producing them (production, summons), releasing them (bail granted, release),
#: convicting them (conviction), the steps of their trial the prison records (charges framed,
#: other) and the court they are now to be produced before (committal to the Court of Session,
#: BNSS s.232, which also remands them to custody; a superior court's transfer, ss.446-448:
#: ``toCourt``). A court's order on a driving licence is Sarathi's to act on, and cognizance,
#: the extension of a court's period and the stay of proceedings and its vacating are the
#: courts' own clocks: a prison acts on none of them, and its feed never carries them.
FEED_ORDER_KINDS: frozenset[OrderKind] = frozenset(
    {
        OrderKind.BAIL_GRANTED,
        OrderKind.BAIL_REJECTED,
        OrderKind.REMAND,
        OrderKind.SUMMONS,
        OrderKind.WARRANT,
        OrderKind.PRODUCTION,
        OrderKind.RELEASE,
        OrderKind.CHARGES_FRAMED,
        OrderKind.OTHER,
        OrderKind.CUSTODY,
        OrderKind.CONVICTION,
        OrderKind.COMMITTAL,
        OrderKind.TRANSFER,
    }
)

ORDER_FIELDS: Shape = (
    Field("cnr", "cnr"),
    Field("orderNumber", "order_number"),
    Field("orderDate", "order_date"),
    Field("orderType", "kind"),
    Field("appearanceDate", "appearance_date"),
    Field("prisonCode", "prison"),
    Field("toCourt", "to_court"),
    Field("issuingCourt", "issued_by"),
    Field("accusedRefs", "accused_refs", many=True),
    Field("orderText", "text"),
)
JUDGMENT_FIELDS: Shape = (
    Field("cnr", "cnr"),
    Field("judgmentDate", "judgment_date"),
    Field("verdicts", "verdicts", VERDICT, many=True),
)
