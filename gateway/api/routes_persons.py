"""The person index: search, antecedents, antecedent verification, and the operators'
review queue of uncertain links."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Path, Query, Request
from starlette.concurrency import run_in_threadpool

from canonical_model.errors import ContractViolation, Problem
from gateway.api.access import recorded_read, recorded_read_async
from gateway.api.deps import ClientDep, GatewayDep
from gateway.api.params import Int64Path
from gateway.api.responses import (
    Antecedents,
    PersonLink,
    PersonLinks,
    PersonResults,
    Verification,
    answers,
)
from gateway.bootstrap import Gateway
from gateway.services.auth import Client, require_pillar
from gateway.services.persons import review
from gateway.services.persons.index import latest_model
from gateway.services.persons.search import (
    PersonQuery,
    antecedents,
    case_ids_of,
    check_can_search,
    check_can_verify,
    search_persons,
    verify,
)

router = APIRouter(tags=["persons"])

#: Ages and dates of birth count in India's calendar days.
IST = ZoneInfo("Asia/Kolkata")
#: The shortest purpose a search may state.
PURPOSE_MIN = 5

Text = Annotated[str | None, Query(max_length=200)]


def _require_purpose(request: Request) -> None:
    """Every search states its purpose (``X-Purpose``), which the access log keeps."""
    purpose = (request.headers.get("x-purpose") or "").strip()
    if len(purpose) < PURPOSE_MIN:
        raise ContractViolation(
            "a person search states its purpose",
            [
                Problem(
                    "X-Purpose",
                    "send the header X-Purpose with why you search, e.g. "
                    "'investigation of FIR MH/AU/CIDCO/2026/0417'",
                )
            ],
        )


def _today(gateway: Gateway) -> dt.date:
    return gateway.clock().astimezone(IST).date()


@router.get(
    "/v1/persons/search",
    summary="Persons by name, father's name, age and place",
    responses=answers(PersonResults, 403, 404, 422),
)
def search(
    request: Request,
    gateway: GatewayDep,
    client: ClientDep,
    name: Annotated[str, Query(min_length=1, max_length=200)],
    father_name: Text = None,
    gender: Annotated[Literal["male", "female", "transgender", "unknown"] | None, Query()] = None,
    age: Annotated[int | None, Query(ge=0, le=130)] = None,
    date_of_birth: dt.date | None = None,
    state: Annotated[str | None, Query(pattern="^[A-Za-z]{2}$")] = None,
    district: Text = None,
    case: Text = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict[str, Any]:
    """Ranked candidates across States and pillars, each with its `person_id`, a `score` (the
    linkage model's match weight: log2 of the odds that the query is this person), the
    `match_probability`, the `reasons` (which fields agreed and how) and the cases it is
    linked to with their FIR numbers. Names in Latin or Devanagari, initials, surname first,
    honorifics and spelling variants are compared as India writes them.

    Police (any station) and operators may search; courts and prosecution name the case
    before them (`case`: its id, FIR or CNR). Every search states its purpose in the header
    `X-Purpose`, kept in the access log. Victims, complainants, witnesses and children in
    conflict with law are never results."""
    with recorded_read(gateway, request, client) as read:
        _require_purpose(request)
        query = PersonQuery(
            name=name,
            father_name=father_name,
            gender=gender,
            age=age,
            date_of_birth=date_of_birth,
            state=state,
            district=district,
        )
        with gateway.db.session() as session:
            for_case = check_can_search(session, client, case=case)
            results = search_persons(
                session,
                query=query,
                model=latest_model(session),
                today=_today(gateway),
                limit=limit,
            )
        read.extend(case_ids_of(results))
        if for_case:
            read.append(for_case)
    return {"results": results}


@router.get(
    "/v1/persons/verify",
    summary="Antecedent verification (passport offices, employers)",
    responses=answers(Verification, 403, 422),
)
def verify_antecedents(
    request: Request,
    gateway: GatewayDep,
    client: ClientDep,
    name: Annotated[str, Query(min_length=1, max_length=200)],
    father_name: Text = None,
    date_of_birth: dt.date | None = None,
    state: Annotated[str | None, Query(pattern="^[A-Za-z]{2}$")] = None,
    district: Text = None,
) -> dict[str, Any]:
    """For a `verifier` key (a passport office, say): `no_record`; `record_found` with the
    police stations to refer the applicant to; or `manual_review` with how each possible
    record agrees and where to refer. Never a case, a section or a name from a record."""
    with recorded_read(gateway, request, client):
        check_can_verify(client)
        with gateway.db.session() as session:
            return verify(
                session,
                query=PersonQuery(
                    name=name,
                    father_name=father_name,
                    date_of_birth=date_of_birth,
                    state=state,
                    district=district,
                ),
                model=latest_model(session),
                thresholds=gateway.persons.thresholds,
                today=_today(gateway),
            )


@router.get(
    "/v1/persons/{person_id}",
    summary="A person's criminal antecedents",
    responses=answers(Antecedents, 403, 404, 422),
)
def person(
    person_id: Annotated[str, Path(max_length=64)],
    request: Request,
    gateway: GatewayDep,
    client: ClientDep,
    case: Text = None,
) -> dict[str, Any]:
    """Every case the person is linked to across States and pillars: FIR, sections, stage,
    court and CNR, and what happened to them in it (arrests, custody, charge sheets,
    convictions and acquittals). The same callers as search, with a purpose; courts and
    prosecution name the case before them. Children in conflict with law are never shown
    (JJ Act 2015 s.24)."""
    with recorded_read(gateway, request, client) as read:
        _require_purpose(request)
        with gateway.db.session() as session:
            for_case = check_can_search(session, client, case=case)
            record = antecedents(session, person_id=person_id)
        read.extend(c["case_id"] for c in record["cases"] if c.get("case_id"))
        if for_case:
            read.append(for_case)
    return record


@router.get(
    "/v1/admin/person-links",
    summary="The review queue of the person index",
    responses=answers(PersonLinks, 403, 422),
)
def person_links(
    request: Request,
    gateway: GatewayDep,
    client: ClientDep,
    state: Annotated[Literal["review", "confirmed", "split"] | None, Query()] = None,
    after: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, Any]:
    """Pairs of records the linker was unsure of (`state=review`), or decided ones, with both
    records and the reasons; page with `after` (the last id seen). Operators only."""
    with recorded_read(gateway, request, client) as read:
        require_pillar(client, "operator")
        with gateway.db.session() as session:
            links = review.list_links(session, state=state, limit=limit, after=after)
        read.extend(r["case_id"] for link in links for r in link["records"] if r.get("case_id"))
    return {
        "links": links,
        "next_after": links[-1]["id"] if len(links) == limit else None,
    }


def _decide(
    gateway: Any, client: Client, link_id: int, decision: str, note: str | None
) -> dict[str, Any]:
    with gateway.db.session(write=True) as session:
        return review.decide(
            session, link_id=link_id, decision=decision, decided_by=client.label, note=note
        )


@router.post(
    "/v1/admin/person-links/{link_id}/{decision}",
    summary="Confirm (one person) or split (two) a pair of the review queue",
    responses=answers(PersonLink, 403, 404, 409, 422),
)
async def decide_link(
    link_id: Int64Path,
    decision: Literal["confirm", "split"],
    request: Request,
    gateway: GatewayDep,
    client: ClientDep,
    note: Annotated[str | None, Query(max_length=500)] = None,
) -> dict[str, Any]:
    """Takes effect at once and survives every re-link; recorded with who decided, when and
    the note, and in the access log. Operators only; a pair decided the other way is 409."""
    require_pillar(client, "operator")
    async with recorded_read_async(gateway, request, client) as read:
        view = await run_in_threadpool(_decide, gateway, client, link_id, decision, note)
        read.extend(r["case_id"] for r in view["records"] if r.get("case_id"))
    return view
