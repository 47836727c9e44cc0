"""Build the map's offline context layer: ``python scripts/build_context.py``.

Nothing in ``data/context/`` (except ``sources/``) is edited by hand; this script writes it
from the clipped Natural Earth 1:10m copy in ``../shared/naturalearth-east-china/`` (public
domain; GeoJSON conversion CC0; pinned checksums below), ``data/yrd/regions.geojson`` (the
provinces, for the box and their label points) and ``data/context/sources/names.yaml`` (the
Chinese names Natural Earth lacks, written by hand):

* ``coastline.geojson``, ``lakes.geojson``, ``rivers.geojson``: lines and polygons clipped to
  :data:`BOX_MARGIN_DEG` round the provinces, simplified by :data:`TOLERANCE_DEG`, with
  coordinates rounded to :data:`COORD_DECIMALS` decimals;
* ``cities.geojson``: the populated places in the box with their Chinese and English names,
  population, Natural Earth ranks, and the first zoom their label shows at in each language
  (``min_zoom_zh``, ``min_zoom_en``; :mod:`geo.label_layout`);
* ``labels.geojson``: the label points of the provinces (the pole of inaccessibility of each
  province's largest part) and of the named lakes, with their ``min_zoom_*``;
* ``context.json``: the manifest (sources, licences, box, tolerance, precision, the label
  rule, feature counts, the inputs' sha256);
* ``README.md``: the same for people, with the numbers this build computed.

Output is deterministic (fixed rounding, sorted keys, one feature per line), so a rebuild can
be compared with the committed files byte for byte (``--check``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import sys
import tempfile
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pyproj
import shapely
import yaml
from shapely.geometry import mapping, shape
from shapely.ops import polylabel

from geo.cli import message_language
from geo.errors import JieguiError
from geo.io.atomic import write_atomically
from geo.io.pinned import check_folder
from geo.label_layout import STYLES, TILE_PX, ZOOMS, Label, assign_min_zoom, rank_floor
from geo.text import Bilingual

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "context"
SOURCES = DATA / "sources"
REGIONS = ROOT / "data" / "yrd" / "regions.geojson"
#: The clipped Natural Earth copy, beside the project: ``../shared/naturalearth-east-china``.
SHARED = ROOT.parent / "shared" / "naturalearth-east-china"

#: The input files read from the shared copy, with their pinned sha256.
INPUTS = {
    "ne_10m_coastline.geojson": "283b7ada3b39cdca16cda658d59b6fa2d65fd3906d46ab135a7fd5b42322ebd4",
    "ne_10m_lakes.geojson": "236ec68a26d4c0bbe52c16377a07566f44c8a5f8d7278ac63b14ac4958993e67",
    "ne_10m_rivers_lake_centerlines.geojson": (
        "b2855911a5310782856a778e8c6dfdb3656843092f223bdf4ee11086cdfc9f72"
    ),
    "ne_10m_populated_places.geojson": (
        "d02c2dd4267ff422f437d72fd9baec8154569597dcbe850b51024a4a4dfa29af"
    ),
}
SOURCE_EDITION = (
    "Natural Earth 1:10m (about v4.0), GeoJSON conversion of the GitHub repository "
    "martynafford/natural-earth-geojson (converted 2017-11-09), clipped to lon 114-123.5, "
    "lat 23-35.5 (../shared/naturalearth-east-china/SOURCES.md)"
)
#: The box the shared copy was clipped to (west, south, east, north): nothing lies outside.
SOURCE_BOX = (114.0, 23.0, 123.5, 35.5)

#: Margin round the provinces' bounds, degrees; the box is rounded outwards to 0.1 degree.
BOX_MARGIN_DEG = 0.5
#: Douglas-Peucker tolerance, degrees: less than a screen pixel at zoom 10 anywhere in the box
#: (:func:`tolerance_in_pixels`), so the simplified lines look the same up to zoom 10.
TOLERANCE_DEG = 0.001
#: The highest zoom the simplification is meant for.
TOLERANCE_ZOOM = 10
#: Decimals kept: 1e-4 degree is about 11 m, a fifth of a pixel at zoom 11.
COORD_DECIMALS = 4

#: Cities of Natural Earth ``scalerank`` up to this (Shanghai, the provincial capitals) are
#: labelled before the provinces.
MAJOR_SCALERANK = 2

ATTRIBUTION = "Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com."
LICENCE = (
    "Natural Earth: public domain; the GeoJSON conversion (martynafford/natural-earth-geojson): "
    "CC0 1.0; the added names (sources/names.yaml): Jiegui project, CC0 1.0"
)


def find_inputs(folder: Path) -> dict[str, Path]:
    """The Natural Earth files in ``folder``, each checked against its pinned sha256.

    Raises
    ------
    InputFileError
        When the folder or a file is missing, or a file is not the pinned one
        (:func:`geo.io.pinned.check_folder`).
    """
    return check_folder(
        folder,
        INPUTS,
        pinned_in="INPUTS in scripts/build_context.py",
        missing_fix=Bilingual(
            "put the clipped Natural Earth copy naturalearth-east-china in ../shared/ beside "
            "the project, or pass --source.",
            "请把裁剪后的 Natural Earth 副本 naturalearth-east-china 放在项目旁的 ../shared/ "
            "中，或用 --source 指定。",
        ),
    )


def _features(path: Path) -> list[dict[str, Any]]:
    return list(json.loads(path.read_text(encoding="utf-8"))["features"])


def build_box(regions: dict[str, Any]) -> tuple[float, float, float, float]:
    """The provinces' bounds plus :data:`BOX_MARGIN_DEG`, rounded outwards to 0.1 degree.

    Cut to :data:`SOURCE_BOX`, the box the Natural Earth copy holds data for. Returns (west,
    south, east, north) in degrees.
    """
    union = shapely.union_all([shape(f["geometry"]) for f in regions["features"]])
    west, south, east, north = union.bounds
    tenth = (
        _floor_tenth(west - BOX_MARGIN_DEG),
        _floor_tenth(south - BOX_MARGIN_DEG),
        _ceil_tenth(east + BOX_MARGIN_DEG),
        _ceil_tenth(north + BOX_MARGIN_DEG),
    )
    return (
        max(tenth[0], SOURCE_BOX[0]),
        max(tenth[1], SOURCE_BOX[1]),
        min(tenth[2], SOURCE_BOX[2]),
        min(tenth[3], SOURCE_BOX[3]),
    )


def box_limits(regions: dict[str, Any], box: Sequence[float]) -> str:
    """Where the box is the copy's, not the rule's, and what of the provinces lies outside it."""
    west, south, east, north = shapely.union_all(
        [shape(f["geometry"]) for f in regions["features"]]
    ).bounds
    edges = ("west", "south", "east", "north")
    cut = [edge for i, edge in enumerate(edges) if box[i] == SOURCE_BOX[i]]
    if not cut:
        return "the whole margin is inside the Natural Earth copy"
    named = ", ".join(cut[:-1]) + " and " + cut[-1] if len(cut) > 1 else cut[0]
    text = f"the {named} edges are the Natural Earth copy's, so the margin is short there"
    outside = [
        f"{edge} of {box[i]} (the provinces reach {round(value, 2)})"
        for i, (edge, value) in enumerate(zip(edges, (west, south, east, north)))
        if (value < box[i] if i < 2 else value > box[i])
    ]
    if outside:
        text += "; no context " + ", ".join(outside)
    return text


def _floor_tenth(value: float) -> float:
    return float(int(value * 10 // 1)) / 10


def _ceil_tenth(value: float) -> float:
    return -_floor_tenth(-value)


def _prepare(geom: shapely.Geometry, box: Sequence[float]) -> shapely.Geometry:
    """Clip to the box, simplify, round; an empty geometry when nothing is left."""
    clipped = shapely.clip_by_rect(geom, *box)
    if clipped.is_empty:
        return clipped
    simple = shapely.simplify(clipped, TOLERANCE_DEG, preserve_topology=True)
    polygonal = simple.geom_type in ("Polygon", "MultiPolygon")
    rounded = shapely.set_precision(
        simple, 10.0**-COORD_DECIMALS, mode="valid_output" if polygonal else "pointwise"
    )
    if polygonal:
        rounded = shapely.make_valid(rounded)
        parts = [p for p in shapely.get_parts(rounded) if p.geom_type == "Polygon"]
        return shapely.MultiPolygon(parts) if len(parts) > 1 else (parts[0] if parts else None)
    if rounded.geom_type in ("LineString", "MultiLineString") and rounded.length > 0:
        return rounded
    return shapely.LineString()


def tolerance_in_pixels(north: float, zoom: int = TOLERANCE_ZOOM) -> tuple[float, float]:
    """:data:`TOLERANCE_DEG` in screen pixels at ``zoom``: east-west, and north-south at ``north``.

    Web Mercator stretches a degree of latitude by 1 / cos(latitude), most at the box's
    northern edge.
    """
    east_west = TOLERANCE_DEG * TILE_PX * 2**zoom / 360
    return east_west, east_west / math.cos(math.radians(north))


def _feature(props: dict[str, Any], geom: shapely.Geometry) -> dict[str, Any]:
    return {"type": "Feature", "properties": props, "geometry": mapping(geom)}


def _named(raw: dict[str, Any], entry: dict[str, Any] | None) -> dict[str, Any]:
    """``name_en``, ``name_zh``, ``note`` of a lake or river: Natural Earth's, then names.yaml."""
    entry = entry or {}
    name = raw.get("name")
    props = {
        "name_ne": name,
        "name_en": entry.get("name_en", raw.get("name_en") or name),
        "name_zh": entry.get("name_zh"),
    }
    if entry.get("note"):
        props["note"] = entry["note"]
    return props


def build_lines(
    path: Path, box: Sequence[float], extra: Callable[[dict[str, Any]], dict[str, Any]]
) -> list[dict[str, Any]]:
    """The features of a Natural Earth file, clipped, simplified and rounded.

    ``extra`` gives each feature's properties from Natural Earth's; features that nothing is
    left of are dropped.
    """
    out = []
    for raw in _features(path):
        geom = _prepare(shape(raw["geometry"]), box)
        if geom is None or geom.is_empty:
            continue
        out.append(_feature(extra(raw["properties"]), geom))
    return out


def _names_entry(names: dict[str, Any], section: str, key: str | None) -> dict[str, Any] | None:
    return (names.get(section) or {}).get(key) if key else None


def build_cities(path: Path, box: Sequence[float], names: dict[str, Any]) -> list[dict[str, Any]]:
    """The populated places in the box, with names corrected from names.yaml."""
    corrections = names.get("cities") or {}
    unused = set(corrections)
    out = []
    for raw in _features(path):
        p = raw["properties"]
        lon, lat = raw["geometry"]["coordinates"]
        if not (box[0] <= lon <= box[2] and box[1] <= lat <= box[3]):
            continue
        key = f"{p['name']}, {p['adm1name']}"
        fix = corrections.get(key) or {}
        unused.discard(key)
        props = {
            "name_ne": p["name"],
            "name_en": fix.get("name_en", p.get("name_en") or p["name"]),
            "name_zh": fix.get("name_zh", p.get("name_zh")),
            "adm1name": p["adm1name"],
            "featurecla": p["featurecla"],
            "pop_max": int(p["pop_max"]),
            "scalerank": int(p["scalerank"]),
            "labelrank": int(p["labelrank"]),
            "geonameid": int(p["geonameid"]) if (p.get("geonameid") or -1) > 0 else None,
            "wikidataid": p.get("wikidataid"),
        }
        if fix.get("note"):
            props["note"] = fix["note"]
        point = shapely.Point(round(lon, COORD_DECIMALS), round(lat, COORD_DECIMALS))
        out.append(_feature(props, point))
    if unused:
        raise JieguiError(
            Bilingual(
                f"names.yaml: no city {', '.join(sorted(unused))} in the box; fix the key "
                "(Natural Earth name, adm1name).",
                f"names.yaml：范围内没有城市 {', '.join(sorted(unused))}；请修改键"
                "（Natural Earth 名称、adm1name）。",
            )
        )
    return out


def label_point(geom: shapely.Geometry) -> shapely.Point:
    """The pole of inaccessibility of the largest part, computed in Web Mercator (the map's).

    Within 500 m of the true pole; always inside the polygon.
    """
    to_merc = pyproj.Transformer.from_crs(4326, 3857, always_xy=True)
    to_wgs = pyproj.Transformer.from_crs(3857, 4326, always_xy=True)
    parts = list(shapely.get_parts(geom))
    largest = max(parts, key=lambda p: shapely.area(shapely.transform(p, _with(to_merc))))
    merc = shapely.transform(largest, _with(to_merc))
    pole = polylabel(merc, tolerance=500.0)
    lon, lat = to_wgs.transform(pole.x, pole.y)
    point = shapely.Point(round(lon, COORD_DECIMALS), round(lat, COORD_DECIMALS))
    if not largest.contains(point):
        point = largest.point_on_surface()  # rounding moved it out of a narrow part
    return point


def _with(transformer: pyproj.Transformer) -> Callable[[Any], Any]:
    def apply(xy: Any) -> Any:
        x, y = transformer.transform(xy[:, 0], xy[:, 1])
        return shapely.get_coordinates(shapely.points(x, y))

    return apply


def build_labels(
    regions: dict[str, Any], lakes: list[dict[str, Any]], cities: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Label points of the provinces and the named lakes; ``min_zoom_*`` set on all, cities too.

    Placement order (priority): Shanghai and the provincial capitals (``scalerank`` up to
    :data:`MAJOR_SCALERANK`), so that the label "上海" is not pushed away by the province
    label "上海市" at the same place; the provinces, in the regions file's order; the other
    cities; the named lakes. Cities go by zoom floor, ``scalerank``, population (largest
    first) and English name; lakes by zoom floor, ``scalerank``, area (largest first) and
    English name.
    """
    region_labels = [
        _feature(
            {
                "kind": "region",
                "name_en": f["properties"]["name"],
                "name_zh": f["properties"]["name_zh"],
                "iso_3166_2": f["properties"]["iso_3166_2"],
                "zoom_floor": rank_floor("region", 0),
            },
            label_point(shape(f["geometry"])),
        )
        for f in regions["features"]
    ]
    for city in cities:
        p = city["properties"]
        p["zoom_floor"] = rank_floor("city", p["scalerank"], p["pop_max"])
    cities.sort(
        key=lambda f: (
            f["properties"]["zoom_floor"],
            f["properties"]["scalerank"],
            -f["properties"]["pop_max"],
            f["properties"]["name_en"],
        )
    )
    lake_labels = _lake_labels(lakes)
    first = [c for c in cities if c["properties"]["scalerank"] <= MAJOR_SCALERANK]
    others = [c for c in cities if c["properties"]["scalerank"] > MAJOR_SCALERANK]
    ordered = [*first, *region_labels, *others, *lake_labels]
    for priority, feature in enumerate(ordered):
        feature["properties"]["priority"] = priority
    for language in ("zh", "en"):
        _place(ordered, language)
    return [*region_labels, *lake_labels]


def _lake_labels(lakes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A label point per named lake (the largest part of all the lake's features)."""
    merc = pyproj.Transformer.from_crs(4326, 3857, always_xy=True)
    by_name: dict[str, list[dict[str, Any]]] = {}
    for lake in lakes:
        if lake["properties"]["name_ne"]:
            by_name.setdefault(lake["properties"]["name_ne"], []).append(lake)
    labels = []
    for features in by_name.values():
        p = features[0]["properties"]
        geom = shapely.union_all([shape(f["geometry"]) for f in features])
        scalerank = min(f["properties"]["scalerank"] for f in features)
        area = shapely.area(shapely.transform(geom, _with(merc)))
        props = {
            "kind": "lake",
            "name_en": p["name_en"],
            "name_zh": p["name_zh"],
            "scalerank": scalerank,
            "zoom_floor": rank_floor("lake", scalerank),
        }
        labels.append((props["zoom_floor"], scalerank, -area, p["name_en"], props, geom))
    labels.sort(key=lambda t: t[:4])
    return [_feature(props, label_point(geom)) for *_, props, geom in labels]


def _place(features: list[dict[str, Any]], language: str) -> None:
    """Set ``min_zoom_<language>`` on each feature (None where it has no name in it)."""
    key = f"name_{language}"
    named = [f for f in features if f["properties"].get(key)]
    labels = [
        Label(
            lon=f["geometry"]["coordinates"][0],
            lat=f["geometry"]["coordinates"][1],
            text=f["properties"][key],
            kind=f["properties"].get("kind", "city"),
            floor=f["properties"]["zoom_floor"],
        )
        for f in named
    ]
    for feature in features:
        feature["properties"][f"min_zoom_{language}"] = None
    for feature, zoom in zip(named, assign_min_zoom(labels)):
        feature["properties"][f"min_zoom_{language}"] = zoom


def _round_coords(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, COORD_DECIMALS)
    if isinstance(value, list | tuple):
        return [_round_coords(v) for v in value]
    return value


def dump_collection(features: list[dict[str, Any]]) -> str:
    """A FeatureCollection as text: one feature per line, sorted keys, rounded coordinates."""
    lines = []
    for f in features:
        geometry = dict(f["geometry"])
        geometry["coordinates"] = _round_coords(geometry["coordinates"])
        feature = {"type": "Feature", "properties": f["properties"], "geometry": geometry}
        lines.append(json.dumps(feature, ensure_ascii=False, sort_keys=True, separators=(",", ":")))
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_files(source: Path) -> dict[str, str]:
    """The text of every file of ``data/context/``, by file name."""
    inputs = find_inputs(source)
    names = yaml.safe_load((SOURCES / "names.yaml").read_text(encoding="utf-8")) or {}
    regions = json.loads(REGIONS.read_text(encoding="utf-8"))
    box = build_box(regions)
    coast = build_lines(
        inputs["ne_10m_coastline.geojson"], box, lambda p: {"scalerank": int(p["scalerank"])}
    )

    def named(section: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
        def props(p: dict[str, Any]) -> dict[str, Any]:
            out = _named(p, _names_entry(names, section, p.get("name")))
            out.update(featurecla=p["featurecla"], scalerank=int(p["scalerank"]))
            return out

        return props

    lakes = build_lines(inputs["ne_10m_lakes.geojson"], box, named("lakes"))
    rivers = build_lines(inputs["ne_10m_rivers_lake_centerlines.geojson"], box, named("rivers"))
    _check_names_used(names, lakes, rivers)
    cities = build_cities(inputs["ne_10m_populated_places.geojson"], box, names)
    labels = build_labels(regions, lakes, cities)
    files = {
        "coastline.geojson": dump_collection(coast),
        "lakes.geojson": dump_collection(lakes),
        "rivers.geojson": dump_collection(rivers),
        "cities.geojson": dump_collection(cities),
        "labels.geojson": dump_collection(labels),
    }
    counts = {
        "coastline.geojson": len(coast),
        "lakes.geojson": len(lakes),
        "rivers.geojson": len(rivers),
        "cities.geojson": len(cities),
        "labels.geojson": len(labels),
    }
    hashes = {name: _sha256(path) for name, path in sorted(inputs.items())}
    hashes["data/yrd/regions.geojson"] = _sha256(REGIONS)
    hashes["data/context/sources/names.yaml"] = _sha256(SOURCES / "names.yaml")
    manifest = _manifest(box, counts, hashes, {k: len(v.encode()) for k, v in files.items()})
    manifest["box"]["limits"] = box_limits(regions, box)
    files["context.json"] = json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1)
    files["context.json"] += "\n"
    files["README.md"] = _readme(manifest, labels, cities, len(files["context.json"].encode()))
    return files


def _check_names_used(
    names: dict[str, Any], lakes: list[dict[str, Any]], rivers: list[dict[str, Any]]
) -> None:
    for section, features in (("lakes", lakes), ("rivers", rivers)):
        present = {f["properties"]["name_ne"] for f in features}
        unused = sorted(set(names.get(section) or {}) - present)
        if unused:
            raise JieguiError(
                Bilingual(
                    f"names.yaml: no {section[:-1]} named {', '.join(unused)} in the box; fix "
                    "the name (as Natural Earth spells it).",
                    f"names.yaml：范围内没有名为 {', '.join(unused)} 的 {section[:-1]}；"
                    "请按 Natural Earth 的拼写修改名称。",
                )
            )


def _tolerance_why(north: float) -> str:
    east_west, north_south = tolerance_in_pixels(north)
    return (
        f"at most {east_west:.2f} screen pixel east-west and {north_south:.2f} north-south "
        f"(at {north} N) at zoom {TOLERANCE_ZOOM}"
    )


def _manifest(
    box: Sequence[float],
    counts: dict[str, int],
    hashes: dict[str, str],
    sizes: dict[str, int],
) -> dict[str, Any]:
    return {
        "name": "context",
        "title": "Offline map context: coast, lakes, rivers, cities and labels (east China)",
        "datum": "WGS84 (EPSG:4326), longitude/latitude",
        "source": SOURCE_EDITION,
        "licence": LICENCE,
        "attribution": ATTRIBUTION,
        "scale": "1:10 million: for a regional map's context, not for measuring",
        "box": {
            "west_south_east_north": list(box),
            "rule": f"the bounds of data/yrd/regions.geojson plus {BOX_MARGIN_DEG} degree, "
            "rounded outwards to 0.1 degree, cut to the Natural Earth copy's box "
            f"{list(SOURCE_BOX)}",
        },
        "simplification": {
            "method": "Douglas-Peucker, topology preserved (shapely.simplify)",
            "tolerance_deg": TOLERANCE_DEG,
            "why": _tolerance_why(box[3]),
        },
        "coordinate_decimals": COORD_DECIMALS,
        "labels": {
            "zooms": [ZOOMS[0], ZOOMS[-1]],
            "rule": "labels are placed in order of priority; each gets the lowest zoom of "
            f"{ZOOMS[0]}-{ZOOMS[-1]}, not below its floor (from its rank), at which its "
            "estimated box overlaps no box of a label placed before it, at that zoom and "
            "every higher one",
            "styles": {
                kind: {
                    "font_px": s.font_px,
                    "anchor": s.anchor,
                    "latin_em": s.latin_em,
                    "dot_px": s.dot_px,
                    "gap_px": s.gap_px,
                    "pad_px": s.pad_px,
                    "line_height": s.line_height,
                }
                for kind, s in STYLES.items()
            },
        },
        "features": counts,
        "bytes": sizes,
        "inputs_sha256": hashes,
    }


def _readme(
    manifest: dict[str, Any],
    labels: list[dict[str, Any]],
    cities: list[dict[str, Any]],
    manifest_bytes: int,
) -> str:
    box = manifest["box"]["west_south_east_north"]
    styles = manifest["labels"]["styles"]
    rows = "\n".join(
        f"| `{name}` | {manifest['features'][name]} | {manifest['bytes'][name]:,} |"
        for name in manifest["features"]
    )
    total = sum(manifest["bytes"].values()) + manifest_bytes
    shown = _label_counts(labels, cities)
    zooms = " | ".join(str(z) for z in ZOOMS)
    by_zoom = {lang: " | ".join(str(shown[(lang, z)]) for z in ZOOMS) for lang in ("zh", "en")}
    return _wrap(f"""# `data/context`: the map's offline context layer

Coast, lakes, rivers and cities to draw under the links, and the points of their labels.
Built by `python scripts/build_context.py`; `--check` rebuilds into a temporary folder and
compares byte for byte (a test does this when `../shared/` is present). Nothing here is
edited by hand except `sources/names.yaml`; this README is written by the build, and its
numbers are the build's. Read with `geo.io.context`: `context_layers()`,
`label_points(language)`, `manifest()`. It is no dataset of links (no `dataset.json`).

## Source and licence

- Source: {SOURCE_EDITION}.
- Licence: {LICENCE}.
- Attribution: "{ATTRIBUTION}"
- Added names: the Chinese names of lakes and rivers, and a few corrected city names, from
  `sources/names.yaml` (each correction says why; unnamed features stay unnamed).
- Inputs: their sha256 are in `context.json` (`inputs_sha256`); the build refuses other
  versions of the Natural Earth files.

## What was done to it

- Box (west, south, east, north): {box[0]}, {box[1]}, {box[2]}, {box[3]} degrees; the rule:
  {manifest["box"]["rule"]}; {manifest["box"]["limits"]}.
- Simplified (Douglas-Peucker, topology kept) with a tolerance of {TOLERANCE_DEG} degree:
  {manifest["simplification"]["why"]}.
- Coordinates rounded to {COORD_DECIMALS} decimals (about 11 m); WGS84 (EPSG:4326).
- Accuracy: {manifest["scale"]}; Natural Earth's lines are generalised by a few hundred
  metres to a few km. Below Zhenjiang the Yangtze's estuary, and Hangzhou Bay, are coastline.

| file | features | bytes |
|---|---|---|
{rows}
| `context.json` | (manifest) | {manifest_bytes:,} |

Total: {total:,} bytes, without this README.

## Labels

`labels.geojson` holds the label points of the {shown["region"]} provinces (the pole of
inaccessibility of each one's largest part, computed in Web Mercator) and of the
{shown["lake"]} named lakes; `cities.geojson` the {len(cities)} cities. Each has `min_zoom_zh`
and `min_zoom_en`: the zoom from which its label shows in that language, or null (no name in
that language, or no room up to zoom {ZOOMS[-1]}).

The rule (`geo.label_layout`): {manifest["labels"]["rule"]}. The floors
(`geo.label_layout.rank_floor`): provinces 6; cities 6 for Natural Earth `scalerank` 0-2,
7 for 3-4, 8 for 5-6, 9 above, one zoom lower for 2 million people or more; lakes 7 for
`scalerank` up to 4, 8 for 5, 9 above. The order: Shanghai and the provincial capitals, the
provinces, the other cities, the lakes.

A label's box is estimated from its text at the sizes of `geo.label_layout.STYLES`: provinces
{styles["region"]["font_px"]:g} px bold, centred on the point; cities
{styles["city"]["font_px"]:g} px, right of a {styles["city"]["dot_px"]:g} px dot; lakes
{styles["lake"]["font_px"]:g} px italic, centred; a CJK character is 1 em wide, another
{styles["city"]["latin_em"]} em (cities), {styles["lake"]["latin_em"]} em (lakes),
{styles["region"]["latin_em"]} em (provinces), never narrower than the text measured in
Chromium in DejaVu Sans, Liberation Sans and WenQuanYi Micro Hei; a
{styles["city"]["pad_px"]:g} px halo round it. Labels in Chinese: {shown["zh"]}; in English:
{shown["en"]}. Shown at each zoom:

| zoom | {zooms} |
|---|{"---|" * len(ZOOMS)}
| labels (zh) | {by_zoom["zh"]} |
| labels (en) | {by_zoom["en"]} |

Rivers have no label points (a river's label follows its line); their names are in
`rivers.geojson`.
""")


def _wrap(text: str, width: int = 92) -> str:
    """Markdown with its paragraphs and bullets refilled to ``width``; headings, tables kept."""
    blocks = []
    for block in text.strip("\n").split("\n\n"):
        if block.startswith(("#", "|")):
            blocks.append(block)
            continue
        items = [" ".join(item.split()) for item in re.split(r"\n(?=- )", block)]
        blocks.append(
            "\n".join(
                textwrap.fill(
                    item,
                    width,
                    subsequent_indent="  " if item.startswith("- ") else "",
                    break_on_hyphens=False,
                )
                for item in items
            )
        )
    return "\n\n".join(blocks) + "\n"


def _label_counts(labels: list[dict[str, Any]], cities: list[dict[str, Any]]) -> dict[Any, int]:
    everything = [f["properties"] for f in [*labels, *cities]]
    counts: dict[Any, int] = {
        "region": sum(p.get("kind") == "region" for p in everything),
        "lake": sum(p.get("kind") == "lake" for p in everything),
    }
    for language in ("zh", "en"):
        zooms = [p[f"min_zoom_{language}"] for p in everything]
        counts[language] = sum(z is not None for z in zooms)
        for zoom in ZOOMS:
            counts[(language, zoom)] = sum(z is not None and z <= zoom for z in zooms)
    return counts


def build(target: Path, *, source: Path = SHARED) -> list[Path]:
    """Write ``data/context`` into ``target``; return the files written."""
    files = build_files(source)
    return [write_atomically(target / name, text, force=True) for name, text in files.items()]


def main(argv: Sequence[str] | None = None) -> int:
    """Build into ``data/context`` (or ``--out``); ``--check`` compares with the committed files."""
    parser = argparse.ArgumentParser(
        prog="python scripts/build_context.py", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--out", type=Path, default=DATA, help="where to write")
    parser.add_argument(
        "--source", type=Path, default=SHARED, help="the clipped Natural Earth copy's folder"
    )
    parser.add_argument(
        "--check", action="store_true", help="build into a temporary folder and compare"
    )
    args = parser.parse_args(argv)
    try:
        if args.check:
            with tempfile.TemporaryDirectory() as tmp:
                built = build(Path(tmp), source=args.source)
                differ = [
                    p.name
                    for p in built
                    if not (DATA / p.name).is_file()
                    or (DATA / p.name).read_bytes() != p.read_bytes()
                ]
            if differ:
                print(f"differ from data/context: {', '.join(differ)}", file=sys.stderr)
                return 1
            print("data/context is what the build script makes")
            return 0
        for path in build(args.out, source=args.source):
            print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    except JieguiError as exc:
        print(f"jiegui: {exc.text(message_language(None))}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
