"""``python -m geo``: the command line (see :mod:`geo.cli`)."""

from geo.cli import run

run()
