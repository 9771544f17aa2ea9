"""The transport registry formats (Vahan, Sarathi): their message types, contracts, XML layout
and how their fields line up with the canonical model.

Both directions of the translator read these tables, so a field is named in one place only
(``contracts/transport/v1/README.md`` says where the formats and codes come from).
"""

from __future__ import annotations

from canonical_model.entities import OrderKind
from canonical_model.transport import REGISTRIES as REGISTRIES
from canonical_model.transport import SARATHI as SARATHI
from canonical_model.transport import VAHAN as VAHAN
from canonical_model.transport import VehicleReportKind
from contracts.toolkit import Field, Format, Pillar, Shape

#: Where the contracts of these formats live, under the ``contracts`` package.
CONTRACT_FOLDER = "transport/v1"

# The vehicle registry (MoRTH's Vahan) and the driving-licence registry (Sarathi) are the two
# institutions of the transport pillar, each with its own feed and its own keys; their codes
# are the canonical model's (VAHAN, SARATHI, REGISTRIES, re-exported here for the adapter).

# -- inbound: registry -> gateway
VEHICLE_RECORD = Format("vehicle_record", "vehicleRecord", "vehicle-record", CONTRACT_FOLDER)
LICENCE_RECORD = Format("licence_record", "licenceRecord", "licence-record", CONTRACT_FOLDER)
# -- outbound: gateway -> registry (decodable too, like every document of the pillar)
VEHICLE_FLAG = Format("vehicle_flag", "vehicleFlag", "vehicle-flag", CONTRACT_FOLDER)
LICENCE_ORDER = Format("licence_order", "licenceOrder", "licence-order", CONTRACT_FOLDER)
#: A page of a registry's feed: a document the gateway serves, never a message.
TRANSPORT_FEED = Format("transport_feed", "transportFeed", "transport-feed", CONTRACT_FOLDER)

#: The message a registry answers each kind of feed entry with (its ``inReplyTo`` is the
#: feed item's ``eventId``), by the feed entry's member.
REPLY_WITH: dict[str, str] = {
    VEHICLE_FLAG.root: VEHICLE_RECORD.message_type,
    LICENCE_ORDER.root: LICENCE_RECORD.message_type,
}

#: ``flag`` of a vehicle flag <-> what the police reported.
FLAGS: dict[str, VehicleReportKind] = {kind.value: kind for kind in VehicleReportKind}
#: ``action`` of a licence order <-> the court order's kind.
ACTIONS: dict[str, OrderKind] = {
    "suspension": OrderKind.LICENCE_SUSPENSION,
    "revocation": OrderKind.LICENCE_REVOCATION,
}
ACTION_OF: dict[OrderKind, str] = {kind: action for action, kind in ACTIONS.items()}

# -- field correspondence -------------------------------------------------------------------

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
DESCRIPTION: Shape = (
    Field("vehicleClass", "kind"),
    Field("make", "make"),
    Field("model", "model"),
    Field("colour", "colour"),
)
VEHICLE_IDENTITY: Shape = (
    Field("registrationNumber", "registration"),
    Field("chassisNumber", "chassis"),
    Field("engineNumber", "engine"),
)
OWNER: Shape = (
    Field("name", "name"),
    Field("fatherName", "father_name"),
    Field("address", "address"),
)
#: A Vahan record (canonical ``VehicleRecord``); ``inReplyTo`` sits beside it in the event.
VEHICLE_RECORD_FIELDS: Shape = (
    *VEHICLE_IDENTITY,
    Field("owner", "owner", OWNER),
    Field("vehicleDescription", "description", DESCRIPTION),
    Field("registeredOn", "registered_on"),
    Field("registeringAuthority", "registering_authority"),
    Field("status", "status"),
    Field("asOf", "as_of"),
)
#: A Sarathi record (canonical ``LicenceRecord``).
LICENCE_RECORD_FIELDS: Shape = (
    Field("licenceNumber", "licence"),
    Field("holderName", "holder"),
    Field("fatherName", "father_name"),
    Field("dateOfBirth", "date_of_birth"),
    Field("classes", "classes", many=True),
    Field("validFrom", "valid_from"),
    Field("validUntil", "valid_until"),
    Field("issuingAuthority", "issuing_authority"),
    Field("status", "status"),
    Field("asOf", "as_of"),
)
#: A vehicle flag after its ``flag`` (canonical ``VehicleReport``).
VEHICLE_FLAG_FIELDS: Shape = (
    Field("firNo", "fir"),
    Field("vehicle", "vehicle", VEHICLE_IDENTITY),
    Field("vehicleDescription", "description", DESCRIPTION),
    Field("occurredOn", "on"),
    Field("place", "place", PLACE),
    Field("officer", "officer", OFFICER),
    Field("remarks", "remarks"),
)
#: A licence order after its ``action``: the licence part (canonical ``LicenceAction``) ...
LICENCE_ACTION_FIELDS: Shape = (
    Field("licenceNumber", "licence"),
    Field("effectiveFrom", "effective_from"),
    Field("effectiveUntil", "effective_until"),
    Field("provision", "provision"),
    Field("accusedRef", "accused_ref"),
)
#: ... then the order it comes from (canonical ``CourtOrder``).
LICENCE_ORDER_FIELDS: Shape = (
    Field("cnr", "cnr"),
    Field("orderNumber", "order_number"),
    Field("orderDate", "order_date"),
    Field("orderText", "text"),
    Field("documentSha256", "document_sha256"),
)

#: The transport formats, for the shared adapter toolkit.
PILLAR = Pillar(
    name="transport",
    noun="transport registry",
    speakers="transport registries (Vahan, Sarathi)",
    namespace="urn:icjs:transport:v1",
    prefix="t",
    contract_folder=CONTRACT_FOLDER,
    messages=(VEHICLE_RECORD, LICENCE_RECORD, VEHICLE_FLAG, LICENCE_ORDER),
    feed=TRANSPORT_FEED,
    institution_member="registry",
    list_items={"classes": "licenceClass"},
    containers=frozenset({"owner", "vehicleDescription", "vehicle", "place", "officer"}),
)
