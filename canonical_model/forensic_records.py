"""The forensic (e-Forensics) entities: examination requests with their exhibits, the chain of
custody, the laboratory's acknowledgement, and its report with content hashes.

What is exchanged follows the practice the Acts and the laboratories set:

* a police request to a Forensic Science Laboratory names each exhibit with its seal, how it
  was packed, and when, where and by whom it was seized (a seizure memo, BNSS s.105 on
  recording searches and seizures), and the examination sought;
* every hand that holds an exhibit, and whether the seal was intact, is a chain-of-custody
  entry: what makes the exhibit admissible;
* a report signed by the examiner (BNSS s.329: reports of Government scientific experts are
  evidence) carries, for each attached electronic record, its SHA-256 hash, as the
  certificate of BSA s.63(4) (Schedule, Part B) asks of an electronic record;
* a revision supersedes an earlier report without erasing it: both stay in the event log.

Laboratory case numbers are local to the laboratory and always qualified by its code
(``LabCaseNumber``, DESIGN.md "Identifiers"). The request id is police-side: the FIR in its
canonical text form, a slash and a serial of the police's choosing (``.../FR1``), so it is
unique wherever the FIR is.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from canonical_model.entities import CanonicalModel, Officer, Place, Sha256, ShortText, Text
from canonical_model.identifiers import Fir, LabCaseNumber

#: A laboratory's code: what its feed, its credentials and its case numbers are qualified by
#: (the institution part of ``LabCaseNumber``).
LabCode = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9_-]{1,32}$")]
#: An exhibit's mark, as the seizure memo numbers it (``E1``, ``Ex-3/A``).
ExhibitId = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9_./-]{1,32}$")
]
#: The police-side request id: ``<FIR>/<serial>``, e.g. ``MH/AU/CIDCO/2026/123/FR1``.
RequestId = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Z0-9_./-]{1,100}$")
]
#: A laboratory's report number, local to the laboratory.
ReportNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9_./-]{1,64}$")
]

#: Crosswalk key kinds this module makes (the lab case number uses ``LabCaseNumber.key()``).
REQUEST_KEY = "forensic_request"
REPORT_KEY = "lab_report"


def request_key(request_id: str) -> str:
    """The crosswalk key of a forensic request: ``forensic_request:<request id>``."""
    return f"{REQUEST_KEY}:{request_id}"


def report_key(lab: str, report_number: str) -> str:
    """The crosswalk key of a laboratory report, qualified by the lab:
    ``lab_report:<LAB>:<number>``."""
    return f"{REPORT_KEY}:{lab}:{report_number}"


class ExaminationKind(StrEnum):
    """What a laboratory is asked to examine.

    The gateway's own list, modelled on the divisions a State Forensic Science Laboratory
    commonly has (biology/DNA, serology, toxicology, chemistry/narcotics, ballistics,
    physics, documents, fingerprints, cyber/digital, audio-video).
    """

    DNA = "dna"
    SEROLOGY = "serology"
    BIOLOGY = "biology"
    TOXICOLOGY = "toxicology"
    CHEMISTRY = "chemistry"
    NARCOTICS = "narcotics"
    EXPLOSIVES = "explosives"
    BALLISTICS = "ballistics"
    PHYSICS = "physics"
    DOCUMENTS = "documents"
    FINGERPRINTS = "fingerprints"
    CYBER_DIGITAL = "cyber_digital"
    AUDIO_VIDEO = "audio_video"
    OTHER = "other"


class CustodyAction(StrEnum):
    """What happened to an exhibit in one link of its chain of custody."""

    SEIZED = "seized"
    SEALED = "sealed"
    DEPOSITED = "deposited"
    DISPATCHED = "dispatched"
    RECEIVED = "received"
    EXAMINED = "examined"
    RESEALED = "resealed"
    RETURNED = "returned"


class CustodyEntry(CanonicalModel):
    """One link of an exhibit's chain of custody: who did what with it, when, and whether its
    seal was intact."""

    exhibit_id: ExhibitId
    action: CustodyAction
    at: dt.datetime
    by: Officer = Field(description="Who held or handled the exhibit (rank: designation).")
    place: ShortText | None = Field(
        default=None, description="Where: police station, malkhana, laboratory."
    )
    seal_intact: bool | None = Field(
        default=None, description="Whether the seal was found intact; None when not checked."
    )
    remarks: Text | None = None


class Exhibit(CanonicalModel):
    """An exhibit sent for examination, as its seizure memo describes it."""

    exhibit_id: ExhibitId
    description: Text
    seal_number: ShortText
    packing: ShortText = Field(description="How it was packed (sealed cloth parcel, vial, ...).")
    seized_at: dt.datetime
    seized_from: Place
    seized_by: Officer
    sha256: Sha256 | None = Field(
        default=None,
        description="For an electronic record (a disk image, a phone dump): its SHA-256 at "
        "seizure, the hash a BSA s.63(4) certificate states.",
    )


class ForensicRequest(CanonicalModel):
    """A police request to a laboratory to examine exhibits of a case."""

    request_id: RequestId
    fir: Fir
    lab: LabCode = Field(description="The laboratory addressed: its code, whose feed gets it.")
    requested_at: dt.datetime
    requesting_officer: Officer
    examinations: list[ExaminationKind] = Field(min_length=1)
    exhibits: list[Exhibit] = Field(min_length=1)
    chain_of_custody: list[CustodyEntry] = Field(default_factory=list)
    questions: Text | None = Field(default=None, description="What the laboratory is asked.")

    @model_validator(mode="after")
    def _consistent(self) -> ForensicRequest:
        # The FIR prefix makes the police-side id unique across stations and years.
        if not self.request_id.startswith(f"{self.fir}/"):
            raise ValueError(f"request_id must be the FIR {self.fir} followed by '/' and a serial")
        ids = [e.exhibit_id for e in self.exhibits]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"exhibit ids must be unique, repeated: {repeated}")
        unknown = sorted({c.exhibit_id for c in self.chain_of_custody} - set(ids))
        if unknown:
            raise ValueError(f"chain of custody names exhibits not in the request: {unknown}")
        return self


class ForensicAcknowledgement(CanonicalModel):
    """A laboratory took up a request and gave it its own case number."""

    request_id: RequestId
    lab_case: LabCaseNumber
    received_at: dt.datetime
    exhibits_received: list[ExhibitId] = Field(default_factory=list)
    remarks: Text | None = None


class LabCustody(CanonicalModel):
    """Chain-of-custody entries a laboratory records under its case number."""

    lab_case: LabCaseNumber
    entries: list[CustodyEntry] = Field(min_length=1)


class Examiner(CanonicalModel):
    """The scientific expert who signs a report, with designation (BNSS s.329(4))."""

    name: ShortText
    designation: ShortText


class Attachment(CanonicalModel):
    """A document attached to a report, identified by its SHA-256 (BSA s.63(4))."""

    title: ShortText
    sha256: Sha256
    media_type: ShortText | None = None
    pages: Annotated[int, Field(ge=1)] | None = None


class ExhibitFinding(CanonicalModel):
    """The finding on one exhibit for one examination."""

    exhibit_id: ExhibitId
    examination: ExaminationKind
    finding: Text


class ForensicReport(CanonicalModel):
    """A laboratory's examination report; a revision names the report it supersedes."""

    lab_case: LabCaseNumber
    report_number: ReportNumber
    findings: list[ExhibitFinding] = Field(min_length=1)
    conclusion: Text
    examiner: Examiner
    signed_on: dt.date
    attachments: list[Attachment] = Field(default_factory=list)
    supersedes: ReportNumber | None = Field(
        default=None, description="The report number this one revises (same laboratory)."
    )
    revision_reason: Text | None = None

    @model_validator(mode="after")
    def _not_itself(self) -> ForensicReport:
        if self.supersedes is not None and self.supersedes == self.report_number:
            raise ValueError("a report cannot supersede itself")
        return self

    def key(self) -> str:
        """The report's crosswalk key."""
        return report_key(self.lab_case.institution, self.report_number)
