"""The institution directory: every institution the gateway deals with.

Police states, districts and stations, court establishments (with their State, district and
level), prisons, laboratories, prosecution offices, the transport registries and operator
units are each one record, keyed by pillar and code (the code as keys and messages write it,
normalised by :func:`gateway.services.auth.normalise_institution`). Keys are issued only to listed
institutions (:func:`gateway.services.auth.create_client`).

Operators keep the directory with ``icjs institutions add`` / ``import`` or
``POST /v1/admin/institutions``. A directory is a CSV file with the header
``pillar,code,name,state,district,level``; ``level`` is empty except for courts. The shipped
:data:`SAMPLE_DIRECTORY` holds SAMPLE codes for demos and tests, not official codes of any
State; its rows are marked ``sample``.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, tuple_
from sqlmodel import Session, col, select

from canonical_model.identifiers import EstablishmentCode, ProsecutionOffice
from gateway.services.auth import PILLARS, normalise_institution
from gateway.store.tables import InstitutionRow, utcnow

#: The levels of a court establishment.
LEVELS = ("magistrate", "sessions", "high_court", "juvenile_justice_board")
#: The columns of a directory file, in order.
COLUMNS = ("pillar", "code", "name", "state", "district", "level")
#: The SAMPLE directory shipped with the gateway (demos and tests; not official codes).
SAMPLE_DIRECTORY = Path(__file__).parents[1] / "data" / "sample_institutions.csv"
#: Rows validated and written together by :func:`import_institutions` (one progress call each).
BATCH_ROWS = 500
NAME_MAX = 200

_STATE = re.compile(r"[A-Z]{2}")
_DISTRICT = re.compile(r"[A-Z0-9_-]{1,16}")  # as in FIR numbers (MH/AU/CIDCO/2026/0417)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_WRITE = insert(InstitutionRow.__table__)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Institution:
    """One institution of the directory."""

    pillar: str
    code: str
    name: str
    state: str | None
    district: str | None
    level: str | None
    sample: bool

    @classmethod
    def of(cls, row: InstitutionRow) -> Institution:
        """The institution a directory row holds."""
        return cls(
            pillar=row.pillar,
            code=row.code,
            name=row.name,
            state=row.state,
            district=row.district,
            level=row.level,
            sample=row.sample,
        )

    def as_dict(self) -> dict[str, Any]:
        """The institution as a JSON-ready mapping."""
        return {
            "pillar": self.pillar,
            "code": self.code,
            "name": self.name,
            "state": self.state,
            "district": self.district,
            "level": self.level,
            "sample": self.sample,
        }


@dataclass(frozen=True)
class FieldProblem:
    """What is wrong with one field (a CSV column, a JSON member) of an institution."""

    field: str
    message: str
    value: str | None

    def __str__(self) -> str:
        return f"{self.field}: {self.message} (got {self.value or ''!r})"


class InvalidInstitution(ValueError):
    """An institution the directory cannot hold; ``problems`` names every field that is wrong."""

    def __init__(self, problems: Sequence[FieldProblem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


@dataclass
class ImportReport:
    """What :func:`import_institutions` did: how many rows it imported (added, updated or
    already so), how many it rejected, and one located error per problem."""

    imported: int = 0
    rejected: int = 0
    errors: list[str] = field(default_factory=list)


def _blank(value: str | None) -> str | None:
    text = (value or "").strip()
    return text or None


def check_institution(
    *,
    pillar: str,
    code: str,
    name: str,
    state: str | None = None,
    district: str | None = None,
    level: str | None = None,
    sample: bool = False,
) -> Institution:
    """Check and normalise an institution without touching the database.

    The code is normalised for its pillar; a court needs its level (one of :data:`LEVELS`;
    a High Court's, ``HC`` in its code, is ``high_court`` and may be left out), no other
    institution has one; State and district are codes as in FIR numbers (``MH``, ``AU``).
    For police, courts and prosecution they are taken from the code when not given, and
    refused when they contradict it. Raises :class:`InvalidInstitution` naming every field
    that is wrong.
    """
    problems: list[FieldProblem] = []
    the_pillar = (pillar or "").strip().lower()
    the_name = (name or "").strip()
    the_state = _blank(state)
    the_district = _blank(district)
    the_level = _blank(level)
    if the_pillar not in PILLARS:
        problems.append(FieldProblem("pillar", f"one of {', '.join(PILLARS)}", pillar))
    if not the_name:
        problems.append(FieldProblem("name", "missing: every institution has a name", name))
    elif len(the_name) > NAME_MAX:
        problems.append(FieldProblem("name", f"at most {NAME_MAX} characters", name))
    elif _CONTROL.search(the_name):
        problems.append(FieldProblem("name", "no line breaks or control characters", name))
    if the_state is not None:
        the_state = the_state.upper()
        if not _STATE.fullmatch(the_state):
            problems.append(FieldProblem("state", "2 letters A-Z, as in FIR numbers (MH)", state))
    if the_district is not None:
        the_district = the_district.upper()
        if not _DISTRICT.fullmatch(the_district):
            problems.append(
                FieldProblem("district", "1 to 16 of A-Z 0-9 _ -, as in FIR numbers (AU)", district)
            )
    if the_level is not None:
        the_level = the_level.lower()
    canonical: str | None = None
    if the_pillar in PILLARS:
        try:
            canonical = normalise_institution(the_pillar, code or "")
        except ValueError as exc:
            problems.append(FieldProblem("code", str(exc), code))
        if the_pillar == "courts":
            if the_level is not None and the_level not in LEVELS:
                problems.append(FieldProblem("level", f"one of {', '.join(LEVELS)}", level))
        elif the_level is not None:
            problems.append(
                FieldProblem(
                    "level",
                    f"only courts have a level; leave it empty for {the_pillar}",
                    level,
                )
            )
    area_ok = not {p.field for p in problems} & {"state", "district", "level"}
    if canonical is not None and area_ok:
        the_state, the_district, the_level, contradictions = _from_code(
            the_pillar, canonical, the_state, the_district, the_level
        )
        problems.extend(contradictions)
    if area_ok and the_district is not None and the_state is None:
        problems.append(
            FieldProblem("district", "a district needs its State: give the state too", district)
        )
    if problems:
        raise InvalidInstitution(problems)
    assert canonical is not None
    return Institution(
        pillar=the_pillar,
        code=canonical,
        name=the_name,
        state=the_state,
        district=the_district,
        level=the_level,
        sample=sample,
    )


def _from_code(
    pillar: str, code: str, state: str | None, district: str | None, level: str | None
) -> tuple[str | None, str | None, str | None, list[FieldProblem]]:
    """State, district and level completed from a canonical code (police, courts,
    prosecution), and every contradiction between them and the code."""
    if pillar not in ("police", "courts", "prosecution"):
        return state, district, level, []
    problems: list[FieldProblem] = []
    high_court = False
    if pillar == "police":
        parts = code.split("/")
        in_state, in_district = parts[0], (parts[1] if len(parts) > 1 else None)
    elif pillar == "courts":
        establishment = EstablishmentCode.parse(code)
        high_court = establishment.district == "HC"
        in_state, in_district = establishment.state, establishment.district
    else:
        office = ProsecutionOffice.parse(code)
        in_state, in_district = office.state, office.district
    if state is not None and state != in_state:
        problems.append(FieldProblem("state", f"the code {code} is in State {in_state}", state))
    if high_court:
        # A High Court's code names no district; a bench may give the district it sits in.
        in_district = district
    elif district is not None and in_district is None:
        problems.append(
            FieldProblem("district", f"{code} is a State-level institution: no district", district)
        )
    elif district is not None and district != in_district:
        problems.append(
            FieldProblem("district", f"the code {code} is in district {in_district}", district)
        )
    if pillar == "courts":
        if high_court and level is None:
            level = "high_court"
        elif high_court and level != "high_court":
            problems.append(
                FieldProblem(
                    "level",
                    f"{code} is a High Court establishment (HC in its code): level high_court",
                    level,
                )
            )
        elif level == "high_court" and not high_court:
            problems.append(
                FieldProblem(
                    "level",
                    f"a High Court's establishment code has HC as its district part (MHHC01); "
                    f"{code} is a district court's",
                    level,
                )
            )
        elif level is None:
            problems.append(
                FieldProblem("level", f"a court needs its level: one of {', '.join(LEVELS)}", level)
            )
    return in_state, in_district, level, problems


def _key(institution: Institution) -> tuple[str, str]:
    return institution.pillar, institution.code


def _values(institution: Institution) -> dict[str, Any]:
    return {
        "pillar": institution.pillar,
        "code": institution.code,
        "name": institution.name,
        "state": institution.state,
        "district": institution.district,
        "level": institution.level,
        "sample": institution.sample,
    }


def _in_directory(keys: Sequence[tuple[str, str]]) -> Any:
    """A condition: (pillar, code) is one of ``keys``."""
    return tuple_(col(InstitutionRow.pillar), col(InstitutionRow.code)).in_(keys)


def _save(session: Session, institutions: Sequence[Institution]) -> None:
    """Add the new institutions (one insert) and update those whose values differ."""
    if not institutions:
        return
    rows = {
        (row.pillar, row.code): row
        for row in session.exec(
            select(InstitutionRow).where(_in_directory([_key(i) for i in institutions]))
        )
    }
    now = utcnow()
    new: list[dict[str, Any]] = []
    for institution in institutions:
        row = rows.get(_key(institution))
        if row is None:
            new.append(_values(institution) | {"created_at": now})
        elif Institution.of(row) != institution:
            for name, value in _values(institution).items():
                setattr(row, name, value)
            session.add(row)
    if new:
        session.execute(_WRITE, new)
    session.flush()


def add_institution(
    session: Session,
    *,
    pillar: str,
    code: str,
    name: str,
    state: str | None = None,
    district: str | None = None,
    level: str | None = None,
    sample: bool = False,
) -> Institution:
    """Add an institution to the directory, or correct it, and return it as stored.

    The code is normalised for its pillar (``mh/au`` is ``MH/AU``). Courts need a level
    (:data:`LEVELS`; a High Court's is implied by ``HC`` in its code); no other
    institution has one. For police, courts and prosecution the State and district come
    from the code when not given, and a contradiction is refused. Adding a (pillar, code)
    that is already listed with the same values changes nothing; with other values it
    updates the record (operators correct names that way), and an institution added by an
    operator is no longer marked sample. Raises :class:`InvalidInstitution` (a ValueError)
    naming every field that is wrong.
    """
    institution = check_institution(
        pillar=pillar,
        code=code,
        name=name,
        state=state,
        district=district,
        level=level,
        sample=sample,
    )
    _save(session, [institution])
    return institution


def _records(lines: Iterable[str]) -> Iterator[tuple[int, list[str]]]:
    """CSV records with the number of the line each starts on; blank lines and lines
    starting with ``#`` (comments) are skipped."""
    numbers: list[int] = []

    def kept() -> Iterator[str]:
        for number, line in enumerate(lines, start=1):
            stripped = line.strip()
            if stripped and not stripped.startswith("#"):
                numbers.append(number)
                yield line

    reader = csv.reader(kept())
    consumed = 0
    for record in reader:
        start = numbers[consumed]
        consumed = reader.line_num
        if any(value.strip() for value in record):
            yield start, record


def _row(line: int, record: list[str], *, sample: bool) -> Institution:
    """The institution a data row describes, or InvalidInstitution with located messages."""
    if len(record) < len(COLUMNS):
        missing = COLUMNS[len(record)]
        raise InvalidInstitution(
            [
                FieldProblem(
                    f"line {line}, column {missing}",
                    f"missing: the row has {len(record)} of the {len(COLUMNS)} columns "
                    f"({','.join(COLUMNS)})",
                    ",".join(record),
                )
            ]
        )
    if len(record) > len(COLUMNS):
        raise InvalidInstitution(
            [
                FieldProblem(
                    f"line {line}, column {len(COLUMNS) + 1}",
                    f"unexpected: the header has {len(COLUMNS)} columns ({','.join(COLUMNS)})",
                    ",".join(record[len(COLUMNS) :]),
                )
            ]
        )
    values = dict(zip(COLUMNS, record, strict=True))
    try:
        return check_institution(
            pillar=values["pillar"],
            code=values["code"],
            name=values["name"],
            state=values["state"],
            district=values["district"],
            level=values["level"],
            sample=sample,
        )
    except InvalidInstitution as exc:
        raise InvalidInstitution(
            [
                FieldProblem(f"line {line}, column {p.field}", p.message, p.value)
                for p in exc.problems
            ]
        ) from None


def _read(path: Path, report: ImportReport) -> list[tuple[int, list[str]]] | None:
    """The data rows of a directory file (after its header), or None with the error reported."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        report.errors.append(f"{path}: no such file")
        return None
    except IsADirectoryError:
        report.errors.append(f"{path}: a directory, not a CSV file")
        return None
    except UnicodeDecodeError as exc:
        report.errors.append(f"{path}: not UTF-8 text (byte {exc.start}: {exc.reason})")
        return None
    header = ",".join(COLUMNS)
    try:
        records = list(_records(text.splitlines()))
    except csv.Error as exc:
        report.errors.append(f"{path}: not a CSV file: {exc}")
        return None
    if not records:
        report.errors.append(
            f"line 1: no header: the file has no rows; its first line (after # comments) "
            f"must be {header!r}"
        )
        return None
    line, first = records[0]
    if [name.strip().lower() for name in first] != list(COLUMNS):
        report.errors.append(
            f"line {line}: the header must be {header!r} (got {','.join(first)!r}); "
            "nothing was imported"
        )
        return None
    return records[1:]


def import_institutions(
    session: Session,
    *,
    path: Path,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import a directory file (CSV, header ``pillar,code,name,state,district,level``).

    Lines starting with ``#`` are comments. Each good row is added or updated as by
    :func:`add_institution`; each bad row is rejected with a located error
    ``line N, column <name>: <what is wrong> (got '<value>')`` (a row listed twice in the
    file is rejected the second time). A missing or wrong header rejects the whole file
    with one error. ``progress(done, total)`` is called after every batch of rows. The
    caller's transaction holds the changes.
    """
    report = ImportReport()
    rows = _read(path, report)
    if rows is None:
        return report
    seen: dict[tuple[str, str], int] = {}
    total = len(rows)
    for start in range(0, total, BATCH_ROWS):
        good: list[Institution] = []
        for line, record in rows[start : start + BATCH_ROWS]:
            try:
                institution = _row(line, record, sample=False)
            except InvalidInstitution as exc:
                report.errors.extend(str(p) for p in exc.problems)
                report.rejected += 1
                continue
            first = seen.setdefault(_key(institution), line)
            if first != line:
                report.errors.append(
                    f"line {line}, column code: {institution.pillar} institution "
                    f"{institution.code} is listed on line {first} already; list each "
                    f"institution once (got {record[1]!r})"
                )
                report.rejected += 1
                continue
            good.append(institution)
        _save(session, good)
        report.imported += len(good)
        if progress is not None:
            progress(min(start + BATCH_ROWS, total), total)
    return report


def list_institutions(session: Session, *, pillar: str | None = None) -> list[Institution]:
    """Every institution of the directory (or of one pillar), by pillar and code."""
    query = select(InstitutionRow)
    if pillar is not None:
        query = query.where(InstitutionRow.pillar == pillar.strip().lower())
    rows = session.exec(query.order_by(col(InstitutionRow.pillar), col(InstitutionRow.code)))
    return [Institution.of(row) for row in rows]


def get_institution(session: Session, *, pillar: str, code: str) -> Institution | None:
    """The institution of ``pillar`` with ``code`` (normalised: ``mhau01`` finds ``MHAU01``);
    None when it is not listed or the code cannot be one of the pillar's."""
    try:
        canonical = normalise_institution(pillar, code)
    except ValueError:
        return None
    row = session.get(InstitutionRow, (pillar, canonical))
    return Institution.of(row) if row is not None else None


def court_levels(session: Session, codes: Iterable[str]) -> dict[str, str]:
    """The level of each listed court among ``codes``, by canonical establishment code
    (``MHAU01``); codes not listed, or not establishment codes at all, are left out."""
    canonical: set[str] = set()
    for code in codes:
        try:
            canonical.add(normalise_institution("courts", code))
        except ValueError:
            continue
    if not canonical:
        return {}
    rows = session.exec(
        select(InstitutionRow.code, InstitutionRow.level).where(
            InstitutionRow.pillar == "courts", col(InstitutionRow.code).in_(sorted(canonical))
        )
    )
    return {code: level for code, level in rows if level is not None}


def unknown_institutions(
    session: Session, refs: Iterable[tuple[str, str]]
) -> list[tuple[str, str]]:
    """The (pillar, code) pairs of ``refs`` that the directory does not list, as given and in
    their order (each once); a code that cannot be one of its pillar's is unknown too. One
    query whatever the number of refs."""
    given = list(dict.fromkeys(refs))
    canonical: dict[tuple[str, str], tuple[str, str] | None] = {}
    for pillar, code in given:
        try:
            canonical[(pillar, code)] = (pillar, normalise_institution(pillar, code))
        except ValueError:
            canonical[(pillar, code)] = None
    wanted = sorted({key for key in canonical.values() if key is not None})
    known: set[tuple[str, str]] = set()
    if wanted:
        query = select(InstitutionRow.pillar, InstitutionRow.code).where(_in_directory(wanted))
        known = {(pillar, code) for pillar, code in session.exec(query)}
    return [ref for ref in given if canonical[ref] not in known]


@functools.cache
def _sample() -> tuple[Institution, ...]:
    """The shipped SAMPLE directory, read once per process."""
    report = ImportReport()
    rows = _read(SAMPLE_DIRECTORY, report)
    institutions = []
    for line, record in rows or []:
        try:
            institutions.append(_row(line, record, sample=True))
        except InvalidInstitution as exc:
            report.errors.extend(str(p) for p in exc.problems)
    if report.errors:
        raise RuntimeError(f"{SAMPLE_DIRECTORY} is broken: {'; '.join(report.errors)}")
    return tuple(institutions)


def seed_sample_directory(session: Session) -> int:
    """Add the SAMPLE directory's institutions that are not listed yet (marked ``sample``), in
    one insert; those already listed are left as they are. Returns how many were added."""
    sample = _sample()
    known = {
        (pillar, code)
        for pillar, code in session.exec(
            select(InstitutionRow.pillar, InstitutionRow.code).where(
                _in_directory([_key(i) for i in sample])
            )
        )
    }
    now = utcnow()
    new = [_values(i) | {"created_at": now} for i in sample if _key(i) not in known]
    if new:
        session.execute(_WRITE, new)
        session.flush()
    return len(new)
