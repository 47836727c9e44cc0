"""Layer features inside a band, in the common schema, from osmnx frames and local OSM files.

Two paths give the same features for the same data (tests compare them):

* **online** (:mod:`geo.io.overpass`): ``osmnx.features_from_polygon`` per layer against the
  Overpass API, each frame normalised here by :func:`normalise_osmnx`;
* **a local file** (``.osm``, ``.osm.gz``, ``.osm.bz2``, ``.osm.pbf``): Jiegui's one OSM
  reader (:func:`geo.io.osm_stream.read_osm` with ``band``), streamed, so that only the
  features inside the band are held in memory; it refuses node locations out of range or
  not a number in one sentence.

Whatever the path, every feature goes through the same ``LayerSpec.normalise`` and gets
the id ``osm:way/<id>`` or ``osm:node/<id>``. Decisions, the same on both paths: only nodes
and ways are read (relations such as route or multipolygon relations are not layer
features); a way that is closed and drawn as a polygon by osmnx is taken as its outline
for line layers and as a representative point for point layers (ports).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from geo.errors import InputFileError
from geo.io.osm_file import OSM_SOURCE, header_timestamp, is_osm_file
from geo.io.osm_stream import read_osm
from geo.io.user_files import check_file_name
from geo.projection import WGS84
from geo.text import Bilingual
from layers import COMMON_COLUMNS, LayerSpec

#: A progress callback: called with a short message, in English and Chinese, at each step of
#: a read or a download (the command line prints it in ``--lang``, the page in its language).
Progress = Callable[[Bilingual], None]


def quiet(message: Bilingual) -> None:
    """Progress callback that says nothing (the default)."""


def features_from_file(
    path: str | Path,
    band: shapely.Geometry,
    layer_names: Sequence[str],
    *,
    progress: Progress = quiet,
) -> tuple[dict[str, gpd.GeoDataFrame], str]:
    """Read each layer's features inside ``band`` (WGS84) from a local OSM file.

    Returns
    -------
    (dict, str)
        ``{layer name: features}`` and when the file's data were current (UTC): its
        header's timestamp, else its newest way's followed by ``" (newest way)"``, else
        ``"unknown"`` (:attr:`geo.io.osm_file.OsmData.data_timestamp`).

    Raises
    ------
    InputFileError
        When the file's name is not UTF-8 text, or the file is missing, not OSM data, or a
        node's location is not a number.
    GeometryDataError
        When a way or node of the layers has a node outside longitude -180..180 / latitude
        -90..90 (:func:`geo.io.validate.check_osm_coordinates`).
    InputTooLargeError
        When the file is past a limit of :mod:`geo.settings`.
    """
    path = Path(path)
    check_file_name(path)  # as every reader does: its name is in every message below
    if not path.is_file():
        raise InputFileError(
            Bilingual(
                f"OSM file {str(path)!r} does not exist; check the path.",
                f"找不到 OSM 文件 {str(path)!r}，请检查路径。",
            )
        )
    if not is_osm_file(path):
        raise InputFileError(
            Bilingual(
                f"{path.name} is not an OpenStreetMap file; give an .osm, .osm.gz, .osm.bz2 or "
                ".osm.pbf file.",
                f"{path.name} 不是 OpenStreetMap 文件，请提供 .osm、.osm.gz、.osm.bz2 或 "
                ".osm.pbf 文件。",
            )
        )
    progress(
        Bilingual(
            f"Reading {path.name} with pyosmium, keeping the band only …",
            f"正在用 pyosmium 读取 {path.name}，只保留条带内的部分……",
        )
    )
    data = read_osm(path, layer_names, band=band)
    stamp = header_timestamp(path) or (
        f"{data.data_timestamp} (newest way)" if data.data_timestamp else "unknown"
    )
    return data.layers, stamp


def normalise_osmnx(raw: gpd.GeoDataFrame | None, spec: LayerSpec) -> gpd.GeoDataFrame:
    """Turn an osmnx features frame into the layer's common schema (WGS84).

    Parameters
    ----------
    raw
        osmnx's frame (index ``(element, id)``, one column per tag), or ``None`` when
        nothing matched.
    spec
        The layer.
    """
    rows: list[dict[str, Any]] = []
    if raw is not None and len(raw):
        frame = raw.to_crs(WGS84)
        geometry = frame.geometry.name
        columns = [c for c in frame.columns if c != geometry]
        values = frame[columns].to_numpy(dtype=object)
        taken = [
            (f"osm:{element}/{osm_id}", record, geom)
            for (element, osm_id), record, geom in zip(frame.index, values, frame.geometry.values)
            if element in ("node", "way")
        ]
        made = spec.normalise_many(
            [{k: str(v) for k, v in zip(columns, record) if _present(v)} for _, record, _ in taken],
            [feature_id for feature_id, _, _ in taken],
            OSM_SOURCE,
        )
        for attrs, (_, _, geom) in zip(made, taken, strict=True):
            if attrs is None:
                continue
            shape = _shape_for(spec, geom)
            if shape is None:
                continue
            attrs["geometry"] = shape
            if spec.geometry == "line":
                attrs["osm_nodes_missing"] = False
            rows.append(attrs)
    if not rows:
        return gpd.GeoDataFrame(
            {c: [] for c in COMMON_COLUMNS}, geometry=gpd.GeoSeries([], crs=WGS84)
        )
    out = gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)
    return out.sort_values("id", kind="stable").reset_index(drop=True)


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value))


def _shape_for(spec: LayerSpec, geom: shapely.Geometry) -> shapely.Geometry | None:
    """The geometry a layer keeps: lines for line layers, points for point layers."""
    if geom is None or geom.is_empty:
        return None
    kind = geom.geom_type
    if spec.geometry == "point":
        if kind == "Point":
            return geom
        if kind in ("Polygon", "MultiPolygon"):
            return geom.representative_point()
        return None
    if kind == "LineString":
        return geom
    if kind == "Polygon":
        return shapely.LineString(geom.exterior.coords)
    return None


__all__ = [
    "Progress",
    "features_from_file",
    "normalise_osmnx",
    "quiet",
]
