"""The e-Prosecution adapter: prosecution office JSON and XML (namespace
``urn:icjs:prosecution:v1``) <-> canonical.

Prosecution offices (BNSS s.20: the State's Director, the districts' Deputy and Assistant
Directors) pull the police reports routed to them for scrutiny, and the judgments of their
cases, from a cursor-paged feed; they push prosecutor assignments, scrutiny results, legal
opinions and appeal recommendations. The formats are defined by ``contracts/prosecution/v1/``.
"""

from adapters.prosecution.adapter import ProsecutionAdapter

__all__ = ["ProsecutionAdapter"]
