"""Jiegui's engine: loading, regions and borders, crossings, summaries, exports, CLI.

Nothing here imports streamlit; ``streamlit_app.py`` is a thin page over this package.
"""

from geo.analysis import CrossingResult, count_crossings
from geo.io.sources import Source, load_source
from geo.regions import RegionSet, region_set_from_polygons
from geo.rules import CrossingRules

__all__ = [
    "CrossingResult",
    "CrossingRules",
    "RegionSet",
    "Source",
    "count_crossings",
    "load_source",
    "region_set_from_polygons",
]
