"""The interactive map of a crossing run: a folium map that draws with no network.

:func:`build_map` draws the regions, one toggleable group per layer kind (styled by the
layer's :attr:`layers.base.LayerSpec.style`), the interfaces as circle markers sized by
lanes or tracks, a legend and the data attribution. Nothing here imports streamlit.

Beside it: :mod:`app.map_geojson` writes what is drawn as GeoJSON text,
:mod:`app.map_html` the tooltips, popups and legend (every text from data escaped),
:mod:`app.map_assets` links the vendored Leaflet (so the map loads nothing from elsewhere)
and :mod:`app.map_elements` holds the folium elements that copy that text literally.

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

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
from branca.element import Element, Figure
from folium.map import FitBounds

from app.map_assets import STATIC_URL, asset_links
from app.map_elements import Attribution, HtmlControl, LiteralTileLayer, StaticGeoJson
from app.map_geojson import (
    MAX_FEATURES,
    feature_collection,
    interface_features,
    layer_geojson,
    region_names,
    regions_geojson,
    to_wgs84,
)
from app.map_html import MAP_STYLE, css_token, escape_text, legend_html
from geo.datum import china_tile_offset_m
from geo.errors import InvalidParameterError
from geo.projection import latlon

#: The OpenStreetMap basemap's tiles (online; the OSMF tile usage policy applies).
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"

#: Their attribution, which the ODbL and the tile usage policy require on the map.
OSM_TILE_ATTRIBUTION = "Basemap © OpenStreetMap contributors"

#: Outline colour of the selected interface's marker.
SELECTED_COLOR = "#00b4d8"

#: Zoom level the map goes to around a selected interface (a few km across).
SELECTED_ZOOM = 13

#: What the app asks the map to report of a click (one of ``st_folium``'s
#: ``returned_objects``): the GeoJSON feature last clicked, properties and all. Interface
#: markers carry their id there (:func:`clicked_interface`).
CLICK_REPORT = "last_active_drawing"

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

    Returns
    -------
    MapContent
    """
    regions = to_wgs84(regions_wgs84, "The regions")
    chosen = set(highlight)
    groups: list[str] = []
    drawn: list[tuple[str, str]] = []
    for name, frame in layers.items():
        if frame.empty:
            continue
        label, text, group = layer_geojson(
            name, to_wgs84(frame, f"The {name} layer"), max_features
        )
        drawn.append((label, text))
        groups.append(group)
    markers = (
        interface_features(interfaces, layers, region_names(regions)) if len(interfaces) else []
    )
    focus = regions[regions["name"].isin(chosen)] if chosen else regions
    if focus.empty:
        focus = regions
    bounds = None
    if not focus.empty:
        west, south, east, north = (float(v) for v in focus.total_bounds)
        bounds = (latlon(west, south), latlon(east, north))
    return MapContent(
        regions=regions_geojson(regions, chosen, region_shapes),
        layers=tuple(drawn),
        interfaces=tuple(markers),
        legend=legend_html(groups, interfaces=bool(markers)),
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
        ``"inline"`` (:func:`app.map_assets.asset_links`).

    Returns
    -------
    folium.Map
        A map whose scripts and style sheets are all local
        (:func:`app.map_assets.remote_asset_links` is empty), opening on ``content.bounds``.
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
    root = fmap.get_root()
    if not isinstance(root, Figure):
        raise TypeError("a folium map's root is a branca Figure")
    root.header.add_child(Element(MAP_STYLE), name="jiegui_css")
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
        _group("Interfaces", feature_collection(content.interfaces)).add_to(fmap)
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
    StaticGeoJson(feature_collection([marker])).add_to(group)
    return group


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
        (:func:`app.map_assets.remote_asset_links` is empty).
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


def _group(label: str, collection: str) -> folium.FeatureGroup:
    """A toggleable group (named ``label``, already escaped) drawing a GeoJSON text."""
    group = folium.FeatureGroup(name=label, show=True)
    StaticGeoJson(collection).add_to(group)
    return group


def _selected_feature(content: MapContent, selected: str | None) -> dict[str, Any] | None:
    """The interface feature whose id is ``selected``, or None."""
    if selected is None:
        return None
    return next((f for f in content.interfaces if f["properties"]["id"] == str(selected)), None)
