"""Jiegui's engine: loading, regions and borders, crossings, summaries, exports, CLI.

Nothing here imports streamlit; ``streamlit_app.py`` is a thin page over this package.

Logging is opt-in: the ``geo`` logger has a :class:`logging.NullHandler`, so what the engine
logs (e.g. a network error's raw text, kept out of the sentences a user sees) reaches no
terminal unless the application configures logging (``logging.basicConfig``).
"""

import logging

from geo.analysis import CrossingResult, count_crossings
from geo.io.sources import Source, load_source
from geo.regions import RegionSet, region_set_from_polygons
from geo.rules import CrossingRules

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "CrossingResult",
    "CrossingRules",
    "RegionSet",
    "Source",
    "count_crossings",
    "load_source",
    "region_set_from_polygons",
]
