"""The files of one border's export: GeoJSON and QGIS styles per table, a GeoPackage, CSV.

Every function takes the tables of one export (:class:`geo.pair_export.PairExport`: only the
border's features, split capacity columns, names in Chinese and English, years as columns
and a long history table) and returns bytes, so the page can hand them to a download button,
the command line can write them (``jiegui export``) and a test can read them back with
geopandas. Nothing here imports streamlit. The contract of these files is
``docs/exports.md``.

* GeoJSON (RFC 7946), one file per table with geometry (each layer, ``interfaces``,
  ``other_links``, ``regions``): WGS84 longitude/latitude, no ``crs`` member, polygons
  wound counter-clockwise, properties JSON-safe (NaN and NA become ``null``; lists stay
  lists), and a ``basis`` member (:func:`geo.basis.basis_record`).
* A QGIS style (``.qml``) beside each GeoJSON, with the GeoJSON's name: QGIS applies it
  when it opens the file (:mod:`geo.io.qgis_style`).
* GeoPackage: those tables, ``history``, ``counts`` and ``columns`` (attribute tables), and
  ``layer_styles``, the table QGIS reads a GeoPackage layer's default style from (its
  QML for every table with geometry; no SLD, which QGIS does not read back), written
  with pyogrio through a temporary file as GeoPackage 1.2 (:data:`GPKG_VERSION`); lists
  of values are stored as text joined by ``;``; an empty table keeps its geometry type.
* CSV (UTF-8 with a byte order mark, so that Excel reads Chinese): the counts, the history
  and the columns' titles.
* A zip of all of them.

File names follow ``jiegui-<dataset>-<pair>-<year>-<basis>-<what>.<ext>``
(:func:`file_name`; ``<basis>`` is the counting basis, :func:`basis_slug`).
"""

from __future__ import annotations

import io
import json
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from geo.basis import basis_record
from geo.export_columns import columns_table
from geo.io.qgis_style import TableStyle, table_geometry, table_style
from geo.pair_export import OTHER_LINKS, PairExport, basis_name
from geo.projection import WGS84
from geo.values import json_safe

#: Table names of the GeoPackage besides the layers.
INTERFACES = "interfaces"
REGIONS = "regions"

GEOJSON_MIME = "application/geo+json"
GPKG_MIME = "application/geopackage+sqlite3"
CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
QML_MIME = "application/xml"
ZIP_MIME = "application/zip"


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
    return basis_name(statuses)


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


# --------------------------------------------------------------------------- GeoPackage


def _gpkg_value(value: Any) -> Any:
    """A list of plain values as text joined by ``;``, any other list or dict as JSON."""
    if isinstance(value, list) and all(not isinstance(v, list | dict) for v in value):
        return ";".join("" if v is None else str(v) for v in value)
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def for_gpkg(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns a GeoPackage can store: lists as text, mixed objects as text, NA as null.

    A frame with a geometry comes back as a GeoDataFrame in WGS84; one without (the
    history, the counts) as it is, converted the same way.
    """
    data = _with_geometry(frame).copy() if _has_geometry(frame) else frame.copy()
    for column in data.columns:
        if column == "geometry":
            continue
        series = data[column]
        if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
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
                    [None if v is None else _gpkg_value(v) for v in values],
                    index=data.index,
                    dtype=object,
                )
    return data


def _has_geometry(frame: pd.DataFrame) -> bool:
    return isinstance(frame, gpd.GeoDataFrame) or {"lon", "lat"} <= set(frame.columns)


#: The tables of the GeoPackage without geometry.
HISTORY = "history"
COUNTS = "counts"
COLUMNS = "columns"
#: The table QGIS reads a layer's default style from (see :func:`layer_styles`).
LAYER_STYLES = "layer_styles"
#: Columns of :data:`LAYER_STYLES`, as QGIS creates them.
LAYER_STYLE_COLUMNS = [
    "f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column", "styleName",
    "styleQML", "styleSLD", "useAsDefault", "description", "owner", "ui", "update_time",
]  # fmt: skip


def spatial_tables(export: PairExport) -> dict[str, gpd.GeoDataFrame]:
    """The export's tables with geometry, by name: the layers, then the others."""
    return {
        **export.layers,
        INTERFACES: export.interfaces,
        OTHER_LINKS: export.other_links,
        REGIONS: export.regions,
    }


def attribute_tables(export: PairExport) -> dict[str, pd.DataFrame]:
    """The export's tables without geometry: the history, the counts, the columns' titles."""
    tables = spatial_tables(export)
    listed = {
        **{name: _columns(frame) for name, frame in tables.items()},
        HISTORY: list(export.history.columns),
        COUNTS: list(export.counts.columns),
    }
    return {
        HISTORY: export.history,
        COUNTS: export.counts,
        COLUMNS: columns_table(listed),
    }


def _columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c != "geometry"]


def styles(export: PairExport) -> dict[str, TableStyle]:
    """The QGIS style of every table with geometry (:func:`geo.io.qgis_style.table_style`)."""
    names = list(export.layers)
    return {
        name: table_style(name, _columns(frame), names)
        for name, frame in spatial_tables(export).items()
    }


def layer_styles(
    styled: Mapping[str, TableStyle], geometry_columns: Mapping[str, str], when: datetime
) -> pd.DataFrame:
    """The rows of :data:`LAYER_STYLES`: one default style per table with geometry.

    QGIS takes a GeoPackage layer's default style from the row whose ``f_table_name`` is
    the layer's, ``f_geometry_column`` its geometry column and ``f_table_schema`` empty,
    preferring ``useAsDefault`` (QGIS's OGR provider, ``loadStyle``).
    """
    rows = [
        {
            "f_table_catalog": "",
            "f_table_schema": "",
            "f_table_name": name,
            "f_geometry_column": geometry_columns[name],
            "styleName": name,
            "styleQML": style.qml,
            "styleSLD": "",
            "useAsDefault": True,
            "description": f"Jiegui {name}",
            "owner": "",
            "ui": "",
            "update_time": when,
        }
        for name, style in styled.items()
    ]
    frame = pd.DataFrame(rows, columns=LAYER_STYLE_COLUMNS)
    frame["useAsDefault"] = frame["useAsDefault"].astype(bool)
    frame["update_time"] = pd.to_datetime(frame["update_time"], utc=True)
    return frame


def _geometry_columns(path: Path) -> dict[str, str]:
    """``{table: geometry column}`` of a GeoPackage (its ``gpkg_geometry_columns``)."""
    with closing(sqlite3.connect(path)) as connection:
        rows = connection.execute(
            "SELECT table_name, column_name FROM gpkg_geometry_columns"
        ).fetchall()
    return {str(table): str(column) for table, column in rows}


#: The GeoPackage version written. GDAL 3.7 and later write 1.4 by default, which the
#: GDAL of QGIS 3.22 and 3.28 (Debian bookworm's: GDAL 3.6) opens with a warning that it
#: "may only be partially supported"; nothing here needs more than 1.2.
GPKG_VERSION = "1.2"
#: The OGR geometry type of a table by the kind of its geometry, for an empty table (one
#: with features gets the type of its features).
_OGR_GEOMETRY = {"line": "LineString", "point": "Point", "polygon": "MultiPolygon"}


def _ogr_geometry(frame: gpd.GeoDataFrame, name: str) -> str | None:
    """The geometry type to declare for table ``name``: only when it is empty.

    pyogrio declares an empty table's geometry as ``GEOMETRY``, which QGIS opens as a
    table without a geometry type; :func:`geo.io.qgis_style.table_geometry` gives its kind.
    """
    return None if len(frame) else _OGR_GEOMETRY[table_geometry(name)]


def geopackage_bytes(export: PairExport, styled: Mapping[str, TableStyle] | None = None) -> bytes:
    """The GeoPackage of an export (see the module docstring), WGS84.

    Written with pyogrio to a temporary file, read back as bytes. Empty tables are written
    too, so every table has its place. pyogrio is imported here: counting never loads it.
    """
    import pyogrio

    styled = styles(export) if styled is None else styled
    with tempfile.TemporaryDirectory(prefix="jiegui-export-") as folder:
        path = Path(folder) / "export.gpkg"
        for k, (name, frame) in enumerate(spatial_tables(export).items()):
            data = for_gpkg(frame)
            pyogrio.write_dataframe(
                data,
                path,
                layer=name,
                driver="GPKG",
                geometry_type=_ogr_geometry(data, name),
                dataset_options={"VERSION": GPKG_VERSION} if k == 0 else None,
            )
        for name, table in attribute_tables(export).items():
            pyogrio.write_dataframe(for_gpkg(table), path, layer=name, driver="GPKG")
        rows = layer_styles(styled, _geometry_columns(path), datetime.now(UTC))
        pyogrio.write_dataframe(
            rows, path, layer=LAYER_STYLES, driver="GPKG", layer_options={"FID": "id"}
        )
        return path.read_bytes()


# ---------------------------------------------------------------------------------- CSV

#: What every CSV of the exports begins with: a byte order mark, so that Excel reads UTF-8.
BOM = "\ufeff"


def csv_bytes(rows: pd.DataFrame) -> bytes:
    """Rows as CSV: UTF-8 with a byte order mark, missing values empty, lists joined by ``;``."""
    data = rows.copy()
    for column in data.columns:
        if data[column].map(lambda v: isinstance(v, list | tuple)).any():
            data[column] = data[column].map(
                lambda v: _gpkg_value(list(v)) if isinstance(v, list | tuple) else v
            )
    return (BOM + data.to_csv(index=False, lineterminator="\n")).encode("utf-8")


# ---------------------------------------------------------------------------- together

#: Mime types of the files by extension.
MIME = {
    "geojson": GEOJSON_MIME,
    "qml": QML_MIME,
    "gpkg": GPKG_MIME,
    "csv": CSV_MIME,
    "zip": ZIP_MIME,
}


def export_files(export: PairExport, *, dataset: str) -> dict[str, tuple[str, bytes, str]]:
    """Every file of one export: ``{key: (file name, bytes, mime type)}``.

    Keys: each table with geometry (its GeoJSON: the layers, ``interfaces``,
    ``other_links``, ``regions``) and ``qml:<table>`` (its QGIS style, named like the
    GeoJSON), ``gpkg``, ``counts``, ``history``, ``columns`` (CSV) and ``zip`` (all of the
    others in one archive). Every file names the year and basis, and carries them
    (``as_of`` and ``basis`` on every row, the GeoJSON's ``basis`` member).
    """
    pair = pair_slug(export.region, export.neighbour)

    def named(what: str, ext: str) -> str:
        return file_name(dataset, pair, export.year, what, ext, basis=export.basis)

    members = {"basis": basis_record(export.statuses, export.year)}
    styled = styles(export)
    out: dict[str, tuple[str, bytes, str]] = {}
    for name, frame in spatial_tables(export).items():
        out[name] = (named(name, "geojson"), geojson_bytes(frame, name=name, members=members),
                     GEOJSON_MIME)  # fmt: skip
        out[f"qml:{name}"] = (named(name, "qml"), styled[name].qml.encode("utf-8"), QML_MIME)
    out["gpkg"] = (named("all", "gpkg"), geopackage_bytes(export, styled), GPKG_MIME)
    for name, table in attribute_tables(export).items():
        out[name] = (named(name, "csv"), csv_bytes(table), CSV_MIME)
    out["zip"] = (named("all", "zip"), zip_bytes(out.values()), ZIP_MIME)
    return out


def zip_bytes(files: Iterable[tuple[str, bytes, str]]) -> bytes:
    """The files in one zip archive (deflated), in the order given, dated 1 January 2000.

    A fixed date, so that the same files give the same archive.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data, _mime in files:
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()
