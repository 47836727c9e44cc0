"""The user's own GIS files: region polygons and line layers (GeoJSON, GeoPackage, Shapefile).

Line files may carry OpenStreetMap tags (a ``highway``/``railway``/``waterway``/``man_made``
column: they are normalised by the layer's rules) or Jiegui's own schema (a ``class``
column, as Jiegui exports it). Nothing the user gives is modified.

Files in the GCJ-02 datum (Chinese commercial data, see :mod:`geo.datum`) are converted to
WGS84 right after reading when the user says so (:func:`to_wgs84_datum`), and every
converted feature's ``source`` says so (:func:`mark_converted`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from geo import settings
from geo.datum import (
    CONVERTED_NOTE,
    GCJ02_DATUM,
    check_datum,
    gcj02_to_wgs84_frame,
    vertex_shifts_m,
)
from geo.errors import InputFileError
from geo.io.input_limits import check_zip_file
from geo.projection import require_crs
from layers import COMMON_COLUMNS, REGISTRY, LayerSpec

VECTOR_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp", ".zip", ".fgb")
BOUNDARY_LAYER_NAMES = ("regions", "boundaries", "provinces")


def is_vector_file(path: str | Path) -> bool:
    """Whether ``path`` names a vector file Jiegui reads."""
    return str(path).lower().endswith(VECTOR_SUFFIXES)


def read_vector(path: str | Path, *, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read a vector file (a zipped Shapefile too) without modifying it.

    A zip archive is first inflated and counted (:func:`geo.io.input_limits.check_zip_file`),
    and at most :data:`geo.settings.MAX_FEATURES` features are read, so that a compression
    bomb or an oversized file ends in seconds.

    Raises
    ------
    InputFileError
        When the file is missing or cannot be read.
    InputTooLargeError
        When a zip archive expands past the limits, or the layer holds more features than
        :data:`geo.settings.MAX_FEATURES`.
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"File {str(path)!r} does not exist; check the path.")
    target = _gdal_target(path)
    most = settings.MAX_FEATURES.value()
    try:
        frame = gpd.read_file(target, layer=layer, engine="pyogrio", max_features=most + 1)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, ValueError) as exc:
        raise InputFileError(
            f"Could not read {path.name} as a GIS file ({str(exc).splitlines()[0]}); give a "
            "GeoJSON, GeoPackage or (zipped) Shapefile."
        ) from None
    if len(frame) > most:
        where = f"The layer {layer} of {path.name}" if layer else path.name
        raise settings.MAX_FEATURES.exceeded(f"{where} holds too many features")
    return frame


def _gdal_target(path: Path) -> str:
    """What GDAL opens for ``path``: a zip archive is counted against the limits first."""
    if path.suffix.lower() != ".zip":
        return str(path)
    check_zip_file(path)
    return f"zip://{path}"


def to_wgs84_datum(
    frame: gpd.GeoDataFrame, *, datum: str, what: str
) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """Bring features read in ``datum`` to WGS84 coordinates.

    Parameters
    ----------
    frame
        The features as read.
    datum
        ``"wgs84"`` (returned as they are) or ``"gcj02"`` (converted; the frame must be in
        a geographic CRS, or have none, which is then declared EPSG:4326).
    what
        How to name the input in error messages, e.g. ``"The highways file roads.geojson"``.

    Returns
    -------
    (GeoDataFrame, numpy.ndarray)
        The features (same CRS) and how far each vertex moved, in metres (empty when
        nothing was converted).

    Raises
    ------
    CRSError
        If GCJ-02 data is in a projected CRS.
    """
    if check_datum(datum) != GCJ02_DATUM:
        return frame, np.zeros(0)
    converted = gcj02_to_wgs84_frame(frame, what=what)
    return converted, vertex_shifts_m(frame.geometry, converted.geometry)


def mark_converted(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Append "converted from GCJ-02 to WGS84" to the ``source`` of every feature (a copy)."""
    out = frame.copy()
    sources = out["source"] if "source" in out.columns else pd.Series("", index=out.index)
    out["source"] = [
        f"{s}; {CONVERTED_NOTE}" if isinstance(s, str) and s else CONVERTED_NOTE for s in sources
    ]
    return out


def file_layers(path: str | Path) -> list[str]:
    """Names of the layers inside a (multi-layer) vector file."""
    try:
        return [str(name) for name, _ in pyogrio.list_layers(_gdal_target(Path(path)))]
    except (pyogrio.errors.DataSourceError, ValueError):
        return []


def infer_layer(frame: gpd.GeoDataFrame, path: Path) -> LayerSpec:
    """Which layer a line file holds: from a ``layer`` column, the file name or its tags."""
    if "layer" in frame.columns:
        values = set(frame["layer"].dropna().astype(str))
        if len(values) == 1 and values <= set(REGISTRY):
            return REGISTRY[values.pop()]
    for name, spec in REGISTRY.items():
        if name in path.stem.lower() or name.rstrip("s") in path.stem.lower():
            return spec
    for spec in REGISTRY.values():
        if spec.main_key in frame.columns:
            return spec
    raise InputFileError(
        f"Cannot tell which layer {path.name} holds; name it as LAYER=PATH "
        f"(LAYER one of {', '.join(REGISTRY)})."
    )


def normalise_user_layer(
    frame: gpd.GeoDataFrame, spec: LayerSpec, *, source: str
) -> gpd.GeoDataFrame:
    """Bring a user's line layer to the common attribute schema.

    Parameters
    ----------
    frame
        The features as read; must have a CRS.
    spec
        The layer they belong to.
    source
        What to record as each feature's source when the file has no ``source`` column.
    """
    require_crs(frame, what=f"The {spec.name} file {source}")
    geometry = frame.geometry
    if spec.main_key in frame.columns:
        rows = []
        keep = []
        for n, (label, record) in enumerate(frame.drop(columns=geometry.name).iterrows()):
            tags = {k: str(v) for k, v in record.items() if v is not None and not pd.isna(v)}
            fid = tags.get("id") or f"{source}:{n}"
            attrs = spec.normalise(tags, feature_id=fid, source=tags.get("source", source))
            if attrs is not None:
                rows.append(attrs)
                keep.append(label)
        out = (
            pd.DataFrame(rows, columns=list(COMMON_COLUMNS))
            if rows
            else pd.DataFrame(columns=list(COMMON_COLUMNS))
        )
        return gpd.GeoDataFrame(out, geometry=geometry.loc[keep].values, crs=frame.crs)
    if "class" not in frame.columns:
        raise InputFileError(
            f"The {spec.name} file {source} has neither a {spec.main_key!r} column (OSM tags) "
            "nor a 'class' column; add one of them."
        )
    out = pd.DataFrame(frame.drop(columns=geometry.name)).copy()
    defaults: dict[str, Any] = {
        "id": [f"{source}:{n}" for n in range(len(out))],
        "layer": spec.name,
        "ref": "",
        "name": "",
        "status": "open",
        "start_year": None,
        "oneway": 0,
        "bridge": False,
        "tunnel": False,
        "capacity": None,
        "capacity_unit": spec.capacity_unit,
        "capacity_note": "",
        "source": source,
    }
    if "capacity" not in out.columns and spec.capacity_unit in out.columns:
        out["capacity"] = pd.to_numeric(out[spec.capacity_unit], errors="coerce")
    for column, default in defaults.items():
        if column not in out.columns:
            out[column] = default
    out["ref"] = out["ref"].fillna("").astype(str)
    out["name"] = out["name"].fillna("").astype(str)
    out["oneway"] = pd.to_numeric(out["oneway"], errors="coerce").fillna(0).astype(int)
    for flag in ("bridge", "tunnel"):
        out[flag] = out[flag].map(lambda v: bool(v) and not pd.isna(v) and v not in ("no", "0"))
    return gpd.GeoDataFrame(out, geometry=geometry.values, crs=frame.crs)
