"""Jiegui's engine: loading, regions and borders, crossings, summaries, exports, CLI.

Nothing here imports streamlit; ``streamlit_app.py`` is a thin page over this package.

Logging is opt-in: the ``geo`` logger has a :class:`logging.NullHandler`, so what the engine
logs (e.g. a network error's raw text, kept out of the sentences a user sees) reaches no
terminal unless the application configures logging (``logging.basicConfig``).

In the command's process (``python -m geo``, ``jiegui``) a Ctrl-C while the engine below is
imported ends it with the command line's one sentence and exit code 130, not a traceback:
:func:`geo.cli_start.guard_start_up`, first, before any library is imported.
"""

# ruff: noqa: E402 (the imports below come after the guard: they are the start-up it guards)

from geo.cli_start import guard_start_up

guard_start_up()

import logging

from geo.analysis import CrossingResult, count_crossings
from geo.compare import Comparison, compare_years
from geo.io.sources import Source, load_source
from geo.overview import Overview, overview
from geo.regions import RegionSet, region_set_from_polygons
from geo.rules import CrossingRules
from geo.timeline import Timeline, timeline

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "Comparison",
    "CrossingResult",
    "CrossingRules",
    "Overview",
    "RegionSet",
    "Source",
    "Timeline",
    "compare_years",
    "count_crossings",
    "load_source",
    "overview",
    "region_set_from_polygons",
    "timeline",
]
