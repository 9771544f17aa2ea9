"""``python -m gateway`` is the ``icjs`` command."""

from gateway.cli import main

main()
