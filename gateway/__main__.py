"""``python -m gateway`` is the ``icjs`` command."""

from gateway.cli.main import main

main()
