r"""The interactive map of a crossing run: a folium map that draws with no network.

:func:`build_map` draws the regions, one toggleable group per layer kind (styled by the
layer's :attr:`layers.base.LayerSpec.style`), the interfaces as circle markers sized by
lanes or tracks, a legend and the data attribution. Nothing here imports streamlit.

Offline assets
--------------
folium points Leaflet, jQuery, Bootstrap, Font Awesome and the awesome-markers plugin at
CDNs (``folium.Map.default_js`` / ``default_css``). This map needs only Leaflet: its
features, tooltips and popups are bound by the map's own script
(:class:`app.map_elements.StaticGeoJson`),
not by folium's ``Popup`` template, which calls jQuery's ``$(...)``. Leaflet is vendored in
``static/`` (see ``static/README.md``) and every other default is dropped, so the map's
iframe loads one script before it draws. It is linked in one of two ways, chosen by
``assets``:

* a URL prefix (default :data:`STATIC_URL`, ``/app/static``): Streamlit serves ``static/``
  there when ``[server] enableStaticServing = true`` (``.streamlit/config.toml``). The
  ``st_folium`` iframe is served by the same Streamlit server, so an absolute path
  resolves to it, and the browser caches the files. This is what the app uses.
* ``"inline"``: the files are embedded as ``data:`` URIs (about 220 kB), for a standalone
  HTML file that is opened with no server at all.

Reruns
------
:func:`map_content` serialises what the map draws once per data state (the app caches it);
:func:`draw_map` wraps it in a new, cheap folium map on every rerun, whose script is the
same as long as the data are: ``st_folium`` then keeps its iframe and only applies what
changed in its ``feature_group_to_add`` (:func:`selection_layer`), ``center`` and ``zoom``
(:func:`selection_view`).

There is no basemap unless a tile URL is given (``tiles``): the regions are drawn as
polygons, so the map is readable offline, and a local tile server can be switched on.

Escaping
--------
Every text that comes from data (names, refs, classes, regions, attribution) is passed
through :func:`escape_text` before it enters HTML: HTML-escaped, and with `` ` ``, ``$``
and ``\`` written as character references, since folium puts tooltip and popup HTML
inside JavaScript template literals. Elements carrying such text are added to the figure
as literal text, never compiled as Jinja templates (:mod:`app.map_elements`).
"""

from __future__ import annotations

import base64
import html
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element
from folium.map import FitBounds

from app.map_elements import Attribution, HtmlControl, LiteralTileLayer, StaticGeoJson
from geo.datum import china_tile_offset_m
from geo.errors import InvalidParameterError
from geo.projection import WGS84, latlon, require_crs
from geo.values import is_missing, plain
from layers import get_layer

#: The vendored browser assets, served by Streamlit at :data:`STATIC_URL`.
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

#: Where Streamlit's static file serving publishes ``static/``.
STATIC_URL = "/app/static"

#: Scripts the map needs, as ``(folium link name, path under static/)``, in load order.
MAP_JS: tuple[tuple[str, str], ...] = (("leaflet", "leaflet/leaflet.js"),)

#: Style sheets the map needs, as ``(folium link name, path under static/)``.
MAP_CSS: tuple[tuple[str, str], ...] = (("leaflet_css", "leaflet/leaflet.css"),)

#: Features drawn per layer at most; beyond it main classes are kept first.
MAX_FEATURES = 5000

#: The OpenStreetMap basemap's tiles (online; the OSMF tile usage policy applies).
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"

#: Their attribution, which the ODbL and the tile usage policy require on the map.
OSM_TILE_ATTRIBUTION = "Basemap © OpenStreetMap contributors"

#: Outline colour of the selected interface's marker.
SELECTED_COLOR = "#00b4d8"

#: Zoom level the map goes to around a selected interface (a few km across).
SELECTED_ZOOM = 13

_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
_TILE_URL = re.compile(r"^(?=.*\{z\})(?=.*\{x\})(?=.*\{y\})", re.DOTALL)

_REGION_LINE = "#5d6d7e"
_REGION_FILL = "#f6f1e7"
_FOCUS_FILL = "#fce7c8"


# --------------------------------------------------------------------------- helpers


def escape_text(value: object) -> str:
    r"""Return data text safe to put in the map's HTML.

    Parameters
    ----------
    value
        Any value; ``None`` and missing values give ``""``.

    Returns
    -------
    str
        ``html.escape(str(value))`` with `` ` ``, ``$`` and ``\`` as character
        references, so the text also stays inert inside folium's JavaScript template
        literals. A name like ``<img src=x onerror=alert(1)>`` shows as text.
    """
    if is_missing(value):
        return ""
    text = html.escape(str(value), quote=True)
    return text.replace("\\", "&#92;").replace("`", "&#96;").replace("$", "&#36;")


def css_token(text: str) -> str:
    """Return ``text`` as a CSS class name (``"highways-9"`` stays, ``"a b"`` gives ``"a_b"``).

    Characters other than letters, digits, ``-`` and ``_`` become ``_``.

    Interface markers carry ``jiegui-interface`` and ``css_token("jiegui-if-" + id)``;
    drawn features ``jiegui-feature`` and ``jiegui-<layer>``.
    """
    return re.sub(r"[^A-Za-z0-9_-]", "_", text)




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
            "The assets location is empty; give a URL prefix such as '/app/static' or 'inline'."
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
        A map, e.g. from :func:`build_map`.

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


# ------------------------------------------------------------------ data for the page


def feature_count(
    regions_wgs84: gpd.GeoDataFrame,
    layers: Mapping[str, gpd.GeoDataFrame],
    interfaces: pd.DataFrame,
    *,
    max_features: int = MAX_FEATURES,
) -> int:
    """Number of vector shapes :func:`build_map` draws (Leaflet's interactive paths).

    One per region, per drawn line feature (a multi-line is one path), per point of a point
    layer and per interface.
    """
    shapes = len(regions_wgs84)
    for frame in layers.values():
        if frame.empty:
            continue
        kept = frame.iloc[:max_features]
        points = kept.geometry.geom_type.isin(["Point", "MultiPoint"])
        shapes += int((~points).sum())
        shapes += int(kept.geometry[points].count_coordinates().sum()) if points.any() else 0
    return shapes + len(interfaces)


# ------------------------------------------------------------------------ map elements


_MAP_CSS = """<style>
.leaflet-container { background: #eaf1f6; font-family: system-ui, "Noto Sans CJK SC",
  "WenQuanYi Micro Hei", sans-serif; }
.jiegui-legend { background: rgba(255,255,255,0.92); padding: 4px 8px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.3); font-size: 11px; line-height: 1.3;
  max-height: 50vh; max-width: 290px; overflow-y: auto; color: #222; }
.jiegui-legend summary { font-weight: 600; cursor: pointer; }
.jiegui-legend .group { margin-top: 3px; }
.jiegui-legend .entry { display: inline-block; white-space: nowrap; margin-right: 6px; }
.jiegui-legend svg { vertical-align: middle; margin-right: 2px; }
.jiegui-popup table { border-collapse: collapse; font-size: 12px; }
.jiegui-popup th { text-align: left; padding: 1px 8px 1px 0; color: #555; font-weight: 600;
  vertical-align: top; white-space: nowrap; }
.jiegui-popup td { padding: 1px 0; }
.leaflet-tooltip { font-size: 12px; }
.leaflet-control-layers { font-size: 12px; }
.leaflet-control-attribution { font-size: 10px; line-height: 1.3; max-width: 55%; }
.jiegui-note { color: #666; }
</style>"""


def _line_swatch(color: str, weight: float, dash: str | None) -> str:
    dash_attr = f' stroke-dasharray="{escape_text(dash)}"' if dash else ""
    return (
        '<svg width="30" height="10" aria-hidden="true"><line x1="1" y1="5" x2="29" y2="5" '
        f'stroke="{escape_text(color)}" stroke-width="{min(weight, 8):.1f}"{dash_attr}/></svg>'
    )


def _dot_swatch(color: str, radius: float, *, hollow: bool = False) -> str:
    fill = "none" if hollow else escape_text(color)
    size = int(2 * radius + 4)
    return (
        f'<svg width="{size}" height="{size}" aria-hidden="true"><circle cx="{size / 2}" '
        f'cy="{size / 2}" r="{radius}" stroke="{escape_text(color)}" stroke-width="2" '
        f'fill="{fill}" fill-opacity="0.8"/></svg>'
    )


def _attrs(row: Mapping[str, Any]) -> dict[str, Any]:
    return {key: plain(value) for key, value in row.items() if key != "geometry"}


def _route_label(attrs: Mapping[str, Any]) -> str:
    parts = [str(attrs.get(k) or "").replace(";", " / ") for k in ("ref", "name")]
    return " ".join(p for p in parts if p) or "(unnamed)"


def _number(value: object) -> str:
    """``4.0`` as ``4``; other values as they are."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _capacity_text(value: object, unit: str) -> str:
    unit = unit.replace("_", " ")
    return f"{_number(value)} {unit}" if not is_missing(value) else f"{unit} unknown"


def _feature_tip(attrs: Mapping[str, Any], unit: str) -> str:
    """Tooltip HTML of one drawn feature (all data escaped)."""
    lines = [f"<b>{escape_text(_route_label(attrs))}</b>"]
    zh = attrs.get("name_zh")
    if zh and zh != attrs.get("name"):
        lines.append(escape_text(zh))
    details = [
        str(attrs.get("class") or ""),
        _capacity_text(attrs.get("capacity"), unit),
        str(attrs.get("status") or ""),
    ]
    if attrs.get("start_year"):
        details.append(f"since {attrs['start_year']}")
    lines.append(escape_text(" · ".join(d for d in details if d)))
    return "<br>".join(lines)


def _interface_label(attrs: Mapping[str, Any]) -> str:
    unit = str(attrs.get("capacity_unit") or "")
    if attrs.get("layer") == "highways":
        lanes = attrs.get("lanes")
        return f"{_number(lanes)} lanes" if not is_missing(lanes) else "lanes unknown"
    return _capacity_text(attrs.get("capacity"), unit)


def _interface_tip(attrs: Mapping[str, Any], zh: str) -> str:
    """Tooltip HTML of one interface: route, capacity, pair and id (all escaped)."""
    head = f"<b>{escape_text(_route_label(attrs))}</b>"
    if zh:
        head += f"<br>{escape_text(zh)}"
    pair = f"{attrs.get('a')} – {attrs.get('b')}"
    return (
        f"{head}<br>{escape_text(_interface_label(attrs))} · {escape_text(attrs.get('class'))}"
        f"<br>{escape_text(pair)} · {escape_text(attrs.get('id'))}"
    )


def _yes_no(value: object) -> str:
    return "yes" if bool(value) and not is_missing(value) else "no"


def _interface_popup(attrs: Mapping[str, Any], zh: str) -> str:
    """Popup HTML: the interface's attributes as a table (all escaped)."""
    per = attrs.get("lanes_per_carriageway")
    per_text = ", ".join("?" if is_missing(v) else str(v) for v in per) if per is not None else ""
    sources = str(attrs.get("source_ids") or "").replace(";", ", ")
    rows: list[tuple[str, object]] = [
        ("interface", attrs.get("id")),
        ("a", attrs.get("a")),
        ("b", attrs.get("b")),
        ("layer", attrs.get("layer")),
        ("class", attrs.get("class")),
        ("ref", attrs.get("ref")),
        ("name", attrs.get("name")),
    ]
    if zh:
        rows.append(("name (zh)", zh))
    rows += [
        (
            "carriageways" if attrs.get("layer") == "highways" else "lines",
            attrs.get("carriageways"),
        ),
        ("lanes" if attrs.get("layer") == "highways" else "capacity", _interface_label(attrs)),
        ("per line", per_text),
        ("bridge", _yes_no(attrs.get("bridge"))),
        ("tunnel", _yes_no(attrs.get("tunnel"))),
        ("status", attrs.get("status")),
        ("via", attrs.get("via")),
        ("lat, lon", f"{attrs.get('lat', 0):.5f}, {attrs.get('lon', 0):.5f}"),
        ("source ids", sources),
    ]
    body = "".join(
        f"<tr><th>{escape_text(k)}</th><td>{escape_text(v)}</td></tr>"
        for k, v in rows
        if not is_missing(v) and v != ""
    )
    return f'<div class="jiegui-popup"><table>{body}</table></div>'


def marker_radius(layer: str, capacity: object) -> float:
    """Radius in pixels of an interface marker: grows with lanes or tracks.

    Layers whose capacities add up (lanes, tracks) grow with the capacity; a grade or a
    diameter, and unknown capacity, get a fixed size.
    """
    spec = get_layer(layer)
    if is_missing(capacity) or spec.capacity_total != "sum":
        return 6.0
    return 4.0 + 1.25 * min(float(capacity), 12.0)


def _ranked(frame: gpd.GeoDataFrame, main_classes: Sequence[str], limit: int) -> gpd.GeoDataFrame:
    """At most ``limit`` features, main classes first (stable otherwise)."""
    if len(frame) <= limit:
        return frame
    rank = frame["class"].map({c: i for i, c in enumerate(main_classes)}).fillna(len(main_classes))
    return frame.loc[rank.sort_values(kind="stable").index[:limit]]


def _zh_names(layers: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    """``{feature id: Chinese name}`` of features that carry a ``name_zh``."""
    names: dict[str, str] = {}
    for frame in layers.values():
        if "name_zh" in frame.columns and "id" in frame.columns:
            for fid, zh in zip(frame["id"], frame["name_zh"]):
                if isinstance(zh, str) and zh:
                    names[str(fid)] = zh
    return names


def _to_wgs84(frame: gpd.GeoDataFrame, what: str) -> gpd.GeoDataFrame:
    require_crs(frame, what=what)
    return frame if frame.crs == WGS84 else frame.to_crs(WGS84)


# ---------------------------------------------------------------------------- the map


@dataclass(frozen=True)
class MapContent:
    """Everything :func:`draw_map` draws for one data state, serialised once.

    Built by :func:`map_content`, which does the expensive work (geometry to GeoJSON,
    styles, tooltips, popups, legend); :func:`draw_map` only wraps these texts in a fresh
    folium map. The object holds strings and plain values only, so an app can cache it by
    the inputs that drive it and build a new map from it on every rerun, never sharing a
    map between sessions.

    Attributes
    ----------
    regions
        GeoJSON FeatureCollection text of the region outlines (simplified for drawing).
    layers
        ``(escaped group label, GeoJSON text)`` per drawn layer, in drawing order.
    interfaces
        GeoJSON Feature dicts of the interface markers, each with ``id``, ``style``,
        ``tip`` and ``popup`` properties.
    legend
        The legend's HTML (data escaped).
    bounds
        ``((south, west), (north, east))`` the map opens on: the highlighted regions, else
        all regions; None when there are no regions.
    """

    regions: str
    layers: tuple[tuple[str, str], ...]
    interfaces: tuple[dict[str, Any], ...]
    legend: str
    bounds: tuple[tuple[float, float], tuple[float, float]] | None


def map_content(
    regions_wgs84: gpd.GeoDataFrame,
    layers: Mapping[str, gpd.GeoDataFrame],
    interfaces: pd.DataFrame,
    *,
    highlight: Sequence[str] = (),
    max_features: int = MAX_FEATURES,
    region_shapes: Sequence[str] | None = None,
) -> MapContent:
    """Serialise regions, layers and interfaces for drawing (see :class:`MapContent`).

    Parameters
    ----------
    regions_wgs84
        Region polygons with a ``name`` column (any CRS; drawn in WGS84).
    layers
        ``{layer name: features}`` in the common schema (e.g. from :func:`layers_at`);
        each is styled by its layer's ``style``: colour and weight by class and
        capacity, dashed when not open.
    interfaces
        Interfaces (:data:`geo.interfaces.INTERFACE_COLUMNS` with ``lon``/``lat``),
        drawn as circle markers sized by lanes or tracks, with a tooltip and a popup.
    highlight
        Names of regions drawn stronger (the focus region and its neighbour); the map
        opens on them, else on all regions.
    max_features
        Features drawn per layer at most (main classes first); the legend says when
        some are left out.
    region_shapes
        :func:`region_shapes` of ``regions_wgs84``, when the caller keeps them (they take
        most of the time for detailed outlines); made here when None.

    Returns
    -------
    MapContent
    """
    regions = _to_wgs84(regions_wgs84, "The regions")
    chosen = set(highlight)
    legend: list[str] = []
    drawn: list[tuple[str, str]] = []
    zh = _zh_names(layers)
    for name, frame in layers.items():
        if frame.empty:
            continue
        label, text, entry = _layer_json(name, _to_wgs84(frame, f"The {name} layer"), max_features)
        drawn.append((label, text))
        legend.append(entry)
    markers = _interface_features(interfaces, zh) if len(interfaces) else []
    if markers:
        legend.append(
            '<div class="group"><b>Interfaces</b>: '
            f'<span class="entry">{_dot_swatch("#1b2631", 3)}{_dot_swatch("#1b2631", 6)}'
            "size by lanes, tracks</span>"
            f'<span class="entry">{_dot_swatch("#1b2631", 5, hollow=True)}no data</span></div>'
        )
    legend.append(
        '<div class="group jiegui-note">Line weight grows with capacity; dashed: not open. '
        "Hover or click for details.</div>"
    )
    focus = regions[regions["name"].isin(chosen)] if chosen else regions
    if focus.empty:
        focus = regions
    bounds = None
    if not focus.empty:
        west, south, east, north = (float(v) for v in focus.total_bounds)
        bounds = (latlon(west, south), latlon(east, north))
    return MapContent(
        regions=_regions_json(regions, chosen, region_shapes),
        layers=tuple(drawn),
        interfaces=tuple(markers),
        legend=f"<details open><summary>Legend</summary>{''.join(legend)}</details>",
        bounds=bounds,
    )


def draw_map(
    content: MapContent,
    *,
    tiles: str | None = None,
    attribution: str = "",
    tile_attribution: str = "",
    assets: str = STATIC_URL,
) -> folium.Map:
    """A new folium map drawing ``content``; cheap, so it can be built on every rerun.

    Two maps drawn from equal content and options render the same Leaflet script (up
    to folium's random element names, which ``st_folium`` normalises), so the app's map
    component is not reloaded when only the selection changes.

    Parameters
    ----------
    content
        From :func:`map_content`.
    tiles
        Optional basemap tile URL with ``{z}``, ``{x}``, ``{y}`` (e.g. a local tile
        server); no basemap when None. See :func:`tile_warning` for tiles in Chinese
        offset coordinates.
    attribution
        Attribution of the data, shown on the map (escaped).
    tile_attribution
        Attribution of the basemap; the tile server's address when empty.
    assets
        Where Leaflet comes from: a URL prefix serving ``static/`` or
        ``"inline"`` (see the module docstring).

    Returns
    -------
    folium.Map
        A map whose scripts and style sheets are all local
        (:func:`remote_asset_links` is empty), opening on ``content.bounds``.
    """
    if tiles is not None and not _TILE_URL.search(tiles):
        raise InvalidParameterError(
            f"The tile URL {tiles!r} lacks {{z}}, {{x}} and {{y}}; give one like "
            "'http://localhost:8080/{z}/{x}/{y}.png'."
        )
    fmap = folium.Map(tiles=None, control_scale=True, zoom_start=6)
    js, css = asset_links(assets)
    # Instance attributes: the class lists (CDN links) stay untouched for other maps.
    fmap.default_js = js
    fmap.default_css = css
    fmap.get_root().header.add_child(Element(_MAP_CSS), name="jiegui_css")
    if tiles is not None:
        host = re.sub(r"^[a-z]+://", "", tiles).split("/")[0] or tiles
        LiteralTileLayer(
            tiles=tiles,
            attr=escape_text(tile_attribution or f"Basemap: {host}"),
            name="Basemap",
            overlay=False,
            control=True,
        ).add_to(fmap)
    _group("Regions", content.regions).add_to(fmap)
    for label, text in content.layers:
        _group(label, text).add_to(fmap)
    if content.interfaces:
        _group("Interfaces", _collection(content.interfaces)).add_to(fmap)
    HtmlControl(content.legend, position="bottomleft", css_class="jiegui-legend").add_to(fmap)
    if attribution:
        Attribution(escape_text(attribution)).add_to(fmap)
    folium.LayerControl(collapsed=False, position="topright").add_to(fmap)
    if content.bounds is not None:
        # Room on the right for the layer control, so no feature opens hidden under it.
        fmap.fit_bounds(
            list(content.bounds), padding_top_left=(10, 10), padding_bottom_right=(150, 10)
        )
    return fmap


def selection_layer(content: MapContent, selected: str | None) -> folium.FeatureGroup | None:
    """The marker that singles out interface ``selected``, as a group to draw on top.

    Larger, with a thick :data:`SELECTED_COLOR` outline and the classes
    ``jiegui-selected`` and ``css_token("jiegui-if-" + id)``, with the interface's
    tooltip and popup. The app passes it to ``st_folium(feature_group_to_add=...)`` so a
    new selection is drawn without reloading the map.

    Returns
    -------
    folium.FeatureGroup or None
        None when ``selected`` is None or no interface has that id.
    """
    feature = _selected_feature(content, selected)
    if feature is None:
        return None
    style = dict(feature["properties"]["style"])
    style.update(
        radius=float(style["radius"]) + 5,
        color=SELECTED_COLOR,
        weight=5,
        fillOpacity=0.9,
        className=f"jiegui-selected {css_token('jiegui-if-' + str(selected))}",
    )
    style.pop("dashArray", None)
    marker = {**feature, "properties": {**feature["properties"], "style": style}}
    group = folium.FeatureGroup(name="Selected interface", control=False, show=True)
    StaticGeoJson(_collection([marker])).add_to(group)
    return group


def selection_view(
    content: MapContent, selected: str | None
) -> tuple[tuple[float, float], int] | None:
    """Where the map goes for a selected interface: ``((lat, lon), SELECTED_ZOOM)``.

    None when nothing (or an unknown id) is selected: the map then stays where the user
    left it.
    """
    feature = _selected_feature(content, selected)
    if feature is None:
        return None
    lon, lat = feature["geometry"]["coordinates"]
    return latlon(float(lon), float(lat)), SELECTED_ZOOM


def build_map(
    regions_wgs84: gpd.GeoDataFrame,
    layers: Mapping[str, gpd.GeoDataFrame],
    interfaces: gpd.GeoDataFrame,
    *,
    tiles: str | None = None,
    attribution: str = "",
    tile_attribution: str = "",
    highlight: Sequence[str] = (),
    assets: str = STATIC_URL,
    max_features: int = MAX_FEATURES,
    selected: str | None = None,
) -> folium.Map:
    """Draw regions, layers and interfaces on one folium map that needs no network.

    :func:`map_content` then :func:`draw_map` (see them for the parameters), with the
    selected interface's :func:`selection_layer` added and the map opening on it
    (:func:`selection_view`). For a standalone map; the app draws the selection through
    ``st_folium`` instead, so the map is not rebuilt when it changes.

    Returns
    -------
    folium.Map
        A map whose scripts and style sheets are all local
        (:func:`remote_asset_links` is empty).
    """
    content = map_content(
        regions_wgs84, layers, interfaces, highlight=highlight, max_features=max_features
    )
    fmap = draw_map(
        content,
        tiles=tiles,
        attribution=attribution,
        tile_attribution=tile_attribution,
        assets=assets,
    )
    group = selection_layer(content, selected)
    view = selection_view(content, selected)
    if group is not None and view is not None:
        group.add_to(fmap)
        for key in [k for k, child in fmap._children.items() if isinstance(child, FitBounds)]:
            del fmap._children[key]
        fmap.location = list(view[0])
        fmap.options["zoom"] = view[1]
    return fmap


#: Hosts of Chinese commercial tile services, whose tiles are drawn in GCJ-02 (AMap/Gaode,
#: Tencent) or BD-09 (Baidu) rather than WGS84.
_OFFSET_TILE_HOSTS = re.compile(
    r"autonavi\.com|amap\.com|gaode\.com|map\.qq\.com|gtimg\.com|tencent|bdimg\.com"
    r"|map\.baidu\.com|baidu\.com|bdstatic\.com",
    re.IGNORECASE,
)


def tile_warning(tiles: str | None, regions_wgs84: gpd.GeoDataFrame | None = None) -> str | None:
    """One sentence when a basemap's tiles are not in WGS84, else None.

    Tiles of AMap/Gaode (``autonavi``), Tencent and Baidu are drawn in the offset
    coordinates China requires (GCJ-02; Baidu adds its own BD-09 on top), so WGS84 data
    drawn on them lands off its place. The sentence gives that offset, computed at the
    centre of ``regions_wgs84`` (:func:`geo.datum.china_tile_offset_m`).

    Parameters
    ----------
    tiles
        A tile URL, or None / empty.
    regions_wgs84
        The regions drawn (any CRS); without them the offset is not quantified.

    Returns
    -------
    str or None
    """
    if not tiles:
        return None
    match = _OFFSET_TILE_HOSTS.search(tiles)
    if match is None:
        return None
    system = "BD-09" if re.search(r"baidu|bdimg|bdstatic", match.group(0), re.I) else "GCJ-02"
    how_far = "some hundreds of metres from their place"
    if regions_wgs84 is not None and len(regions_wgs84):
        west, south, east, north = _to_wgs84(regions_wgs84, "The regions").total_bounds
        metres = china_tile_offset_m((west + east) / 2, (south + north) / 2, system=system)
        if metres < 1:
            return None  # outside China the services draw WGS84
        how_far = f"about {round(metres, -1):.0f} m from their place at the map's centre"
    return (
        f"These tiles are in China's offset {system} coordinates, not WGS84: data drawn on "
        f"them appear {how_far}; use WGS84 tiles (such as OpenStreetMap's) to check positions."
    )


#: Region outlines are drawn simplified to this many degrees (about 500 m, within Natural
#: Earth's own 0.5-2 km generalisation), so the map's HTML is smaller and paints sooner.
#: Counting always uses the full geometry.
DISPLAY_TOLERANCE_DEG = 0.005

#: Coordinates of drawn lines and points are rounded to this many degrees (about 1 m).
DRAW_PRECISION_DEG = 1e-5


def _for_display(geoms: np.ndarray) -> np.ndarray:
    """Region outlines simplified for drawing, with coordinates rounded to about 10 m."""
    simple = shapely.simplify(geoms, DISPLAY_TOLERANCE_DEG, preserve_topology=True)
    return shapely.set_precision(simple, 1e-4)


def _collection(features: Sequence[Mapping[str, Any]]) -> str:
    """GeoJSON FeatureCollection text of feature dicts."""
    return _script_safe(json.dumps({"type": "FeatureCollection", "features": list(features)}))


def _features_json(geometries: Sequence[str], properties: Sequence[Mapping[str, Any]]) -> str:
    """GeoJSON FeatureCollection text of GeoJSON geometry texts with their properties."""
    parts = [
        f'{{"type": "Feature", "properties": {json.dumps(props)}, "geometry": {geom}}}'
        for geom, props in zip(geometries, properties, strict=True)
    ]
    return _script_safe('{"type": "FeatureCollection", "features": [' + ", ".join(parts) + "]}")


def _script_safe(text: str) -> str:
    """JSON text that cannot close the ``<script>`` it is written into."""
    return text.replace("</", "<\\/")


def _group(label: str, collection: str) -> folium.FeatureGroup:
    """A toggleable group (named ``label``, already escaped) drawing a GeoJSON text."""
    group = folium.FeatureGroup(name=label, show=True)
    StaticGeoJson(collection).add_to(group)
    return group


def region_shapes(regions_wgs84: gpd.GeoDataFrame) -> tuple[str, ...]:
    """Each region's outline as drawn: simplified, rounded GeoJSON geometry text, by row."""
    regions = _to_wgs84(regions_wgs84, "The regions")
    return tuple(shapely.to_geojson(_for_display(regions.geometry.to_numpy())))


def _regions_json(
    regions: gpd.GeoDataFrame, chosen: set[str], shapes: Sequence[str] | None = None
) -> str:
    props = []
    for row in regions.itertuples(index=False):
        zh = getattr(row, "name_zh", "")
        extra = f"<br>{escape_text(zh)}" if isinstance(zh, str) and zh else ""
        focus = str(row.name) in chosen
        props.append(
            {
                "tip": f"<b>{escape_text(row.name)}</b>{extra}",
                "style": {
                    "color": "#34495e" if focus else _REGION_LINE,
                    "weight": 2.2 if focus else 1.0,
                    "fillColor": _FOCUS_FILL if focus else _REGION_FILL,
                    "fillOpacity": 0.75 if focus else 0.55,
                    "className": "jiegui-region",
                },
            }
        )
    if shapes is None:
        shapes = region_shapes(regions)
    return _features_json(shapes, props)


def _layer_json(name: str, frame: gpd.GeoDataFrame, max_features: int) -> tuple[str, str, str]:
    """One layer as ``(escaped label, GeoJSON text, legend HTML)``."""
    spec = get_layer(name)
    drawn = _ranked(frame, spec.main_classes, max_features)
    records = [_attrs(r) for r in drawn.drop(columns=drawn.geometry.name).to_dict("records")]
    point = spec.geometry == "point"
    props = []
    for record in records:
        style = spec.style(record)
        out: dict[str, Any] = {
            "color": style.color,
            "weight": float(style.weight),
            "opacity": 0.9,
            "className": f"jiegui-feature jiegui-{css_token(name)}",
        }
        if style.dash_array:
            out["dashArray"] = style.dash_array
        if point:
            out.update(radius=9, fill=True, fillColor=style.color, fillOpacity=0.35, weight=2.0)
        props.append({"tip": _feature_tip(record, spec.capacity_unit), "style": out})
    geoms = shapely.set_precision(drawn.geometry.to_numpy(), DRAW_PRECISION_DEG)
    entries = []
    rank = {c: n for n, c in enumerate(spec.main_classes)}
    classes = sorted(
        dict.fromkeys(r.get("class") for r in records),
        key=lambda c: (rank.get(c, len(rank)), str(c)),
    )
    for cls in classes:  # trunk classes in their order, then the rest by name: stable
        sample = spec.style({"class": cls, "status": "open", "capacity": None})
        swatch = (
            _dot_swatch(sample.color, 6)
            if point
            else _line_swatch(sample.color, sample.weight + 1, None)
        )
        entries.append(f'<span class="entry">{swatch}{escape_text(cls)}</span>')
    note = ""
    if len(drawn) < len(frame):
        note = f' <span class="jiegui-note">(showing {len(drawn)} of {len(frame)})</span>'
    unit = escape_text(spec.capacity_unit.replace("_", " "))
    label = escape_text(spec.label)
    legend = (
        f'<div class="group" title="{"size" if point else "line weight"} by {unit}">'
        f"<b>{label}</b>{note}: {''.join(entries)}</div>"
    )
    return label, _features_json(shapely.to_geojson(geoms), props), legend


def _interface_features(
    interfaces: pd.DataFrame, zh_names: Mapping[str, str]
) -> list[dict[str, Any]]:
    """One GeoJSON point Feature per interface: style, tooltip and popup in its properties."""
    features = []
    records = interfaces.drop(columns=["geometry"], errors="ignore").to_dict("records")
    for raw in records:
        attrs = _attrs(raw)
        spec = get_layer(str(attrs["layer"]))
        style = spec.style(
            {"class": attrs.get("class"), "status": attrs.get("status"), "capacity": None}
        )
        ids = [s for s in str(attrs.get("source_ids") or "").split(";") if s]
        zh = next((zh_names[i] for i in ids if i in zh_names), "")
        known = not is_missing(attrs.get("capacity")) and not attrs.get("lanes_missing")
        marker: dict[str, Any] = {
            "radius": marker_radius(spec.name, attrs.get("capacity") if known else None),
            "color": "#1b2631",
            "weight": 1.5,
            "fill": True,
            "fillColor": style.color,
            "fillOpacity": 0.9 if known else 0.35,
            "className": f"jiegui-interface {css_token('jiegui-if-' + str(attrs.get('id')))}",
        }
        if attrs.get("status") != "open":
            marker["dashArray"] = "3 3"
        lon = round(float(attrs["lon"]), 6)
        lat = round(float(attrs["lat"]), 6)
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "id": str(attrs.get("id")),
                    "style": marker,
                    "tip": _interface_tip(attrs, zh),
                    "popup": _interface_popup(attrs, zh),
                },
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
            }
        )
    return features


def _selected_feature(content: MapContent, selected: str | None) -> dict[str, Any] | None:
    """The interface feature whose id is ``selected``, or None."""
    if selected is None:
        return None
    return next((f for f in content.interfaces if f["properties"]["id"] == str(selected)), None)
