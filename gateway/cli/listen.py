"""Whether ``icjs serve`` can listen where it is told, asked before anything else is touched.

uvicorn finds a port in use only after the application has started, which means after the
gateway has opened (and, the first time, created and migrated) its database: a user who
mistyped the port is left with an ``./icjs.db`` and "Application startup complete" above the
error. Binding a socket first, as uvicorn then will, answers the question in a millisecond.
"""

from __future__ import annotations

import errno
import socket


def port_problem(host: str, port: int) -> str | None:
    """What stops a server from listening on ``host``:``port``, in words that say what to
    change; None when it can. The socket is bound as uvicorn binds its own (``SO_REUSEADDR``,
    so that connections of a server just stopped, in TIME_WAIT, do not count as a use) and
    closed at once: a port taken between this check and uvicorn's bind still fails there."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    where = f"[{host}]:{port}" if family == socket.AF_INET6 else f"{host}:{port}"
    try:
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, port))
    except socket.gaierror as exc:
        return (
            f"cannot listen on {where}: the host {host!r} is not known ({exc.strerror}); "
            "choose another with --host or ICJS_HOST"
        )
    except OverflowError:
        return f"port {port} is not a port (0 to 65535); choose another with --port or ICJS_PORT"
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            return f"port {port} is in use on {host}; choose another with --port or ICJS_PORT"
        if exc.errno == errno.EACCES:
            return (
                f"port {port} may not be used by this user on {host} (permission denied); "
                "choose one above 1023 with --port or ICJS_PORT"
            )
        if exc.errno == errno.EADDRNOTAVAIL:
            return (
                f"cannot listen on {where}: {host} is not an address of this machine; "
                "choose another with --host or ICJS_HOST"
            )
        return f"cannot listen on {where}: {exc.strerror or exc}"
    return None
