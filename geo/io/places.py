"""Places whose trips the what-if analysis routes: Natural Earth's, or the user's file.

By default the populated places of the offline context layer (``data/context/cities``:
Natural Earth 1:10m populated places of East China, public domain; most are prefecture-level
cities), with their ``pop_max`` as population and their Chinese and English names.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.errors import InputFileError
from geo.io.context import context_layers
from geo.io.user_files import read_vector
from geo.projection import WGS84
from geo.text import Bilingual


def default_places(folder: Path | None = None) -> gpd.GeoDataFrame:
    """Natural Earth's populated places: ``name``, ``name_zh``, ``name_en``, ``population``."""
    cities = context_layers(folder)["cities"]
    return gpd.GeoDataFrame(
        {
            "name": cities["name_en"].astype(str),
            "name_zh": cities["name_zh"].astype(str),
            "name_en": cities["name_en"].astype(str),
            "population": pd.to_numeric(cities["pop_max"], errors="coerce").fillna(1.0),
        },
        geometry=cities.geometry.to_numpy(),
        crs=cities.crs,
    )


def read_places(path: Path) -> gpd.GeoDataFrame:
    """A user's points file (GeoJSON, GeoPackage, Shapefile) with ``name`` and ``population``.

    Raises
    ------
    InputFileError
        When the file cannot be read (:func:`geo.io.user_files.read_vector`, bounded), has
        no CRS, holds no points, or lacks a column.
    """
    frame = read_vector(path)
    missing = [c for c in ("name", "population") if c not in frame]
    points = frame.geometry.geom_type.isin(["Point"]).all() and len(frame) > 0
    if missing or frame.crs is None or not points:
        what = (
            f"the column(s) {', '.join(missing)}"
            if missing
            else "a CRS"
            if frame.crs is None
            else "points"
        )
        what_zh = (
            f"{'、'.join(missing)} 列"
            if missing
            else "坐标参考系"
            if frame.crs is None
            else "点要素"
        )
        raise InputFileError(
            Bilingual(
                f"The places file {path.name} has no {what}: give points with name and "
                "population columns and a CRS.",
                f"地点文件 {path.name} 缺少{what_zh}：请提供带坐标参考系、含 name 与 "
                "population 列的点。",
            )
        )
    out = frame[["name", "population", "geometry"]].copy()
    out["population"] = pd.to_numeric(out["population"], errors="coerce").fillna(1.0)
    out["name"] = out["name"].astype(str)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=frame.crs).to_crs(WGS84)
