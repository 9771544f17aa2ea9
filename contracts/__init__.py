"""Versioned contracts of every pillar: JSON Schema (draft 2020-12) and XSD files.

Files live in ``contracts/<pillar>/v<N>/``: ``<name>.schema.json`` and
``<name>.xsd``. ``contracts.loader`` finds them, parses untrusted JSON and XML
safely and validates a document against a named contract, locating every error
as a JSON pointer or an XPath. Nothing here touches the network.
"""
