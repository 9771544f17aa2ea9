"""The e-Forensics adapter: laboratory JSON and XML (namespace ``urn:icjs:forensics:v1``) <->
canonical.

Laboratories pull the examination requests addressed to them (a cursor-paged feed) and push
acknowledgements with their own case numbers, chain-of-custody entries, reports and report
revisions. The formats are defined by ``contracts/forensics/v1/``.
"""

from adapters.forensics.adapter import ForensicsAdapter

__all__ = ["ForensicsAdapter"]
