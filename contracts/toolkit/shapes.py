"""Field correspondences every ICJS pillar format writes the same way: an offence, a document
reference, a sentence and a verdict. A court judgment reaches prisons and prosecution offices
as well as courts; its parts keep one spelling in all of their formats, so they are declared
once here rather than in each adapter (adapters may not import each other). So is a statutory
clock's announcement, which reaches the feeds of courts and prisons alike."""

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
#: A statutory clock's announcement on a pillar's feed (``deadline.due_soon`` or
#: ``deadline.breached``): written the same way on every feed that carries one (a court's, a
#: prison's). ``kind`` is the event's (``due_soon``, ``breached``); the rest is the canonical
#: notice (:class:`canonical_model.events.DeadlineNotice`): the clock's key within the case, the
#: provision as the Act names it, what started the clock and when it falls due, the accused and
#: the case as the institution knows it, and what it is to do.
DEADLINE: Shape = (
    Field("kind", "kind"),
    Field("clock", "clock"),
    Field("provision", "provision"),
    Field("title", "title"),
    Field("dueOn", "due_on"),
    Field("dueAt", "due_at"),
    Field("startedBy", "started_by"),
    Field("startedOn", "started_on"),
    Field("accusedRef", "accused_ref"),
    Field("prisonerNumber", "prisoner"),
    Field("cnr", "cnr"),
    Field("firNo", "fir"),
    Field("action", "action"),
)
