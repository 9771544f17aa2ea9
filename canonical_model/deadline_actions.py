"""What an institution is to do when one of its statutory clocks falls due or runs out: the
``action`` of a deadline notice (:class:`canonical_model.events.DeadlineNotice`), written on the
pillars' feeds beside the provision.

Each text says what the provision requires of the institution that must act, in the Act's
terms, and no more: the gateway reminds, it does not decide (a court may record reasons and
extend where the Act allows it, or direct otherwise). A provision without a text of its own
gets one made from the clock's title.
"""

from __future__ import annotations

import re
from typing import Literal

__all__ = ["Kind", "action"]

#: ``due_soon``: the clock falls due within the configured lead; ``breached``: it ran out.
Kind = Literal["due_soon", "breached"]

# Keyed by (act, section number): the duty, whether the clock is falling due or has run out
# (the announcement's kind says which).
_ACTIONS: dict[tuple[str, str], str] = {
    # -- the police
    ("BNSS", "58"): "produce the arrested person before the Magistrate within 24 hours of the "
    "arrest, the journey excluded, or release him",
    ("CrPC", "57"): "produce the arrested person before the Magistrate within 24 hours of the "
    "arrest, the journey excluded, or release him",
    ("BNSS", "187"): "complete the investigation and file the police report: on the expiry of "
    "the period the accused is entitled to be released on bail if prepared to furnish it",
    ("CrPC", "167"): "complete the investigation and file the police report: on the expiry of "
    "the period the accused is entitled to be released on bail if prepared to furnish it",
    ("BNSS", "193"): "complete the investigation and forward the police report to the Magistrate",
    ("CrPC", "173"): "complete the investigation and forward the police report to the Magistrate",
    ("BNSS", "176"): "have a forensic expert visit the crime scene to collect forensic "
    "evidence and video-record the process",
    ("BNSS", "184"): "have the victim examined by a registered medical practitioner and the "
    "report forwarded to the investigating officer",
    ("BNSS", "194"): "forward the inquest report to the District Magistrate or Sub-divisional "
    "Magistrate within 24 hours",
    # -- the courts
    ("BNSS", "230"): "furnish the accused (and the victim, if represented by an advocate) "
    "with copies of the police report and the documents, free of cost",
    ("BNSS", "232"): "complete the committal proceedings, or extend the period for reasons "
    "recorded in writing (not beyond 180 days)",
    ("BNSS", "250"): "consider the application for discharge preferred within 60 days of committal",
    ("BNSS", "262"): "consider the application for discharge preferred within 60 days of "
    "the supply of documents",
    ("BNSS", "251"): "frame the charge in writing within 60 days of the first hearing on charge",
    ("BNSS", "263"): "frame the charge in writing within 60 days of the first hearing on charge",
    ("BNSS", "258"): "give judgment within 30 days of the completion of arguments, or extend "
    "for reasons recorded in writing (not beyond 45 days)",
    ("BNSS", "346"): "complete the inquiry or trial of the sexual offence within two months "
    "of the filing of the charge sheet",
    ("CrPC", "309"): "complete the inquiry or trial of the sexual offence within two months "
    "of the filing of the charge sheet",
    ("BNSS", "480"): "release the accused, in custody throughout, on bail, unless the "
    "Magistrate for reasons recorded in writing directs otherwise",
}

#: Provisions whose sub-section asks something else of the institution than the section's
#: other clocks.
_EXACT: dict[str, str] = {
    "BNSS 187(2)": "police custody, 15 days in all, may be asked for in parts only within the "
    "first 40 or 60 days of detention",
    "BNSS 193(3)(ii)": "inform the informant or the victim of the progress of the "
    "investigation, by any means including electronic communication, within 90 days",
    "BNSS 184(6)": "forward the medical examination report to the investigating officer "
    "within 7 days",
}

#: BNSS s.479: the Superintendent's duty (s.479(3)) and the cap of the third proviso.
_UNDERTRIAL = (
    "the Superintendent of the jail applies forthwith, in writing, to the court to proceed "
    "under BNSS 479(1) for the release of the undertrial on bail (BNSS 479(3)); where more "
    "than one offence or case is pending against the person, the court shall not release "
    "(BNSS 479(2))"
)
_FULL_MAXIMUM = (
    "the undertrial may in no case be detained beyond the maximum term of the offence (BNSS "
    "479(1), third proviso): the Superintendent of the jail informs the court at once"
)


def _key(provision: str) -> tuple[str, str]:
    match = re.match(r"\s*([A-Za-z]+)\s+([0-9]+)", provision)
    return (match.group(1), match.group(2)) if match else (provision.strip(), "")


def action(provision: str, *, title: str) -> str:
    """What the institution responsible for the clock under ``provision`` is to do; ``title``
    (the clock's) when the provision has no text of its own."""
    key = _key(provision)
    if key == ("BNSS", "479"):
        return _FULL_MAXIMUM if "third proviso" in provision else _UNDERTRIAL
    return _EXACT.get(provision.strip()) or _ACTIONS.get(key, f"{title} ({provision})")
