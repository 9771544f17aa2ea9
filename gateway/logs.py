"""Logging: one JSON object per line on stderr, from the gateway and from every library.

structlog writes the gateway's own lines; the standard library's loggers (uvicorn, SQLAlchemy,
aiokafka, alembic) are routed through the same processors, so an operator's log shipper reads
one format. Named ``logs`` so that it never shadows the standard library's ``logging``.
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO

import structlog

#: Libraries whose loggers would otherwise bring their own handlers and formats.
LIBRARY_LOGGERS = (
    "uvicorn",
    "uvicorn.error",
    "uvicorn.access",
    "sqlalchemy",
    "aiokafka",
    "alembic",
)


class _StderrHandler(logging.StreamHandler[TextIO]):
    """A stream handler on whatever ``sys.stderr`` is when a line is written, so that a
    redirected stderr (tests, daemons) is honoured, as structlog's own lines do."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


def configure_logging(*, level: str = "INFO", fmt: str = "json") -> None:
    """Configure structlog and the standard library's logging to write to stderr.

    Context bound with ``structlog.contextvars`` (request id, caller, message id) appears on
    every line logged while handling that request, whoever logs it.
    """
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer() if fmt == "json" else structlog.dev.ConsoleRenderer()
    )
    numeric = logging.getLevelName(level.upper())
    timestamper = structlog.processors.TimeStamper(fmt="iso", utc=True)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            timestamper,
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        # Looked up at each use, so a redirected stderr (tests, daemons) is honoured.
        logger_factory=lambda *_args: structlog.PrintLogger(sys.stderr),
        cache_logger_on_first_use=False,
    )
    handler = _StderrHandler()
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[
                structlog.contextvars.merge_contextvars,
                structlog.stdlib.add_log_level,
                structlog.stdlib.add_logger_name,
                timestamper,
            ],
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    # Ours replaces an earlier one of ours (a command configures again); any other handler
    # (a test runner's capture) is left where it is.
    root.handlers = [h for h in root.handlers if not isinstance(h, _StderrHandler)] + [handler]
    root.setLevel(numeric)
    for name in LIBRARY_LOGGERS:
        library = logging.getLogger(name)
        library.handlers = []
        library.propagate = True
    # SQLAlchemy's engine logs every statement at INFO, and alembic its dialect on every
    # start ("Context impl SQLiteImpl."): only their warnings are an operator's, and a command
    # at a terminal stays quiet (`icjs db upgrade` reports the revisions it applied itself).
    for chatty in ("sqlalchemy", "alembic"):
        logging.getLogger(chatty).setLevel(max(numeric, logging.WARNING))
