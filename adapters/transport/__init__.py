"""The transport adapter: the registries of the Ministry of Road Transport and Highways, Vahan
(vehicles) and Sarathi (driving licences), in JSON and XML (namespace
``urn:icjs:transport:v1``) <-> canonical.

The registries push vehicle and licence records, on their own or in answer to the feed items
they pull: vehicles the police report stolen, recovered or seized (Vahan) and court orders
suspending or revoking a driving licence (Sarathi). The formats are defined by
``contracts/transport/v1/``.
"""

from adapters.transport.adapter import TransportAdapter

__all__ = ["TransportAdapter"]
