"""The page where an informant reads the stage of their FIR, ``/status/``: a form (the FIR
number and the access code printed with the FIR copy) and its answer, server-rendered
(Jinja2), with its stylesheet served by the gateway: no JavaScript, nothing from the internet,
so that it works at a cyber café on any browser. The rules are the API's
(:mod:`gateway.services.citizen`, ``GET /v1/public/fir-status``)."""

from gateway.citizen.routes import router

__all__ = ["router"]
