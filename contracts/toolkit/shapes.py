"""Field correspondences every ICJS pillar format writes the same way: an offence, a document
reference, a sentence and a verdict. A court judgment reaches prisons and prosecution offices
as well as courts; its parts keep one spelling in all of their formats, so they are declared
once here rather than in each adapter (adapters may not import each other)."""

from __future__ import annotations

from contracts.toolkit.formats import Field, Shape

#: An offence: always an (act, section) pair, never a bare section; the limb charged where the
#: section has several (its code in the law table).
OFFENCE: Shape = (
    Field("act", "act"),
    Field("section", "section"),
    Field("actName", "act_name"),
    Field("limb", "limb"),
)
#: A document filed with a report or order, identified by its content hash (BSA s.63).
DOCUMENT: Shape = (Field("title", "title"), Field("sha256", "sha256"), Field("pages", "pages"))
#: A sentence passed on one accused.
SENTENCE: Shape = (
    Field("imprisonmentMonths", "imprisonment_months"),
    Field("lifeImprisonment", "life_imprisonment"),
    Field("death", "death"),
    Field("fineAmount", "fine_inr"),
    Field("description", "description"),
)
#: A judgment's verdict on one accused: the disposal, the offences and the sentence.
VERDICT: Shape = (
    Field("ref", "accused_ref"),
    Field("disposal", "verdict"),
    Field("offences", "offences", OFFENCE, many=True),
    Field("sentence", "sentence", SENTENCE),
)
