"""The e-Prisons adapter: prison JSON and XML (namespace ``urn:icjs:prisons:v1``) <-> canonical.

Prisons push custody events (admission, production, release, transfer, readmission,
conviction) and pull the court orders that concern their inmates (a cursor-paged
feed). The formats are defined by ``contracts/prisons/v1/``.
"""

from adapters.prisons.adapter import PrisonsAdapter

__all__ = ["PrisonsAdapter"]
