"""The map's offline context layer: coast, lakes, rivers, cities and the labels' points.

``data/context/`` is built by ``python scripts/build_context.py`` from Natural Earth 1:10m
(public domain; "Made with Natural Earth") and the provinces of the ``yrd`` dataset; its
README states the box, the simplification and the label rule. It is not a dataset of links
(it has no ``dataset.json``), only what a map draws under them:

* :func:`context_layers`: ``coastline`` (lines), ``lakes`` (polygons), ``rivers`` (lines),
  ``cities`` (points), each with ``name_zh`` and ``name_en`` where named;
* :func:`label_points`: every label in one language (provinces, cities, lakes) with its text,
  the first zoom it shows at (``min_zoom``) and its style's size and anchor
  (:data:`geo.label_layout.STYLES`); labels shown together never overlap at zooms 6-11;
* :func:`manifest`: sources, licences, attribution, box, tolerance, counts.

Everything is in WGS84 (EPSG:4326), (lon, lat). Files are read once per process (and again
when they change); callers get copies. A missing or damaged file raises
:class:`geo.errors.InputFileError` with one sentence naming the file and the rebuild command.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import pandas as pd

from geo.errors import InputFileError, InvalidParameterError, short_reason
from geo.label_layout import STYLES
from geo.text import Bilingual, as_bilingual

#: Where the built context layer lives.
CONTEXT_DIR: Final[Path] = Path(__file__).resolve().parents[2] / "data" / "context"

#: The command that rebuilds it, named in every error.
BUILD_COMMAND: Final = "python scripts/build_context.py"

#: The languages labels come in (the page's languages).
LANGUAGES: Final = ("zh", "en")

#: Each layer's file, the geometry types it may hold, and the columns it must have.
LAYERS: Final[Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "coastline": (("LineString", "MultiLineString"), ("scalerank",)),
    "lakes": (("Polygon", "MultiPolygon"), ("name_en", "name_zh", "featurecla", "scalerank")),
    "rivers": (
        ("LineString", "MultiLineString"),
        ("name_en", "name_zh", "featurecla", "scalerank"),
    ),
    "cities": (
        ("Point",),
        (
            "name_en",
            "name_zh",
            "pop_max",
            "scalerank",
            "labelrank",
            "min_zoom_zh",
            "min_zoom_en",
            "priority",
        ),
    ),
}
_LABELS: Final = (
    ("Point",),
    ("kind", "name_en", "name_zh", "min_zoom_zh", "min_zoom_en", "priority"),
)
#: Columns read as nullable integers (``Int64``) where a file has them.
_INTEGERS: Final = (
    "min_zoom_zh",
    "min_zoom_en",
    "zoom_floor",
    "priority",
    "scalerank",
    "labelrank",
    "pop_max",
    "geonameid",
)


def context_layers(folder: Path | None = None) -> dict[str, gpd.GeoDataFrame]:
    """The context layers to draw under the links, by name, in WGS84.

    Parameters
    ----------
    folder
        The built context folder; :data:`CONTEXT_DIR` when None.

    Returns
    -------
    dict of str to GeoDataFrame
        ``coastline``, ``lakes``, ``rivers`` and ``cities`` (in that order, the order to draw
        them in), each with CRS EPSG:4326. ``min_zoom_zh``, ``min_zoom_en`` and the ranks
        are nullable integers (``Int64``).

    Raises
    ------
    InputFileError
        When a file is missing or damaged.
    """
    root = CONTEXT_DIR if folder is None else folder
    return {name: _layer(root, name, *spec).copy() for name, spec in LAYERS.items()}


def label_points(language: str, folder: Path | None = None) -> gpd.GeoDataFrame:
    """The labels of the provinces, cities and lakes in ``language``, each with its min_zoom.

    Parameters
    ----------
    language
        ``"zh"`` or ``"en"`` (:data:`LANGUAGES`).
    folder
        The built context folder; :data:`CONTEXT_DIR` when None.

    Returns
    -------
    GeoDataFrame
        One row per label that shows at some zoom of 6-11 in that language, in order of
        priority, with columns ``kind`` (``region``, ``city``, ``lake``), ``label`` (the
        text), ``min_zoom`` (int: show it from this zoom on), ``font_px`` and ``anchor``
        (``centre``: the text centred on the point; ``right``: a dot at the point, the text
        to its right; :data:`geo.label_layout.STYLES`), ``name_zh``, ``name_en`` and
        ``priority``; points in EPSG:4326. The labels with ``min_zoom`` at most ``z`` can be
        drawn together at zoom ``z`` without overlapping.

    Raises
    ------
    InvalidParameterError
        For a language other than ``zh`` or ``en``.
    InputFileError
        When a file is missing or damaged.
    """
    if language not in LANGUAGES:
        raise InvalidParameterError(
            Bilingual(
                f"Labels come in {' and '.join(LANGUAGES)}, not {language!r}; use one of those.",
                f"注记只有 {'、'.join(LANGUAGES)} 两种语言，没有 {language!r}，请从中选择。",
            )
        )
    root = CONTEXT_DIR if folder is None else folder
    cities = _layer(root, "cities", *LAYERS["cities"]).assign(kind="city")
    others = _layer(root, "labels", *_LABELS)
    columns = ["kind", "name_zh", "name_en", f"min_zoom_{language}", "priority", "geometry"]
    both = pd.concat([others[columns], cities[columns]], ignore_index=True)
    shown = both[both[f"min_zoom_{language}"].notna()].rename(
        columns={f"min_zoom_{language}": "min_zoom"}
    )
    shown = shown.sort_values("priority", kind="stable").reset_index(drop=True)
    out = gpd.GeoDataFrame(
        {
            "kind": shown["kind"].astype(str),
            "label": shown[f"name_{language}"].astype(str),
            "min_zoom": shown["min_zoom"].astype(int),
            "font_px": [STYLES[kind].font_px for kind in shown["kind"]],
            "anchor": [STYLES[kind].anchor for kind in shown["kind"]],
            "name_zh": shown["name_zh"],
            "name_en": shown["name_en"],
            "priority": shown["priority"].astype(int),
        },
        geometry=shown.geometry.values,
        crs="EPSG:4326",
    )
    return out


def manifest(folder: Path | None = None) -> dict[str, Any]:
    """The build's manifest (``context.json``): sources, licence, attribution, box, counts.

    Raises
    ------
    InputFileError
        When it is missing or not JSON.
    """
    path = (CONTEXT_DIR if folder is None else folder) / "context.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _missing(path) from None
    except (OSError, ValueError) as exc:
        raise _damaged(path, _unreadable(exc)) from None
    if not isinstance(data, dict):
        raise _damaged(path, Bilingual("it is not a JSON object", "内容不是 JSON 对象"))
    return data


def _layer(
    root: Path, name: str, geometry_types: tuple[str, ...], columns: tuple[str, ...]
) -> gpd.GeoDataFrame:
    path = root / f"{name}.geojson"
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise _missing(path) from None
    except OSError as exc:
        raise _damaged(path, _unreadable(exc)) from None
    # The file's size and time are part of the key: a rebuilt file is read again.
    return _read(str(path), stat.st_mtime_ns, stat.st_size, geometry_types, columns)


@lru_cache(maxsize=32)
def _read(
    path: str,
    mtime_ns: int,
    size: int,
    geometry_types: tuple[str, ...],
    columns: tuple[str, ...],
) -> gpd.GeoDataFrame:
    """One context file, checked: readable, EPSG:4326, the columns and geometry types."""
    try:
        frame = gpd.read_file(path)
    except Exception as exc:  # pyogrio/GDAL raise many kinds for a damaged file
        raise _damaged(Path(path), _unreadable(exc)) from None
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        raise _damaged(
            Path(path),
            Bilingual(
                f"its CRS is {frame.crs}, not EPSG:4326",
                f"坐标参考系是 {frame.crs}，而不是 EPSG:4326",
            ),
        )
    missing = ", ".join(c for c in columns if c not in frame.columns)
    if missing:
        raise _damaged(Path(path), Bilingual(f"it has no column {missing}", f"缺少 {missing} 列"))
    kinds = set(frame.geom_type.dropna())
    if frame.geometry.isna().any() or not kinds <= set(geometry_types):
        held, wanted = ", ".join(sorted(kinds)), ", ".join(geometry_types)
        raise _damaged(
            Path(path),
            Bilingual(
                f"it holds {held or 'no'} geometries, not only {wanted}",
                f"其中的几何类型为 {held or '空'}，而不只是 {wanted}",
            ),
        )
    for column in _INTEGERS:
        if column in frame.columns:
            frame[column] = _integers(frame[column], Path(path), column)
    return frame


def _integers(values: pd.Series, path: Path, column: str) -> pd.Series:
    try:
        return pd.to_numeric(values).astype("Int64")
    except (TypeError, ValueError):
        raise _damaged(
            path, Bilingual(f"its column {column} is not whole numbers", f"{column} 列不全是整数")
        ) from None


def _missing(path: Path) -> InputFileError:
    return InputFileError(
        Bilingual(
            f"The map's context file {path} is missing; rebuild data/context with "
            f"{BUILD_COMMAND}.",
            f"缺少地图底图要素文件 {path}，请用 {BUILD_COMMAND} 重新生成 data/context。",
        )
    )


def _unreadable(exc: BaseException) -> Bilingual:
    """A reader's complaint: its words in English, "cannot be read" in Chinese."""
    return Bilingual(short_reason(exc), "无法读取")


def _damaged(path: Path, reason: str | Bilingual) -> InputFileError:
    why = as_bilingual(reason)
    return InputFileError(
        Bilingual(
            f"The map's context file {path} cannot be used ({why.en}); rebuild data/context "
            f"with {BUILD_COMMAND}.",
            f"地图底图要素文件 {path} 无法使用（{why.zh}），"
            f"请用 {BUILD_COMMAND} 重新生成 data/context。",
        )
    )


__all__ = [
    "BUILD_COMMAND",
    "CONTEXT_DIR",
    "LANGUAGES",
    "LAYERS",
    "context_layers",
    "label_points",
    "manifest",
]
