"""The interactive map of a crossing run: a folium map that draws with no network.

:func:`build_map` draws the regions, the offline context (coast, lakes, rivers) under the
links, one toggleable group per layer kind (styled by the layer's
:attr:`layers.base.LayerSpec.style`), the interfaces as circle markers sized by lanes or
tracks, labels (provinces, cities, lakes, the interfaces' route numbers) shown from the
zoom at which they do not collide, a legend of what is drawn and the attributions. It
opens on the border in focus. Nothing here imports streamlit.

Beside it: :mod:`app.map_geojson` writes what is drawn as GeoJSON text,
:mod:`app.map_html` the tooltips and popups, :mod:`app.map_legend` the legend (every text
from data escaped), :mod:`app.map_context` the context and labels,
:mod:`app.map_assets` links the vendored Leaflet and the project's ``static/jiegui/map.js``
(so the map loads nothing from elsewhere) and :mod:`app.map_elements` holds the folium
elements that copy that text literally. Texts are in the page's language
(:func:`app.language.current`), which the content is made in.

Panes
-----
Leaflet draws in panes stacked by z-index: the regions (:data:`PANES`), then the context,
then the links (Leaflet's overlay pane), the interfaces, the selected interface and the
labels; tooltips and popups above all. So switching a group off and on never puts the
regions' fill over the links.

Reruns
------
:func:`map_content` serialises what the map draws once per data state (the app caches it);
:func:`draw_map` wraps it in a new, cheap folium map on every rerun, whose script is the
same as long as the data are: ``st_folium`` then keeps its iframe and only applies what
changed in its ``feature_group_to_add`` (:func:`selection_layer`), ``center`` and ``zoom``
(:func:`selection_view`).

There is no basemap unless a tile URL is given (``tiles``): the regions are drawn as
polygons, so the map is readable offline, and a local tile server can be switched on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
import shapely
from branca.element import Element, Figure, MacroElement

from app import map_context
from app.labels import say
from app.language import current, speaking
from app.map_assets import STATIC_URL, asset_links
from app.map_elements import (
    Attribution,
    GroupLegend,
    LiteralFeatureGroup,
    LiteralTileLayer,
    MapKit,
    Panes,
    StaticGeoJson,
)
from app.map_geojson import (
    BORDER_HALO_STYLE,
    BORDER_STYLE,
    MAX_FEATURES,
    REGION_FILL_OPACITY,
    border_geojson,
    feature_collection,
    interface_features,
    layer_geojson,
    region_names,
    regions_geojson,
    to_wgs84,
)
from app.map_html import MAP_STYLE, css_token, escape_text
from app.map_legend import border_group, context_group, interfaces_group, legend_html
from geo.accuracy import FINE_ACCURACY_M, halo, zoom_for_accuracy
from geo.datum import china_tile_offset_m
from geo.errors import InvalidParameterError
from geo.focus import Bounds
from geo.labels import Language
from geo.projection import latlon
from geo.text import Bilingual

#: The OpenStreetMap basemap's tiles (online; the OSMF tile usage policy applies).
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"

#: Their attribution, which the ODbL and the tile usage policy require on the map.
OSM_TILE_ATTRIBUTION = "Basemap © OpenStreetMap contributors"

#: Outline colour of the selected interface's marker.
SELECTED_COLOR = "#00b4d8"

#: Zoom level the map goes to around a selected interface placed well (a few km across);
#: for one whose lines are placed to some km only, less (:func:`selection_view`).
SELECTED_ZOOM = 13

#: The map's panes below Leaflet's tooltips, as ``(name, z-index)``: Leaflet's overlay
#: pane (400, the links) sits between the border counted (over the context: it often
#: follows a river) and the interfaces.
PANES: tuple[tuple[str, int], ...] = (
    ("jiegui-regions", 380),
    ("jiegui-context", 390),
    ("jiegui-border", 395),
    ("jiegui-interfaces", 410),
    ("jiegui-selection", 415),
    ("jiegui-labels", 450),
)

#: Padding, in pixels, round the border the map opens on: ``(top-left, bottom-right)``,
#: clear of the zoom buttons and the layer control's button.
FIT_PADDING: tuple[tuple[int, int], tuple[int, int]] = ((50, 50), (50, 30))

#: The highest zoom the map opens at (a border of one interface is a point).
FIT_MAX_ZOOM = 12

#: The scale bar's options (``L.control.scale``): metric only, as the planners measure;
#: ``static/jiegui/map.js`` adds it (folium's ``control_scale`` would add miles too).
SCALE_BAR: dict[str, Any] = {"metric": True, "imperial": False, "position": "bottomleft"}

#: The legend keeps clear of the links' lines within this many pixels of an interface's
#: centre (the cross-border links where they cross the border), as of the markers.
LEGEND_CLEAR_PX = 80

#: Maps smaller than this, ``(width, height)`` in pixels, open with the legend folded.
SMALL_MAP_PX: tuple[int, int] = (600, 420)

#: The regions' fill over a basemap's tiles: faint, so the tiles show through; as without
#: tiles once they fail to load (``static/jiegui/map.js`` marks the map
#: ``jiegui-tiles-failed``), so the map reads as it does offline.
TILED_REGION_STYLE = (
    "<style>path.jiegui-region { fill-opacity: 0.1; } "
    "path.jiegui-region.jiegui-focus { fill-opacity: 0.18; } "
    f".jiegui-tiles-failed path.jiegui-region {{ fill-opacity: {REGION_FILL_OPACITY['other']}; }} "
    ".jiegui-tiles-failed path.jiegui-region.jiegui-focus "
    f"{{ fill-opacity: {REGION_FILL_OPACITY['focus']}; }}</style>"
)

#: The accuracy circle round a selected interface placed to some km only.
HALO_STYLE: dict[str, Any] = {
    "color": SELECTED_COLOR,
    "weight": 2,
    "dashArray": "6 5",
    "fill": True,
    "fillColor": SELECTED_COLOR,
    "fillOpacity": 0.08,
    "interactive": False,
    "className": "jiegui-halo",
}

#: What the app asks the map to report of a click (one of ``st_folium``'s
#: ``returned_objects``): the GeoJSON feature last clicked, properties and all. Interface
#: markers carry their id there (:func:`clicked_interface`).
CLICK_REPORT = "last_active_drawing"
#: What ``st_folium`` reports as the number of clicks on features since the map was
#: loaded: a click on the same feature twice changes it (:mod:`app.what_if_view`).
CLICK_COUNT = "last_object_clicked_count"

#: The labels of the map's groups in the layer control (:data:`app.labels.TEXT` keys).
_GROUP_NAMES = (
    "map_basemap", "map_regions", "map_context", "interfaces", "map_labels", "map_border",
)

_TILE_URL = re.compile(r"^(?=.*\{z\})(?=.*\{x\})(?=.*\{y\})", re.DOTALL)


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
        ``((south, west), (north, east))`` the map opens on: the border in focus (given as
        ``focus``), else the highlighted regions, else all regions; None when there are
        no regions.
    language
        The language the texts are in (``"en"`` or ``"zh"``).
    labels
        JSON text of the interfaces' route-number labels
        (:func:`app.map_context.route_labels`).
    groups
        The keys of the legend's parts in drawing order, each a drawn group: the layer
        names, then ``"interfaces"`` when there are some.
    border
        GeoJSON FeatureCollection text of the border counted (its halo and its dashed
        line, :func:`app.map_geojson.border_geojson`); ``""`` when none is drawn.
    """

    regions: str
    layers: tuple[tuple[str, str], ...]
    interfaces: tuple[dict[str, Any], ...]
    legend: str
    bounds: tuple[tuple[float, float], tuple[float, float]] | None
    language: Language = "en"
    labels: str = "[]"
    groups: tuple[str, ...] = ()
    border: str = ""


def map_content(
    regions_wgs84: gpd.GeoDataFrame,
    layers: Mapping[str, gpd.GeoDataFrame],
    interfaces: pd.DataFrame,
    *,
    highlight: Sequence[str] = (),
    max_features: int = MAX_FEATURES,
    region_shapes: Sequence[str] | None = None,
    focus: Bounds | None = None,
    language: Language | None = None,
    border: gpd.GeoSeries | None = None,
) -> MapContent:
    """Serialise regions, layers and interfaces for drawing (see :class:`MapContent`).

    Parameters
    ----------
    regions_wgs84
        Region polygons with a ``name`` column (any CRS; drawn in WGS84).
    layers
        ``{layer name: features}`` in the common schema (e.g. from :func:`geo.lifecycle.layers_at`);
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
        :func:`app.map_geojson.region_shapes` of ``regions_wgs84``, when the caller keeps
        them (they take most of the time for detailed outlines); made here when None.
    focus
        The box the map opens on, ``(west, south, east, north)`` in WGS84: the border in
        focus and its interfaces (:func:`geo.focus.focus_extent`); the highlighted
        regions when None.
    language
        The language of the texts (the layers' names, the legend, the labels); the page's
        (:func:`app.language.current`) when None.
    border
        The border counted, as lines in any CRS (:func:`geo.focus.counted_border`): drawn
        in its own style (:data:`app.map_geojson.BORDER_STYLE`), with its legend entry;
        nothing when None or empty.

    Returns
    -------
    MapContent
    """
    lang: Language = language or current()
    with speaking(lang):
        return _content(
            regions_wgs84, layers, interfaces, highlight, max_features, region_shapes,
            focus, lang, border,
        )  # fmt: skip


def _content(
    regions_wgs84: gpd.GeoDataFrame,
    layers: Mapping[str, gpd.GeoDataFrame],
    interfaces: pd.DataFrame,
    highlight: Sequence[str],
    max_features: int,
    region_shapes: Sequence[str] | None,
    focus: Bounds | None,
    lang: Language,
    border: gpd.GeoSeries | None = None,
) -> MapContent:
    """:func:`map_content` in the language set (:func:`app.language.speaking`)."""
    regions = to_wgs84(regions_wgs84, "The regions")
    chosen = set(highlight)
    parts: list[str] = []
    keys: list[str] = []
    border_text = _border_text(border)
    if border_text:
        parts.append(border_group(BORDER_STYLE, BORDER_HALO_STYLE))
    drawn: list[tuple[str, str]] = []
    for name, frame in layers.items():
        if frame.empty:
            continue
        label, text, part = layer_geojson(name, to_wgs84(frame, f"The {name} layer"), max_features)
        drawn.append((label, text))
        parts.append(part)
        keys.append(name)
    markers = (
        interface_features(interfaces, layers, region_names(regions)) if len(interfaces) else []
    )
    if markers:
        parts.append(interfaces_group([m["properties"]["style"] for m in markers]))
        keys.append("interfaces")
    return MapContent(
        regions=regions_geojson(regions, chosen, region_shapes),
        layers=tuple(drawn),
        interfaces=tuple(markers),
        legend=legend_html(parts, [context_group(map_context.CONTEXT_STYLES, cities=True)]),
        bounds=_opening_bounds(regions, chosen, focus),
        language=lang,
        labels=_script_json(map_context.route_labels(markers, lang)),
        groups=tuple(keys),
        border=border_text,
    )


def _border_text(border: gpd.GeoSeries | None) -> str:
    """:func:`app.map_geojson.border_geojson` of ``border``; ``""`` when nothing is drawn."""
    if border is None or border.empty:
        return ""
    text = border_geojson(border)
    return text if json.loads(text)["features"] else ""


def _opening_bounds(
    regions: gpd.GeoDataFrame, chosen: set[str], focus: Bounds | None
) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """``((south, west), (north, east))``: ``focus``, else the chosen regions, else all."""
    if focus is None:
        shown = regions[regions["name"].isin(chosen)] if chosen else regions
        if shown.empty:
            shown = regions
        if shown.empty:
            return None
        focus = tuple(float(v) for v in shown.total_bounds)  # type: ignore[assignment]
    west, south, east, north = focus  # type: ignore[misc]
    return latlon(west, south), latlon(east, north)


def _script_json(value: object) -> str:
    """JSON text of ``value`` that cannot close the ``<script>`` it is written into."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def draw_map(
    content: MapContent,
    *,
    tiles: str | None = None,
    attribution: str = "",
    tile_attribution: str = "",
    assets: str = STATIC_URL,
    view: tuple[tuple[float, float], int] | None = None,
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
        ``"inline"`` (:func:`app.map_assets.asset_links`).
    view
        ``((lat, lon), zoom)`` the map opens at (a link's view, or where the user left
        the page's map); None: fitted to ``content.bounds``.

    Returns
    -------
    folium.Map
        A map whose scripts and style sheets are all local
        (:func:`app.map_assets.remote_asset_links` is empty), opening at ``view`` or on
        ``content.bounds``.
    """
    if tiles is not None and not _TILE_URL.search(tiles):
        raise InvalidParameterError(
            Bilingual(
                f"The tile URL {tiles!r} lacks {{z}}, {{x}} and {{y}}; give one like "
                "'http://localhost:8080/{z}/{x}/{y}.png'.",
                f"瓦片地址 {tiles!r} 缺少 {{z}}、{{x}} 和 {{y}}，"
                "请写成 'http://localhost:8080/{z}/{x}/{y}.png' 这样的形式。",
            )
        )
    lang = content.language
    if view is None:
        fmap = folium.Map(tiles=None, control_scale=False, zoom_start=6)
    else:
        fmap = folium.Map(
            location=list(view[0]), zoom_start=view[1], tiles=None, control_scale=False
        )
    js, css = asset_links(assets)
    # Instance attributes: the class lists (CDN links) stay untouched for other maps.
    fmap.default_js = js
    fmap.default_css = css
    root = fmap.get_root()
    if not isinstance(root, Figure):
        raise TypeError("a folium map's root is a branca Figure")
    root.header.add_child(Element(MAP_STYLE), name="jiegui_css")
    Panes(PANES).add_to(fmap)
    with speaking(lang):
        names = {key: say(key) for key in _GROUP_NAMES}
        tile_text = say("tiles_failed")
        tile_layer = None
        if tiles is not None:
            host = re.sub(r"^[a-z]+://", "", tiles).split("/")[0] or tiles
            tile_layer = LiteralTileLayer(
                tiles=tiles,
                attr=escape_text(tile_attribution or say("map_basemap_from", host=host)),
                name=names["map_basemap"],
                overlay=False,
                control=True,
            )
            tile_layer.add_to(fmap)
            root.header.add_child(Element(TILED_REGION_STYLE), name="jiegui_tiled_css")
    elements: dict[str, MacroElement] = {}
    regions = _group(names["map_regions"], content.regions, pane="jiegui-regions")
    regions.add_to(fmap)
    context = LiteralFeatureGroup(name=names["map_context"], show=True)
    context.add_to(fmap)
    elements["context"] = context
    if content.border:
        # Drawn only: it takes no pointer, so the regions under it keep their tooltips and a
        # click on it reports nothing (the legend says what it is).
        elements["border"] = _group(
            names["map_border"], content.border, pane="jiegui-border", interactive=False
        )
        elements["border"].add_to(fmap)
    for key, (label, text) in zip(content.groups, content.layers, strict=False):
        elements[key] = _group(label, text)
    if content.interfaces:
        elements["interfaces"] = _group(
            names["interfaces"], feature_collection(content.interfaces), pane="jiegui-interfaces"
        )
    elements["labels"] = LiteralFeatureGroup(name=names["map_labels"], show=True)
    for key in (*content.groups, "labels"):
        elements[key].add_to(fmap)
    credits = [a for a in (attribution, map_context.attribution(lang)) if a]
    if credits:
        Attribution(escape_text(" · ".join(credits))).add_to(fmap)
    folium.LayerControl(collapsed=True, position="topright").add_to(fmap)
    fitted = False
    if content.bounds is not None and view is None:
        fitted = True
        fmap.fit_bounds(
            list(content.bounds),
            padding_top_left=FIT_PADDING[0],
            padding_bottom_right=FIT_PADDING[1],
            max_zoom=FIT_MAX_ZOOM,
        )
    if tile_layer is not None:
        elements["tiles"] = tile_layer
    context_at = None if assets == "inline" else map_context.context_url(assets)
    config, inserts = _kit_config(
        content, tile_text if tile_layer is not None else None, context_at, fitted=fitted
    )
    MapKit(config, elements, inserts).add_to(fmap)
    return fmap


def _kit_config(
    content: MapContent,
    tile_text: str | None,
    context_at: str | None = None,
    *,
    fitted: bool = False,
) -> tuple[str, dict[str, str]]:
    """The config of ``JieguiMap.init`` for ``content`` (see :class:`app.map_elements.MapKit`).

    Groups and the tile layer are named ``"@group:KEY"``; the context's text and the
    labels' are ``"@context"`` and ``"@labels"``, given apart as JSON texts safe for a
    ``<script>``. With ``context_at`` (the context file's URL,
    :func:`app.map_context.context_url`) the script fetches the context from there
    instead of carrying it. A map ``fitted`` to ``content.bounds`` (no view given) tells
    the legend how it was fitted (``legend.fit``: bounds, padding, highest zoom), so that
    its first view can make room for the legend (:func:`legend_fit`).
    """
    points = [
        [f["geometry"]["coordinates"][1], f["geometry"]["coordinates"][0],
         float(f["properties"]["style"]["radius"])]
        for f in content.interfaces
    ]  # fmt: skip
    legend = {
        "html": content.legend,
        "groups": [[k, f"@group:{k}"] for k in (*_borders(content), *content.groups, "context")],
        "points": points,
        "lines": [f"@group:{k}" for k in content.groups if k != "interfaces"],
        "near": LEGEND_CLEAR_PX,
        "small": list(SMALL_MAP_PX),
        "fit": legend_fit(content.bounds) if fitted else None,
    }
    config: dict[str, Any] = {
        "context": {
            "data": "@context" if context_at is None else None,
            "url": context_at,
            "group": "@group:context",
            "pane": "jiegui-context",
            "order": [name for name, _ in map_context.CONTEXT_DRAWN],
            "kinds": dict(map_context.CONTEXT_DRAWN),
            "styles": map_context.CONTEXT_STYLES,
        },
        "labels": {
            "rows": "@labels",
            "group": "@group:labels",
            "pane": "jiegui-labels",
            "min": map_context.LABEL_MIN_ZOOM,
        },
        "legend": legend,
        "scale": SCALE_BAR,
        "credits": _credits_words(content.language),
    }
    if tile_text is not None:
        config["tiles"] = {"layer": "@group:tiles", "text": tile_text}
    rows = map_context.context_label_rows(content.language) + json.loads(content.labels)
    inserts = {"labels": _script_json(rows)}
    if context_at is None:
        inserts["context"] = map_context.context_json()
    return _script_json(config), inserts


def legend_fit(
    bounds: tuple[tuple[float, float], tuple[float, float]] | None,
) -> dict[str, Any] | None:
    """How the map's first view is fitted, as ``static/jiegui/map.js`` refits it for the legend.

    When the legend, open, would cover an interface or the links near one in every corner
    of the first view, even in two columns, the map is fitted again with room for it: the
    border's box kept :data:`FIT_PADDING` clear of the map's edges and of the legend's box
    (the corner and layout that keep the highest zoom; ``docs/map.md``).

    Parameters
    ----------
    bounds
        ``((south, west), (north, east))`` the map is fitted to (``MapContent.bounds``).

    Returns
    -------
    dict or None
        ``{"bounds": [[south, west], [north, east]], "padding": [[left, top], [right,
        bottom]], "maxZoom": FIT_MAX_ZOOM}`` in Leaflet's terms (pixels), or None with no
        bounds.
    """
    if bounds is None:
        return None
    return {
        "bounds": [list(bounds[0]), list(bounds[1])],
        "padding": [list(FIT_PADDING[0]), list(FIT_PADDING[1])],
        "maxZoom": FIT_MAX_ZOOM,
    }


def _credits_words(lang: Language) -> dict[str, str]:
    """The words of the folded credits' button (``static/jiegui/map.js``, ``compactCredits``).

    The attribution is folded to this one button: open, its text (the sources and their
    licences, ODbL's attribution among them) took some 380 x 90 px of the map's bottom
    right corner and hid interfaces there. One click shows it all.
    """
    with speaking(lang):
        return {
            "label": say("map_credits"),
            "title": say("map_credits_show"),
            "hide": say("map_credits_hide"),
        }


def _borders(content: MapContent) -> tuple[str, ...]:
    """``("border",)`` when ``content`` draws the border counted, else ``()``."""
    return ("border",) if content.border else ()


def selection_layer(content: MapContent, selected: str | None) -> folium.FeatureGroup | None:
    """The marker that singles out interface ``selected``, as a group to draw on top.

    Larger, with a thick :data:`SELECTED_COLOR` outline and the classes
    ``jiegui-selected`` and ``css_token("jiegui-if-" + id)``, with the interface's
    tooltip and popup. When its lines are placed to some km only (``accuracy_m`` above
    :data:`geo.accuracy.FINE_ACCURACY_M`), a dashed circle of that radius round it
    (``jiegui-halo``, :func:`geo.accuracy.halo`) and a note in the legend's corner saying
    what the circle is. The app passes it to ``st_folium(feature_group_to_add=...)`` so a
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
    accuracy = feature["properties"].get("accuracy_m")
    if accuracy is not None and float(accuracy) > FINE_ACCURACY_M:
        lon, lat = (float(v) for v in feature["geometry"]["coordinates"])
        circle = {
            "type": "Feature",
            "properties": {"style": HALO_STYLE},
            "geometry": json.loads(shapely.to_geojson(halo(lon, lat, float(accuracy)))),
        }
        StaticGeoJson(feature_collection([circle]), pane="jiegui-selection").add_to(group)
        with speaking(content.language):
            note = escape_text(say("halo_note", km=_km(float(accuracy))))
        GroupLegend(
            f'<span class="jiegui-note">{note}</span>',
            position="bottomleft",
            css_class="jiegui-legend jiegui-halo-legend",
        ).add_to(group)
    StaticGeoJson(feature_collection([marker]), pane="jiegui-selection").add_to(group)
    return group


def _km(metres: float) -> str:
    """Metres as kilometres for a note: ``4000`` gives ``"4"``, ``2500`` ``"2.5"``."""
    return f"{metres / 1000:.1f}".removesuffix(".0")


def clicked_interface(report: Mapping[str, Any] | None) -> str | None:
    """The id of the interface marker clicked last, from what the map reported.

    ``st_folium`` reports a click on a feature as :data:`CLICK_REPORT`: Leaflet's
    ``toGeoJSON()`` of the clicked layer, whose properties are the feature's own. Only
    interface markers have an ``id`` property (:func:`app.map_geojson.interface_features`);
    a click on a region or a line gives None, as does a map not yet clicked.

    Parameters
    ----------
    report
        The value ``st_folium`` returned (None before the map reports anything).
    """
    feature = (report or {}).get(CLICK_REPORT)
    properties = feature.get("properties") if isinstance(feature, Mapping) else None
    found = properties.get("id") if isinstance(properties, Mapping) else None
    return None if found is None else str(found)


def selection_view(
    content: MapContent, selected: str | None
) -> tuple[tuple[float, float], int] | None:
    """Where the map goes for a selected interface: ``((lat, lon), zoom)``.

    The zoom is :data:`SELECTED_ZOOM` for an interface placed well; for one whose lines
    are placed to some km only, the zoom at which its accuracy circle spans no more than
    :data:`geo.accuracy.HALO_SPAN_PX` (:func:`geo.accuracy.zoom_for_accuracy`): a line
    accurate to 4 km is not shown at a street's scale. None when nothing (or an unknown id)
    is selected: the map then stays where the user left it.
    """
    feature = _selected_feature(content, selected)
    if feature is None:
        return None
    lon, lat = feature["geometry"]["coordinates"]
    accuracy = feature["properties"].get("accuracy_m")
    zoom = zoom_for_accuracy(
        float(lat), None if accuracy is None else float(accuracy), max_zoom=SELECTED_ZOOM
    )
    return latlon(float(lon), float(lat)), zoom


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
        (:func:`app.map_assets.remote_asset_links` is empty).
    """
    content = map_content(
        regions_wgs84, layers, interfaces, highlight=highlight, max_features=max_features
    )
    group = selection_layer(content, selected)
    view = selection_view(content, selected)
    fmap = draw_map(
        content,
        tiles=tiles,
        attribution=attribution,
        tile_attribution=tile_attribution,
        assets=assets,
        view=view if group is not None else None,
    )
    if group is not None and view is not None:
        group.add_to(fmap)
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
    offset = tile_offset(tiles, regions_wgs84)
    if offset is None:
        return None
    system, metres = offset
    how_far = "some hundreds of metres from their place"
    if metres is not None:
        how_far = f"about {round(metres, -1):.0f} m from their place at the map's centre"
    return (
        f"These tiles are in China's offset {system} coordinates, not WGS84: data drawn on "
        f"them appear {how_far}; use WGS84 tiles (such as OpenStreetMap's) to check positions."
    )


def tile_offset(
    tiles: str | None, regions_wgs84: gpd.GeoDataFrame | None = None
) -> tuple[str, float | None] | None:
    """The offset system of a basemap's tiles and how far they are off, None when in WGS84.

    What :func:`tile_warning` says, as values (for the page, which says it in its
    language): ``("GCJ-02" or "BD-09", metres at the centre of ``regions_wgs84`` or None
    without them)``.
    """
    if not tiles:
        return None
    match = _OFFSET_TILE_HOSTS.search(tiles)
    if match is None:
        return None
    system = "BD-09" if re.search(r"baidu|bdimg|bdstatic", match.group(0), re.I) else "GCJ-02"
    if regions_wgs84 is None or not len(regions_wgs84):
        return system, None
    west, south, east, north = to_wgs84(regions_wgs84, "The regions").total_bounds
    metres = china_tile_offset_m((west + east) / 2, (south + north) / 2, system=system)
    if metres < 1:
        return None  # outside China the services draw WGS84
    return system, float(metres)


def _group(
    label: str, collection: str, *, pane: str | None = None, interactive: bool = True
) -> folium.FeatureGroup:
    """A toggleable group (named ``label``, already escaped) drawing a GeoJSON text."""
    group = LiteralFeatureGroup(name=label, show=True)
    StaticGeoJson(collection, pane=pane, interactive=interactive).add_to(group)
    return group


def _selected_feature(content: MapContent, selected: str | None) -> dict[str, Any] | None:
    """The interface feature whose id is ``selected``, or None."""
    if selected is None:
        return None
    return next((f for f in content.interfaces if f["properties"]["id"] == str(selected)), None)
