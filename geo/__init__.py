"""Jiegui's engine: loading, regions and borders, crossings, summaries, exports, CLI.

Nothing here imports streamlit; ``streamlit_app.py`` is a thin page over this package.
"""

from geo.analysis import CrossingResult, count_crossings
from geo.compare import Comparison, compare_years
from geo.io.sources import Source, load_source
from geo.overview import Overview, overview
from geo.regions import RegionSet, region_set_from_polygons
from geo.rules import CrossingRules
from geo.timeline import Timeline, timeline

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
