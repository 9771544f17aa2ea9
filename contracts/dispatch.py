"""Kept so that ``from contracts.dispatch import ...`` still works: the message-format dispatch
now lives in :mod:`contracts.toolkit.dispatch`, with the rest of the shared adapter toolkit."""

from contracts.toolkit.dispatch import MessageFormat, json_message_format, xml_message_format

__all__ = ["MessageFormat", "json_message_format", "xml_message_format"]
