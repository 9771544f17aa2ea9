"""One realistic case, as the pillars would send it: used by ``icjs demo``, the tests and the
benchmarks, so all three exercise the same path.

A robbery at a shop in the CIDCO police station area of Chhatrapati Sambhajinagar
(Aurangabad) district, Maharashtra, registered under the BNS: robbery with hurt
(BNS s.309(6): voluntarily causing hurt in committing robbery)
and common intention (BNS s.3(5)). Names are invented.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from canonical_model.identifiers import Cnr, EstablishmentCode, Fir

STATION = "MH/AU/CIDCO"
COURT = "MHAU01"
IST = dt.timezone(dt.timedelta(hours=5, minutes=30))


@dataclass(frozen=True)
class CaseRefs:
    """The identifiers of one scenario case."""

    fir: Fir
    cnr: Cnr

    @property
    def court(self) -> EstablishmentCode:
        """The court establishment of the case."""
        return self.cnr.establishment_code


def refs(serial: int, *, year: int = 2026) -> CaseRefs:
    """Identifiers for the scenario case numbered ``serial`` (FIR serial and CNR serial alike)."""
    return CaseRefs(
        fir=Fir.parse(f"{STATION}/{year}/{serial}"),
        cnr=Cnr.parse(f"{COURT}{serial:06d}{year}"),
    )


def _accused() -> list[dict[str, Any]]:
    return [
        {
            "ref": "A1",
            "name": "Ramesh Shankar Jadhav",
            "aliases": ["Rambo"],
            "father_name": "Shankar Jadhav",
            "gender": "male",
            "age": 27,
            "addresses": [
                {
                    "line": "Plot 14, N-7, CIDCO",
                    "district": "Chhatrapati Sambhajinagar",
                    "state": "MH",
                    "pincode": "431003",
                }
            ],
            "identity_documents": [{"kind": "aadhaar", "number": "XXXX-XXXX-4821"}],
        },
        {
            "ref": "A2",
            "name": "Salim Yusuf Shaikh",
            "father_name": "Yusuf Shaikh",
            "gender": "male",
            "date_of_birth": "1999-03-11",
            "addresses": [
                {
                    "line": "Near Jama Masjid, Harsul",
                    "district": "Chhatrapati Sambhajinagar",
                    "state": "MH",
                }
            ],
        },
    ]


def _offences() -> list[dict[str, str]]:
    return [{"act": "BNS", "section": "309(6)"}, {"act": "BNS", "section": "3(5)"}]


def fir_registered(case: CaseRefs) -> dict[str, Any]:
    """The police message registering the FIR, with two accused."""
    return {
        "type": "fir.registered",
        "data": {
            "fir": {
                "fir": str(case.fir),
                "registered_at": "2026-08-14T21:40:00+05:30",
                "occurred_from": "2026-08-14T20:15:00+05:30",
                "occurred_to": "2026-08-14T20:30:00+05:30",
                "place": {
                    "description": "Shree Ganesh Jewellers, Town Centre, CIDCO",
                    "district": "Chhatrapati Sambhajinagar",
                    "state": "MH",
                },
                "complainant": {
                    "ref": "C1",
                    "name": "Vinod Prabhakar Kulkarni",
                    "gender": "male",
                    "age": 52,
                    "addresses": [
                        {"line": "Town Centre, CIDCO", "state": "MH", "pincode": "431003"}
                    ],
                },
                "accused": _accused(),
                "witnesses": [
                    {"ref": "W1", "name": "Sunita Ashok Pawar", "gender": "female", "age": 34}
                ],
                "offences": _offences(),
                "properties": [
                    {
                        "description": "Gold chains, 4 nos., about 60 g",
                        "kind": "jewellery",
                        "estimated_value_inr": 420000,
                    }
                ],
                "brief_facts": "Two men on a motorcycle threatened the shop owner with a knife, "
                "hurt him on the left arm and took four gold chains.",
                "investigating_officer": {"name": "PSI Anil Deshmukh", "rank": "Sub-Inspector"},
            }
        },
    }


def person_arrested(case: CaseRefs) -> dict[str, Any]:
    """The police message recording the arrest of A1."""
    return {
        "type": "person.arrested",
        "data": {
            "arrest": {
                "fir": str(case.fir),
                "person": _accused()[0],
                "arrested_at": "2026-08-17T11:05:00+05:30",
                "place": {"description": "Cidco bus stand", "state": "MH"},
                "arresting_officer": {"name": "PSI Anil Deshmukh", "rank": "Sub-Inspector"},
                "grounds": "Identified on CCTV footage and by the complainant",
                # Produced before the Magistrate for remand within 24 hours (BNSS s.58): the
                # court is seized of the case from then on (BNSS s.187).
                "produced_before": str(case.court),
                "produced_at": "2026-08-18T10:30:00+05:30",
            }
        },
    }


def chargesheet_filed(case: CaseRefs, *, report_number: str | None = None) -> dict[str, Any]:
    """The police message filing the charge sheet in the court of the case."""
    accused = _accused()
    return {
        "type": "chargesheet.filed",
        "data": {
            "report": {
                "fir": str(case.fir),
                "report_number": report_number or f"CS-{case.fir.serial}/{case.fir.year}",
                "kind": "charge_sheet",
                "filed_on": "2026-10-09",
                "court": str(case.court),
                "accused": [
                    {"person": accused[0], "offences": _offences(), "custody": "judicial_custody"},
                    {"person": accused[1], "offences": _offences(), "custody": "absconding"},
                ],
                "witnesses": [
                    {"ref": "W1", "name": "Sunita Ashok Pawar", "gender": "female", "age": 34}
                ],
                "offences": _offences(),
                "documents": [
                    {"title": "Spot panchnama", "sha256": "5" * 64, "pages": 3},
                    {
                        "title": "CCTV footage certificate (BSA s.63)",
                        "sha256": "a" * 64,
                        "pages": 1,
                    },
                ],
                "investigating_officer": {"name": "PSI Anil Deshmukh", "rank": "Sub-Inspector"},
                "summary": "Accused A1 and A2, acting with common intention, committed robbery "
                "and voluntarily caused hurt to the complainant.",
            }
        },
    }


def court_case(case: CaseRefs) -> dict[str, Any]:
    """Canonical data of the court's registration of the case (the court sends it in its format)."""
    return {
        "cnr": str(case.cnr),
        "fir": str(case.fir),
        "establishment": str(case.court),
        "court_name": "Chief Judicial Magistrate, Chhatrapati Sambhajinagar",
        "filing_number": f"{case.court}/RCC/{case.cnr.serial}/{case.cnr.year}",
        "registration_number": f"{case.court}/RCC/{case.cnr.serial}/{case.cnr.year}",
        "registered_on": "2026-10-14",
        "judge": {"name": "Smt. R. V. Patil", "rank": "Chief Judicial Magistrate"},
    }


def hearings(case: CaseRefs) -> list[dict[str, Any]]:
    """Canonical data of two hearings of the case."""
    return [
        {
            "cnr": str(case.cnr),
            "hearing_date": "2026-10-28",
            "purpose": "Appearance of accused",
            "business": "A1 produced from judicial custody; NBW against A2 continued.",
            "next_date": "2026-11-25",
            "next_purpose": "Framing of charge",
        },
        {
            "cnr": str(case.cnr),
            "hearing_date": "2026-11-25",
            "purpose": "Framing of charge",
            "business": "Charge framed against A1 and read over; A1 pleads not guilty.",
            "next_date": "2026-12-16",
            "next_purpose": "Prosecution evidence",
        },
    ]


# -- forensic labs (e-Forensics) ------------------------------------------------------------
# The knife and the shirt of the robbery go to the Regional Forensic Science Laboratory at
# Chhatrapati Sambhajinagar (code invented: RFSL_AU) for DNA and serology.

LAB = "RFSL_AU"


def forensic_request_id(case: CaseRefs, serial: int = 1) -> str:
    """The police-side id of the case's forensic request number ``serial``."""
    return f"{case.fir}/FR{serial}"


def lab_case_number(case: CaseRefs) -> str:
    """The laboratory case number RFSL_AU gives the request (qualified by the lab code)."""
    return f"{LAB}:DNA-{case.fir.year}-{case.fir.serial:04d}"


def _officer(name: str, rank: str) -> dict[str, str]:
    return {"name": name, "rank": rank}


def forensic_requested(case: CaseRefs, *, lab: str = LAB) -> dict[str, Any]:
    """The police message sending two exhibits to the laboratory, custody so far included."""
    io = _officer("PSI Anil Deshmukh", "Sub-Inspector")
    place = {
        "description": "Shree Ganesh Jewellers, Town Centre, CIDCO",
        "district": "Chhatrapati Sambhajinagar",
        "state": "MH",
    }
    return {
        "type": "forensic.requested",
        "data": {
            "request": {
                "request_id": forensic_request_id(case),
                "fir": str(case.fir),
                "lab": lab,
                "requested_at": "2026-08-16T11:00:00+05:30",
                "requesting_officer": io,
                "examinations": ["dna", "serology"],
                "exhibits": [
                    {
                        "exhibit_id": "E1",
                        "description": "Knife, steel blade 18 cm, brown stains on the blade",
                        "seal_number": "CIDCO/S/2026/311",
                        "packing": "sealed cardboard box, cloth-wrapped",
                        "seized_at": "2026-08-15T09:30:00+05:30",
                        "seized_from": place,
                        "seized_by": io,
                    },
                    {
                        "exhibit_id": "E2",
                        "description": "Shirt of the complainant, blood-stained left sleeve",
                        "seal_number": "CIDCO/S/2026/312",
                        "packing": "sealed cloth parcel",
                        "seized_at": "2026-08-15T10:10:00+05:30",
                        "seized_from": place,
                        "seized_by": io,
                    },
                ],
                "chain_of_custody": [
                    {
                        "exhibit_id": "E1",
                        "action": "deposited",
                        "at": "2026-08-15T13:00:00+05:30",
                        "by": _officer("HC Sunil Gaikwad", "Head Constable (malkhana)"),
                        "place": "CIDCO police station malkhana",
                        "seal_intact": True,
                    },
                    {
                        "exhibit_id": "E1",
                        "action": "dispatched",
                        "at": "2026-08-16T11:30:00+05:30",
                        "by": _officer("PC Rahul More", "Constable"),
                        "seal_intact": True,
                    },
                ],
                "questions": "Is the blood on E1 human, and of the same DNA profile as the "
                "blood on E2?",
            }
        },
    }


def forensic_acknowledgement(case: CaseRefs) -> dict[str, Any]:
    """The laboratory's acknowledgement, canonical ``forensic.acknowledged`` data."""
    return {
        "acknowledgement": {
            "request_id": forensic_request_id(case),
            "lab_case": lab_case_number(case),
            "received_at": "2026-08-16T15:20:00+05:30",
            "exhibits_received": ["E1", "E2"],
            "remarks": "Two parcels received with seals intact as per the forwarding letter.",
        }
    }


def forensic_custody(case: CaseRefs) -> dict[str, Any]:
    """Chain-of-custody entries at the laboratory, canonical ``forensic.custody_recorded``."""
    clerk = _officer("Smt. Meena Kale", "Receiving Clerk")
    analyst = _officer("Dr. Prakash Joshi", "Assistant Chemical Analyser")
    return {
        "custody": {
            "lab_case": lab_case_number(case),
            "entries": [
                {
                    "exhibit_id": "E1",
                    "action": "received",
                    "at": "2026-08-16T15:20:00+05:30",
                    "by": clerk,
                    "place": "RFSL Chhatrapati Sambhajinagar",
                    "seal_intact": True,
                },
                {
                    "exhibit_id": "E2",
                    "action": "received",
                    "at": "2026-08-16T15:20:00+05:30",
                    "by": clerk,
                    "place": "RFSL Chhatrapati Sambhajinagar",
                    "seal_intact": True,
                },
                {
                    "exhibit_id": "E1",
                    "action": "examined",
                    "at": "2026-08-24T10:00:00+05:30",
                    "by": analyst,
                    "seal_intact": True,
                    "remarks": "Swabs taken from the blade; resealed under lab seal.",
                },
            ],
        }
    }


_REPORT_PDF = "5f1c3e9a0b7d4c2e8a6f1b3d5c7e9a0b2d4f6a8c0e1b3d5f7a9c1e3b5d7f9a1c"
_REVISED_PDF = "a3b1c9d7e5f3a1b9c7d5e3f1a9b7c5d3e1f9a7b5c3d1e9f7a5b3c1d9e7f5a3b1"


def forensic_report(case: CaseRefs) -> dict[str, Any]:
    """The laboratory's report, canonical ``forensic.reported`` data."""
    return {
        "report": {
            "lab_case": lab_case_number(case),
            "report_number": f"RFSL/AU/DNA/{case.fir.year}/{116 + case.fir.serial}",
            "findings": [
                {
                    "exhibit_id": "E1",
                    "examination": "serology",
                    "finding": "Human blood, group B, detected on the blade.",
                },
                {
                    "exhibit_id": "E2",
                    "examination": "serology",
                    "finding": "Human blood, group B, detected on the left sleeve.",
                },
            ],
            "conclusion": "Blood on E1 and E2 is human, of group B.",
            "examiner": {"name": "Dr. Prakash Joshi", "designation": "Assistant Chemical Analyser"},
            "signed_on": "2026-09-02",
            "attachments": [
                {
                    "title": "Examination report, signed",
                    "sha256": _REPORT_PDF,
                    "media_type": "application/pdf",
                    "pages": 4,
                }
            ],
        }
    }


def forensic_report_revision(case: CaseRefs) -> dict[str, Any]:
    """A revision adding the DNA result, canonical ``forensic.report_revised`` data."""
    report = forensic_report(case)["report"]
    return {
        "report": {
            **report,
            "report_number": f"RFSL/AU/DNA/{case.fir.year}/{116 + case.fir.serial}-R1",
            "supersedes": report["report_number"],
            "revision_reason": "DNA profiling of E1 and E2 completed.",
            "findings": [
                *report["findings"],
                {
                    "exhibit_id": "E1",
                    "examination": "dna",
                    "finding": "DNA profile from the blade matches the profile from E2.",
                },
            ],
            "conclusion": "Blood on E1 and E2 is human, of group B, from one male individual.",
            "signed_on": "2026-09-20",
            "attachments": [
                {
                    "title": "Revised examination report with DNA profile, signed",
                    "sha256": _REVISED_PDF,
                    "media_type": "application/pdf",
                    "pages": 7,
                }
            ],
        }
    }


# --------------------------------------------------------------------------- vehicles
# The robbers' motorcycle had been stolen a month before from outside a house in the
# Begumpura police station area, and wore other plates when it was seized from A1: the
# gateway finds it by its chassis number and links the two cases. Numbers follow the case
# serial so that each demo run has a vehicle of its own; MH20 is the Chhatrapati
# Sambhajinagar RTO; the VIN layout (WMI ME4, 17 characters) follows ISO 3779.

THEFT_STATION = "MH/AU/BEGUMPURA"


def vehicle_numbers(case: CaseRefs) -> dict[str, str]:
    """The motorcycle's registration, chassis and engine numbers, as its owner's RC has them."""
    serial = case.fir.serial
    return {
        "registration": f"MH20DX{(serial - 1) % 9999 + 1:04d}",
        "chassis": f"ME4JC651CN{serial:07d}",
        "engine": f"JC65E{serial:07d}",
    }


def theft_fir(case: CaseRefs) -> Fir:
    """The FIR of the motorcycle's theft, at another police station of the district."""
    return Fir.parse(f"{THEFT_STATION}/{case.fir.year}/{case.fir.serial}")


def vehicle_theft_fir_registered(case: CaseRefs) -> dict[str, Any]:
    """The police message registering the theft of the motorcycle (BNS s.303(2))."""
    numbers = vehicle_numbers(case)
    return {
        "type": "fir.registered",
        "data": {
            "fir": {
                "fir": str(theft_fir(case)),
                "registered_at": "2026-07-20T09:10:00+05:30",
                "occurred_from": "2026-07-19T23:00:00+05:30",
                "occurred_to": "2026-07-20T06:30:00+05:30",
                "place": {"description": "Outside house no. 7, Begumpura", "state": "MH"},
                "complainant": {"ref": "C1", "name": "Imran Yusuf Shaikh", "gender": "male"},
                "offences": [{"act": "BNS", "section": "303(2)"}],
                "properties": [
                    {
                        "description": "Motorcycle, black, Honda Shine",
                        "kind": "vehicle",
                        "estimated_value_inr": 65000,
                        "vehicle": numbers["registration"],
                    }
                ],
                "brief_facts": "The complainant's motorcycle, parked outside his house, was "
                "stolen during the night.",
            }
        },
    }


def vehicle_stolen(case: CaseRefs) -> dict[str, Any]:
    """The police report of the stolen motorcycle, with all three numbers (from its RC)."""
    numbers = vehicle_numbers(case)
    return {
        "type": "vehicle.stolen",
        "data": {
            "report": {
                "fir": str(theft_fir(case)),
                "vehicle": {
                    "registration": numbers["registration"],
                    "chassis": numbers["chassis"],
                    "engine": numbers["engine"],
                },
                "description": {
                    "kind": "motorcycle",
                    "make": "Honda",
                    "model": "Shine",
                    "colour": "black",
                },
                "on": "2026-07-20",
                "place": {"description": "Outside house no. 7, Begumpura", "state": "MH"},
            }
        },
    }


def vehicle_seized(case: CaseRefs) -> dict[str, Any]:
    """The robbery case's seizure of the motorcycle from A1, under false plates: the police
    write the plate as they saw it and the chassis number in their own way."""
    chassis = vehicle_numbers(case)["chassis"]
    return {
        "type": "vehicle.seized",
        "data": {
            "report": {
                "fir": str(case.fir),
                "vehicle": {
                    "registration": "MH 20 EK 1102",
                    "chassis": f"{chassis[:5]}-{chassis[5:10]} {chassis[10:]}".lower(),
                },
                "description": {"kind": "motorcycle", "make": "Honda", "colour": "black"},
                "on": "2026-08-17",
                "place": {"description": "Cidco bus stand", "state": "MH"},
                "officer": {"name": "PSI Anil Deshmukh", "rank": "Sub-Inspector"},
                "remarks": "Used in the robbery; number plates do not match the chassis.",
            }
        },
    }


def vahan_record(case: CaseRefs, *, in_reply_to: str | None = None) -> dict[str, Any]:
    """Vahan's registration record of the motorcycle, in Vahan's JSON format (the owner is
    the theft's complainant); ``in_reply_to`` is the feed item it answers."""
    numbers = vehicle_numbers(case)
    record: dict[str, Any] = {"messageType": "vehicle_record"}
    if in_reply_to is not None:
        record["inReplyTo"] = in_reply_to
    return record | {
        "registrationNumber": numbers["registration"],
        "chassisNumber": numbers["chassis"],
        "engineNumber": numbers["engine"],
        "owner": {"name": "Imran Yusuf Shaikh", "address": "House no. 7, Begumpura"},
        "vehicleDescription": {
            "vehicleClass": "M-Cycle/Scooter",
            "make": "HONDA MOTORCYCLE AND SCOOTER INDIA",
            "model": "SHINE",
            "colour": "BLACK",
        },
        "registeredOn": "2022-03-11",
        "registeringAuthority": "RTO CHHATRAPATI SAMBHAJINAGAR (MH20)",
        "status": "active",
        "asOf": "2026-08-18",
    }


# --------------------------------------------------------------------------- prisons
# The scenario's first accused, arrested on 17 August 2026, remanded by the court and
# held at Harsul Central Prison, Chhatrapati Sambhajinagar. The prison code and the
# prisoner-number layout are invented (e-Prisons numbers are local to each prison).

PRISON = "HARSUL_CP"


def remand_order(case: CaseRefs, *, prison: str = PRISON) -> dict[str, Any]:
    """Canonical data of the court's order remanding A1 to judicial custody in ``prison``."""
    return {
        "cnr": str(case.cnr),
        "order_number": f"RO/{case.cnr.serial}/{case.cnr.year}",
        "order_date": "2026-08-18",
        "kind": "remand",
        "accused_refs": ["A1"],
        "text": "A1 remanded to judicial custody till 01-09-2026.",
        "prison": prison,
    }


def admission(
    case: CaseRefs, *, prison: str = PRISON, number: str | None = None, first_offender: bool = False
) -> dict[str, Any]:
    """A prison's admission of A1 on the remand order, in the prison's JSON format; the inmate
    is named as the prison records them (no accused reference)."""
    return {
        "messageType": "admission",
        "prisonCode": prison,
        "prisonerNumber": number or f"UT/{case.cnr.serial}/{case.cnr.year}",
        "admissionDate": "2026-08-18",
        "category": "undertrial",
        "inmate": {
            "name": "Ramesh Shankar Jadhav",
            "fatherName": "Shankar Jadhav",
            "gender": "male",
            "age": 27,
            "firstOffender": first_offender,
        },
        "warrant": {
            "warrantType": "remand",
            "courtEstablishment": str(case.court),
            "orderDate": "2026-08-18",
            "orderNumber": f"RO/{case.cnr.serial}/{case.cnr.year}",
            "cnr": str(case.cnr),
            "firNo": str(case.fir),
        },
    }


# -- prosecution (e-Prosecution) ------------------------------------------------------------
# The scenario's robbery with hurt (BNS s.309(6), imprisonment for life) is monitored by the
# Director of Prosecution under BNSS s.20(7), who assigns its prosecutor; its charge sheet is
# examined and scrutinised by the district's Deputy Director (s.20(8)).

PROSECUTION_OFFICE = "MH/DOP"
SCRUTINY_OFFICE = "MH/AU/DDP"


def prosecution_number(case: CaseRefs, *, office: str = PROSECUTION_OFFICE) -> str:
    """The office's number of the scenario case, ``OFFICE:NUMBER``."""
    return f"{office}:PR/{case.fir.serial}/{case.fir.year}"


def _prosecutor() -> dict[str, str]:
    return {"name": "Adv. Sunanda Gaikwad", "prosecutor_id": "APP-117", "rank": "public_prosecutor"}


def prosecutor_assignment(case: CaseRefs, *, office: str = PROSECUTION_OFFICE) -> dict[str, Any]:
    """Canonical data of the office assigning a public prosecutor to the case, for its court."""
    return {
        "assignment": {
            "office": office,
            "fir": str(case.fir),
            "cnr": str(case.cnr),
            "prosecution_number": prosecution_number(case, office=office),
            "prosecutor": _prosecutor(),
            "court": str(case.court),
            "assigned_on": "2026-10-12",
        }
    }


def scrutiny_returned(case: CaseRefs, *, office: str = SCRUTINY_OFFICE) -> dict[str, Any]:
    """Canonical data of the scrutiny returning the charge sheet with two deficiencies."""
    return {
        "scrutiny": {
            "office": office,
            "fir": str(case.fir),
            "report_number": f"CS-{case.fir.serial}/{case.fir.year}",
            "outcome": "returned",
            "deficiencies": [
                {
                    "field": "documents",
                    "remark": "The certificate under BSA s.63 for the CCTV footage is not signed "
                    "by the person in charge of the device.",
                },
                {
                    "field": "accused[A2].custody",
                    "remark": "A2 is shown absconding: attach the proclamation under BNSS s.84.",
                },
            ],
            "scrutinised_on": "2026-10-20",
            "prosecutor": _prosecutor(),
        }
    }


def scrutiny_approved(
    case: CaseRefs, *, office: str = SCRUTINY_OFFICE, version: int | None = 2
) -> dict[str, Any]:
    """Canonical data of the scrutiny approving the re-filed charge sheet."""
    scrutiny: dict[str, Any] = {
        "office": office,
        "fir": str(case.fir),
        "report_number": f"CS-{case.fir.serial}/{case.fir.year}",
        "outcome": "approved",
        "scrutinised_on": "2026-11-02",
        "prosecutor": _prosecutor(),
        "remarks": "Deficiencies cured; fit to be proceeded with.",
    }
    if version is not None:
        scrutiny["version"] = version
    return {"scrutiny": scrutiny}


def chargesheet_refiled(case: CaseRefs) -> dict[str, Any]:
    """The police message filing the charge sheet again under its number, the deficiencies
    cured: the proclamation of the absconding A2 attached."""
    message = chargesheet_filed(case)
    report = message["data"]["report"]
    report["filed_on"] = "2026-10-28"
    report["documents"].append(
        {"title": "Proclamation of A2 under BNSS s.84", "sha256": "b" * 64, "pages": 2}
    )
    return message


def legal_opinion(case: CaseRefs, *, office: str = PROSECUTION_OFFICE) -> dict[str, Any]:
    """Canonical data of a legal opinion the investigating officer asked for."""
    return {
        "opinion": {
            "office": office,
            "fir": str(case.fir),
            "opinion_number": f"OP/{case.fir.serial}/{case.fir.year}",
            "subject": "Whether BNS s.311 (robbery with attempt to cause death) is made out",
            "opinion": "The knife injury on the left arm is simple; no attempt to cause death "
            "is shown. Charge under BNS s.309(6) read with s.3(5) only.",
            "given_on": "2026-10-05",
            "prosecutor": _prosecutor(),
            "requested_by": "PSI Anil Deshmukh",
        }
    }


def appeal_recommendation(
    case: CaseRefs, *, judgment_date: str, office: str = PROSECUTION_OFFICE
) -> dict[str, Any]:
    """Canonical data of the Directorate recommending an appeal against an acquittal."""
    return {
        "recommendation": {
            "office": office,
            "cnr": str(case.cnr),
            "judgment_date": judgment_date,
            "recommended": True,
            "grounds": [
                "The trial court discarded the CCTV footage though its BSA s.63 certificate "
                "was on record.",
                "The identification by the complainant was consistent and corroborated.",
            ],
            "accused_refs": ["A2"],
            "appeal_to": "High Court of Bombay, Aurangabad Bench",
            "recommended_on": "2027-03-20",
            "prosecutor": _prosecutor(),
        }
    }
