"""Layer features inside a band, from OpenStreetMap online or from local files.

Three paths give the same features for the same data (tests compare them):

* **online**: ``osmnx.features_from_polygon`` per layer, with the layer's tag filter
  (``LayerSpec.osm_tags``, which includes the lifecycle keys such as
  ``construction:highway``), against the Overpass API. osmnx splits a large band into
  several requests and caches every response (``cache_folder``); each layer is tried up
  to ``retries + 1`` times with a growing pause when the server fails or times out;
* **``.osm``, ``.osm.gz``, ``.osm.bz2``**: ``osmnx.features_from_xml`` with the band as its
  polygon and the union of the layers' tag filters (the file is parsed once);
* **``.osm.pbf``**: pyosmium (:func:`geo.io.osm_file.read_osm` with ``band``), streamed, so
  that only the features inside the band are held in memory; osmnx cannot read PBF.

Whatever the path, every feature goes through the same ``LayerSpec.normalise`` and gets
the id ``osm:way/<id>`` or ``osm:node/<id>``. Decisions, the same on all paths: only nodes
and ways are read (relations such as route or multipolygon relations are not layer
features); a way that is closed and drawn as a polygon by osmnx is taken as its outline
for line layers and as a representative point for point layers (ports).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import geopandas as gpd
import osmium
import pandas as pd
import requests
import shapely

from geo import settings
from geo.errors import FetchError, InputFileError, layer_spec
from geo.io.osm_file import OSM_SOURCE, header_timestamp, read_osm
from geo.projection import WGS84
from layers import COMMON_COLUMNS, LayerSpec

#: Default Overpass API endpoint (osmnx's default).
OVERPASS_URL = "https://overpass-api.de/api"
#: Seconds osmnx waits for one HTTP response (also sent to Overpass as the query timeout).
DEFAULT_TIMEOUT_S = 180.0
#: Retries of a layer's download after a failed request.
DEFAULT_RETRIES = 3
#: Pause before the first retry, seconds; doubled each time.
DEFAULT_BACKOFF_S = 10.0
Progress = Callable[[str], None]


def quiet(message: str) -> None:
    """Progress callback that says nothing (the default)."""


@contextmanager
def osmnx_settings(
    *,
    overpass_url: str | None = None,
    nominatim_url: str | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    cache_folder: Path | None = None,
) -> Iterator[None]:
    """Set osmnx's module settings for a block and restore them afterwards.

    Parameters
    ----------
    overpass_url
        Overpass API base URL (``.../api``); osmnx's default when ``None``.
    nominatim_url
        Nominatim base URL; osmnx's default when ``None``.
    timeout_s
        HTTP timeout of each request, seconds.
    cache_folder
        osmnx's response cache (:data:`geo.settings.OSMNX` when ``None``).
    """
    import osmnx as ox

    names = (
        "overpass_url",
        "nominatim_url",
        "requests_timeout",
        "use_cache",
        "cache_folder",
        "log_console",
    )
    saved = {name: getattr(ox.settings, name) for name in names}
    try:
        if overpass_url:
            ox.settings.overpass_url = overpass_url
        if nominatim_url:
            ox.settings.nominatim_url = nominatim_url
        ox.settings.requests_timeout = timeout_s
        ox.settings.use_cache = True
        ox.settings.cache_folder = str(cache_folder or settings.OSMNX.path())
        ox.settings.log_console = False
        yield
    finally:
        for name, value in saved.items():
            setattr(ox.settings, name, value)


def merged_tags(specs: Sequence[LayerSpec]) -> dict[str, bool | list[str]]:
    """The union of several layers' osmnx tag filters (``True`` wins over values).

    A value may be ``True``, one string or a list of strings, as osmnx accepts.
    """
    merged: dict[str, bool | list[str]] = {}
    for spec in specs:
        for key, value in spec.osm_tags.items():
            old = merged.get(key)
            if value is True or old is True:
                merged[key] = True
            else:
                values = [value] if isinstance(value, str) else list(value)
                merged[key] = sorted(set(old or []) | set(values))
    return merged


def features_online(
    band: shapely.Geometry,
    layer_names: Sequence[str],
    *,
    retries: int = DEFAULT_RETRIES,
    backoff_s: float = DEFAULT_BACKOFF_S,
    progress: Progress = quiet,
) -> dict[str, gpd.GeoDataFrame]:
    """Download each layer's features inside ``band`` (WGS84) from Overpass through osmnx.

    Call it inside :func:`osmnx_settings`. Raises :class:`geo.errors.FetchError` when a
    layer still fails after the retries.
    """
    import osmnx as ox

    out = {}
    for number, name in enumerate(layer_names, start=1):
        spec = layer_spec(name)
        progress(f"Downloading {spec.label.lower()} ({number} of {len(layer_names)}) …")
        def download(spec: LayerSpec = spec) -> gpd.GeoDataFrame:
            _probe(ox.settings.overpass_url, timeout_s=min(ox.settings.requests_timeout, 15.0))
            return ox.features_from_polygon(band, tags=spec.osm_tags)

        raw = _with_retries(
            download,
            what=spec.label.lower(),
            retries=retries,
            backoff_s=backoff_s,
            progress=progress,
        )
        out[name] = normalise_osmnx(raw, spec)
        progress(f"{spec.label}: {len(out[name]):,} features")
    return out


def _probe(overpass_url: str, *, timeout_s: float) -> None:
    """Fail fast when the server cannot be reached at all.

    osmnx asks the server's ``/status`` before each query and, when the connection fails,
    waits 60 s before trying anyway; probing first turns an unreachable server into a
    retry (and, in the end, a clear error) without those waits. Only connection failures
    and timeouts count: a server without ``/status`` is still used.
    """
    requests.get(overpass_url.rstrip("/") + "/status", timeout=timeout_s)


def _with_retries(
    call: Callable[[], gpd.GeoDataFrame],
    *,
    what: str,
    retries: int,
    backoff_s: float,
    progress: Progress,
) -> gpd.GeoDataFrame | None:
    """Run an osmnx download; ``None`` when the server found nothing; retry on failures."""
    from osmnx._errors import InsufficientResponseError, ResponseStatusCodeError

    for attempt in range(retries + 1):
        try:
            return call()
        except InsufficientResponseError as exc:
            if "No matching features" in str(exc):
                return None
            problem: Exception = exc
        except (requests.RequestException, ResponseStatusCodeError, KeyError) as exc:
            # KeyError: osmnx indexes response["elements"] of an error reply
            problem = exc
        if attempt < retries:
            pause = backoff_s * 2**attempt
            reason = short_reason(problem)
            progress(f"Download of {what} failed ({reason}); retrying in {pause:g} s …")
            time.sleep(pause)
    raise FetchError(
        f"Downloading {what} from the Overpass API failed {retries + 1} times "
        f"({short_reason(problem)}); check the internet connection or the --overpass-url, or work "
        "offline from an .osm/.osm.pbf extract with --osm-file."
    )


def short_reason(exc: Exception) -> str:
    """The first line of an exception message, at most 160 characters."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def features_from_file(
    path: str | Path,
    band: shapely.Geometry,
    layer_names: Sequence[str],
    *,
    progress: Progress = quiet,
) -> tuple[dict[str, gpd.GeoDataFrame], str]:
    """Read each layer's features inside ``band`` (WGS84) from a local OSM file.

    Returns
    -------
    (dict, str)
        ``{layer name: features}`` and the file's data timestamp (see
        :func:`data_timestamp`), taken from the same pass for a PBF file.
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"OSM file {str(path)!r} does not exist; check the path.")
    lowered = path.name.lower()
    if lowered.endswith(".pbf"):
        progress(f"Reading {path.name} with pyosmium, keeping the band only …")
        data = read_osm(path, layer_names, band=band)
        stamp = header_timestamp(path) or (
            f"{data.data_timestamp} (newest way)" if data.data_timestamp else "unknown"
        )
        return data.layers, stamp
    if not lowered.endswith((".osm", ".osm.gz", ".osm.bz2")):
        raise InputFileError(
            f"{path.name} is not an OpenStreetMap file; give an .osm, .osm.gz, .osm.bz2 or "
            ".osm.pbf file."
        )
    import osmnx as ox
    from osmnx._errors import InsufficientResponseError

    specs = [layer_spec(n) for n in layer_names]
    progress(f"Reading {path.name} with osmnx …")
    try:
        raw = ox.features_from_xml(path, polygon=band, tags=merged_tags(specs))
    except InsufficientResponseError:
        raw = None
    except Exception as exc:  # the XML parser's errors are of many kinds
        raise InputFileError(
            f"Could not read {path.name} as OpenStreetMap XML ({short_reason(exc)}); give a valid "
            ".osm, .osm.gz or .osm.bz2 file."
        ) from None
    layers = {spec.name: normalise_osmnx(raw, spec) for spec in specs}
    return layers, data_timestamp(path)


def normalise_osmnx(raw: gpd.GeoDataFrame | None, spec: LayerSpec) -> gpd.GeoDataFrame:
    """Turn an osmnx features frame into the layer's common schema (WGS84).

    Parameters
    ----------
    raw
        osmnx's frame (index ``(element, id)``, one column per tag), or ``None`` when
        nothing matched.
    spec
        The layer.
    """
    rows: list[dict[str, Any]] = []
    if raw is not None and len(raw):
        frame = raw.to_crs(WGS84)
        geometry = frame.geometry.name
        columns = [c for c in frame.columns if c != geometry]
        values = frame[columns].to_numpy(dtype=object)
        for (element, osm_id), record, geom in zip(frame.index, values, frame.geometry.values):
            if element not in ("node", "way"):
                continue
            tags = {k: str(v) for k, v in zip(columns, record) if _present(v)}
            attrs = spec.normalise(tags, feature_id=f"osm:{element}/{osm_id}", source=OSM_SOURCE)
            if attrs is None:
                continue
            shape = _shape_for(spec, geom)
            if shape is None:
                continue
            attrs["geometry"] = shape
            if spec.geometry == "line":
                attrs["osm_nodes_missing"] = False
            rows.append(attrs)
    if not rows:
        return gpd.GeoDataFrame(
            {c: [] for c in COMMON_COLUMNS}, geometry=gpd.GeoSeries([], crs=WGS84)
        )
    out = gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)
    return out.sort_values("id", kind="stable").reset_index(drop=True)


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value))


def _shape_for(spec: LayerSpec, geom: shapely.Geometry) -> shapely.Geometry | None:
    """The geometry a layer keeps: lines for line layers, points for point layers."""
    if geom is None or geom.is_empty:
        return None
    kind = geom.geom_type
    if spec.geometry == "point":
        if kind == "Point":
            return geom
        if kind in ("Polygon", "MultiPolygon"):
            return geom.representative_point()
        return None
    if kind == "LineString":
        return geom
    if kind == "Polygon":
        return shapely.LineString(geom.exterior.coords)
    return None


def data_timestamp(path: str | Path) -> str:
    """When an OSM file's data were current (UTC): its header, else its newest way.

    The same definition as :attr:`geo.io.osm_file.OsmData.data_timestamp`.
    """
    path = Path(path)
    stamp = header_timestamp(path)
    if stamp:
        return stamp
    newest = None
    for way in osmium.FileProcessor(str(path), osmium.osm.WAY):
        if newest is None or way.timestamp > newest:
            newest = way.timestamp
    if newest is None or newest.year <= 1970:
        return "unknown"
    return newest.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") + " (newest way)"


def overpass_timestamp(overpass_url: str, *, timeout_s: float = 30.0) -> str:
    """The Overpass server's data timestamp (its ``/timestamp`` endpoint), or "unknown"."""
    url = overpass_url.rstrip("/") + "/timestamp"
    try:
        response = requests.get(url, timeout=timeout_s)
        response.raise_for_status()
    except requests.RequestException:
        return "unknown"
    text = response.text.strip()
    return text.splitlines()[0] if text else "unknown"


__all__ = [
    "DEFAULT_BACKOFF_S",
    "DEFAULT_RETRIES",
    "DEFAULT_TIMEOUT_S",
    "OVERPASS_URL",
    "data_timestamp",
    "features_from_file",
    "features_online",
    "merged_tags",
    "normalise_osmnx",
    "osmnx_settings",
    "overpass_timestamp",
    "quiet",
    "short_reason",
]
