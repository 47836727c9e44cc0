"""Downloads of what the page shows: GeoJSON per layer, a GeoPackage and the counts as CSV.

Every function takes exactly what the page shows (the layers filtered to the chosen year and
statuses, e.g. from :func:`geo.lifecycle.layers_at`; the interfaces of the chosen pair, from
:func:`geo.summary.pair_interfaces`; the summary rows of that pair, from
:func:`pair_summary`) and returns bytes, so the page can hand them to a download button and
a test can read them back with geopandas. Nothing here imports streamlit.

* GeoJSON (RFC 7946): WGS84 longitude/latitude, no ``crs`` member, polygons wound
  counter-clockwise, properties JSON-safe (NaN and NA become ``null``; lists stay lists).
* GeoPackage: one table per layer, ``interfaces`` and ``regions``, written with pyogrio
  through a temporary file; list values are stored as JSON text.
* CSV: the summary rows (:data:`geo.summary.SUMMARY_COLUMNS`) of the pair shown.

File names follow ``jiegui-<dataset>-<pair>-<year>-<basis>-<layer>.<ext>``
(:func:`file_name`; ``<basis>`` is the counting basis, :func:`basis_slug`). Every file says
its year and basis inside too (:func:`export_files` given the statuses): each feature and
row has ``as_of`` (the year shown) and ``basis`` (the basis's name, or the statuses joined
by ``+``), and a GeoJSON file has a ``basis`` member (:func:`geo.basis.basis_record`: the
statuses, label and caption in English and Chinese).
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from geo.basis import basis_for, basis_record, ordered_statuses
from geo.projection import WGS84
from geo.summary import SUMMARY_COLUMNS, pair_mask
from geo.values import json_safe

#: Table names of the GeoPackage besides the layers.
INTERFACES = "interfaces"
REGIONS = "regions"

GEOJSON_MIME = "application/geo+json"
GPKG_MIME = "application/geopackage+sqlite3"
CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ------------------------------------------------------------------------------ naming


def slug(text: object) -> str:
    """``"Zhejiang – Shanghai"`` as ``"zhejiang-shanghai"`` (letters of any script kept)."""
    return re.sub(r"[^\w]+", "-", str(text).lower(), flags=re.UNICODE).strip("-_") or "x"


def file_name(
    dataset: str, pair: str, year: int | str, what: str, ext: str, *, basis: str | None = None
) -> str:
    """``jiegui-<dataset>-<pair>-<year>[-<basis>]-<what>.<ext>``, each part slugged.

    Examples
    --------
    >>> file_name("yrd", "zhejiang-all", 2006, "overview", "csv", basis="open+construction")
    'jiegui-yrd-zhejiang-all-2006-open-construction-overview.csv'
    """
    parts = [slug(dataset), slug(pair), slug(year), *([slug(basis)] if basis else []), slug(what)]
    return f"jiegui-{'-'.join(parts)}.{ext.lstrip('.')}"


def basis_slug(statuses: Sequence[str]) -> str:
    """A basis as files name it: its name (:data:`geo.basis.BASES`), else the statuses joined.

    Examples
    --------
    >>> basis_slug(["construction", "open"]), basis_slug(["open", "disused"])
    ('open+construction', 'open+disused')
    """
    ordered = ordered_statuses(statuses)
    basis = basis_for(ordered)
    return basis.name if basis is not None else "+".join(ordered)


def pair_slug(region: str, neighbour: str | None) -> str:
    """The pair part of a file name: ``region-neighbour`` or ``region-all``."""
    return f"{slug(region)}-{slug(neighbour) if neighbour else 'all'}"




def _with_geometry(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """A GeoDataFrame in WGS84; interfaces without geometry get points from lon/lat."""
    if isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name in frame.columns:
        if frame.crs is None:
            raise ValueError("The frame has no CRS; cannot write WGS84 coordinates.")
        out = frame if frame.crs == WGS84 else frame.to_crs(WGS84)
    else:
        points = gpd.points_from_xy(frame["lon"], frame["lat"], crs=WGS84)
        out = gpd.GeoDataFrame(frame.drop(columns=["geometry"], errors="ignore"), geometry=points)
    if out.geometry.name != "geometry":
        out = out.rename_geometry("geometry")
    return out


def _rfc7946(geometry: Any) -> Any:
    """Polygons with counter-clockwise exterior rings (RFC 7946, section 3.1.6)."""
    if geometry is None or geometry.is_empty:
        return geometry
    if geometry.geom_type in ("Polygon", "MultiPolygon", "GeometryCollection"):
        return shapely.orient_polygons(geometry, exterior_cw=False)
    return geometry


# ----------------------------------------------------------------------------- GeoJSON


def geojson_bytes(
    frame: pd.DataFrame, *, name: str | None = None, members: Mapping[str, Any] | None = None
) -> bytes:
    """A FeatureCollection of ``frame`` as UTF-8 RFC 7946 GeoJSON.

    Parameters
    ----------
    frame
        Features (any CRS, reprojected to WGS84), or interfaces with ``lon``/``lat``.
    name
        Optional ``name`` foreign member (the layer).
    members
        Further foreign members of the collection (the ``basis`` counted), JSON-ready.

    Returns
    -------
    bytes
        Coordinates in longitude/latitude; an ``id`` column becomes each feature's id;
        properties hold every other column, JSON-safe (``allow_nan=False``).
    """
    data = _with_geometry(frame)
    columns = [c for c in data.columns if c != "geometry"]
    features = []
    for geometry, row in zip(data.geometry, data[columns].itertuples(index=False, name=None)):
        props = {c: json_safe(v) for c, v in zip(columns, row)}
        feature: dict[str, Any] = {"type": "Feature"}
        if props.get("id") is not None:
            feature["id"] = props["id"]
        shape = _rfc7946(geometry)
        feature["geometry"] = (
            None if shape is None or shape.is_empty else shapely.geometry.mapping(shape)
        )
        feature["properties"] = props
        features.append(feature)
    collection: dict[str, Any] = {"type": "FeatureCollection"}
    if name:
        collection["name"] = name
    collection.update(members or {})
    collection["features"] = features
    return json.dumps(collection, ensure_ascii=False, allow_nan=False).encode("utf-8")


def layer_geojson(
    layers: Mapping[str, gpd.GeoDataFrame], members: Mapping[str, Any] | None = None
) -> dict[str, bytes]:
    """``{layer name: GeoJSON bytes}`` of the layers shown (``members``: see geojson_bytes)."""
    return {
        name: geojson_bytes(frame, name=name, members=members) for name, frame in layers.items()
    }


def interfaces_geojson(
    interfaces: pd.DataFrame, members: Mapping[str, Any] | None = None
) -> bytes:
    """GeoJSON points of the interfaces shown (``members``: see :func:`geojson_bytes`)."""
    return geojson_bytes(interfaces, name=INTERFACES, members=members)


# --------------------------------------------------------------------------- GeoPackage


def for_gpkg(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """Columns a GeoPackage can store: lists and mixed objects as text, NA as null."""
    data = _with_geometry(frame).copy()
    for column in data.columns:
        if column == "geometry":
            continue
        series = data[column]
        if series.dtype == object:
            values = [json_safe(v) for v in series]
            kinds = {type(v) for v in values if v is not None}
            if kinds <= {str}:
                data[column] = pd.Series(values, index=data.index, dtype=object)
            elif kinds <= {bool}:
                data[column] = pd.array(values, dtype="boolean")
            elif kinds <= {int}:
                data[column] = pd.array(values, dtype="Int64")
            elif kinds <= {int, float}:
                data[column] = pd.array(values, dtype="Float64")
            else:
                data[column] = pd.Series(
                    [
                        None if v is None else v if isinstance(v, str) else json.dumps(v)
                        for v in values
                    ],
                    index=data.index,
                    dtype=object,
                )
    return data


def geopackage_bytes(
    layers: Mapping[str, gpd.GeoDataFrame],
    interfaces: pd.DataFrame,
    regions: gpd.GeoDataFrame,
) -> bytes:
    """A GeoPackage with one table per layer, ``interfaces`` and ``regions`` (WGS84).

    Written with pyogrio to a temporary file, read back as bytes. Empty layers are
    written too (as empty tables), so every layer shown has its table.
    """
    with tempfile.TemporaryDirectory(prefix="jiegui-export-") as folder:
        path = Path(folder) / "export.gpkg"
        tables = {**layers, INTERFACES: interfaces, REGIONS: regions}
        for name, frame in tables.items():
            data = for_gpkg(frame)
            data.to_file(path, layer=name, driver="GPKG", engine="pyogrio")
        return path.read_bytes()


# ---------------------------------------------------------------------------------- CSV


def pair_summary(
    summary: pd.DataFrame,
    region: str,
    neighbour: str | None,
    layer_names: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Summary rows of ``region`` with ``neighbour`` (either order), or with all neighbours.

    The rows :func:`geo.summary.pair_mask` keeps, restricted to ``layer_names`` when given.
    """
    keep = pair_mask(summary, region, neighbour)
    if layer_names is not None:
        keep &= summary["layer"].isin(list(layer_names))
    return summary.loc[keep, [c for c in SUMMARY_COLUMNS if c in summary.columns]].reset_index(
        drop=True
    )


def counts_csv(rows: pd.DataFrame) -> bytes:
    """The summary rows as UTF-8 CSV (missing values empty)."""
    return rows.to_csv(index=False).encode("utf-8")


# ---------------------------------------------------------------------------- together


def export_files(
    *,
    dataset: str,
    region: str,
    neighbour: str | None,
    year: int,
    layers: Mapping[str, gpd.GeoDataFrame],
    interfaces: pd.DataFrame,
    regions: gpd.GeoDataFrame,
    summary: pd.DataFrame,
    statuses: Sequence[str] | None = None,
) -> dict[str, tuple[str, bytes, str]]:
    """Every download of one page state: ``{key: (file name, bytes, mime type)}``.

    Keys are the layer names, ``"interfaces"``, ``"gpkg"`` and ``"counts"``. With
    ``statuses`` (what was counted), every file names its year and basis and carries them
    (see the module docstring).
    """
    pair = pair_slug(region, neighbour)
    basis = basis_slug(statuses) if statuses is not None else None
    members = {"basis": basis_record(statuses, year)} if statuses is not None else None
    stamp = {"as_of": year, "basis": basis} if statuses is not None else {}
    layers = {name: frame.assign(**stamp) for name, frame in layers.items()}
    interfaces = interfaces.assign(**stamp)

    def named(what: str, ext: str) -> str:
        return file_name(dataset, pair, year, what, ext, basis=basis)

    out: dict[str, tuple[str, bytes, str]] = {}
    for name, data in layer_geojson(layers, members).items():
        out[name] = (named(name, "geojson"), data, GEOJSON_MIME)
    out[INTERFACES] = (
        named(INTERFACES, "geojson"),
        interfaces_geojson(interfaces, members),
        GEOJSON_MIME,
    )
    out["gpkg"] = (named("all", "gpkg"), geopackage_bytes(layers, interfaces, regions), GPKG_MIME)
    rows = pair_summary(summary, region, neighbour, list(layers))
    if statuses is not None:
        rows.insert(0, "basis", basis)
        rows.insert(0, "as_of", year)
    out["counts"] = (named("counts", "csv"), counts_csv(rows), CSV_MIME)
    return out
