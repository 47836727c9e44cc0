"""The embedded dataset's links one by one: their interfaces, counted by the engine.

For the tests of authored links (``tests/test_yrd_waterways.py``,
``tests/test_yrd_pipelines.py``): where a link crosses, in a year and counting basis, and
its authored values in a year.
"""

from __future__ import annotations

from functools import cache

import geopandas as gpd
import pandas as pd
import shapely

from geo.analysis import CrossingResult, count_crossings
from geo.io.sources import Source, load_source
from geo.lifecycle import status_at, value_at
from helpers.paths import ROOT

DATA = ROOT / "data" / "yrd"
#: Every status a link can have: a count over all of them finds every link's crossings.
EVERY_STATUS = ("open", "construction", "proposed", "cancelled", "disused", "abandoned")


@cache
def yrd() -> Source:
    """The embedded dataset, loaded once."""
    return load_source("yrd")


@cache
def counted(as_of: int | None = None, statuses: tuple[str, ...] = EVERY_STATUS) -> CrossingResult:
    """The engine's count of the whole dataset (as the CLI counts it)."""
    source = yrd()
    return count_crossings(source.layers, source.region_set, as_of=as_of, statuses=statuses)


def interfaces_of(
    link: str, *, as_of: int | None = None, statuses: tuple[str, ...] = EVERY_STATUS
) -> gpd.GeoDataFrame:
    """The interfaces ``yrd:<link>`` takes part in, in the regions' metric CRS."""
    result = counted(as_of, statuses)
    frame = result.interfaces.to_crs(result.region_set.crs)
    return frame[frame["source_ids"].str.split(";").map(lambda ids: f"yrd:{link}" in ids)]


def borders_of(link: str, **kwargs: object) -> list[tuple[str, str]]:
    """The (a, b) pairs of each interface of ``link``, sorted."""
    rows = interfaces_of(link, **kwargs)  # type: ignore[arg-type]
    return sorted(zip(rows["a"], rows["b"], strict=True))


def feature(layer: str, link: str) -> pd.DataFrame:
    """The one row of ``data/yrd/<layer>.geojson`` of ``yrd:<link>``."""
    frame = gpd.read_file(DATA / f"{layer}.geojson")
    rows = frame[frame["id"] == f"yrd:{link}"]
    assert len(rows) == 1, link
    return rows


def status_in(layer: str, link: str, year: int) -> str:
    """The status of a link in ``year`` (``""``: not in the network)."""
    return str(status_at(feature(layer, link), year).iloc[0])


def capacity_in(layer: str, link: str, year: int) -> object:
    """The capacity of a link in ``year`` (grade, diameter ...; None when unknown)."""
    value = value_at(feature(layer, link), "capacity", year).iloc[0]
    return None if value is None or value != value else value


def metres(point: shapely.Point, lon: float, lat: float) -> float:
    """Distance (m) from an interface point (metric CRS) to (lon, lat) in WGS84."""
    crs = yrd().region_set.crs
    other = gpd.GeoSeries([shapely.Point(lon, lat)], crs=4326).to_crs(crs).iloc[0]
    return float(point.distance(other))
