"""GCJ-02 ("Mars coordinates") and Baidu's BD-09 to WGS84 and back, vectorised with numpy.

Chinese commercial map data (AMap/Gaode and much derived from it) is published in GCJ-02:
WGS84 longitude/latitude moved by a public, deliberately non-linear formula, by about
480-560 m east-south-east in the Yangtze River Delta. Such files usually claim EPSG:4326,
so the datum cannot be read from the CRS: the user has to say so (``--datum gcj02``).

* :func:`wgs84_to_gcj02` is the public formula (the Krasovsky-ellipsoid constants
  ``a = 6378245``, ``ee = 0.00669342162296594323`` of every published implementation);
  outside China GCJ-02 equals WGS84 (:func:`in_china`).
* :func:`gcj02_to_wgs84` inverts it by fixed-point iteration of the forward formula until
  every point maps back onto its GCJ-02 position within ``tolerance_m`` (1 cm by default;
  two to three rounds). The common one-step approximation (subtract the shift computed
  at the GCJ-02 point) is off by up to a few metres and is not used.
* :func:`gcj02_to_wgs84_frame` converts a GeoDataFrame (every vertex, through
  :func:`shapely.transform`) and keeps its CRS; :func:`vertex_shifts_m` measures how far
  each vertex moved.
* Baidu Maps data (百度地图) is in BD-09: GCJ-02 moved once more by Baidu's public formula
  (:func:`gcj02_to_bd09`), a further 770-980 m over China (some 1.1 km from WGS84 in
  Shanghai); it is applied everywhere, as every public implementation does. Its public
  inverse :func:`bd09_to_gcj02` is up to 22 cm off (measured on 100 000 points over China,
  median 6 cm), so :func:`bd09_to_wgs84` starts from it and iterates the forward step like
  :func:`gcj02_to_wgs84` (one or two rounds to 1 cm), then converts that GCJ-02 to WGS84;
  :func:`bd09_to_wgs84_frame` converts a GeoDataFrame.
* :func:`china_tile_offset_m` measures how far from its place a WGS84 point is drawn on
  Chinese commercial map tiles (GCJ-02, or Baidu's BD-09 on top of it).

Why this is written here rather than taken from a library (the project adds a well-kept
library rather than hand-writing what it does): the candidates on PyPI were checked and
none fits. ``eviltransform`` 0.1.1 (last release 2018), ``prcoords`` 1.0.2 (2019),
``coord-convert`` 0.2.1 (2019), ``mapdatumtrans`` 1.0.1 (2020), ``pygcj`` 0.0.2 (2020, a
control-point grid) and ``xyconvert`` (numpy, but Python 2 wheels only, unmaintained) are
unmaintained; ``coordTransform`` 0.2.1 (2026) converts point by point and its
``gcj02_to_wgs84`` is the one-step approximation; ``geocoordinates-rs`` 0.14.2 (2026, a
2 MB Rust binary, pre-1.0) takes one ``Wgs84(lat, lon)`` record per call across its FFI,
so a layer of a million vertices would cross it a million times, and its inverse is an
"approximate" one. The formula itself is about twenty lines of numpy. The same holds for
BD-09: those packages carry it too (point by point, or with the one-step inverse only), and
Baidu's step is five more lines.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Final

import geopandas as gpd
import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from pyproj import CRS, Geod

from geo.errors import CRSError, InvalidParameterError
from geo.text import Bilingual, as_bilingual

#: The datum of WGS84 input (OpenStreetMap, GPS, most GIS files): nothing is converted.
WGS84_DATUM: Final = "wgs84"
#: The datum of Chinese commercial data: converted to WGS84 after reading.
GCJ02_DATUM: Final = "gcj02"
#: The datum of Baidu Maps data: converted to WGS84 after reading.
BD09_DATUM: Final = "bd09"
DATUMS: Final = (WGS84_DATUM, GCJ02_DATUM, BD09_DATUM)
#: How each converted datum is written for people.
DATUM_NAMES: Final = {GCJ02_DATUM: "GCJ-02", BD09_DATUM: "BD-09"}

#: What is appended to the ``source`` of every feature converted from GCJ-02.
CONVERTED_NOTE: Final = "converted from GCJ-02 to WGS84"
#: What is appended to the ``source`` of every feature converted from BD-09.
BD09_CONVERTED_NOTE: Final = "converted from BD-09 to WGS84"

# Constants of the public formula (Krasovsky 1940 ellipsoid), as every implementation has them.
_A: Final = 6378245.0
_EE: Final = 0.00669342162296594323
# The rectangle every public implementation calls "China" (degrees); outside it GCJ-02 is
# WGS84. It is rough: it also covers Mongolia, the Koreas and part of Japan.
_LON_MIN, _LON_MAX = 72.004, 137.8347
_LAT_MIN, _LAT_MAX = 0.8293, 55.8271
# Metres per degree of latitude on the WGS84 ellipsoid, near enough to test convergence.
_M_PER_DEG: Final = 111_320.0
_GEOD: Final = Geod(ellps="WGS84")
# Baidu's published GCJ-02 to BD-09 step works in degrees times this.
_BD_X_PI: Final = math.pi * 3000.0 / 180.0

FloatArray = NDArray[np.float64]


def check_datum(datum: str) -> str:
    """Return ``datum`` if it is one of :data:`DATUMS`, else raise a one-sentence error."""
    if datum not in DATUMS:
        known = ", ".join(DATUMS)
        raise InvalidParameterError(
            Bilingual(
                f"Unknown datum {datum!r}; choose from {known}.",
                f"不认识坐标基准 {datum!r}，请从以下基准中选择：{known}。",
            )
        )
    return datum


def converted_note(datum: str) -> str:
    """What is appended to the ``source`` of a feature converted from ``datum``."""
    return BD09_CONVERTED_NOTE if check_datum(datum) == BD09_DATUM else CONVERTED_NOTE


def in_china(lon: ArrayLike, lat: ArrayLike) -> NDArray[np.bool_]:
    """Whether points lie where GCJ-02 differs from WGS84.

    Parameters
    ----------
    lon, lat
        Longitudes and latitudes in degrees (same shape).

    Returns
    -------
    numpy.ndarray of bool
        True inside the rectangle the public implementations use for China (longitude
        72.004-137.8347, latitude 0.8293-55.8271); NaN coordinates are outside.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    return (lon >= _LON_MIN) & (lon <= _LON_MAX) & (lat >= _LAT_MIN) & (lat <= _LAT_MAX)


def _offsets(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    """The GCJ-02 offset ``(dlon, dlat)`` in degrees at WGS84 points (no China test)."""
    x = lon - 105.0
    y = lat - 35.0
    common = (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    dlat = (
        -100.0
        + 2.0 * x
        + 3.0 * y
        + 0.2 * y * y
        + 0.1 * x * y
        + 0.2 * np.sqrt(np.abs(x))
        + common
        + (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
        + (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y / 30.0 * np.pi)) * 2.0 / 3.0
    )
    dlon = (
        300.0
        + x
        + 2.0 * y
        + 0.1 * x * x
        + 0.1 * x * y
        + 0.1 * np.sqrt(np.abs(x))
        + common
        + (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
        + (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    )
    rad_lat = np.radians(lat)
    magic = 1.0 - _EE * np.sin(rad_lat) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrt_magic * np.cos(rad_lat) * np.pi)
    return dlon, dlat


def wgs84_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Move WGS84 points to GCJ-02 with the public formula.

    Parameters
    ----------
    lon, lat
        WGS84 longitudes and latitudes in degrees (same shape).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        GCJ-02 ``(lon, lat)`` in degrees; points outside China are returned unchanged.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    inside = in_china(lon, lat)
    dlon, dlat = _offsets(lon, lat)
    return np.where(inside, lon + dlon, lon), np.where(inside, lat + dlat, lat)


def china_tile_offset_m(lon: float, lat: float, *, system: str = "GCJ-02") -> float:
    """Distance in metres between a WGS84 point and where GCJ-02 / BD-09 tiles draw it.

    GCJ-02 by :func:`wgs84_to_gcj02` (no offset outside China); BD-09 adds Baidu's
    published GCJ-02 to BD-09 step.

    Parameters
    ----------
    lon, lat
        WGS84 degrees.
    system
        ``"GCJ-02"`` or ``"BD-09"``.

    Returns
    -------
    float
        Metres on the WGS84 ellipsoid (0 outside China).
    """
    gx, gy = wgs84_to_gcj02(lon, lat)
    x, y = float(gx), float(gy)
    if system == "BD-09":
        bx, by = gcj02_to_bd09(x, y)
        x, y = float(bx), float(by)
    elif system != "GCJ-02":
        raise InvalidParameterError(
            Bilingual(
                f"Unknown coordinate system {system!r}; use GCJ-02 or BD-09.",
                f"不认识坐标系 {system!r}，请用 GCJ-02 或 BD-09。",
            )
        )
    if (x, y) == (lon, lat):
        return 0.0
    return float(_GEOD.inv(lon, lat, x, y)[2])


def gcj02_to_wgs84(
    lon: ArrayLike,
    lat: ArrayLike,
    *,
    tolerance_m: float = 0.01,
    max_iterations: int = 10,
) -> tuple[FloatArray, FloatArray]:
    """Move GCJ-02 points back to WGS84 by iterating the forward formula.

    Starting from the GCJ-02 position, each round moves the estimate by the distance its
    GCJ-02 image misses the target, until every image is within ``tolerance_m``. The
    formula's offset changes by a few hundred metres per degree, so each round gains
    about three orders of magnitude: two or three rounds reach a centimetre.

    Parameters
    ----------
    lon, lat
        GCJ-02 longitudes and latitudes in degrees (same shape).
    tolerance_m
        How close (metres) the forward formula must bring the result to the input.
    max_iterations
        Rounds allowed before giving up.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        WGS84 ``(lon, lat)`` in degrees; points outside China are returned unchanged.

    Raises
    ------
    ArithmeticError
        If the iteration does not converge (it does everywhere in China).
    """
    gcj_lon = np.asarray(lon, dtype=float)
    gcj_lat = np.asarray(lat, dtype=float)
    inside = in_china(gcj_lon, gcj_lat)
    out_lon, out_lat = gcj_lon.copy(), gcj_lat.copy()
    if not inside.any():
        return out_lon, out_lat

    def forward(x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
        dlon, dlat = _offsets(x, y)
        return x + dlon, y + dlat

    target_lon, target_lat = gcj_lon[inside], gcj_lat[inside]
    out_lon[inside], out_lat[inside] = _invert(
        forward,
        (target_lon, target_lat),
        (target_lon.copy(), target_lat.copy()),
        tolerance_m=tolerance_m,
        max_iterations=max_iterations,
        what="GCJ-02 to WGS84",
    )
    return out_lon, out_lat


def _invert(
    forward: Callable[[FloatArray, FloatArray], tuple[FloatArray, FloatArray]],
    target: tuple[FloatArray, FloatArray],
    start: tuple[FloatArray, FloatArray],
    *,
    tolerance_m: float,
    max_iterations: int,
    what: str,
) -> tuple[FloatArray, FloatArray]:
    """Points whose ``forward`` image is within ``tolerance_m`` of ``target``.

    Fixed-point iteration from ``start``: each round moves the estimate by the distance
    its image misses the target (which converges as ``forward`` is the identity plus a
    slowly varying shift). Every point is finite.

    Raises
    ------
    ArithmeticError
        If some point is still farther than ``tolerance_m`` after ``max_iterations`` rounds.
    """
    target_lon, target_lat = target
    est_lon, est_lat = start
    cos_lat = np.cos(np.radians(target_lat))
    for _ in range(max_iterations):
        image_lon, image_lat = forward(est_lon, est_lat)
        miss_lon = image_lon - target_lon
        miss_lat = image_lat - target_lat
        est_lon = est_lon - miss_lon
        est_lat = est_lat - miss_lat
        miss_m = np.hypot(miss_lon * cos_lat, miss_lat) * _M_PER_DEG
        if miss_m.size == 0 or float(miss_m.max()) < tolerance_m:
            return est_lon, est_lat
    raise ArithmeticError(f"{what} did not converge to {tolerance_m} m in {max_iterations} rounds.")


def gcj02_to_bd09(lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Move GCJ-02 points to Baidu's BD-09 with Baidu's public formula.

    Parameters
    ----------
    lon, lat
        GCJ-02 longitudes and latitudes in degrees (same shape).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        BD-09 ``(lon, lat)`` in degrees. The formula is applied everywhere, as every public
        implementation does (it has no "outside China").
    """
    x = np.asarray(lon, dtype=float)
    y = np.asarray(lat, dtype=float)
    z = np.hypot(x, y) + 0.00002 * np.sin(y * _BD_X_PI)
    theta = np.arctan2(y, x) + 0.000003 * np.cos(x * _BD_X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def bd09_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Move BD-09 points to GCJ-02 with Baidu's public one-step inverse.

    It evaluates the shift at the BD-09 point rather than the GCJ-02 one, so it is up to
    22 cm off (median 6 cm over China); :func:`bd09_to_wgs84` refines it to 1 cm.

    Parameters
    ----------
    lon, lat
        BD-09 longitudes and latitudes in degrees (same shape).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        GCJ-02 ``(lon, lat)`` in degrees.
    """
    x = np.asarray(lon, dtype=float) - 0.0065
    y = np.asarray(lat, dtype=float) - 0.006
    z = np.hypot(x, y) - 0.00002 * np.sin(y * _BD_X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _BD_X_PI)
    return z * np.cos(theta), z * np.sin(theta)


def wgs84_to_bd09(lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Move WGS84 points to BD-09: :func:`wgs84_to_gcj02`, then :func:`gcj02_to_bd09`."""
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def bd09_to_wgs84(
    lon: ArrayLike,
    lat: ArrayLike,
    *,
    tolerance_m: float = 0.01,
    max_iterations: int = 10,
) -> tuple[FloatArray, FloatArray]:
    """Move BD-09 points back to WGS84: to GCJ-02 by iteration, then :func:`gcj02_to_wgs84`.

    The GCJ-02 position starts at Baidu's one-step inverse (:func:`bd09_to_gcj02`) and is
    refined until :func:`gcj02_to_bd09` maps it within ``tolerance_m`` of the input (one
    or two rounds); the GCJ-02 to WGS84 step then has the same tolerance.

    Parameters
    ----------
    lon, lat
        BD-09 longitudes and latitudes in degrees (same shape).
    tolerance_m
        How close (metres) each forward formula must bring its result to its input.
    max_iterations
        Rounds allowed, in each of the two steps, before giving up.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        WGS84 ``(lon, lat)`` in degrees; NaN coordinates stay NaN.

    Raises
    ------
    ArithmeticError
        If an iteration does not converge (it does everywhere in China).
    """
    bd_lon = np.asarray(lon, dtype=float)
    bd_lat = np.asarray(lat, dtype=float)
    gcj_lon, gcj_lat = (np.array(v, dtype=float) for v in bd09_to_gcj02(bd_lon, bd_lat))
    finite = np.isfinite(bd_lon) & np.isfinite(bd_lat)
    if finite.any():
        gcj_lon[finite], gcj_lat[finite] = _invert(
            gcj02_to_bd09,
            (bd_lon[finite], bd_lat[finite]),
            (gcj_lon[finite], gcj_lat[finite]),
            tolerance_m=tolerance_m,
            max_iterations=max_iterations,
            what="BD-09 to GCJ-02",
        )
    return gcj02_to_wgs84(gcj_lon, gcj_lat, tolerance_m=tolerance_m, max_iterations=max_iterations)


def _transform(
    geometries: NDArray[np.object_],
    convert: Callable[[FloatArray, FloatArray], tuple[FloatArray, FloatArray]],
) -> NDArray[np.object_]:
    """Apply a ``(lon, lat) -> (lon, lat)`` array function to every vertex (z kept)."""

    def on_coords(coords: FloatArray) -> FloatArray:
        out = coords.copy()
        out[:, 0], out[:, 1] = convert(coords[:, 0], coords[:, 1])
        return out

    return shapely.transform(geometries, on_coords, include_z=None)


def _require_geographic(
    frame: gpd.GeoDataFrame, *, what: str | Bilingual, datum: str = GCJ02_DATUM
) -> gpd.GeoDataFrame:
    """The frame with a geographic CRS: declared EPSG:4326 when unset, refused when projected.

    ``datum`` is the one the frame is said to be in, named in the refusals.
    """
    name = as_bilingual(what)
    system = DATUM_NAMES[datum]
    if frame.crs is None:
        minx, miny, maxx, maxy = frame.total_bounds if len(frame) else (0.0, 0.0, 0.0, 0.0)
        if not (-180.0 <= minx <= maxx <= 180.0 and -90.0 <= miny <= maxy <= 90.0):
            raise CRSError(
                Bilingual(
                    f"{name.en} has no coordinate reference system and its coordinates are not "
                    f"longitude/latitude, so it cannot be {system}; save it with its CRS, or drop "
                    f"--datum {datum}.",
                    f"{name.zh}没有声明坐标参考系，坐标也不是经纬度，因此不可能是 {system} 数据；"
                    f"请带上坐标参考系保存，或去掉 --datum {datum}。",
                )
            )
        return frame.set_crs(4326)
    crs = CRS(frame.crs)
    if not crs.is_geographic:
        raise CRSError(
            Bilingual(
                f"{name.en} is in the projected CRS {crs.name!r}, but {system} conversion works "
                "on longitude/latitude; give the file in its original longitude/latitude "
                f"(EPSG:4326), or drop --datum {datum} if it is not {system} data.",
                f"{name.zh}使用投影坐标系 {crs.name!r}，而 {system} 纠偏只能处理经纬度；"
                f"请提供原始经纬度（EPSG:4326）的文件，如果不是 {system} 数据，"
                f"请去掉 --datum {datum}。",
            )
        )
    return frame


def gcj02_to_wgs84_frame(frame: gpd.GeoDataFrame, *, what: str | Bilingual) -> gpd.GeoDataFrame:
    """Convert every vertex of a GCJ-02 frame to WGS84.

    Parameters
    ----------
    frame
        Features whose coordinates are GCJ-02 longitude/latitude; their CRS is geographic
        (usually EPSG:4326, which such files claim) or unset (then declared EPSG:4326).
    what
        How to name the input in error messages, e.g. ``"The highways file roads.geojson"``.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy with WGS84 coordinates and the same CRS (EPSG:4326 when it was unset).

    Raises
    ------
    CRSError
        If the frame is in a projected CRS, or has none and is not longitude/latitude.
    """
    return _moved(frame, gcj02_to_wgs84, what=what)


def bd09_to_wgs84_frame(frame: gpd.GeoDataFrame, *, what: str | Bilingual) -> gpd.GeoDataFrame:
    """Convert every vertex of a BD-09 frame to WGS84 (:func:`bd09_to_wgs84`).

    Parameters
    ----------
    frame
        Features whose coordinates are BD-09 longitude/latitude, in a geographic CRS (or
        none, then declared EPSG:4326).
    what
        How to name the input in error messages.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy with WGS84 coordinates and the same CRS (EPSG:4326 when it was unset).

    Raises
    ------
    CRSError
        If the frame is in a projected CRS, or has none and is not longitude/latitude.
    """
    return _moved(frame, bd09_to_wgs84, what=what, datum=BD09_DATUM)


def wgs84_to_bd09_frame(frame: gpd.GeoDataFrame, *, what: str | Bilingual) -> gpd.GeoDataFrame:
    """Move every vertex of a WGS84 frame to BD-09 (same CRS rules as the inverse).

    Parameters
    ----------
    frame
        Features in a geographic CRS (or none, then declared EPSG:4326).
    what
        How to name the input in error messages.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy with BD-09 coordinates and the same CRS.
    """
    return _moved(frame, wgs84_to_bd09, what=what, datum=BD09_DATUM)


def to_wgs84_frame(
    frame: gpd.GeoDataFrame, *, datum: str, what: str | Bilingual
) -> gpd.GeoDataFrame:
    """Convert a GCJ-02 or BD-09 frame to WGS84; a WGS84 one is returned as it is."""
    if check_datum(datum) == GCJ02_DATUM:
        return gcj02_to_wgs84_frame(frame, what=what)
    if datum == BD09_DATUM:
        return bd09_to_wgs84_frame(frame, what=what)
    return frame


def wgs84_to_gcj02_frame(frame: gpd.GeoDataFrame, *, what: str | Bilingual) -> gpd.GeoDataFrame:
    """Move every vertex of a WGS84 frame to GCJ-02 (same CRS rules as the inverse).

    Parameters
    ----------
    frame
        Features in a geographic CRS (or none, then declared EPSG:4326).
    what
        How to name the input in error messages.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy with GCJ-02 coordinates and the same CRS.
    """
    return _moved(frame, wgs84_to_gcj02, what=what)


def _moved(
    frame: gpd.GeoDataFrame,
    move: Callable[[FloatArray, FloatArray], tuple[FloatArray, FloatArray]],
    *,
    what: str | Bilingual,
    datum: str = GCJ02_DATUM,
) -> gpd.GeoDataFrame:
    """A copy of ``frame`` with every vertex moved by ``move(lon, lat) -> (lon, lat)``."""
    frame = _require_geographic(frame, what=what, datum=datum)
    out = frame.copy()
    out[frame.geometry.name] = gpd.GeoSeries(
        _transform(frame.geometry.values.to_numpy(), move), index=frame.index, crs=frame.crs
    )
    return out


def vertex_shifts_m(before: gpd.GeoSeries, after: gpd.GeoSeries) -> FloatArray:
    """Geodesic distance (metres, WGS84 ellipsoid) each vertex moved between two versions.

    Parameters
    ----------
    before, after
        The same geometries, in longitude/latitude, before and after a conversion.

    Returns
    -------
    numpy.ndarray
        One distance per vertex, in the order of :func:`shapely.get_coordinates`.
    """
    a = shapely.get_coordinates(np.asarray(before.values))
    b = shapely.get_coordinates(np.asarray(after.values))
    if len(a) == 0:
        return np.zeros(0)
    _, _, dist = _GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    return np.asarray(dist, dtype=float)


def conversion_note(
    shifts_m: ArrayLike, *, files: list[str], datum: str = GCJ02_DATUM
) -> Bilingual:
    """One sentence saying which files were converted from ``datum`` and how far they moved.

    Parameters
    ----------
    shifts_m
        Per-vertex shifts in metres (see :func:`vertex_shifts_m`).
    files
        Names of the converted files.
    datum
        The datum they were converted from: ``"gcj02"`` or ``"bd09"``.
    """
    shifts = np.asarray(shifts_m, dtype=float)
    listed = ", ".join(files)
    system = DATUM_NAMES[datum]
    if shifts.size == 0 or float(np.max(shifts)) == 0.0:
        if datum != GCJ02_DATUM:
            return Bilingual(
                f"{listed} declared {system} but nothing in them was moved.",
                f"{listed} 声明为 {system}，但其中没有任何内容被移动。",
            )
        return Bilingual(
            f"{listed} declared GCJ-02 but lie outside China, where GCJ-02 equals WGS84: "
            "nothing was moved.",
            f"{listed} 声明为 GCJ-02，但位于中国境外（那里 GCJ-02 与 WGS84 相同）：未作移动。",
        )
    median, low, high = np.median(shifts), np.min(shifts), np.max(shifts)
    return Bilingual(
        f"{listed} converted from {system} to WGS84: {shifts.size} vertices moved by a median "
        f"of {median:.0f} m ({low:.0f}-{high:.0f} m).",
        f"{listed} 已从 {system} 转换为 WGS84：{shifts.size} 个顶点移动，"
        f"中位数 {median:.0f} 米（{low:.0f}-{high:.0f} 米）。",
    )
