"""The e-Courts adapter: court JSON and XML (namespace ``urn:icjs:courts:v1``) <-> canonical.

Courts pull the charge sheets filed for them (a cursor-paged feed) and push case
registration (CNR), hearings, orders and judgments. The formats are defined by
``contracts/courts/v1/``.
"""

from adapters.courts.adapter import CourtsAdapter

__all__ = ["CourtsAdapter"]
