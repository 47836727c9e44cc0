"""Fetch the features near chosen borders, for a GeoPackage with a manifest.

``python -m geo fetch`` and the app's download panel both call :func:`fetch` then
:func:`geo.io.package.write_package`:

1. regions come from a boundaries file (GeoJSON, GeoPackage, Shapefile), from the boundary
   relations of an OSM file, or, online, from place names geocoded by osmnx (Nominatim);
2. a band is built around the chosen borders (:mod:`geo.band`);
3. each layer's features inside the band come from Overpass through osmnx
   (:mod:`geo.io.overpass`), or offline from an ``.osm``/``.osm.gz``/``.osm.bz2`` file (osmnx)
   or an ``.osm.pbf`` file (pyosmium) (:mod:`geo.io.osm_features`);
4. with a network band (``fetch --network-km``), the routable layers' main lines inside a
   wider band: the main roads (:data:`layers.highways.NETWORK_CLASSES` by default, with
   slip roads) and the main railways (:attr:`layers.LayerSpec.main_classes`), which
   ``resilience`` routes on (:func:`fetch_network`);
5. the result is what a package holds (:mod:`geo.io.package`: the regions, their border
   stretches, the band and one table per layer), with the manifest built here: the query,
   the time, the osmnx version, the regions, where the data came from (the Overpass URL, or
   the OSM file's name, never its path), the data timestamp and the ODbL attribution.

The package is a source like any other: ``python -m geo crossings fetched.gpkg``. osmnx is
imported inside the functions that use it, as in :mod:`geo.io.overpass`.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from geo.band import DEFAULT_BAND_M, Band, border_band
from geo.errors import InputFileError, InvalidParameterError, NoBoundariesError, layer_spec
from geo.io.osm_features import Progress, features_from_file, quiet
from geo.io.osm_file import is_osm_file
from geo.io.overpass import (
    DEFAULT_BACKOFF_S,
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT_S,
    OVERPASS_URL,
    features_online,
    osmnx_settings,
    overpass_timestamp,
)
from geo.io.package import ATTRIBUTION, FetchResult, network_table
from geo.io.sources import load_source
from geo.labels import LAYER_LABELS
from geo.projection import WGS84
from geo.regions import RegionSet, region_set_from_polygons
from geo.text import Bilingual
from layers import LINE_LAYERS
from layers.highways import NETWORK_CLASSES

#: Layers a network band is fetched for (those ``resilience`` routes on).
NETWORK_LAYERS = ("highways", "railways")

#: An OSM object id as a place: ``R913011`` (relation), ``W…`` (way), ``N…`` (node).
OSM_ID = re.compile(r"[NnWwRr]\d+")

LOG = logging.getLogger(__name__)


def load_regions(
    *,
    boundaries: str | Path | None = None,
    places: Sequence[str] = (),
    region: str | None = None,
    admin_level: int | None = None,
    name_field: str = "name",
    maritime_gap_m: float = 30000.0,
    nominatim_url: str | None = None,
) -> tuple[RegionSet, str]:
    """Regions for a fetch, and a sentence saying where they came from.

    Parameters
    ----------
    boundaries
        A boundaries file, an OSM file with boundary relations, a fetched package or an
        embedded dataset name (anything :func:`geo.io.sources.load_source` takes).
    places
        Place names to geocode online (osmnx, Nominatim), used when ``boundaries`` is None.
    region
        Focus region (decides the admin level of OSM relations when none is given).
    admin_level
        OSM ``admin_level`` of the regions in an OSM file.
    name_field
        Column naming the regions in a boundaries file.
    maritime_gap_m
        Distance across water within which regions form a maritime pair.
    nominatim_url
        Nominatim base URL for ``places`` (osmnx's default when None).
    """
    if boundaries is not None:
        # The same loading as any source (OSM relations with neighbour naming, a GIS file's
        # boundary layer, a fetched package's stretches, an embedded dataset), layers left out.
        loaded = load_source(
            str(boundaries),
            region=region,
            admin_level=admin_level,
            layer_names=(),
            name_field=name_field,
            maritime_gap_m=maritime_gap_m,
        )
        what = "boundary relations in" if is_osm_file(boundaries) else "the boundaries of"
        return loaded.region_set, f"{what} {loaded.name}"
    if not places:
        raise NoBoundariesError(
            Bilingual(
                "No regions given; pass --boundaries FILE, --places 'A,B' or --osm-file FILE.",
                "没有指定地区，请给出 --boundaries 文件、--places 'A,B' 或 --osm-file 文件。",
            )
        )
    return geocode_regions(places, nominatim_url=nominatim_url, maritime_gap_m=maritime_gap_m)


def geocode_regions(
    places: Sequence[str], *, nominatim_url: str | None = None, maritime_gap_m: float = 30000.0
) -> tuple[RegionSet, str]:
    """Region polygons of named places, geocoded online by osmnx (Nominatim).

    A place is a name (Nominatim's best polygon for it: "Zhejiang" gives the province) or
    an OSM id such as ``R913011`` (that exact relation, looked up by id: the way to choose
    an admin level or a namesake). A region keeps the name as given, or for an id the
    object's OSM name; the geocoder's full name is kept in ``display_name``.

    Raises
    ------
    NoBoundariesError
        When the geocoder has no boundary polygon for a place.
    InputFileError
        When the geocoder cannot be reached or gives no usable answer.

    Notes
    -----
    The sentences of these errors do not quote the library's exception: its text can name
    the server, its address and port, which a visitor of a shared server must not learn.
    The exception is logged instead (:data:`LOG`, at WARNING), for whoever runs the server.
    """
    import osmnx as ox
    from osmnx._errors import InsufficientResponseError

    frames = []
    with osmnx_settings(nominatim_url=nominatim_url):
        for place in places:
            by_id = OSM_ID.fullmatch(place) is not None
            try:
                found = ox.geocode_to_gdf(place.upper() if by_id else place, by_osmid=by_id)
            except (InsufficientResponseError, TypeError) as exc:
                LOG.warning("Geocoding %r found no boundary polygon: %r", place, exc)
                raise NoBoundariesError(
                    Bilingual(
                        f"The geocoder found no boundary polygon for {place!r}; check the "
                        "spelling, give an OSM relation id such as R913011, or give a "
                        "boundaries file with --boundaries.",
                        f"地理编码服务找不到 {place!r} 的边界多边形，请检查拼写，"
                        "或给出 R913011 这样的 OSM 关系编号，或用 --boundaries 提供边界文件。",
                    )
                ) from None
            except Exception as exc:  # network errors of many kinds
                LOG.warning("Geocoding %r failed: %r", place, exc)
                raise InputFileError(
                    Bilingual(
                        f"Geocoding {place!r} failed: the geocoder could not be reached or "
                        "gave no usable answer; check the internet connection (and "
                        "--nominatim-url), or give a boundaries file with --boundaries.",
                        f"{place!r} 的地理编码失败：连不上地理编码服务，或它没有给出可用结果；"
                        "请检查网络连接（及 --nominatim-url），或用 --boundaries 提供边界文件。",
                    )
                ) from None
            name = _osm_name(found) if by_id else place
            found = found.assign(name=name, osm_id=_osm_ref(found))
            frames.append(found[["name", "osm_id", "display_name", "geometry"]])
    frame = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=WGS84)
    regions = region_set_from_polygons(
        frame,
        maritime_gap_m=maritime_gap_m,
        what=Bilingual("The geocoded places", "地理编码得到的地区"),
    )
    return regions, f"places geocoded online: {', '.join(places)}"


def _osm_name(found: gpd.GeoDataFrame) -> str:
    """The OSM name of a looked-up object (Nominatim's ``name``, else its first label)."""
    row = found.iloc[0]
    name = row.get("name") if "name" in found.columns else None
    if isinstance(name, str) and name.strip():
        return name.strip()
    return str(row.get("display_name", "")).split(",")[0].strip() or "unnamed"


def _osm_ref(found: gpd.GeoDataFrame) -> list[str]:
    if {"osm_type", "osm_id"} <= set(found.columns):
        return [f"{t}/{i}" for t, i in zip(found["osm_type"], found["osm_id"])]
    return [""] * len(found)


def fetch(
    region_set: RegionSet,
    *,
    regions_from: str,
    region: str | None = None,
    neighbour: str | None = None,
    layer_names: Sequence[str] = LINE_LAYERS,
    width_m: float = DEFAULT_BAND_M,
    sea_gap_m: float = 30000.0,
    osm_file: str | Path | None = None,
    overpass_url: str | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    retries: int = DEFAULT_RETRIES,
    backoff_s: float = DEFAULT_BACKOFF_S,
    cache_folder: Path | None = None,
    progress: Progress = quiet,
    network_width_m: float | None = None,
    network_classes: Sequence[str] = NETWORK_CLASSES,
) -> FetchResult:
    """Gather the layers' features inside the band around the chosen borders.

    Parameters
    ----------
    region_set
        Regions (see :func:`load_regions`).
    regions_from
        Where the regions came from, for the manifest.
    region, neighbour
        The border(s) to follow (see :func:`geo.band.border_band`).
    layer_names
        Layers to fetch.
    width_m
        Half-width of the band, metres.
    sea_gap_m
        Include water between coasts closer than this (0: none).
    osm_file
        Read from this local OSM file instead of downloading.
    overpass_url
        Overpass API base URL (:data:`geo.io.overpass.OVERPASS_URL` when None).
    timeout_s, retries, backoff_s, cache_folder
        Download settings (see :mod:`geo.io.overpass`).
    progress
        Called with a short message at each step.
    network_width_m
        Half-width (m) of a wider band whose main roads and railways are fetched as well,
        for the routable layers of ``layer_names`` (:func:`fetch_network`); None: none.
    network_classes
        The road classes of that network (the slip roads of main classes come with them).
    """
    for name in layer_names:
        layer_spec(name)
    _check_network(width_m, network_width_m, network_classes)
    # Any of their names (geo.region_names); the data's from here on, in the manifest too.
    region = None if region is None else region_set.require(region)
    neighbour = None if neighbour is None else region_set.require(neighbour)
    progress(Bilingual("Building the band around the borders …", "正在生成边界两侧的条带……"))
    band = border_band(
        region_set, width_m=width_m, region=region, neighbour=neighbour, sea_gap_m=sea_gap_m
    )
    progress(
        Bilingual(
            f"Band: {band.note}; {band.area_km2:,.0f} km².",
            f"条带：{band.says.zh}；{band.area_km2:,.0f} 平方公里。",
        )
    )
    started = dt.datetime.now(dt.UTC)
    if osm_file is not None:
        layers, stamp = features_from_file(osm_file, band.polygon, layer_names, progress=progress)
        # The file's name, not its path: a package shared in the office names no server folder.
        source = {"kind": "file", "name": Path(osm_file).name, "data_timestamp": stamp}
    else:
        url = overpass_url or OVERPASS_URL
        with osmnx_settings(overpass_url=url, timeout_s=timeout_s, cache_folder=cache_folder):
            layers = features_online(
                band.polygon,
                layer_names,
                retries=retries,
                backoff_s=backoff_s,
                progress=progress,
            )
        source = {
            "kind": "overpass",
            "url": url,
            "data_timestamp": overpass_timestamp(url, timeout_s=min(timeout_s, 30.0)),
        }
    network: dict[str, gpd.GeoDataFrame] = {}
    routable = [n for n in layer_names if n in NETWORK_LAYERS]
    if network_width_m is not None and routable:
        wide = border_band(
            region_set, width_m=network_width_m, region=region, neighbour=neighbour,
            sea_gap_m=sea_gap_m,
        )  # fmt: skip
        network = fetch_network(
            wide.polygon, routable, network_classes, osm_file=osm_file,
            overpass_url=overpass_url, timeout_s=timeout_s, retries=retries,
            backoff_s=backoff_s, cache_folder=cache_folder, progress=progress,
        )  # fmt: skip
    manifest = _manifest(
        region_set, regions_from, region, neighbour, band, width_m, sea_gap_m, layers, source,
        started,
    )  # fmt: skip
    if network_width_m is not None:
        manifest["network"] = {
            "width_m": network_width_m,
            "classes": {
                name: [*network_classes, "link"]
                if name == "highways"
                else list(layer_spec(name).main_classes)
                for name in routable
            },
            "tables": {name: network_table(name) for name in network},
            "features": {name: len(frame) for name, frame in network.items()},
        }
    warnings: list[Bilingual] = []
    empty = [n for n, frame in layers.items() if frame.empty]
    if empty:
        empty_zh = "、".join(LAYER_LABELS.get(n, {}).get("zh", n) for n in empty)
        warnings.append(
            Bilingual(
                f"No {', '.join(empty)} features were found in the band; check the regions and "
                "the band width.",
                f"在边界带内没有找到{empty_zh}要素，请检查地区和边界带宽度。",
            )
        )
    if network_width_m is not None and not routable:
        warnings.append(
            Bilingual(
                f"--network-km fetches the network of {' and '.join(NETWORK_LAYERS)} only, and "
                "neither is among the layers: no network was fetched.",
                "--network-km 只获取公路和铁路网络，而所选图层中两者都没有：未获取网络。",
            )
        )
    return FetchResult(region_set, band, layers, manifest, warnings, network)


def _check_network(width_m: float, network_width_m: float | None, classes: Sequence[str]) -> None:
    """Refuse a network band narrower than the band, or road classes that are not main."""
    if network_width_m is None:
        return
    if not network_width_m >= width_m:
        raise InvalidParameterError(
            Bilingual(
                f"The network band ({network_width_m / 1000:g} km) must be at least as wide "
                f"as the band ({width_m / 1000:g} km): give a larger --network-km.",
                f"网络范围（{network_width_m / 1000:g} 公里）不能小于边界带"
                f"（{width_m / 1000:g} 公里）：请增大 --network-km。",
            )
        )
    allowed = layer_spec("highways").main_classes
    bad = [c for c in classes if c not in allowed]
    if bad or not classes:
        raise InvalidParameterError(
            Bilingual(
                f"{bad[0] if bad else 'nothing'} is not a main road class: choose from "
                f"{', '.join(allowed)} (e.g. --network-classes {','.join(NETWORK_CLASSES)}).",
                f"{bad[0] if bad else '空值'} 不是主要道路等级：请从 {', '.join(allowed)} 中选择"
                f"（例如 --network-classes {','.join(NETWORK_CLASSES)}）。",
            )
        )


def fetch_network(
    polygon: shapely.Geometry,
    layer_names: Sequence[str],
    classes: Sequence[str],
    *,
    osm_file: str | Path | None = None,
    overpass_url: str | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    retries: int = DEFAULT_RETRIES,
    backoff_s: float = DEFAULT_BACKOFF_S,
    cache_folder: Path | None = None,
    progress: Progress = quiet,
) -> dict[str, gpd.GeoDataFrame]:
    """The main lines of each routable layer inside ``polygon`` (WGS84): a network to route on.

    Roads of ``classes`` and the slip roads of main classes (class ``link``); railways of
    the layer's main classes. Read like the layers themselves (the same file or Overpass,
    the same normalisation), online asking only for those ``highway`` values.

    Returns
    -------
    dict of str to GeoDataFrame
        ``{layer: lines}`` in the common schema, WGS84.
    """
    progress(
        Bilingual(
            "Fetching the main roads and railways of the network band …",
            "正在获取网络范围内的主要道路和铁路……",
        )
    )
    if osm_file is not None:
        found, _ = features_from_file(osm_file, polygon, layer_names, progress=progress)
    else:
        values = [*classes, *(f"{c}_link" for c in layer_spec("highways").main_classes)]
        tags = {"highways": {"highway": values}}
        url = overpass_url or OVERPASS_URL
        with osmnx_settings(overpass_url=url, timeout_s=timeout_s, cache_folder=cache_folder):
            found = features_online(
                polygon, layer_names, retries=retries, backoff_s=backoff_s,
                progress=progress, tags=tags,
            )  # fmt: skip
    out = {}
    for name, frame in found.items():
        keep = [*classes, "link"] if name == "highways" else list(layer_spec(name).main_classes)
        out[name] = gpd.GeoDataFrame(
            frame[frame["class"].isin(keep)].reset_index(drop=True), crs=frame.crs
        )
        zh = LAYER_LABELS.get(name, {}).get("zh", name)
        progress(
            Bilingual(
                f"Network band: {len(out[name]):,} main {name} lines.",
                f"网络范围：{len(out[name]):,} 条主要{zh}。",
            )
        )
    return out


def _manifest(
    region_set: RegionSet,
    regions_from: str,
    region: str | None,
    neighbour: str | None,
    band: Band,
    width_m: float,
    sea_gap_m: float,
    layers: dict[str, gpd.GeoDataFrame],
    source: dict[str, str],
    started: dt.datetime,
) -> dict[str, Any]:
    import osmnx as ox

    return {
        "jiegui_fetch": 1,
        "created_utc": started.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "source": source,
        "osmnx_version": ox.__version__,
        "regions": {
            "from": regions_from,
            "names": sorted(region_set.names),
            "region": region,
            "neighbour": neighbour,
            "warnings": [w.en for w in region_set.warnings],
            "warnings_zh": [w.zh for w in region_set.warnings],
        },
        "band": {
            "width_m": width_m,
            "sea_gap_m": sea_gap_m,
            "area_km2": band.area_km2,
            "border_km": band.border_km,
            "note": band.note,
            "note_zh": band.says.zh,
            "bounds_wgs84": [round(v, 6) for v in band.polygon.bounds],
        },
        "query": {name: layer_spec(name).osm_tags for name in layers},
        "features": {name: len(frame) for name, frame in layers.items()},
        "attribution": ATTRIBUTION,
        "licence": "ODbL-1.0",
    }


__all__ = [
    "NETWORK_LAYERS",
    "fetch",
    "fetch_network",
    "geocode_regions",
    "load_regions",
]
