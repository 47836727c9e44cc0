"""Railway geometry of the embedded dataset from OpenStreetMap ways (used by ``build_data.py``).

The ways come from ``../shared/osm-derived/railways-east-china/`` (one gzipped JSON file per
province; ``SOURCES.md`` there): OpenStreetMap railway ways of Shanghai, Zhejiang, Jiangsu,
Anhui, Jiangxi and Fujian with their OSM ids and Chinese names, simplified to about a few
hundred metres. Data (c) OpenStreetMap contributors, ODbL 1.0. ``build_data.py --shared``
points at another folder holding ``osm-derived/railways-east-china``.

A railway link in ``sources/links/railways.yaml`` names the ways it consists of::

    osm:
      names: [沪昆线]                   # OSM ``name`` of the ways (exact)
      bbox: [118.2, 28.5, 118.7, 28.8]  # west, south, east, north (WGS84): the part drawn
                                        # (or a list of such boxes, one per crossing)
      exclude_ids: [123]                # ways of that name left out (say why in the note)
      ids: [456]                        # further ways taken whatever their name

:func:`assemble` takes the ways of those names that reach into the box (plus ``ids``, minus
``exclude_ids``), drops the second track of double-track lines (a way lying within
:data:`TRACK_GAP_M` of ways already taken for :data:`TRACK_SHARE` of its length: OSM often
maps each track as its own way), clips them to the box and merges them (shapely
``line_merge``). The OSM ids of the ways kept are the feature's sources (``osm_ids``).
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyproj
import shapely
from shapely.geometry import shape

from geo.errors import JieguiError
from geo.io.pinned import check_folder
from geo.text import Bilingual

ROOT = Path(__file__).resolve().parent.parent
#: The shared copy, beside the project (``build_data.py --shared`` names another folder).
SHARED_RAIL = ROOT.parent / "shared" / "osm-derived" / "railways-east-china"
SUBFOLDER = Path("osm-derived") / "railways-east-china"

#: The files read, with their sha256 as pinned in the shared copy's SOURCES.md.
INPUTS = {
    "china-anhui.json.gz": "7147ceafeb122183d06ee2a52f3adc1b957375a0d353c027c60ee44b2da773bb",
    "china-fujian.json.gz": "1b301bc314cc25fd1bbe1932f9b49d1516d88327eaf85ad7466a716cebaa33e1",
    "china-jiangsu.json.gz": "7044d9e5e34401b50491e18b87a07eb4aad9baa939fe4c627cd770362275a930",
    "china-jiangxi.json.gz": "28c32f8dc3d7269ebb6e85b440d41ddf839c0cd7ca8594e37acc0561aab4dbda",
    "china-shanghai.json.gz": "357a53bea3f582407310af090a6bce89e184a7ecb8735df05fd2b7040f9e00e0",
    "china-zhejiang.json.gz": "59d31fafaac4e9d3a923c05b47f1091f6ce99eb0d6948ab603fa4e2597c9694a",
}
ORIGIN = (
    "GitHub kingtmc314/east-asia-railway-map, public/data/clean/china-*.json at commit "
    "05f3995 (2026-07-05), gzipped unchanged in ../shared/osm-derived/railways-east-china"
)
ATTRIBUTION = "Railways: © OpenStreetMap contributors, ODbL 1.0"
ATTRIBUTION_ZH = "铁路：© OpenStreetMap 贡献者，ODbL 1.0"
#: What ``accuracy_m`` of a line built here stands for (see sources/README.md).
LINE_ACCURACY_M = 500
#: Railway kinds taken (``rail_type``): no metro, no tram.
RAIL_TYPES = ("rail", "hsr")
#: Two ways closer than this are two tracks of one line.
TRACK_GAP_M = 150.0
#: ... when this share of the shorter way's length lies that close to the ways kept.
TRACK_SHARE = 0.8
#: Pieces whose ends come this close are joined by a straight segment: the ways kept may
#: alternate between the two tracks of a line, whose ends do not meet.
JOIN_M = 300.0

#: A metric projection for the study area (Albers equal-area on the delta's latitudes).
_METRIC = pyproj.CRS.from_proj4(
    "+proj=aea +lat_1=25 +lat_2=35 +lat_0=30 +lon_0=119 +datum=WGS84 +units=m"
)
_TO_M = pyproj.Transformer.from_crs(4326, _METRIC, always_xy=True)


@dataclass(frozen=True)
class Way:
    """One OSM way: id, Chinese name, kind and geometry (WGS84 and metric)."""

    osm_id: int
    name: str
    rail_type: str
    geometry: shapely.LineString
    metric: shapely.LineString


def find_inputs(folder: Path) -> dict[str, Path]:
    """The six files in ``folder``, each checked against its pinned sha256.

    Raises
    ------
    InputFileError
        When the folder or a file is missing or a file is not the pinned version
        (:func:`geo.io.pinned.check_folder`).
    """
    return check_folder(
        folder,
        INPUTS,
        pinned_in="INPUTS in scripts/osm_railways.py",
        missing_fix=Bilingual(
            "put the OpenStreetMap railway copy osm-derived/railways-east-china in ../shared/ "
            "beside the project, or pass --shared.",
            "请把 OpenStreetMap 铁路副本 osm-derived/railways-east-china 放在项目旁的 ../shared/ "
            "中，或用 --shared 指定。",
        ),
    )


def checksums(folder: Path) -> dict[str, str]:
    """``{"osm-derived/railways-east-china/<file>": sha256}`` of the files read."""
    find_inputs(folder)
    return {(SUBFOLDER / name).as_posix(): digest for name, digest in sorted(INPUTS.items())}


def _metric(geom: shapely.LineString) -> shapely.LineString:
    xy = shapely.get_coordinates(geom)
    x, y = _TO_M.transform(xy[:, 0], xy[:, 1])
    return shapely.LineString(list(zip(x, y, strict=True)))


def load_ways(folder: Path) -> dict[int, Way]:
    """The railway ways (``rail``/``hsr``) of the six files, by OSM id (a way in two files once)."""
    ways: dict[int, Way] = {}
    for name, path in find_inputs(folder).items():
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            data = json.load(handle)
        for feature in data.get("lines") or []:
            props = feature.get("properties") or {}
            if props.get("rail_type") not in RAIL_TYPES or props.get("osm_type") != "way":
                continue
            geom = shape(feature["geometry"])
            if geom.geom_type != "LineString" or geom.is_empty:
                raise JieguiError(
                    Bilingual(
                        f"{name}: way {props.get('osm_id')} is not a line; restore the copy.",
                        f"{name}：路径 {props.get('osm_id')} 不是线；请恢复该副本。",
                    )
                )
            osm_id = int(props["osm_id"])
            ways.setdefault(
                osm_id,
                Way(osm_id, str(props.get("name") or ""), props["rail_type"], geom, _metric(geom)),
            )
    return ways


def _box(spec: Mapping[str, Any], link: str) -> shapely.Geometry:
    """The part of the map a link is drawn in: one box or the union of several."""
    raw = spec.get("bbox")
    boxes = raw if raw and isinstance(raw[0], list) else [raw]
    if not boxes or any(not isinstance(b, list) or len(b) != 4 for b in boxes):
        raise JieguiError(
            Bilingual(
                f"{link}: osm needs a bbox [west, south, east, north] (or a list); add one.",
                f"{link}：osm 需要 bbox [西, 南, 东, 北]（或其列表）；请补上。",
            )
        )
    return shapely.union_all([shapely.box(*b) for b in boxes])


def _selected(spec: Mapping[str, Any], ways: Mapping[int, Way], link: str) -> list[Way]:
    names = set(spec.get("names") or [])
    box = _box(spec, link)
    excluded = {int(i) for i in spec.get("exclude_ids") or []}
    extra = [int(i) for i in spec.get("ids") or []]
    missing = [i for i in (*extra, *excluded) if i not in ways]
    if missing:
        raise JieguiError(
            Bilingual(
                f"{link}: OSM way(s) {missing} are not in the railway copy; fix the ids.",
                f"{link}：铁路副本中没有 OSM 路径 {missing}；请修改 id。",
            )
        )
    chosen = {
        w.osm_id
        for w in ways.values()
        if w.name in names and w.osm_id not in excluded and w.geometry.intersects(box)
    } | set(extra)
    if not chosen:
        raise JieguiError(
            Bilingual(
                f"{link}: no OSM way named {sorted(names)} reaches into its bbox; fix the "
                "names or the bbox.",
                f"{link}：没有名为 {sorted(names)} 的 OSM 路径进入其 bbox；请修改名称或 bbox。",
            )
        )
    unknown = names - {ways[i].name for i in chosen}
    if unknown:
        raise JieguiError(
            Bilingual(
                f"{link}: no way named {sorted(unknown)} reaches into its bbox; fix the names "
                "or the bbox.",
                f"{link}：没有名为 {sorted(unknown)} 的路径进入其 bbox；请修改名称或 bbox。",
            )
        )
    # Longest first (then by id): the main line is kept, a parallel second track dropped.
    return sorted((ways[i] for i in chosen), key=lambda w: (-round(w.metric.length), w.osm_id))


def _one_track(candidates: Sequence[Way]) -> list[Way]:
    kept: list[Way] = []
    for way in candidates:
        if kept:
            near = shapely.union_all([k.metric for k in kept]).buffer(TRACK_GAP_M)
            if way.metric.intersection(near).length >= TRACK_SHARE * way.metric.length:
                continue
        kept.append(way)
    return kept


def _parts(geom: shapely.Geometry) -> list[shapely.LineString]:
    merged = shapely.line_merge(geom) if geom.geom_type != "LineString" else geom
    return list(getattr(merged, "geoms", [merged]))


def _ends(line: shapely.LineString) -> tuple[tuple[float, float], tuple[float, float]]:
    coords = line.coords
    return (coords[0][0], coords[0][1]), (coords[-1][0], coords[-1][1])


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance in metres between two nearby WGS84 points (local equirectangular)."""
    scale = math.cos(math.radians((a[1] + b[1]) / 2))
    return math.hypot((a[0] - b[0]) * 111_320.0 * scale, (a[1] - b[1]) * 110_540.0)


def _joined(geom: shapely.Geometry) -> shapely.Geometry:
    """Join pieces whose ends lie within :data:`JOIN_M`, then merge.

    Pieces touching at an end are connected already; of the others, the closest ends of two
    unconnected groups are joined first (a minimum spanning forest over the ends), so each
    gap is bridged once.
    """
    parts = _parts(geom)
    group = list(range(len(parts)))

    def root(i: int) -> int:
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    ends = [(i, end) for i, part in enumerate(parts) for end in _ends(part)]
    by_point: dict[tuple[float, float], int] = {}
    for i, end in ends:
        if end in by_point:
            group[root(i)] = root(by_point[end])
        by_point.setdefault(end, i)
    gaps = sorted(
        (_metres(a, b), a, b, i, j)
        for n, (i, a) in enumerate(ends)
        for j, b in ends[n + 1 :]
        if i != j and _metres(a, b) < JOIN_M
    )
    bridges = []
    for _, a, b, i, j in gaps:
        if root(i) != root(j):
            group[root(i)] = root(j)
            bridges.append(shapely.LineString([a, b]))
    lines = _parts(shapely.MultiLineString([*parts, *bridges]))
    return lines[0] if len(lines) == 1 else shapely.MultiLineString(lines)


@dataclass(frozen=True)
class Assembled:
    """A link's geometry from its ways and the ways it was made of."""

    geometry: shapely.Geometry
    osm_ids: tuple[int, ...]
    names: tuple[str, ...]


def assemble(spec: Mapping[str, Any], ways: Mapping[int, Way], link: str) -> Assembled:
    """The geometry of one link from the ways ``spec`` names (module docstring).

    Raises
    ------
    JieguiError
        When a way id is unknown, a name finds nothing in the box, or nothing is left.
    """
    kept = _one_track(_selected(spec, ways, link))
    box = _box(spec, link)
    clipped = shapely.intersection(shapely.union_all([w.geometry for w in kept]), box)
    merged = _joined(clipped)
    if merged.is_empty or merged.length == 0:
        raise JieguiError(
            Bilingual(
                f"{link}: its ways leave nothing inside the bbox; widen the bbox.",
                f"{link}：其路径在 bbox 内什么也没留下；请扩大 bbox。",
            )
        )
    ids = tuple(sorted(w.osm_id for w in kept if w.geometry.intersects(box)))
    names = tuple(sorted({w.name for w in kept if w.name}))
    return Assembled(merged, ids, names)


def shared_folder(shared: Path | None) -> Path:
    """The railway copy under ``shared`` (default ``../shared``)."""
    return SHARED_RAIL if shared is None else shared / SUBFOLDER
