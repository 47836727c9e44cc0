"""Builders of small synthetic regions and layers in a metric CRS (UTM 51N, near Shanghai)."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import shapely

from geo.regions import RegionSet, region_set_from_polygons
from layers import COMMON_COLUMNS, get_layer

CRS = "EPSG:32651"
X0, Y0 = 300_000.0, 3_400_000.0


def box(x0: float, y0: float, x1: float, y1: float) -> shapely.Polygon:
    """A rectangle in km offsets from the synthetic origin."""
    return shapely.box(X0 + x0 * 1000, Y0 + y0 * 1000, X0 + x1 * 1000, Y0 + y1 * 1000)


def line(*points_km: tuple[float, float]) -> shapely.LineString:
    """A LineString through points given in km offsets."""
    return shapely.LineString([(X0 + x * 1000, Y0 + y * 1000) for x, y in points_km])


def regions(polygons: dict[str, shapely.Geometry], **kwargs: Any) -> RegionSet:
    """A region set from named polygons."""
    frame = gpd.GeoDataFrame({"name": list(polygons)}, geometry=list(polygons.values()), crs=CRS)
    return region_set_from_polygons(frame, crs=CRS, **kwargs)


def features(layer: str, rows: list[dict[str, Any]]) -> gpd.GeoDataFrame:
    """Normalised features of ``layer`` from rows of OSM-like tags plus ``geometry``."""
    spec = get_layer(layer)
    out = []
    for n, row in enumerate(rows):
        tags = {k: v for k, v in row.items() if k != "geometry"}
        attrs = spec.normalise(tags, feature_id=f"test:{n}", source="synthetic")
        assert attrs is not None, tags
        attrs["geometry"] = row["geometry"]
        out.append(attrs)
    if not out:
        empty = {column: [] for column in COMMON_COLUMNS}
        return gpd.GeoDataFrame(empty, geometry=gpd.GeoSeries([], crs=CRS))
    return gpd.GeoDataFrame(out, geometry="geometry", crs=CRS)
