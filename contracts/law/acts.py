"""Read sections and First Schedule rows out of the Acts' Akoma Ntoso texts.

The texts are the India Code reprints as converted to Akoma Ntoso 3.0 by the public
repository ``pucardotorg/dristi-domain-model`` (see ``shared/data/README.md``): sections
keep their structure (``section`` with ``eId="sec_103"``, ``subsection`` with
``eId="sec_103__subsec_1"``) while the First Schedules of the BNSS and the CrPC are
flattened into running text, so a schedule row is found by its section number.

Used by hand when the table is extended (``python -m contracts.law.acts BNS 103(1)``)
and by the test that checks ``canonical_model/data/punishments.json`` against the Acts.
"""

from __future__ import annotations

import os
import re
import sys
from functools import cache
from pathlib import Path

from lxml import etree

AKN = "{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}"

FILES = {
    "BNS": "bharatiya-nyaya-sanhita-2023.akn.xml",
    "BNSS": "bharatiya-nagarik-suraksha-sanhita-2023.akn.xml",
    "IPC": "indian-penal-code.akn.xml",
    "CRPC": "code-of-criminal-procedure-1973.akn.xml",
}


def _acts_dir() -> Path:
    """Where the Acts' texts are: the setting ``ICJS_ACTS_DIR``, else the ``shared`` checkout
    beside the repository (``../shared/data/acts``)."""
    given = os.environ.get("ICJS_ACTS_DIR")
    if given:
        return Path(given)
    return Path(__file__).resolve().parents[2].parent / "shared" / "data" / "acts"


#: Where the Acts live.
ACTS_DIR = _acts_dir()

#: The procedure code whose First Schedule classifies the offences of each penal code.
SCHEDULE_OF = {"BNS": "BNSS", "IPC": "CRPC"}
_SECTION = re.compile(r"^(?P<number>[0-9]+[A-Z]*)(?P<subs>(\([0-9a-z]+\))*)$")
#: A row of a flattened schedule starts with a section number and then the offence, which
#: starts with a capital; the columns that also start with a capital after a number
#: ("10 Cognizable", "3 years") are told apart by the words they start with.
_ROW_START = re.compile(
    r"(?<![\w(])(?P<key>[0-9]{1,3}[A-Z]{0,2}(?:\([0-9a-z]+\))*)\s+"
    r"(?!Cognizable|Non|Bailable|Ditto|Court|Magistrate|Any|Same|Imprisonment|Death|Fine)"
    r"(?=[A-Z])"
)


def _text(element: etree._Element) -> str:
    parts = (p if isinstance(p, str) else p.decode() for p in element.itertext())
    return re.sub(r"\s+", " ", "".join(parts)).strip()


@cache
def _tree(act: str) -> etree._ElementTree:
    path = ACTS_DIR / FILES[act]
    if not path.is_file():
        raise FileNotFoundError(f"the text of {act} is not at {path}")
    return etree.parse(str(path))


def section_text(act: str, section: str) -> str | None:
    """The text of ``section`` of ``act`` (heading included), or None when it is not there.

    A subsection (``103(1)``) gives that subsection's text, a clause of the section
    (``125(a)``) that clause's text; a clause below a subsection
    (``64(2)(a)``) gives the subsection's text, which is where the punishment is. Where
    the conversion lost the structure, the nearest whole is given instead: the whole
    section when a subsection has no element of its own (BNS s.196(1), whose "(1)" sits
    in the heading), and the running text from
    "376AB." to the next inserted section when an inserted section was folded into the
    paragraph of its neighbour (IPC ss.376AB, 376DA, 376DB).
    """
    match = _SECTION.match(section)
    if match is None:
        return None
    found = _tree(act).getroot().iter(f"{AKN}section")
    element = next((e for e in found if e.get("eId") == f"sec_{match['number']}"), None)
    if element is None:
        return _folded_section(act, match["number"])
    subs = re.findall(r"\(([0-9a-z]+)\)", match["subs"])
    if subs:
        eid = f"sec_{match['number']}__subsec_{subs[0]}"
        sub = next((e for e in element.iter(f"{AKN}subsection") if e.get("eId") == eid), None)
        if sub is not None:
            return _text(sub)
        # A clause of the section itself, as BNS s.125(a) or s.332(c).
        clause = re.compile(rf"sec_{match['number']}__list_[0-9]+__item_{subs[0]}")
        item = next(
            (e for e in element.iter(f"{AKN}item") if clause.fullmatch(e.get("eId", ""))), None
        )
        if item is not None:
            # A proviso after the list (BNS s.332: "if the offence intended ... is theft")
            # qualifies every clause, so it is part of each clause's text.
            block = item.getparent()
            after = [_text(e) for e in block.itersiblings()] if block is not None else []
            return " ".join([_text(item), *after])
    return _text(element)


@cache
def _act_text(act: str) -> str:
    return _text(_tree(act).getroot())


def _folded_section(act: str, number: str) -> str | None:
    """An inserted section the conversion folded into its neighbour's paragraph, or None."""
    text = _act_text(act)
    start = re.search(rf"\[{re.escape(number)}\.\s*[A-Z]", text)
    if start is None:
        return None
    end = re.compile(r"\[[0-9]+[A-Z]+\.\s*[A-Z]").search(text, start.end())
    return text[start.start() : end.start() if end else start.start() + 3000]


@cache
def _schedule(act: str) -> str:
    """The First Schedule of ``act`` (BNSS or CRPC) as one line of text."""
    text = _act_text(act)
    start = text.find("FIRST SCHEDULE")
    if start < 0:
        raise LookupError(f"no First Schedule in {act}")
    end = text.find("SECOND SCHEDULE", start)
    return text[start : end if end > 0 else None]


@cache
def _rows(act: str) -> list[re.Match[str]]:
    return list(_ROW_START.finditer(_schedule(act)))


def schedule_row(penal_act: str, section: str) -> str | None:
    """The First Schedule row(s) of ``section`` of ``penal_act`` (BNS or IPC), or None.

    The row runs from the section number to the next row's number, so it includes the
    further limbs ("If such act causes hurt ...") the schedule lists under the section.
    """
    schedule = _schedule(SCHEDULE_OF[penal_act])
    starts = _rows(SCHEDULE_OF[penal_act])
    for index, match in enumerate(starts):
        if match["key"] == section:
            end = next(
                (m.start() for m in starts[index + 1 :] if m["key"] != section), len(schedule)
            )
            return schedule[match.start() : end]
    return None


def main(argv: list[str]) -> int:
    """Print a section and its schedule row: ``python -m contracts.law.acts BNS 103(1) ...``."""
    act, *sections = argv
    for section in sections:
        print(f"== {act} {section}\n{section_text(act, section)}")
        if act in SCHEDULE_OF:  # only a penal code's offences have First Schedule rows
            print(f"-- schedule\n{schedule_row(act, section)}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
