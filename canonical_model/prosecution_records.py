"""The prosecution (e-Prosecution) entities: a prosecutor assigned to a case, the scrutiny of a
police report, a legal opinion, and the recommendation whether to appeal a judgment.

What is exchanged follows BNSS s.20 and the practice of the State Directorates of Prosecution:

* the offices are those of s.20(1) (:class:`~canonical_model.identifiers.ProsecutionOffice`);
  every message names the office that sends it, and prosecution numbers are local to it;
* a Deputy Director "examine[s] and scrutinise[s] police report[s]" (s.20(8)); a report found
  wanting is returned to the police with its deficiencies, each naming the part of the report
  (``field``) and what is wrong with it (``remark``), and the police file it again;
* the Director gives "opinion on filing of appeals" (s.20(7)); any office may deal with any
  proceeding (s.20(10)), so an opinion or an appeal recommendation may come from any of them.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Self

from pydantic import Field, model_validator

from canonical_model.entities import CanonicalModel, PartyRef, Sha256, ShortText, Text
from canonical_model.identifiers import (
    Cnr,
    EstablishmentCode,
    Fir,
    ProsecutionNumber,
    ProsecutionOffice,
)


class ProsecutorRank(StrEnum):
    """What a prosecutor is appointed as (BNSS ss.18-20)."""

    PUBLIC_PROSECUTOR = "public_prosecutor"  # s.18
    ADDITIONAL_PUBLIC_PROSECUTOR = "additional_public_prosecutor"  # s.18
    SPECIAL_PUBLIC_PROSECUTOR = "special_public_prosecutor"  # s.18(8)
    ASSISTANT_PUBLIC_PROSECUTOR = "assistant_public_prosecutor"  # s.19
    DIRECTOR = "director"  # s.20
    DEPUTY_DIRECTOR = "deputy_director"  # s.20
    ASSISTANT_DIRECTOR = "assistant_director"  # s.20


class Prosecutor(CanonicalModel):
    """A prosecutor as the office records them; ``prosecutor_id`` is the office's own id."""

    name: ShortText
    prosecutor_id: ShortText | None = None
    rank: ProsecutorRank | None = None


class ProsecutionMessage(CanonicalModel):
    """What every prosecution message carries: the office sending it and the case it is about,
    by FIR, CNR and/or the office's prosecution number (at least one)."""

    office: ProsecutionOffice
    fir: Fir | None = None
    cnr: Cnr | None = None
    prosecution_number: ProsecutionNumber | None = None

    @model_validator(mode="after")
    def _names_a_case(self) -> Self:
        if not self.case_keys():
            raise ValueError("name the case by FIR, CNR or prosecution number")
        return self

    def case_keys(self) -> list[str]:
        """The case references it carries, CNR first, then FIR, then the prosecution number."""
        refs = (self.cnr, self.fir, self.prosecution_number)
        return [ref.key() for ref in refs if ref is not None]


class ProsecutorAssignment(ProsecutionMessage):
    """A prosecutor assigned to conduct a case before a court; the office may number the case
    (``prosecution_number``, which then becomes a key of the case)."""

    prosecutor: Prosecutor
    court: EstablishmentCode = Field(description="The court the prosecutor conducts the case in.")
    assigned_on: dt.date
    remarks: Text | None = None

    @model_validator(mode="after")
    def _found_by_fir_or_cnr(self) -> Self:
        if self.fir is None and self.cnr is None:
            raise ValueError("an assignment names the case by FIR or CNR")
        number = self.prosecution_number
        if number is not None and number.institution != str(self.office):
            raise ValueError(
                f"the prosecution number {number} is not of the assigning office {self.office}"
            )
        return self


class ScrutinyOutcome(StrEnum):
    """What the scrutiny of a police report found."""

    APPROVED = "approved"
    RETURNED = "returned"  # returned to the police with deficiencies to cure


class Deficiency(CanonicalModel):
    """One deficiency of a police report: the part of the report and what is wrong with it."""

    field: ShortText = Field(
        description="The part of the report, as the office names it (accused[A2].offences, "
        "documents, witness statements, ...)."
    )
    remark: Text


class ScrutinyResult(ProsecutionMessage):
    """The scrutiny of one police report (BNSS s.20(8)): approved, or returned with deficiencies.

    ``version`` is the filing of the report that was judged (1 the first, 2 after one re-filing);
    when the office leaves it out, the gateway records the latest version filed.
    """

    report_number: ShortText
    version: Annotated[int, Field(ge=1)] | None = None
    outcome: ScrutinyOutcome
    deficiencies: list[Deficiency] = Field(default_factory=list)
    scrutinised_on: dt.date
    prosecutor: Prosecutor | None = None
    remarks: Text | None = None

    @model_validator(mode="after")
    def _deficiencies_when_returned(self) -> Self:
        if self.outcome is ScrutinyOutcome.RETURNED and not self.deficiencies:
            raise ValueError("a report returned to the police lists its deficiencies")
        if self.outcome is ScrutinyOutcome.APPROVED and self.deficiencies:
            raise ValueError("an approved report has no deficiencies; return it instead")
        return self


class LegalOpinion(ProsecutionMessage):
    """A prosecutor's opinion on a question in a case (whether to charge an offence, to add an
    accused, to apply for cancellation of bail, ...)."""

    opinion_number: ShortText | None = None
    subject: ShortText
    opinion: Annotated[str, Field(min_length=1, max_length=20000)]
    given_on: dt.date
    prosecutor: Prosecutor | None = None
    requested_by: ShortText | None = Field(
        default=None, description="Who asked for the opinion (the investigating officer, ...)."
    )
    document_sha256: Sha256 | None = None


class AppealRecommendation(ProsecutionMessage):
    """The office's recommendation, after a judgment, whether to appeal it (BNSS s.20(7): the
    Director gives opinion on filing of appeals). Names the judgment by CNR and date."""

    judgment_date: dt.date
    recommended: bool
    grounds: list[Text] = Field(min_length=1)
    accused_refs: list[PartyRef] = Field(
        default_factory=list, description="Whom the appeal would concern; empty for all."
    )
    appeal_to: ShortText | None = Field(
        default=None, description="The court an appeal would lie to, as the office names it."
    )
    recommended_on: dt.date
    prosecutor: Prosecutor | None = None

    @model_validator(mode="after")
    def _names_the_judgment(self) -> Self:
        if self.cnr is None:
            raise ValueError("an appeal recommendation names the judgment's case by CNR")
        if self.recommended_on < self.judgment_date:
            raise ValueError("recommended_on is before the judgment")
        return self
