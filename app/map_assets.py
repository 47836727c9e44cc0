"""The map's browser assets: the vendored Leaflet, linked so the map draws with no network.

folium points Leaflet, jQuery, Bootstrap, Font Awesome and the awesome-markers plugin at
CDNs (``folium.Map.default_js`` / ``default_css``). The map needs only Leaflet: its
features, tooltips and popups are bound by the map's own script
(:class:`app.map_elements.StaticGeoJson`),
not by folium's ``Popup`` template, which calls jQuery's ``$(...)``. Leaflet is vendored in
``static/`` (see ``static/README.md``) and every other default is dropped; beside it the
project's own ``static/jiegui/map.js`` and ``map.css`` (the context, labels, legend and
notices), so the map's iframe loads two small local scripts before it draws. They are linked
in one of two ways, chosen by ``assets`` (:func:`asset_links`):

* a URL prefix (default :data:`STATIC_URL`, ``/app/static``): Streamlit serves ``static/``
  there when ``[server] enableStaticServing = true`` (``.streamlit/config.toml``). The
  ``st_folium`` iframe is served by the same Streamlit server, so an absolute path
  resolves to it, and the browser caches the files. This is what the app uses.
* ``"inline"``: the files are embedded as ``data:`` URIs (about 230 kB), for a standalone
  HTML file that is opened with no server at all.

:func:`remote_asset_links` lists what a map would still fetch from elsewhere (nothing, for
the maps of :mod:`app.webmap`).
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

import folium

from geo.errors import InvalidParameterError
from geo.text import Bilingual

#: The vendored browser assets, served by Streamlit at :data:`STATIC_URL`.
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

#: Where Streamlit's static file serving publishes ``static/``.
STATIC_URL = "/app/static"

#: Scripts the map needs, as ``(folium link name, path under static/)``, in load order:
#: Leaflet, then the project's own helpers (context, labels, legend; they need Leaflet).
MAP_JS: tuple[tuple[str, str], ...] = (
    ("leaflet", "leaflet/leaflet.js"),
    ("jiegui_map", "jiegui/map.js"),
)

#: Style sheets the map needs, as ``(folium link name, path under static/)``.
MAP_CSS: tuple[tuple[str, str], ...] = (
    ("leaflet_css", "leaflet/leaflet.css"),
    ("jiegui_map_css", "jiegui/map.css"),
)

_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)


def static_url(base_url_path: object = "") -> str:
    """Where Streamlit serves ``static/``: :data:`STATIC_URL` under a ``server.baseUrlPath``.

    Parameters
    ----------
    base_url_path
        Streamlit's ``server.baseUrlPath`` option (``""`` or None when unset).
    """
    base = str(base_url_path or "").strip("/")
    return f"/{base}{STATIC_URL}" if base else STATIC_URL


def asset_links(
    assets: str = STATIC_URL,
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Links to the vendored Leaflet (script and style sheet).

    Parameters
    ----------
    assets
        A URL prefix under which ``static/`` is served (``"/app/static"`` in the app), or
        ``"inline"`` to embed the files as ``data:`` URIs.

    Returns
    -------
    (js, css)
        Lists of ``(name, url)`` in folium's ``default_js`` / ``default_css`` form.
    """
    if assets == "inline":
        js = [(name, _data_uri(STATIC_DIR / path, "text/javascript")) for name, path in MAP_JS]
        css = [(name, _css_data_uri(STATIC_DIR / path)) for name, path in MAP_CSS]
        return js, css
    if not assets:
        raise InvalidParameterError(
            Bilingual(
                "The assets location is empty; give a URL prefix such as '/app/static' or "
                "'inline'.",
                "地图脚本的位置为空，请给出 '/app/static' 这样的网址前缀，或 'inline'。",
            )
        )
    prefix = assets.rstrip("/")
    return (
        [(name, f"{prefix}/{path}") for name, path in MAP_JS],
        [(name, f"{prefix}/{path}") for name, path in MAP_CSS],
    )


def _data_uri(path: Path, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _css_data_uri(path: Path) -> str:
    """The style sheet as a data: URI, its relative ``url(images/...)`` inlined too."""
    css = path.read_text(encoding="utf-8")

    def inline(match: re.Match[str]) -> str:
        image = path.parent / match.group(1)
        return f"url({_data_uri(image, 'image/png')})" if image.is_file() else match.group(0)

    css = re.sub(r"url\((images/[^)]+\.png)\)", inline, css)
    return f"data:text/css;base64,{base64.b64encode(css.encode('utf-8')).decode('ascii')}"


def remote_asset_links(fmap: folium.Map) -> list[str]:
    """Script and style-sheet links of ``fmap`` (and all its elements) that leave the machine.

    Parameters
    ----------
    fmap
        A map, e.g. from :func:`app.webmap.build_map`.

    Returns
    -------
    list of str
        Every ``default_js`` / ``default_css`` URL with a scheme and host (``https://...``,
        ``//cdn...``); empty when the map loads only local or inline files.
    """
    found: list[str] = []

    def walk(element: Any) -> None:
        for _, url in [*getattr(element, "default_js", []), *getattr(element, "default_css", [])]:
            if _REMOTE.match(url) and not url.startswith("data:"):
                found.append(url)
        for child in getattr(element, "_children", {}).values():
            walk(child)

    walk(fmap)
    return list(dict.fromkeys(found))
