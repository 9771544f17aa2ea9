"""Prosecution format -> canonical: the translator of each message an office sends.

Parsing, contract checks, reading XML into the tree the JSON format has and locating every error
in the office's document (a JSON pointer or an XPath) are the shared toolkit's
(``contracts.toolkit.translation``); what is the offices' own is here: which canonical payload
each message becomes, the office-qualified prosecution number, and where in the office's
document each top-level canonical field came from (for errors the gateway finds against the
case, such as a scrutiny of a report the case does not have).
"""

from __future__ import annotations

from adapters.prosecution import formats
from canonical_model.events import (
    AppealRecommended,
    EventPayload,
    LegalOpinionGiven,
    ProsecutorAssigned,
    ScrutinyCompleted,
)
from contracts.toolkit import Document, Loc, Syntax, Translation, Translator

#: The canonical event of each message.
PAYLOADS: dict[str, type[EventPayload]] = {
    formats.PROSECUTOR_ASSIGNMENT.message_type: ProsecutorAssigned,
    formats.SCRUTINY_RESULT.message_type: ScrutinyCompleted,
    formats.LEGAL_OPINION.message_type: LegalOpinionGiven,
    formats.APPEAL_RECOMMENDATION.message_type: AppealRecommended,
}


def _translator(message_type: str) -> Translator:
    member, body = formats.BODIES[message_type]

    def translate(t: Translation, doc: Document) -> tuple[type[EventPayload], Document]:
        path: Loc = (member,)
        data = t.shape(doc, "", path, formats.CASE_HEAD)
        number = doc.get("prosecutionNumber")
        if number is not None:
            # The office's local number, qualified by the office as every institution's is.
            data["prosecution_number"] = f"{doc.get('officeCode')}:{number}"
            t.origins[(*path, "prosecution_number")] = "/prosecutionNumber"
        data |= t.shape(doc, "", path, body)
        return PAYLOADS[message_type], {member: data}

    return translate


#: The translator of every prosecution message, by message type.
TRANSLATORS: dict[str, Translator] = {
    fmt.message_type: _translator(fmt.message_type) for fmt in formats.INBOUND
}


def origins(message_type: str, syntax: Syntax) -> dict[str, str]:
    """Where each top-level canonical field of a message is in the office's document: canonical
    JSON pointer (``/scrutiny/report_number``) -> JSON pointer (``/reportNumber``) or XPath
    (``/pr:scrutinyResult/pr:reportNumber``)."""
    fmt = formats.PILLAR.by_type.get(message_type)
    if fmt is None:
        return {}
    member, body = formats.BODIES[message_type]
    fields = [*((f.canonical, f.name) for f in (*formats.CASE_HEAD, *body))]
    fields.append(("prosecution_number", "prosecutionNumber"))
    prefix = formats.PILLAR.prefix
    return {
        f"/{member}/{canonical}": (
            f"/{name}" if syntax == "json" else f"/{prefix}:{fmt.root}/{prefix}:{name}"
        )
        for canonical, name in fields
    }
