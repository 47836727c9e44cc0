"""Checks on the features a user's file holds, made where a source is loaded.

The readers (:mod:`geo.io.user_files`, :mod:`geo.io.osm_file`) say whether a file can be
read at all; these checks say whether what it holds can be used, in one sentence naming
the problem and the fix:

* :func:`check_coordinates`: every coordinate finite; in a longitude/latitude file,
  longitude within -180..180 and latitude within -90..90, with a hint when they look
  swapped or look like metres; in a projected file, every coordinate on the earth;
* :func:`usable_features`: features without a geometry (null, empty, or one the reader
  could not parse) and lines with fewer than two distinct points are left out, with a
  warning that says how many;
* :func:`check_osm_coordinates`: nodes of an OpenStreetMap file outside the valid range,
  which the reader cannot tell from missing nodes; :func:`osm_location_error` is the
  sentence for a node location that is not a number at all (``lat='nan'``).

Region polygons get their own checks (names, repairs) in :func:`geo.regions.prepare_polygons`,
which uses :func:`check_coordinates` too.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import numpy as np
import osmium
import osmium.filter
import shapely
from pyproj import CRS, Transformer

from geo.errors import GeometryDataError, InputFileError, short_reason
from geo.text import Bilingual, as_bilingual

#: The key of ``GeoDataFrame.attrs`` under which :func:`geo.io.user_files.read_vector`
#: records how many geometries of the file could not be parsed (they are read as None).
UNREADABLE = "jiegui_unreadable_geometries"
#: Coordinates beyond this many degrees are taken for metres (a projected CRS mislabelled).
METRES_HINT = 1000.0
#: Shapely type ids of linear geometries (LineString, LinearRing, MultiLineString).
_LINEAR = (1, 2, 5)


def check_coordinates(
    frame: gpd.GeoDataFrame | gpd.GeoSeries, *, what: str | Bilingual
) -> None:
    """Raise :class:`GeometryDataError` unless every coordinate of ``frame`` is usable.

    Parameters
    ----------
    frame
        Features with a CRS (a frame without one is left to :func:`geo.projection.require_crs`).
    what
        How to name the input at the start of a sentence, e.g. ``"The boundaries file x.shp"``,
        in both languages (a plain string, such as a file name, reads the same in both).

    Raises
    ------
    GeometryDataError
        For NaN or infinite coordinates; in a longitude/latitude CRS, for coordinates out of
        range (saying when they look swapped or like metres); in a projected CRS, for
        coordinates that are nowhere on the earth.
    """
    xy = shapely.get_coordinates(np.asarray(frame.geometry.values))
    if len(xy) == 0:
        return
    finite = np.isfinite(xy).all(axis=1)
    name = as_bilingual(what)
    if not finite.all():
        count = f"{int((~finite).sum()):,}"
        raise GeometryDataError(
            Bilingual(
                f"{name.en} has {count} coordinate(s) that are NaN or infinite; "
                "fix or delete those features in your GIS and save the file again.",
                f"{name.zh}中有 {count} 个坐标是 NaN 或无穷大，"
                "请在 GIS 软件中修正或删除这些要素后重新保存。",
            )
        )
    if frame.crs is None:
        return
    crs = CRS(frame.crs)
    if crs.is_geographic and _in_degrees(crs):
        _check_lonlat(xy, what=name, crs=crs)
        return
    lon, lat = Transformer.from_crs(crs, 4326, always_xy=True).transform(xy[:, 0], xy[:, 1])
    if not (np.isfinite(lon).all() and np.isfinite(lat).all()):
        raise GeometryDataError(
            Bilingual(
                f"{name.en} has coordinates that are nowhere on the earth in its CRS "
                f"({crs.name}); check that the file declares the CRS its coordinates are in.",
                f"{name.zh}的坐标按其声明的坐标参考系（{crs.name}）落不到地球上，"
                "请检查文件声明的坐标参考系是否与坐标一致。",
            )
        )


def _in_degrees(crs: CRS) -> bool:
    """Whether a geographic CRS counts its axes in degrees (not grads or radians)."""
    return all("degree" in (axis.unit_name or "") for axis in crs.axis_info[:2])


def _check_lonlat(xy: np.ndarray, *, what: Bilingual, crs: CRS) -> None:
    """Longitude (x) within ±180 and latitude (y) within ±90, else the likeliest mistake."""
    x, y = xy[:, 0], xy[:, 1]
    if (np.abs(x) <= 180.0).all() and (np.abs(y) <= 90.0).all():
        return
    if (np.abs(x) <= 90.0).all() and (np.abs(y) <= 180.0).all():
        ranges = f"x {x.min():g}..{x.max():g}, y {y.min():g}..{y.max():g}"
        raise GeometryDataError(
            Bilingual(
                f"{what.en} looks like it has latitude and longitude swapped (x from "
                f"{x.min():g} to {x.max():g}, y from {y.min():g} to {y.max():g}, and no "
                "latitude is beyond 90); save it with longitude as x and latitude as y.",
                f"{what.zh}的经纬度看起来颠倒了（{ranges}，且纬度都不超过 90），"
                "请以经度为 x、纬度为 y 重新保存。",
            )
        )
    if np.abs(xy).max() > METRES_HINT:
        largest = f"{np.abs(xy).max():,.0f}"
        raise GeometryDataError(
            Bilingual(
                f"{what.en} has coordinates up to {largest}, which are not degrees, yet "
                f"it is read as longitude/latitude ({crs.name}); save it with the CRS its "
                "coordinates are in (e.g. a UTM zone in metres).",
                f"{what.zh}的坐标大到 {largest}，不是经纬度，却被当作经纬度（{crs.name}）读取；"
                "请用坐标实际所在的坐标参考系保存（例如以米为单位的 UTM 分带）。",
            )
        )
    wrong = int(np.argmax((np.abs(x) > 180.0) | (np.abs(y) > 90.0)))
    example = f"{x[wrong]:g}, {y[wrong]:g}"
    raise GeometryDataError(
        Bilingual(
            f"{what.en} has coordinates outside longitude -180..180 and latitude -90..90 "
            f"(e.g. longitude {x[wrong]:g}, latitude {y[wrong]:g}); fix those features in "
            "your GIS.",
            f"{what.zh}中有坐标超出经度 -180..180、纬度 -90..90 的范围（例如经度、纬度为 "
            f"{example}），请在 GIS 软件中修正这些要素。",
        )
    )


def usable_features(
    frame: gpd.GeoDataFrame, *, what: str | Bilingual, lines: bool
) -> tuple[gpd.GeoDataFrame, list[Bilingual]]:
    """Leave out the features that cannot be used, and say how many.

    Parameters
    ----------
    frame
        Features as read (:func:`geo.io.user_files.read_vector`).
    what
        How to name the input at the start of a sentence.
    lines
        Whether the features are a line layer: then lines with fewer than two distinct
        points (no length) are left out too.

    Returns
    -------
    (GeoDataFrame, list of Bilingual)
        The usable features (the frame itself when all are) and a warning, if any.
    """
    geoms = frame.geometry.values
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    degenerate = np.zeros(len(frame), dtype=bool)
    if lines:
        linear = np.isin(shapely.get_type_id(geoms), _LINEAR)
        degenerate = linear & ~missing & (shapely.length(geoms) == 0)
    if not (missing.any() or degenerate.any()):
        return frame, []
    parts, parts_zh = [], []
    if missing.any():
        parts.append(f"{int(missing.sum()):,} without a geometry (or with one that cannot be read)")
        parts_zh.append(f"{int(missing.sum()):,} 个没有几何图形（或几何图形无法读取）")
    if degenerate.any():
        parts.append(f"{int(degenerate.sum()):,} line(s) with fewer than two distinct points")
        parts_zh.append(f"{int(degenerate.sum()):,} 条线的不同点少于两个")
    kept = frame[~(missing | degenerate)]
    name, left = as_bilingual(what), int((missing | degenerate).sum())
    note = Bilingual(
        f"{name.en} had {left:,} feature(s) that were left out: "
        f"{' and '.join(parts)}; check them in your GIS.",
        f"{name.zh}中有 {left:,} 个要素未被采用：{'；'.join(parts_zh)}。请在 GIS 软件中检查。",
    )
    return kept, [note]


def check_readable(frame: gpd.GeoDataFrame, *, what: str | Bilingual) -> None:
    """Raise :class:`GeometryDataError` when some geometries of the file could not be parsed.

    For region polygons: a region that cannot be read cannot be left out without making
    the borders wrong.
    """
    unreadable = int(frame.attrs.get(UNREADABLE, 0))
    if unreadable:
        name = as_bilingual(what)
        raise GeometryDataError(
            Bilingual(
                f"{name.en} has {unreadable:,} geometr{'y' if unreadable == 1 else 'ies'} that "
                "cannot be read (e.g. a polygon ring that is not closed, or a line of one "
                "point); fix them in your GIS and save the file again.",
                f"{name.zh}中有 {unreadable:,} 个几何图形无法读取（例如多边形的环没有闭合，"
                "或线只有一个点），请在 GIS 软件中修正后重新保存。",
            )
        )


def check_osm_coordinates(
    path: Path, way_ids: Iterable[int], node_ids: Iterable[int] = ()
) -> None:
    """Raise :class:`GeometryDataError` when the given ways of an OSM file have nodes out of range.

    The reader takes a node outside longitude -180..180 / latitude -90..90 for a missing
    one; this looks at the nodes of the ways it could not build whole, and at the nodes
    ``node_ids`` themselves (a point layer's nodes whose location is not valid): two passes
    over the file that only these ways and nodes get through. Nothing is raised when they
    are merely missing (an extract cut at its edge).
    """
    ids = sorted(set(way_ids))
    refs: set[int] = set(node_ids)
    if ids:
        for way in osmium.FileProcessor(str(path), osmium.osm.WAY).with_filter(
            osmium.filter.IdFilter(ids)
        ):
            refs.update(node.ref for node in way.nodes)  # type: ignore[union-attr]
    if not refs:
        return
    bad: list[tuple[int, float, float]] = []
    for node in osmium.FileProcessor(str(path), osmium.osm.NODE).with_filter(
        osmium.filter.IdFilter(sorted(refs))
    ):
        location = node.location  # type: ignore[union-attr]
        if not location.valid():
            bad.append((node.id, location.lon_without_check(), location.lat_without_check()))
    if bad:
        raise GeometryDataError(_osm_range_message(path.name, bad))


def _osm_range_message(name: str, bad: list[tuple[int, float, float]]) -> Bilingual:
    """The sentence about nodes out of range (``(id, lon, lat)``), swapped ones named so."""
    node, lon, lat = bad[0]
    lons = np.array([b[1] for b in bad])
    lats = np.array([b[2] for b in bad])
    swapped = (np.abs(lons) <= 90.0).all() and (np.abs(lats) > 90.0).all()
    hint = "; latitude and longitude look swapped" if swapped else ""
    hint_zh = "，经纬度似乎颠倒了" if swapped else ""
    return Bilingual(
        f"{name} has {len(bad):,} node(s) outside longitude -180..180 and latitude -90..90 "
        f"(e.g. node {node} at lon {lon:g}, lat {lat:g}){hint}; fix them in an OSM editor "
        "or use another extract.",
        f"{name} 中有 {len(bad):,} 个节点超出经度 -180..180、纬度 -90..90 的范围（例如节点 "
        f"{node}，经度 {lon:g}，纬度 {lat:g}）{hint_zh}；"
        "请在 OSM 编辑器中修正，或换用其他数据文件。",
    )


def osm_location_error(name: str, exc: Exception) -> InputFileError:
    """The error for a node location that pyosmium cannot read as a number.

    pyosmium raises :class:`osmium.InvalidLocationError` for ``lat='nan'``, ``lon='inf'``
    and the like in an XML file; every reader of OSM files turns it into this sentence.

    Parameters
    ----------
    name
        The file's name (not its path).
    exc
        pyosmium's error, whose first line (the value it could not read) is quoted.
    """
    reason = short_reason(exc)
    return InputFileError(
        Bilingual(
            f"Could not read {name} as OpenStreetMap data (a node's location is not a number: "
            f"{reason}); fix the file or use another extract.",
            f"无法按 OpenStreetMap 数据读取 {name}（有节点的位置不是数字），"
            "请修正文件或换用其他数据文件。",
        )
    )


__all__ = [
    "UNREADABLE",
    "check_coordinates",
    "check_osm_coordinates",
    "check_readable",
    "osm_location_error",
    "usable_features",
]
