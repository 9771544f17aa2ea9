"""Who has authority over a case, as the case's own history shows it.

A message does not make its sender competent: the case does. These records are folded from
the case's events (see :mod:`canonical_model.lifecycle`) and the gateway checks every court and
prison message against them, when it arrives and again when a held message is released.

- **A court is seized** of a case only by (BNSS = Bharatiya Nagarik Suraksha Sanhita, 2023):
  - a police report filed to it (s.193(3)(i): the officer in charge forwards the report to the
    Magistrate empowered to take cognizance; a supplementary report under s.193(9) goes to the
    same Magistrate);
  - the production of an arrested person before it for remand (s.58: production within 24
    hours; s.187(1)-(2): the Magistrate to whom the accused is forwarded authorises detention);
  - a committal by the Magistrate seized of it to the Court of Session (s.232);
  - a transfer by a superior court (s.446: the High Court; s.448: the Sessions Judge, within
    the sessions division; s.447: the Supreme Court, beyond this gateway's courts).
- **A prison holds authority over an accused** only by a warrant or order of the court seized
  that names the prison (remand s.187, custody during trial s.346, conviction s.456), by a
  transfer out of the prison that holds the accused, or because the gateway's record shows the
  accused held there.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class SeizureGround(StrEnum):
    """How a court came to be seized of a case."""

    POLICE_REPORT = "police_report"  # BNSS s.193(3), CrPC s.173(2)
    REMAND_PRODUCTION = "remand_production"  # BNSS ss.58, 187; CrPC ss.57, 167
    COMMITTAL = "committal"  # BNSS s.232; CrPC s.209
    TRANSFER = "transfer"  # BNSS ss.446, 448; CrPC ss.407, 408


#: The section each ground rests on, for the reasons the gateway gives.
SEIZURE_SECTIONS: dict[SeizureGround, str] = {
    SeizureGround.POLICE_REPORT: "BNSS s.193(3)",
    SeizureGround.REMAND_PRODUCTION: "BNSS ss.58, 187",
    SeizureGround.COMMITTAL: "BNSS s.232",
    SeizureGround.TRANSFER: "BNSS ss.446-448",
}


class CourtSeizure(BaseModel):
    """One court's seizure of the case: which court, on what ground, by what paper."""

    model_config = ConfigDict(extra="forbid")

    court: str = Field(description="The court establishment seized (e-Courts code).")
    ground: SeizureGround
    on: dt.date
    reference: str = Field(description="The report or order number that seized it.")
    by: str | None = Field(
        default=None, description="The court that committed or transferred the case to it."
    )


class PrisonWarrant(BaseModel):
    """An order of a court seized of the case that names a prison: the prison's authority to
    admit the accused it names (all the case's accused when it names none)."""

    model_config = ConfigDict(extra="forbid")

    prison: str
    court: str
    order_number: str
    kind: str
    on: dt.date
    accused_refs: list[str] = Field(default_factory=list)

    def covers(self, accused_ref: str | None) -> bool:
        """Whether the warrant reaches the accused ``accused_ref`` (None: the case's accused
        as a whole, which only a warrant naming no one in particular covers)."""
        if not self.accused_refs:
            return True
        return accused_ref is not None and accused_ref in self.accused_refs
