"""Layer features inside a band from the Overpass API, downloaded through osmnx.

``osmnx.features_from_polygon`` per layer, with the layer's tag filter
(``LayerSpec.osm_tags``, which includes the lifecycle keys such as
``construction:highway``). osmnx splits a large band into several requests and caches every
response (``cache_folder``); each layer is tried up to ``retries + 1`` times with a growing
pause when the server fails or times out, and the server is probed first so that an
unreachable one fails fast. The frames become the common schema in
:func:`geo.io.osm_features.normalise_osmnx`, as those read from a file do.

:func:`osmnx_settings` also sets the Nominatim server that :func:`geo.io.fetch.geocode_regions`
asks; :func:`overpass_timestamp` is the server's data time, for the manifest.

In hosted mode (:data:`geo.settings.HOSTED`) only the allow-listed servers are used
(:data:`geo.settings.OVERPASS_URLS`, :data:`geo.settings.NOMINATIM_URLS`,
:func:`allowed_url`): any other URL is refused before a request is made, and the reasons of
failed requests are not quoted, so the errors never tell whether a host or port answered.

osmnx is imported inside the functions that use it: only a fetch needs it, so counting and
the page never load it (with networkx, about 0.1 s); requests likewise.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import geopandas as gpd
import shapely

from geo import settings
from geo.errors import FetchError, InvalidParameterError, layer_spec, short_reason
from geo.io.osm_features import Progress, normalise_osmnx, quiet
from geo.labels import LAYER_LABELS
from geo.text import Bilingual, as_bilingual

#: Default Overpass API endpoint (osmnx's default).
OVERPASS_URL = "https://overpass-api.de/api"
#: Seconds osmnx waits for one HTTP response (also sent to Overpass as the query timeout).
DEFAULT_TIMEOUT_S = 180.0
#: Retries of a layer's download after a failed request.
DEFAULT_RETRIES = 3
#: Pause before the first retry, seconds; doubled each time.
DEFAULT_BACKOFF_S = 10.0


def _canonical(url: str) -> str:
    """A URL as compared with the allow-list: scheme and host in lower case, no final ``/``."""
    parts = urlsplit(url.strip())
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path.rstrip('/')}"


def allowed_url(url: str | None, allowed: Sequence[str], *, what: str) -> str:
    """The allow-listed URL that ``url`` names (the first one for None), else a refusal.

    Only the text is compared: nothing is requested. A URL with a query, a fragment or a
    user name is never on the list.

    Parameters
    ----------
    url
        The URL asked for; None for the first allowed one.
    allowed
        The allowed URLs (:data:`geo.settings.OVERPASS_URLS` ...).
    what
        The service, for the message: ``"Overpass API"`` or ``"Nominatim server"``.

    Raises
    ------
    InvalidParameterError
        When ``url`` is not on the list (or the list is empty).
    """
    if url is None and allowed:
        return allowed[0]
    parts = urlsplit((url or "").strip())
    plain = not (parts.query or parts.fragment or "@" in parts.netloc)
    for entry in allowed:
        if plain and _canonical(entry) == _canonical(url or ""):
            return entry
    listed = ", ".join(allowed) or "none"
    raise InvalidParameterError(
        Bilingual(
            f"This server fetches only from the {what} at {listed}; give that URL."
            if len(allowed) == 1
            else f"This server fetches only from these {what}s: {listed}; give one of them.",
            f"本服务器只从这个 {what} 获取数据：{listed}，请填写该地址。"
            if len(allowed) == 1
            else f"本服务器只从以下 {what} 获取数据：{listed}，请从中选择一个。",
        )
    )


def checked_urls(
    overpass_url: str | None, nominatim_url: str | None
) -> tuple[str | None, str | None]:
    """The URLs to use: as given, or in hosted mode the allow-listed ones they name.

    Raises
    ------
    InvalidParameterError
        In hosted mode, for a URL not on its allow-list (:func:`allowed_url`).
    """
    if not settings.HOSTED.on():
        return overpass_url, nominatim_url
    return (
        allowed_url(overpass_url, settings.OVERPASS_URLS.values(), what="Overpass API"),
        allowed_url(nominatim_url, settings.NOMINATIM_URLS.values(), what="Nominatim server"),
    )


def _reason(exc: Exception) -> str:
    """Why a request failed, quoted in messages; in hosted mode only that it failed."""
    return "no usable answer" if settings.HOSTED.on() else short_reason(exc)


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

    Raises
    ------
    InvalidParameterError
        In hosted mode, for a URL that is not allow-listed (:func:`checked_urls`), before
        anything is requested; the servers of a ``None`` URL are then the first listed.
    """
    overpass_url, nominatim_url = checked_urls(overpass_url, nominatim_url)
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


def features_online(
    band: shapely.Geometry,
    layer_names: Sequence[str],
    *,
    retries: int = DEFAULT_RETRIES,
    backoff_s: float = DEFAULT_BACKOFF_S,
    progress: Progress = quiet,
    tags: Mapping[str, dict[str, Any]] | None = None,
) -> dict[str, gpd.GeoDataFrame]:
    """Download each layer's features inside ``band`` (WGS84) from Overpass through osmnx.

    Call it inside :func:`osmnx_settings`. Raises :class:`geo.errors.FetchError` when a
    layer still fails after the retries. ``tags``: ``{layer: osmnx tags}`` asked for
    instead of the layer's own :attr:`layers.LayerSpec.osm_tags` (a narrower query, such
    as the main roads of a network band).
    """
    import osmnx as ox

    out = {}
    for number, name in enumerate(layer_names, start=1):
        spec = layer_spec(name)
        zh = LAYER_LABELS.get(name, {}).get("zh", name)
        progress(
            Bilingual(
                f"Downloading {spec.label.lower()} ({number} of {len(layer_names)}) …",
                f"正在下载{zh}（第 {number} 个，共 {len(layer_names)} 个）……",
            )
        )
        wanted = dict((tags or {}).get(name) or spec.osm_tags)

        def download(wanted: dict[str, Any] = wanted) -> gpd.GeoDataFrame:
            _probe(ox.settings.overpass_url, timeout_s=min(ox.settings.requests_timeout, 15.0))
            return ox.features_from_polygon(band, tags=wanted)

        raw = _with_retries(
            download,
            what=Bilingual(spec.label.lower(), zh),
            retries=retries,
            backoff_s=backoff_s,
            progress=progress,
        )
        out[name] = normalise_osmnx(raw, spec)
        progress(
            Bilingual(
                f"{spec.label}: {len(out[name]):,} features", f"{zh}：{len(out[name]):,} 个要素"
            )
        )
    return out


def _probe(overpass_url: str, *, timeout_s: float) -> None:
    """Fail fast when the server cannot be reached at all.

    osmnx asks the server's ``/status`` before each query and, when the connection fails,
    waits 60 s before trying anyway; probing first turns an unreachable server into a
    retry (and, in the end, a clear error) without those waits. Only connection failures
    and timeouts count: a server without ``/status`` is still used.
    """
    import requests

    requests.get(overpass_url.rstrip("/") + "/status", timeout=timeout_s)


def _with_retries(
    call: Callable[[], gpd.GeoDataFrame],
    *,
    what: str | Bilingual,
    retries: int,
    backoff_s: float,
    progress: Progress,
) -> gpd.GeoDataFrame | None:
    """Run an osmnx download; ``None`` when the server found nothing; retry on failures."""
    what = as_bilingual(what)
    import requests
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
            reason = _reason(problem)
            progress(
                Bilingual(
                    f"Download of {what.en} failed ({reason}); retrying in {pause:g} s …",
                    f"下载{what.zh}失败，{pause:g} 秒后重试……",  # the library's reason: English
                )
            )
            time.sleep(pause)
    reason = _reason(problem)
    raise FetchError(
        Bilingual(
            f"Downloading {what.en} from the Overpass API failed {retries + 1} times "
            f"({reason}); check the internet connection or the --overpass-url, or work "
            "offline from an .osm/.osm.pbf extract with --osm-file.",
            f"从 Overpass API 下载{what.zh}数据连续失败 {retries + 1} 次；"
            "请检查网络连接或 --overpass-url，"
            "或用 --osm-file 改从本地 .osm/.osm.pbf 文件离线读取。",
        )
    )


def overpass_timestamp(overpass_url: str, *, timeout_s: float = 30.0) -> str:
    """The Overpass server's data timestamp (its ``/timestamp`` endpoint), or "unknown".

    Raises
    ------
    InvalidParameterError
        In hosted mode, for a URL that is not allow-listed, before anything is requested.
    """
    checked, _ = checked_urls(overpass_url, None)
    url = (checked or overpass_url).rstrip("/") + "/timestamp"
    import requests

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
    "allowed_url",
    "checked_urls",
    "features_online",
    "osmnx_settings",
    "overpass_timestamp",
]
