"""Inbound messages: decode, authorise, and apply them to cases in one transaction.

Every message ends in the message log as accepted, held or rejected, with its
raw bytes. A held message waits for a crosswalk key (an FIR, a CNR) and is
re-run from its stored bytes, in the same transaction that makes the key
known, so an early message is applied exactly when its case appears.

- :mod:`.authorisation`: reading a message and the sender's permission to send it;
- :mod:`.append`: its events appended to their cases, the event log and the outbox;
- :mod:`.receipts`: what the sender is told and what the message log keeps;
- :mod:`.intake`: the :class:`Ingestor` that runs them, one unit of work per message.
"""

from gateway.services.ingest.append import (
    EVENTS,
    append_case_event,
    topic_for,
    with_inmates,
)
from gateway.services.ingest.authorisation import authorise, decode_police
from gateway.services.ingest.intake import Ingestor
from gateway.services.ingest.receipts import (
    MESSAGES,
    TRUNCATED_BODY_KEEP,
    TRUNCATED_OVER_QUOTA,
    TRUNCATED_OVER_SIZE,
    Receipt,
)

__all__ = [
    "EVENTS",
    "MESSAGES",
    "TRUNCATED_BODY_KEEP",
    "TRUNCATED_OVER_QUOTA",
    "TRUNCATED_OVER_SIZE",
    "Ingestor",
    "Receipt",
    "append_case_event",
    "authorise",
    "decode_police",
    "topic_for",
    "with_inmates",
]
