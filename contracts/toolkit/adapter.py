"""The base of a pillar adapter: media-type dispatch over the pillar's JSON and XML formats.

A pillar's ``adapter.py`` subclasses :class:`ToolkitAdapter`, names its :class:`Pillar`
description and its inbound translators, and writes two hooks (:meth:`ToolkitAdapter.document`
and :meth:`ToolkitAdapter.feed_entry`) plus ``feed_institution``; decoding, encoding and feed
pages, in both syntaxes, are the toolkit's.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import ClassVar

from canonical_model.events import EventPayload
from canonical_model.messages import DecodedMessage, FeedItem
from canonical_model.policy import Policy
from contracts.toolkit.feeds import feed_page
from contracts.toolkit.formats import MEDIA_TYPES, Document, Pillar
from contracts.toolkit.media import check_body_syntax, sniff_type, syntax_of
from contracts.toolkit.translation import Translator, decode_json, decode_xml
from contracts.toolkit.writing import write


class ToolkitAdapter(ABC):
    """What every pillar adapter does the same way, given the pillar's description.

    Subclasses set ``pillar``, ``description``, ``translators`` (message type -> translator),
    ``inbound_message_types`` and ``feed_event_types``, and implement :meth:`document`,
    :meth:`feed_entry` and :meth:`feed_institution`.
    """

    pillar: ClassVar[str]
    #: Who the pillar's institutions are, what they may send and read (``policy.py``).
    policy: ClassVar[Policy]
    description: ClassVar[Pillar]
    translators: ClassVar[Mapping[str, Translator]]
    media_types: ClassVar[tuple[str, ...]] = MEDIA_TYPES
    inbound_message_types: ClassVar[tuple[str, ...]] = ()
    feed_event_types: ClassVar[tuple[str, ...]] = ()

    def sniff_type(self, body: bytes, *, media_type: str) -> str | None:
        """The message type the body claims, for the message log; None when it cannot tell.

        Never raises.
        """
        return sniff_type(body, media_type=media_type, pillar=self.description)

    def decode(self, body: bytes, *, media_type: str) -> DecodedMessage:
        """Validate a message against its contract and translate it to canonical events.

        Raises MalformedMessage, UnsupportedMediaType, UnknownMessageType or
        ContractViolation, every problem located in the sender's document.
        """
        if check_body_syntax(body, media_type, self.description) == "json":
            return decode_json(body, pillar=self.description, translators=self.translators)
        return decode_xml(body, pillar=self.description, translators=self.translators)

    def encode(
        self, payload: EventPayload, *, media_type: str, case_id: str | None = None
    ) -> bytes:
        """Write a canonical event in the pillar's format (see :meth:`document`)."""
        syntax = syntax_of(media_type, self.description)
        root, document = self.document(payload, case_id=case_id)
        return write(document, root=root, syntax=syntax, pillar=self.description)

    def encode_feed(
        self,
        items: Sequence[FeedItem],
        *,
        institution: str,
        next_cursor: str | None,
        media_type: str,
    ) -> bytes:
        """One page of an institution's feed, each entry written by :meth:`feed_entry`."""
        syntax = syntax_of(media_type, self.description)
        page = feed_page(
            items,
            institution=institution,
            next_cursor=next_cursor,
            pillar=self.description,
            entry=self.feed_entry,
        )
        return write(page, root=self.description.feed.root, syntax=syntax, pillar=self.description)

    @abstractmethod
    def document(self, payload: EventPayload, *, case_id: str | None) -> tuple[str, Document]:
        """The XML root element and the document tree carrying ``payload`` in the pillar's
        format; raise UnknownMessageType (see ``writing.not_carried``) for an event it does
        not carry."""

    @abstractmethod
    def feed_entry(self, item: FeedItem) -> tuple[str, Document]:
        """The member holding a feed item's entry and the entry; raise UnknownMessageType for
        an event the feed does not carry."""

    @abstractmethod
    def feed_institution(self, payload: EventPayload) -> str | None:
        """The institution whose feed an event goes to; None for events on no feed."""

    def feed_institutions(self, payload: EventPayload) -> tuple[str, ...]:
        """Every institution whose feed an event goes to: :meth:`feed_institution`'s, for a
        pillar whose events each concern one institution (override for several)."""
        institution = self.feed_institution(payload)
        return () if institution is None else (institution,)
