"""structlog configuration: one JSON object per line, with the request's context bound."""

from __future__ import annotations

import logging
import sys

import structlog


def configure_logging(*, level: str = "INFO", fmt: str = "json") -> None:
    """Configure structlog and the standard library logging to write to stderr.

    Context bound with ``structlog.contextvars`` (request id, caller, message id)
    appears on every line logged while handling that request.
    """
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer() if fmt == "json" else structlog.dev.ConsoleRenderer()
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        # Looked up at each use, so a redirected stderr (tests, daemons) is honoured.
        logger_factory=lambda *_args: structlog.PrintLogger(sys.stderr),
        cache_logger_on_first_use=False,
    )
